import Foundation
import Synchronization
import Testing
@testable import SwitchyardRouting

@Suite struct RoutingControlTests {
    @Test func theSchemaExampleParses() throws {
        let config = try ConfigParser.parse(RoutingConfig.exampleYAML)
        let fraud = try #require(config.experiment(named: "fraud"))
        #expect(fraud.effectiveSalt == "fraud-2024")
        #expect(fraud.controlIndex == 0)
        #expect(fraud.canary?.gates.significance?.require == .noWorse)
        #expect(fraud.metrics.last?.score == "probabilities")
        #expect(config.tokens?.previous.map(\.keyID) == ["k0"])
        _ = try RoutingSnapshot(revision: 1, config: config)
    }

    @Test func auditDiffNeverShowsSecrets() throws {
        let old = try ConfigParser.parse(RoutingConfig.exampleYAML)
        var new = old
        new.tokens?.current.secret = "a brand new secret value"
        let diff = ConfigDiff.text(from: old, to: new)
        #expect(diff == "~ tokens.secret: <redacted> → <redacted>")
        #expect(!diff.contains("brand new"))
    }

    @Test func publishesOnlyAcceptedChangesInOrder() throws {
        let store = try ExperimentStore(initial: RoutingConfig(experiments: [experiment("e", weights: [50, 50])]),
                                        by: ChangeContext(who: "t", at: 0))
        let control = RoutingControl(store)
        let first = control.box.snapshot
        #expect(throws: StoreError.self) {
            try control.apply(.setWeights(experiment: "e", weights: ["v0": -1]), by: ChangeContext(who: "t", at: 1))
        }
        #expect(control.box.snapshot === first)
        let committed = try control.apply(.setWeights(experiment: "e", weights: ["v0": 10]), by: ChangeContext(who: "t", at: 2))
        #expect(committed.revision?.number == 2)
        #expect(control.box.snapshot.revision == 2)
        #expect(try ExperimentStore(decoding: committed.state).revision == 2)
    }

    @Test func concurrentChangesLoseNothing() throws {
        let store = try ExperimentStore(initial: RoutingConfig(experiments: [experiment("e", weights: [50, 50])]),
                                        by: ChangeContext(who: "t", at: 0), historyLimit: 1000)
        let control = RoutingControl(store)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<20 {
                do {
                    _ = try control.apply(.setWeights(experiment: "e", weights: ["v0": Double(worker * 100 + i)]),
                                          by: ChangeContext(who: "w\(worker)", at: Double(i)))
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
                let snapshot = control.box.snapshot
                if snapshot.experiment(named: "e") == nil { failures.add(1, ordering: .relaxed) }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        let final = control.current
        #expect(final.revision == 161)
        #expect(final.revisions.map(\.number) == Array(1...161))
        #expect(control.box.snapshot.revision == 161)
    }
}
