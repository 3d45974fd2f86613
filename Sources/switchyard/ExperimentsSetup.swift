import ArgumentParser
import Dispatch
import Foundation
import SwitchyardAdminAPI
import SwitchyardGateway
import SwitchyardRouting
import SwitchyardServer
import SwitchyardTransport

/// The experiments side of `switchyard serve`: the routing store and statistics from the
/// configuration file and the state directory, the admin listener, and the timers that drive
/// canaries and persist statistics.
struct ExperimentsSetup {
    let service: ExperimentService
    let state: StateDirectory

    /// Loads the configuration file (if any) and the state directory; logs what it decided.
    static func start(configFile: String?, stateDirectory: String, loops: Int) throws -> ExperimentsSetup {
        let state: StateDirectory
        do { state = try StateDirectory(URL(fileURLWithPath: stateDirectory)) } catch {
            throw ValidationError("cannot use state directory '\(stateDirectory)': \(error)")
        }
        let service: ExperimentService
        do {
            service = try ExperimentService(configFile: configFile.map { URL(fileURLWithPath: $0) }, stateDirectory: state,
                                            loops: loops, log: { log("switchyard: \($0)") })
        } catch {
            throw ValidationError("cannot start experiments: \(error)")
        }
        let revision = service.control.current.revision
        switch service.startUpDecision {
        case .fresh: log("switchyard: experiments: configuration file applied as revision \(revision)")
        case .continued: log("switchyard: experiments: continuing from stored revision \(revision) (configuration file unchanged)")
        case .fileChanged: log("switchyard: experiments: configuration file changed; applied as revision \(revision) on top of the stored history")
        case .stateOnly: log("switchyard: experiments: no configuration file; continuing from stored revision \(revision)")
        case .fileRejected(let error):
            log("switchyard: WARNING: the configuration file does not validate; continuing from stored revision \(revision):\n\(error)")
        }
        let (restored, failures) = service.restoreStatistics()
        if !restored.isEmpty { log("switchyard: statistics restored for \(restored.joined(separator: ", "))") }
        for failure in failures { log("switchyard: \(failure)") }
        return ExperimentsSetup(service: service, state: state)
    }

    /// The admin tokens: the tokens file, else SWITCHYARD_ADMIN_TOKEN, else one generated into
    /// the state directory (printed path, never the token itself).
    func adminTokens(file: String?) throws -> AdminTokens {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read admin tokens file '\(file)'") }
            do { return try AdminTokens.parse(file: String(decoding: data, as: UTF8.self)) } catch {
                throw ValidationError("admin tokens file '\(file)': \(error)")
            }
        }
        if let token = ProcessInfo.processInfo.environment[AdminDefaults.tokenEnvironmentVariable], !token.isEmpty {
            guard token.utf8.count >= 16 else { throw ValidationError("\(AdminDefaults.tokenEnvironmentVariable) must be at least 16 characters") }
            return AdminTokens([(name: "env", token: token)])
        }
        let file = state.url.appendingPathComponent(AdminDefaults.generatedTokenFile)
        let token: String
        do { token = try state.secret(in: file) } catch { throw ValidationError("cannot create the admin token: \(error)") }
        log("switchyard: admin token in \(file.path) (use --admin-tokens or \(AdminDefaults.tokenEnvironmentVariable) to set your own)")
        return AdminTokens([(name: "admin", token: token)])
    }

    /// Timers: canary evaluation every second, statistics snapshots every `snapshotInterval`.
    func startTimers(snapshotInterval: Double) -> [any DispatchSourceTimer] {
        let queue = DispatchQueue(label: "switchyard.experiments", qos: .utility)
        let canary = DispatchSource.makeTimerSource(queue: queue)
        canary.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(100))
        canary.setEventHandler { [service] in service.evaluateCanaries() }
        canary.resume()
        let snapshots = DispatchSource.makeTimerSource(queue: queue)
        snapshots.schedule(deadline: .now() + snapshotInterval, repeating: snapshotInterval, leeway: .seconds(1))
        snapshots.setEventHandler { [service] in service.persistStatistics() }
        snapshots.resume()
        return [canary, snapshots]
    }

    /// Re-reads the configuration file (SIGHUP).
    func reload(configFile: String?) {
        guard let configFile else { return log("switchyard: SIGHUP ignored: no --config file") }
        guard let data = FileManager.default.contents(atPath: configFile) else { return log("switchyard: cannot read \(configFile)") }
        do {
            if let record = try service.reloadFile(text: String(decoding: data, as: UTF8.self)) {
                log("switchyard: configuration reloaded as revision \(record.number)")
            } else {
                log("switchyard: configuration file unchanged")
            }
        } catch {
            log("switchyard: configuration reload refused, still serving revision \(service.control.current.revision):\n\(error)")
        }
    }
}
