import Foundation
import SwitchyardRouting
import SwitchyardStats
import Synchronization

/// The gateway's experiments: the routing store (revisions, audit, canaries), the statistics of
/// every experiment, and the view the event loops route with.
///
/// Control-side operations (admin changes, canary evaluations, persistence) are serialised by
/// one lock (`registry`); the request path never takes it — it reads the published
/// ``ExperimentsView`` (see ``ExperimentsViewPublisher``) and records into per-loop shards.
public final class ExperimentService: Sendable {
    public let control: RoutingControl
    let publisher: ExperimentsViewPublisher
    public let loops: Int
    public let stateDirectory: StateDirectory?
    /// Signs tokens when the configuration has no `tokens` section (secret kept in the state directory).
    let ownSigner: AssignmentTokenSigner
    /// Unix seconds; injectable so that tests drive canaries through time.
    let clock: @Sendable () -> Double
    let registry: Mutex<Registry>
    let log: @Sendable (String) -> Void

    struct Registry: Sendable {
        var stats: [String: ExperimentStats] = [:]
        /// The weights each recorder was last told about (a change opens a new SRM period).
        var weights: [String: [Double]] = [:]
        /// Per running canary: the telemetry at the start of its current window.
        var baselines: [String: CanaryBaseline] = [:]
    }

    struct CanaryBaseline: Sendable {
        var windowStart: Double
        var telemetry: ExperimentTelemetry
    }

    /// Starts from the configuration file and/or the state directory (see `ExperimentStore.startUp`
    /// for how the two relate) and restores the statistics snapshots.
    public init(configFile: URL?, stateDirectory: StateDirectory?, loops: Int,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.loops = loops
        self.stateDirectory = stateDirectory
        self.clock = clock
        self.log = log
        var fileText: String?
        if let configFile {
            guard let data = FileManager.default.contents(atPath: configFile.path) else {
                throw ExperimentServiceError("cannot read the configuration file \(configFile.path)")
            }
            fileText = String(decoding: data, as: UTF8.self)
        }
        let persisted = stateDirectory.flatMap { $0.read($0.routingFile) }
        let now = clock()
        let (store, decision) = try ExperimentStore.startUp(fileText: fileText, persisted: persisted, now: now)
        control = RoutingControl(store)
        if let stateDirectory {
            ownSigner = AssignmentTokenSigner(TokenConfig(current: TokenKey(
                keyID: "local", secret: try stateDirectory.secret(in: stateDirectory.tokenSecretFile))))
        } else {
            // Without a state directory tokens are valid until the process exits.
            let secret = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
            ownSigner = AssignmentTokenSigner(TokenConfig(current: TokenKey(keyID: "ephemeral", secret: secret)))
        }
        publisher = ExperimentsViewPublisher(ExperimentsView(generation: 0, snapshot: .empty, stats: [:], signer: ownSigner))
        registry = Mutex(Registry())

        startUpDecision = decision
        registry.withLock { sync(&$0, now: now) }
        persistRouting(try store.encoded())
    }

    /// What the store decided at start-up (fresh, continued, file changed, …).
    public let startUpDecision: StartUpDecision

    /// Restores the statistics snapshots in the state directory into the current experiments.
    /// Returns the experiments restored and, per failure, why (a snapshot of an experiment whose
    /// variants or metrics changed is not restored: its numbers would compare other arms).
    public func restoreStatistics() -> (restored: [String], failures: [String]) {
        guard let stateDirectory else { return ([], []) }
        var restored: [String] = []
        var failures: [String] = []
        for (name, stats) in registry.withLock({ $0.stats }).sorted(by: { $0.key < $1.key }) {
            guard let data = stateDirectory.read(stateDirectory.statsFile(experiment: name)) else { continue }
            do {
                try stats.recorder.restore(from: Array(data))
                restored.append(name)
                // The snapshot carries the weights of its time; if the configuration moved on
                // while the gateway was down, a new sample-ratio period starts now.
                let weights = registry.withLock { $0.weights[name] }
                if let weights, stats.recorder.state().srm.weights != weights {
                    try stats.recorder.setWeights(weights, at: clock())
                }
            } catch {
                failures.append("statistics of experiment '\(name)' not restored: \(error)")
            }
        }
        return (restored, failures)
    }

