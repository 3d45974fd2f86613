import Foundation
import Testing
import SwitchyardAdminAPI
import SwitchyardControl
import SwitchyardCore
import SwitchyardStats

/// The real `switchyard ctl` binary against the loopback admin server: output, `--json`, stderr
/// messages and exit codes, as a script would see them.
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/switchyard").path
    static var built: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `switchyard ctl ARGS` in an empty directory (no default token file) with a clean
    /// environment apart from `environment`.
    static func ctl(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["ctl"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                   stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static func server() throws -> (FakeAdminServer, list: ExperimentList, results: ExperimentResults, json: Data) {
        let store = try Samples.store()
        let results = try Samples.results()
        let list = Samples.experimentList(store: store, results: results)
        let listJSON = try JSONEncoder().encode(list)
        let server = try FakeAdminServer { route, request in
            switch route {
            case .listExperiments: return .json(.ok, Array(listJSON))
            case .showExperiment(let name): return .error(.notFound, "no experiment named \"\(name)\"")
            case .results("fraud"): return FakeAdminServer.json(results)
            case .putExperiment(let name):
                return FakeAdminServer.json(ChangeResult(revision: 8, message: "put experiment \(name)"))
            case .setWeights("fraud"):
                return .error(HTTPStatus(409), "experiment \"fraud\" has a running canary that owns its weights; pause or abort it first")
            case .canary("fraud", "pause"): return FakeAdminServer.json(ChangeResult(revision: nil, message: "canary pause on fraud"))
            default: return .error(.notFound, "unexpected \(request.method) \(request.head.target)")
            }
        }
        return (server, list, results, listJSON)
    }

    @Test(.enabled(if: built)) func tablesJSONAndExitCodes() throws {
        let (server, list, _, listJSON) = try Self.server()
        defer { server.stop() }
        let common = ["--admin", server.base]

        // A proxy in the environment is not used: admin traffic (and its token) goes straight to the gateway.
        let table = try Self.ctl(["experiments"] + common, environment: ["SWITCHYARD_ADMIN_TOKEN": "s3cret-token",
                                                                         "http_proxy": "http://127.0.0.1:1",
                                                                         "ALL_PROXY": "http://127.0.0.1:1"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout == Render.experiments(list) + "\n")
        #expect(table.stderr.isEmpty)

        let json = try Self.ctl(["experiments", "--json", "--token", "s3cret-token"] + common)
        #expect(json.status == 0)
        #expect(json.stdout == JSONPretty.format(listJSON) + "\n")
        #expect(try JSONDecoder().decode(ExperimentList.self, from: Data(json.stdout.utf8)) == list)

        // Common options may also come before the subcommand.
        let before = try Self.ctl(common + ["--json", "--token", "s3cret-token", "experiments"])
        #expect(before.status == 0 && before.stdout == json.stdout, "\(before.stderr)")

        let refused = try Self.ctl(["experiments", "--token", "wrong"] + common)
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("the admin token was refused") && refused.stderr.contains("(token from --token)"))

        let missing = try Self.ctl(["show", "nope", "--token", "s3cret-token"] + common)
        #expect(missing.status == 1)
        #expect(missing.stderr == "switchyard ctl: GET /admin/experiments/nope failed with HTTP 404: no experiment named \"nope\"\n")

        let conflict = try Self.ctl(["set-weights", "fraud", "control=50", "candidate=50", "--reason", "even", "--token", "s3cret-token"] + common)
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("HTTP 409: experiment \"fraud\" has a running canary"))
        #expect(try JSONDecoder().decode(WeightsChange.self, from: Data(server.last!.body))
                == WeightsChange(weights: ["control": 50, "candidate": 50], reason: "even"))

        let pause = try Self.ctl(["pause", "fraud", "--reason", "investigating", "--token", "s3cret-token"] + common)
        #expect(pause.status == 0 && pause.stdout == "canary pause on fraud\n")
        #expect(server.last?.bodyText == #"{"reason":"investigating"}"#)
    }

    @Test(.enabled(if: built)) func unreachableGatewayExitsWithTwo() throws {
        let (server, _, _, _) = try Self.server()
        let base = server.base
        server.stop()
        let run = try Self.ctl(["history", "--admin", base, "--token", "t"])
        #expect(run.status == 2)
        #expect(run.stderr == "switchyard ctl: cannot reach the admin API at \(base): connection refused — "
                + "is `switchyard serve` running with its admin listener?\n")
        let noToken = try Self.ctl(["history", "--admin", base])
        #expect(noToken.status == 2 && noToken.stderr.contains("no admin token"))
    }

    @Test(.enabled(if: built)) func applySendsTheFileWithTheReason() throws {
        let (server, _, _, _) = try Self.server()
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-apply-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let yaml = """
        name: fraud
        variants:
          - { name: control, model: m, version: 1, weight: 80 }
          - { name: candidate, model: m, version: 2, weight: 20 }
        """
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let tokenFile = file.path + ".token"
        try "s3cret-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }

        let run = try Self.ctl(["apply", file.path, "--reason", "ramp to 20%", "--admin", server.base, "--token-file", tokenFile])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "revision 8: put experiment fraud\n")
        #expect(server.last?.target == "/admin/experiments/fraud?reason=ramp%20to%2020%25")
        #expect(server.last?.bodyText == yaml && server.last?.contentType == "application/yaml")

        // From standard input; a broken document is refused locally (nothing sent), exit 1.
        let before = server.seen.count
        let broken = try Self.ctl(["apply", "-", "--admin", server.base, "--token-file", tokenFile],
                                  stdin: yaml.replacingOccurrences(of: "weight: 20", with: "weight: -20"))
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("switchyard ctl: <stdin>: variants[1].weight"), "\(broken.stderr)")
        #expect(server.seen.count == before)
    }

    @Test(.enabled(if: built)) func resultsWatchRedrawsCountTimes() throws {
        let (server, _, results, _) = try Self.server()
        defer { server.stop() }
        let run = try Self.ctl(["results", "fraud", "--watch", "--interval", "0.05", "--count", "3",
                                "--admin", server.base, "--token", "s3cret-token"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(server.seen.count == 3)
        let table = Render.results(results)
        #expect(run.stdout.components(separatedBy: table).count == 4)
        #expect(run.stdout.contains("(draw 3 of 3)"))
        #expect(!run.stdout.contains("\u{1B}"))   // not a terminal: no screen clearing

        let lines = try Self.ctl(["results", "fraud", "--count", "2", "--interval", "0.05", "--json",
                                  "--admin", server.base, "--token", "s3cret-token"])
        let documents = lines.stdout.split(separator: "\n")
        #expect(documents.count == 2)
        for d in documents { #expect(try JSONDecoder().decode(ExperimentResults.self, from: Data(d.utf8)) == results) }
    }
}
