import Foundation
import Testing
import SwitchyardAdminAPI
import SwitchyardControl
import SwitchyardCore
import SwitchyardRouting
import SwitchyardStats

/// The client against a real loopback HTTP server that checks the token and dispatches with the
/// shared route table.
@Suite struct AdminClientTests {
    static let token = "s3cret-token"

    static func client(_ server: FakeAdminServer, token: String = token, timeout: Double = 5) throws -> AdminClient {
        AdminClient(endpoint: try AdminEndpoint(baseURL: server.base),
                    credentials: AdminCredentials(token: token, source: .option), timeout: timeout)
    }

    @Test func readsDecodeExactlyWhatTheServerEncoded() throws {
        let store = try Samples.store()
        let results = try Samples.results()
        let list = Samples.experimentList(store: store, results: results)
        var withEmpty = Samples.shadowReport()
        withEmpty.shadows.append(ShadowComparison(shadow: "not-run-yet"))   // empty latency: minNs is UInt64.max
        let shadow = withEmpty
        let revisions = Samples.revisions(store)
        let listJSON = try JSONEncoder().encode(list)
        let server = try FakeAdminServer { route, _ in
            switch route {
            case .listExperiments: return .json(.ok, Array(listJSON))
            case .showExperiment("fraud"): return FakeAdminServer.json(list.experiments[0])
            case .results("fraud"): return FakeAdminServer.json(results)
            case .shadow("fraud"): return FakeAdminServer.json(shadow)
            case .revisions: return FakeAdminServer.json(revisions)
            default: return .error(.notFound, "unexpected route \(route)")
            }
        }
        defer { server.stop() }
        let client = try Self.client(server)

        let gotList = try client.listExperiments()
        #expect(gotList.value == list)
        // `--json` prints exactly the bytes the gateway sent.
        #expect(gotList.json == listJSON)
        #expect(try client.experiment("fraud").value == list.experiments[0])
        #expect(try client.results("fraud").value == results)
        #expect(try client.shadow("fraud").value == shadow)
        #expect(try client.revisions().value == revisions)

        let seen = server.seen
        #expect(seen.map(\.method) == ["GET", "GET", "GET", "GET", "GET"])
        #expect(seen.map(\.target) == ["/admin/experiments", "/admin/experiments/fraud", "/admin/experiments/fraud/results",
                                       "/admin/experiments/fraud/shadow", "/admin/revisions"])
        #expect(seen.allSatisfy { $0.authorization == "Bearer \(Self.token)" && $0.accept == "application/json" && $0.body.isEmpty })
    }

    @Test func unboundedShadowDifferencesSurviveTheTrip() throws {
        var report = Samples.shadowReport()
        report.shadows[0].outputs["probabilities"]?.maxAbsDiff = .infinity
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let body = try encoder.encode(report)
        let server = try FakeAdminServer { _, _ in .json(.ok, Array(body)) }
        defer { server.stop() }
        let got = try Self.client(server).shadow("fraud").value
        #expect(got == report)
        #expect(Render.shadow(got).contains(" ∞ "))
    }

    @Test func auditFiltersTravelAsQueryParameters() throws {
        let store = try Samples.store()
        let entries = AuditList(entries: store.auditLog)
        let server = try FakeAdminServer { route, _ in
            route == .audit ? FakeAdminServer.json(entries) : .error(.notFound, "unexpected")
        }
        defer { server.stop() }
        let client = try Self.client(server)
        #expect(try client.audit().value == entries)
        #expect(server.last?.target == "/admin/audit")
        _ = try client.audit(experiment: "fraud tests/é", limit: 5)
        #expect(server.last?.target == "/admin/audit?experiment=fraud%20tests%2F%C3%A9&limit=5")
    }

    @Test func changesSendTheirBodiesAndReasons() throws {
        let server = try FakeAdminServer { route, request in
            switch route {
            case .setWeights("fraud"):
                let change = try? JSONDecoder().decode(WeightsChange.self, from: Data(request.body))
                let list = (change?.weights ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return FakeAdminServer.json(ChangeResult(revision: 7, message: "set weights of fraud: " + list.joined(separator: ", ")))
            case .canary("fraud", let command):
                return FakeAdminServer.json(ChangeResult(revision: nil, message: "canary \(command) on fraud"))
            case .putExperiment("fraud"), .deleteExperiment("fraud"):
                return FakeAdminServer.json(ChangeResult(revision: 8, message: "\(request.method) experiment fraud"))
            case .rollback:
                return FakeAdminServer.json(ChangeResult(revision: 9, message: "rollback to revision 2"))
            default:
                return .error(.notFound, "unexpected route \(route)")
            }
        }
        defer { server.stop() }
        let client = try Self.client(server)

        let weights = try client.setWeights("fraud", weights: ["control": 80, "candidate": 20], reason: "ramp")
        #expect(Render.change(weights.value) == "revision 7: set weights of fraud: candidate=20.0, control=80.0")
        var seen = try #require(server.last)
        #expect(seen.method == "POST" && seen.target == "/admin/experiments/fraud/weights")
        #expect(seen.contentType == "application/json")
        #expect(try JSONDecoder().decode(WeightsChange.self, from: Data(seen.body))
                == WeightsChange(weights: ["control": 80, "candidate": 20], reason: "ramp"))

        for command in CanaryCommand.allCases {
            let reply = try client.canary("fraud", command: command, reason: "operator \(command.rawValue)")
            #expect(reply.value == ChangeResult(revision: nil, message: "canary \(command.rawValue) on fraud"))
            seen = try #require(server.last)
            #expect(seen.method == "POST" && seen.target == "/admin/experiments/fraud/canary/\(command.rawValue)")
            #expect(try JSONDecoder().decode(ReasonBody.self, from: Data(seen.body)) == ReasonBody(reason: "operator \(command.rawValue)"))
        }

        let yaml = "name: fraud\nvariants: []\n"
        #expect(try client.putExperiment("fraud", document: yaml, reason: "ramp up & watch").value.revision == 8)
        seen = try #require(server.last)
        #expect(seen.method == "PUT" && seen.target == "/admin/experiments/fraud?reason=ramp%20up%20%26%20watch")
        #expect(seen.contentType == "application/yaml" && seen.bodyText == yaml)
        _ = try client.putExperiment("fraud", document: "  {\"name\": \"fraud\"}")
        #expect(server.last?.contentType == "application/json" && server.last?.target == "/admin/experiments/fraud")

        #expect(try client.deleteExperiment("fraud", reason: "done").value == ChangeResult(revision: 8, message: "DELETE experiment fraud"))
        #expect(server.last?.method == "DELETE" && server.last?.target == "/admin/experiments/fraud?reason=done")
        #expect(server.last?.body.isEmpty == true)

        #expect(try client.rollback(to: 2, reason: "bad ramp").value.revision == 9)
        seen = try #require(server.last)
        #expect(seen.method == "POST" && seen.target == "/admin/rollback")
        #expect(try JSONDecoder().decode(RollbackRequest.self, from: Data(seen.body)) == RollbackRequest(revision: 2, reason: "bad ramp"))
    }

    @Test func namesAreEscapedAndMatchBackOnTheServer() throws {
        let server = try FakeAdminServer { route, _ in .error(.notFound, "no experiment: \(route)") }
        defer { server.stop() }
        #expect(throws: AdminClientError.self) { try Self.client(server).experiment("fraud v2/eu") }
        #expect(server.last?.target == "/admin/experiments/fraud%20v2%2Feu")
        #expect(server.last?.route == .showExperiment("fraud v2/eu"))
    }

    @Test func aRefusedTokenIsUnauthorized() throws {
        let server = try FakeAdminServer { _, _ in FakeAdminServer.json(ExperimentList(revision: 1, experiments: [])) }
        defer { server.stop() }
        let client = AdminClient(endpoint: try AdminEndpoint(baseURL: server.base),
                                 credentials: AdminCredentials(token: "wrong", source: .file("/etc/token")), timeout: 5)
        let error = try #require(throws: AdminClientError.self) { try client.listExperiments() }
        #expect(error == .unauthorized(url: server.base, tokenSource: "--token-file /etc/token"))
        #expect(error.exitCode == 2)
        #expect(error.description.hasPrefix("the admin token was refused"))
        #expect(error.description.hasSuffix("pass --token or --token-file, or set SWITCHYARD_ADMIN_TOKEN"))
        #expect(server.last?.authorization == "Bearer wrong")
    }

    @Test func refusalsCarryTheServersMessageAndStatus() throws {
        let server = try FakeAdminServer { route, _ in
            switch route {
            case .showExperiment("nope"): return .error(.notFound, "no experiment named \"nope\"")
            case .setWeights: return .error(HTTPStatus(409), "experiment \"fraud\" has a running canary that owns its weights; pause or abort it first")
            case .rollback: return HTTPResponse(status: HTTPStatus(422), body: Array("revision 99 is not retained".utf8))
            case .revisions: return .json(.ok, "<html>not the admin API</html>")
            case .config: return HTTPResponse(status: HTTPStatus(502), body: Array("<html>\n  <h1>502 Bad Gateway</h1>\n</html>\n".utf8))
            default: return .error(.internalServerError, "boom")
            }
        }
        defer { server.stop() }
        let client = try Self.client(server)

        let missing = try #require(throws: AdminClientError.self) { try client.experiment("nope") }
        #expect(missing == .refused(status: 404, method: "GET", path: "/admin/experiments/nope", message: "no experiment named \"nope\""))
        #expect(missing.description == "GET /admin/experiments/nope failed with HTTP 404: no experiment named \"nope\"")
        #expect(missing.exitCode == 1)

        let conflict = try #require(throws: AdminClientError.self) { try client.setWeights("fraud", weights: ["candidate": 50]) }
        #expect(conflict.description.contains("HTTP 409: experiment \"fraud\" has a running canary"))

        let plain = try #require(throws: AdminClientError.self) { try client.rollback(to: 99) }
        #expect(plain == .refused(status: 422, method: "POST", path: "/admin/rollback", message: "revision 99 is not retained"))

        let proxyPage = try #require(throws: AdminClientError.self) { try client.config() }
        #expect(proxyPage.description == "GET /admin/config failed with HTTP 502: <html> <h1>502 Bad Gateway</h1> </html>")

        let garbage = try #require(throws: AdminClientError.self) { try client.revisions() }
        guard case .unexpectedResponse(let method, let path, let detail) = garbage else {
            Issue.record("expected unexpectedResponse, got \(garbage)")
            return
        }
        #expect(method == "GET" && path == "/admin/revisions" && detail.hasPrefix("not JSON"))
        #expect(garbage.exitCode == 1)
    }

    @Test func aWrongShapeNamesTheField() throws {
        let server = try FakeAdminServer { _, _ in .json(.ok, #"{"revision": 3, "experiments": [{"name": "fraud"}]}"#) }
        defer { server.stop() }
        let error = try #require(throws: AdminClientError.self) { try Self.client(server).listExperiments() }
        #expect(error.description.contains("experiments[0].revision: missing field"), "\(error)")
    }

    @Test func aClosedPortIsUnreachable() throws {
        let server = try FakeAdminServer { _, _ in .error(.notFound, "unused") }
        let base = server.base
        server.stop()
        let client = AdminClient(endpoint: try AdminEndpoint(baseURL: base),
                                 credentials: AdminCredentials(token: "t", source: .option), timeout: 5)
        let error = try #require(throws: AdminClientError.self) { try client.listExperiments() }
        #expect(error == .unreachable(url: base, reason: "connection refused"))
        #expect(error.description == "cannot reach the admin API at \(base): connection refused — "
                + "is `switchyard serve` running with its admin listener?")
        #expect(error.exitCode == 2)
    }

    @Test func aSilentServerTimesOut() throws {
        // Answers long after the client's timeout.
        let server = try FakeAdminServer { _, _ in
            Thread.sleep(forTimeInterval: 1.5)
            return FakeAdminServer.json(ExperimentList(revision: 1, experiments: []))
        }
        defer { server.stop() }
        let error = try #require(throws: AdminClientError.self) { try Self.client(server, timeout: 0.3).listExperiments() }
        #expect(error == .timedOut(url: server.base, seconds: 0.3))
        #expect(error.exitCode == 2)
    }

    @Test func badWeightsAreRefusedBeforeSending() throws {
        let server = try FakeAdminServer { _, _ in .error(.notFound, "unused") }
        defer { server.stop() }
        let client = try Self.client(server)
        #expect(throws: AdminClientError.invalidRequest("weight of candidate must be a finite number ≥ 0, got nan")) {
            try client.setWeights("fraud", weights: ["candidate": .nan])
        }
        #expect(throws: AdminClientError.self) { try client.setWeights("fraud", weights: [:]) }
        #expect(server.seen.isEmpty)
    }
}