    // MARK: - Changes

    /// Applies an operator change; on success the new snapshot serves and the state is persisted.
    public func apply(_ change: ConfigChange, by context: ChangeContext) throws(StoreError) -> RevisionRecord? {
        try commit { () throws(StoreError) in try control.apply(change, by: context) }
    }

    public func rollback(to revision: Int, by context: ChangeContext) throws(StoreError) -> RevisionRecord? {
        try commit { () throws(StoreError) in try control.rollback(to: revision, by: context) }
    }

    /// Re-reads the configuration file (SIGHUP); nil when it did not change.
    public func reloadFile(text: String) throws(StoreError) -> RevisionRecord? {
        try commit { () throws(StoreError) in try control.reloadFile(text: text, now: clock()) }
    }

    private func commit(_ body: () throws(StoreError) -> RoutingControl.Committed) throws(StoreError) -> RevisionRecord? {
        let now = clock()
        return try registry.withLock { (reg: inout Registry) throws(StoreError) -> RevisionRecord? in
            let committed = try body()
            sync(&reg, now: now)
            persistRouting(committed.state)
            return committed.revision
        }
    }

    /// Aligns the statistics objects with the current snapshot and publishes the view. Called with
    /// the registry lock held, after every accepted change.
    func sync(_ reg: inout Registry, now: Double) {
        let snapshot = control.box.snapshot
        var next: [String: ExperimentStats] = [:]
        for experiment in snapshot.config.experiments {
            let weights = ExperimentStats.normalisedWeights(experiment)
            if let existing = reg.stats[experiment.name], existing.isCompatible(with: experiment) {
                next[experiment.name] = existing
                if reg.weights[experiment.name] != weights {
                    do { try existing.recorder.setWeights(weights, at: now) } catch {
                        log("experiment '\(experiment.name)': weights not recorded for the sample-ratio check: \(error)")
                    }
                }
            } else {
                do {
                    next[experiment.name] = try ExperimentStats(experiment: experiment, loops: loops, now: now)
                    if reg.stats[experiment.name] != nil {
                        log("experiment '\(experiment.name)': variants or metrics changed, statistics start afresh")
                    }
                } catch {
                    log("experiment '\(experiment.name)': no statistics: \(error)")
                }
            }
            reg.weights[experiment.name] = weights
        }
        for name in reg.stats.keys where next[name] == nil {
            reg.weights[name] = nil
            reg.baselines[name] = nil
            if let stateDirectory { try? FileManager.default.removeItem(at: stateDirectory.statsFile(experiment: name)) }
        }
        reg.stats = next
        refreshBaselines(&reg, store: control.current)
        publisher.publish(snapshot: snapshot, stats: next, signer: snapshot.tokenSigner ?? ownSigner)
    }

    // MARK: - Reads

    /// The statistics of an experiment, if it exists.
    public func stats(_ experiment: String) -> ExperimentStats? { publisher.view.stats(experiment) }

    /// The results document; nil for an unknown experiment.
    public func results(_ experiment: String) -> ExperimentResults? {
        stats(experiment)?.recorder.results(computedAt: clock())
    }

    public var now: Double { clock() }

    // MARK: - Persistence

    func persistRouting(_ state: Data) {
        guard let stateDirectory else { return }
        do { try stateDirectory.write(state, to: stateDirectory.routingFile) } catch {
            log("routing state NOT persisted (a restart would lose this change): \(error)")
        }
    }

    /// Writes every experiment's statistics snapshot (periodically and on shutdown).
    public func persistStatistics() {
        guard let stateDirectory else { return }
        for (name, stats) in registry.withLock({ $0.stats }) {
            do { try stateDirectory.write(Data(stats.recorder.snapshot()), to: stateDirectory.statsFile(experiment: name)) } catch {
                log("statistics of '\(name)' not persisted: \(error)")
            }
        }
    }
}

public struct ExperimentServiceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
