import Foundation
import Testing
import SwitchyardAdminAPI
import SwitchyardGateway
import SwitchyardStats

/// The admin listener: authentication, every endpoint, revisions, audit, rollback, and how the
/// configuration file and the stored revisions relate across restarts.
@Suite(.enabled(if: ExperimentGateway.available)) struct AdminAPITests {
    static let decoder = JSONDecoder()

    @Test func requestsWithoutTheTokenAreRefused() throws {
        let g = try ExperimentGateway(config: ExperimentRoutingTests.abConfig); defer { g.stop(); g.removeFiles() }
        let c = try g.adminClient()
        #expect(try c.request("GET", "/admin/experiments").status == 401)
        let wrong = try c.request("GET", "/admin/experiments", headers: ["authorization": "Bearer \(ExperimentGateway.adminToken)x"])
        #expect(wrong.status == 401)
        #expect(wrong.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        let basic = try c.request("GET", "/admin/experiments", headers: ["authorization": "Basic YWxpY2U6eA=="])
        #expect(basic.status == 401)
        // A refused request changes nothing.
        let put = try c.request("DELETE", "/admin/experiments/ab")
        #expect(put.status == 401)
        #expect(g.service.control.current.config.experiment(named: "ab") != nil)
    }

    @Test func listShowCreateReplaceDeleteAndTheAuditTrail() throws {
        let g = try ExperimentGateway(config: ExperimentRoutingTests.abConfig); defer { g.stop(); g.removeFiles() }
        let list = try Self.decoder.decode(ExperimentList.self, from: Data(try g.admin("GET", "/admin/experiments").body))
        #expect(list.revision == 1)
        #expect(list.experiments.map(\.name) == ["ab"])
        #expect(list.experiments[0].variants.map(\.share) == [0.5, 0.5])
        #expect(list.experiments[0].sticky == "header x-user-id")

        let created = try g.admin("PUT", "/admin/experiments/new?reason=try%20v2", json: """
        {"name": "new", "variants": [{"name": "a", "model": "classifier", "version": 1, "weight": 3, "control": true},
                                      {"name": "b", "model": "classifier", "version": 2, "weight": 1}]}
        """)
        #expect(created.status == 200, "\(created.text)")
        let result = try Self.decoder.decode(ChangeResult.self, from: Data(created.body))
        #expect(result.revision == 2)
        #expect(result.message.contains("created experiment new"))
        let show = try Self.decoder.decode(ExperimentView.self, from: Data(try g.admin("GET", "/admin/experiments/new").body))
        #expect(show.variants.map(\.share) == [0.75, 0.25])
        // The new experiment serves at once.
        let served = try g.client().post("/v2/models/new/infer", json: ExperimentGateway.row)
        #expect(served.headers["x-switchyard-experiment"] == "new")

        let mismatch = try g.admin("PUT", "/admin/experiments/other", json: #"{"name":"new","variants":[]}"#)
        #expect(mismatch.status == 422)
        let weights = try g.admin("POST", "/admin/experiments/new/weights", json: #"{"weights":{"b":3},"reason":"more b"}"#)
        #expect(weights.status == 200, "\(weights.text)")
        #expect(try g.admin("DELETE", "/admin/experiments/new?reason=done").status == 200)
        #expect(try g.admin("GET", "/admin/experiments/new").status == 404)
        #expect(try g.admin("DELETE", "/admin/experiments/new").status == 404)
        #expect(try g.client().post("/v2/models/new/infer", json: ExperimentGateway.row).status == 404)

        let audit = try Self.decoder.decode(AuditList.self, from: Data(try g.admin("GET", "/admin/audit?experiment=new").body))
        #expect(audit.entries.map(\.who) == ["alice", "alice", "alice"])
        #expect(audit.entries.map(\.why) == ["try v2", "more b", "done"])
        #expect(audit.entries[1].what.contains("weight"), "\(audit.entries[1].what)")
        let limited = try Self.decoder.decode(AuditList.self, from: Data(try g.admin("GET", "/admin/audit?limit=1").body))
        #expect(limited.entries.count == 1)
        #expect(try g.admin("GET", "/admin/audit?limit=zero").status == 400)

        let history = try Self.decoder.decode(RevisionList.self, from: Data(try g.admin("GET", "/admin/revisions").body))
        #expect(history.current == 4)
        #expect(history.revisions.map(\.number) == [1, 2, 3, 4])
        // Roll back to revision 3: the experiment comes back with b at weight 3, as revision 5.
        let back = try g.admin("POST", "/admin/rollback", json: #"{"revision":3,"reason":"undo delete"}"#)
        #expect(back.status == 200, "\(back.text)")
        #expect(try Self.decoder.decode(ChangeResult.self, from: Data(back.body)).revision == 5)
        #expect(g.service.control.current.config.experiment(named: "new")?.variants[1].weight == 3)
        #expect(try g.admin("POST", "/admin/rollback", json: #"{"revision":99}"#).status == 404)
        #expect(try g.admin("GET", "/admin/nothing").status == 404)
        #expect(try g.admin("PATCH", "/admin/experiments/new").status == 405)
    }

    @Test func configAndResultsEndpoints() throws {
        let config = "tokens: { key_id: k1, secret: \"a secret of at least sixteen bytes\" }\n" + ExperimentRoutingTests.abConfig
        let g = try ExperimentGateway(config: config); defer { g.stop(); g.removeFiles() }
        let whole = try g.admin("GET", "/admin/config")
        #expect(whole.status == 200)
        #expect(!whole.text.contains("sixteen"), "secrets are never echoed")
        #expect(whole.text.contains("<redacted>"))
        let one = try g.admin("GET", "/admin/experiments/ab/config")
        #expect(one.text.contains("\"sticky\""))
        _ = try g.client().post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": "u"])
        let results = try g.admin("GET", "/admin/experiments/ab/results")
        let document = try Self.decoder.decode(ExperimentResults.self, from: Data(results.body))
        #expect(document.variants.reduce(0) { $0 + $1.summary.requests } == 1)
        #expect(try g.admin("GET", "/admin/experiments/zz/results").status == 404)
    }

    @Test func aRestartContinuesFromTheStoredRevisionUntilTheFileChanges() throws {
        let first = try ExperimentGateway(config: ExperimentRoutingTests.abConfig)
        #expect(try first.admin("POST", "/admin/experiments/ab/weights", json: #"{"weights":{"control":80,"candidate":20}}"#).status == 200)
        first.stop()
        // Same file: the run-time change survives.
        let second = try ExperimentGateway(config: ExperimentRoutingTests.abConfig, restarting: first)
        #expect(second.service.startUpDecision == .continued)
        #expect(second.service.control.current.revision == 2)
        #expect(second.service.control.current.config.experiment(named: "ab")?.variants[0].weight == 80)
        second.stop()
        // Edited file: it becomes a new revision on top of the history.
        let edited = ExperimentRoutingTests.abConfig.replacingOccurrences(of: "weight: 50, control: true", with: "weight: 60, control: true")
        let third = try ExperimentGateway(config: edited, restarting: second)
        #expect(third.service.startUpDecision == .fileChanged)
        #expect(third.service.control.current.revision == 3)
        #expect(third.service.control.current.config.experiment(named: "ab")?.variants[0].weight == 60)
        third.stop()
        // A broken file does not take the gateway down: it continues from the stored state.
        let fourth = try ExperimentGateway(config: "experiments: [ {name: 3} ]", restarting: third)
        defer { fourth.stop(); fourth.removeFiles() }
        if case .fileRejected = fourth.service.startUpDecision {} else { Issue.record("expected fileRejected, got \(fourth.service.startUpDecision)") }
        #expect(fourth.service.control.current.revision == 3)
        #expect(try fourth.client().post("/v2/models/ab/infer", json: ExperimentGateway.row).status == 200)
    }
}
