import Foundation
import Synchronization
import Testing
import SwitchyardGateway

/// Changes through the admin API while traffic flows: refused changes leave the serving
/// configuration alone; accepted ones apply atomically and lose no request.
@Suite(.enabled(if: ExperimentGateway.available)) struct ConfigChangeTests {
    @Test func anInvalidChangeIsRefusedAndTheOldOneKeepsServing() throws {
        let g = try ExperimentGateway(config: ExperimentRoutingTests.abConfig); defer { g.stop(); g.removeFiles() }
        let revision = g.service.control.current.revision
        // Duplicate variant names, a negative weight, an override to a variant that does not exist.
        let bad = """
        name: ab
        variants:
          - { name: control, model: classifier, version: 1, weight: 50, control: true }
          - { name: control, model: classifier, version: 2, weight: -5 }
        overrides:
          - { header: x-q, value: "1", variant: ghost }
        """
        let r = try g.admin("PUT", "/admin/experiments/ab?reason=oops", json: bad)
        #expect(r.status == 422, "\(r.text)")
        #expect(r.text.contains("variants"), "\(r.text)")
        #expect(r.text.contains("line"), "the message points at the line: \(r.text)")
        let unknown = try g.admin("POST", "/admin/experiments/ab/weights", json: #"{"weights":{"ghost":10}}"#)
        #expect(unknown.status == 422, "\(unknown.text)")
        let malformed = try g.admin("POST", "/admin/experiments/ab/weights", json: #"{"weights":"#)
        #expect(malformed.status == 400)
        let negative = try g.admin("POST", "/admin/experiments/ab/weights", json: #"{"weights":{"control":-1}}"#)
        #expect(negative.status == 422)
        let zero = try g.admin("POST", "/admin/experiments/ab/weights", json: #"{"weights":{"control":0,"candidate":0}}"#)
        #expect(zero.status == 422, "\(zero.text)")
        #expect(g.service.control.current.revision == revision)
        // Still serving the old configuration.
        let served = try g.client().post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-force-variant": "candidate"])
        #expect(served.status == 200)
        #expect(served.headers["x-switchyard-variant"] == "candidate")
        // Nothing refused reached the audit log or the state directory's history.
        #expect(g.service.control.current.auditLog.count == 1)
    }

    @Test func concurrentChangesUnderLoadLoseNoRequest() throws {
        let g = try ExperimentGateway(config: ExperimentRoutingTests.abConfig); defer { g.stop(); g.removeFiles() }
        let clients = 4, perClient = 300
        let failures = Mutex<[String]>([])
        let served = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let port = g.port
        for worker in 0..<clients {
            Thread.detachNewThread {
                defer { done.wrappingAdd(1, ordering: .relaxed) }
                do {
                    let c = try HTTPTestClient(port: port)
                    for i in 0..<perClient {
                        let r = try c.post("/v2/models/ab/infer", json: ExperimentGateway.row, headers: ["x-user-id": "w\(worker)-\(i)"])
                        if r.status == 200, r.headers["x-switchyard-variant"] != nil { served.wrappingAdd(1, ordering: .relaxed) } else {
                            failures.withLock { $0.append("\(r.status) \(r.text)") }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        // Meanwhile: weight changes, a replacement of the experiment, a rollback.
        var changes = 0
        while done.load(ordering: .relaxed) < clients {
            let a = Int.random(in: 1...99)
            let r = try g.admin("POST", "/admin/experiments/ab/weights", json: #"{"weights":{"control":\#(a),"candidate":\#(100 - a)},"reason":"ramp"}"#)
            #expect(r.status == 200, "\(r.text)")
            changes += 1
            if changes % 10 == 0 {
                let back = try g.admin("POST", "/admin/rollback", json: #"{"revision":1,"reason":"back to the file"}"#)
                #expect(back.status == 200, "\(back.text)")
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })")
        #expect(served.load(ordering: .relaxed) == clients * perClient)
        let telemetry = try #require(g.service.stats("ab")).recorder.telemetry()
        #expect(telemetry.variants.reduce(0) { $0 + $1.requests } == UInt64(clients * perClient))
        #expect(changes > 0)
        // Every change got a revision, in order, and is in the audit log with who and why.
        let store = g.service.control.current
        #expect(store.auditLog.count == store.revision)
        #expect(store.auditLog.dropFirst().allSatisfy { $0.who == "alice" && !$0.why.isEmpty })
    }
}
