import Foundation
import Testing
@testable import SwitchyardRouting

@Suite struct ExperimentStoreTests {
    let twoVariants = """
    experiments:
      - name: fraud
        sticky: { header: x-user-id }
        variants:
          - { name: control, model: gbdt, version: 1, weight: 90 }
          - { name: candidate, model: mlp, version: 2, weight: 10 }
    """

    func store(_ text: String? = nil) throws -> ExperimentStore {
        try ExperimentStore(initial: ConfigParser.parse(text ?? twoVariants), by: ChangeContext(who: "test", at: 0))
    }

    func weights(_ store: ExperimentStore, _ name: String = "fraud") -> [String: Double] {
        Dictionary(uniqueKeysWithValues: store.config.experiment(named: name)!.variants.map { ($0.name, $0.weight) })
    }

    @Test func changesAreNumberedAndAudited() throws {
        var s = try store()
        #expect(s.revision == 1)
        let record = try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": 25, "control": 75]),
                                 by: ChangeContext(who: "alice", why: "ramp", at: 100))
        #expect(record.number == 2)
        #expect(s.revision == 2 && s.snapshot.revision == 2)
        #expect(s.snapshot.experiment(named: "fraud")?.weights == [75, 25])
        let audit = try #require(s.auditLog.last)
        #expect(audit.who == "alice" && audit.why == "ramp" && audit.when == 100 && audit.revision == 2)
        #expect(audit.what.contains("~ experiments[fraud].variants[candidate].weight: 10 → 25"), "\(audit.what)")
        #expect(audit.what.contains("~ experiments[fraud].variants[control].weight: 90 → 75"))
    }

    @Test func invalidChangeIsRefusedAndTheOldSnapshotKeepsServing() throws {
        var s = try store()
        let before = s.snapshot
        #expect(throws: StoreError.self) {
            try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": -1]), by: ChangeContext(who: "bob", at: 1))
        }
        #expect(throws: StoreError.unknownVariant(experiment: "fraud", variant: "nope")) {
            try s.apply(.setWeights(experiment: "fraud", weights: ["nope": 1]), by: ChangeContext(who: "bob", at: 1))
        }
        #expect(throws: StoreError.unknownExperiment("search")) {
            try s.apply(.deleteExperiment("search"), by: ChangeContext(who: "bob", at: 1))
        }
        var bad = try #require(s.config.experiment(named: "fraud"))
        bad.variants.removeLast()
        let error = #expect(throws: StoreError.self) { try s.apply(.putExperiment(bad), by: ChangeContext(who: "bob", at: 1)) }
        if case .invalid(let configError)? = error {
            #expect(configError.issues.first?.path == "experiments[0].variants")
        } else {
            Issue.record("expected a validation error, got \(String(describing: error))")
        }
        #expect(s.snapshot === before)
        #expect(s.revision == 1)
        #expect(s.auditLog.count == 1)
    }

    @Test func createReplaceDelete() throws {
        var s = try store()
        let search = try ConfigParser.parseExperiment("""
        name: search
        variants:
          - { name: a, model: bm25, version: 1, weight: 1 }
          - { name: b, model: dense, version: 1, weight: 1 }
        """)
        try s.apply(.putExperiment(search), by: ChangeContext(who: "a", at: 1))
        #expect(s.snapshot.experiment(named: "search") != nil)
        var replaced = search
        replaced.variants[1].weight = 3
        try s.apply(.putExperiment(replaced), by: ChangeContext(who: "a", at: 2))
        #expect(s.snapshot.experiment(named: "search")?.weights == [1, 3])
        #expect(s.config.experiments.count == 2)
        try s.apply(.deleteExperiment("search"), by: ChangeContext(who: "a", at: 3))
        #expect(s.snapshot.experiment(named: "search") == nil)
        #expect(s.revision == 4)
        #expect(s.auditLog.last?.what.contains("- experiments[search]") == true)
    }

    @Test func rollbackToRevision() throws {
        var s = try store()
        try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": 50, "control": 50]), by: ChangeContext(who: "a", at: 1))
        try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": 100, "control": 0]), by: ChangeContext(who: "a", at: 2))
        let record = try s.rollback(to: 2, by: ChangeContext(who: "oncall", why: "bad", at: 3))
        #expect(record.number == 4)
        #expect(weights(s) == ["control": 50, "candidate": 50])
        #expect(s.auditLog.last?.action == "rollback to revision 2")
        try s.rollback(to: 1, by: ChangeContext(who: "oncall", at: 4))
        #expect(weights(s) == ["control": 90, "candidate": 10])
        #expect(throws: StoreError.revisionNotRetained(requested: 99, oldest: 1, newest: 5)) {
            try s.rollback(to: 99, by: ChangeContext(who: "oncall", at: 5))
        }
    }

    @Test func historyIsBounded() throws {
        var s = try ExperimentStore(initial: ConfigParser.parse(twoVariants), by: ChangeContext(who: "t", at: 0), historyLimit: 3)
        for i in 1...5 {
            try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": Double(i)]), by: ChangeContext(who: "t", at: Double(i)))
        }
        #expect(s.revisions.map(\.number) == [4, 5, 6])
        #expect(throws: StoreError.revisionNotRetained(requested: 2, oldest: 4, newest: 6)) {
            try s.rollback(to: 2, by: ChangeContext(who: "t", at: 9))
        }
        #expect(s.auditLog.count == 6, "the audit log keeps more than the revisions")
    }

    @Test func persistenceRoundTrip() throws {
        var s = try store(exampleYAML)
        try s.apply(.canary(experiment: "fraud", command: .pause), by: ChangeContext(who: "a", why: "lunch", at: 5))
        let bytes = try s.encoded()
        let restored = try ExperimentStore(decoding: bytes)
        #expect(restored.revision == s.revision)
        #expect(restored.config == s.config)
        #expect(restored.canaries == s.canaries)
        #expect(restored.auditLog == s.auditLog)
        #expect(restored.revisions == s.revisions)
        #expect(restored.historyLimit == s.historyLimit)
        #expect(try restored.encoded() == bytes)
    }

    @Test func corruptStateIsReported() {
        #expect(throws: StoreError.self) { try ExperimentStore(decoding: Data("not json".utf8)) }
        #expect(throws: StoreError.self) {
            try ExperimentStore(decoding: Data(#"{"format":1,"history_limit":5,"revisions":[],"audit":[],"canaries":{}}"#.utf8))
        }
        let badConfig = #"{"format":1,"history_limit":5,"revisions":[{"number":1,"config":"experiments: [{name: x}]","audit":{"who":"a","when":0,"why":"","action":"x","what":""}}],"audit":[],"canaries":{}}"#
        let error = #expect(throws: StoreError.self) { try ExperimentStore(decoding: Data(badConfig.utf8)) }
        #expect(error?.description.contains("revision 1") == true)
    }

    @Test func startUpRule() throws {
        // 1. Fresh.
        let (first, decision) = try ExperimentStore.startUp(fileText: twoVariants, persisted: nil, now: 0)
        #expect(decision == .fresh)
        #expect(first.baseFileHash == ExperimentStore.fileHash(twoVariants))
        // A run-time change, persisted.
        var running = first
        try running.apply(.setWeights(experiment: "fraud", weights: ["candidate": 30, "control": 70]), by: ChangeContext(who: "a", at: 1))
        let state = try running.encoded()
        // 2. Same file: continue from the stored revision.
        let (continued, d2) = try ExperimentStore.startUp(fileText: twoVariants, persisted: state, now: 2)
        #expect(d2 == .continued)
        #expect(continued.revision == 2)
        #expect(weights(continued) == ["control": 70, "candidate": 30])
        // 3. Edited file: it wins as a new revision; history kept.
        let edited = twoVariants.replacingOccurrences(of: "weight: 90", with: "weight: 80")
            .replacingOccurrences(of: "weight: 10", with: "weight: 20")
        let (changed, d3) = try ExperimentStore.startUp(fileText: edited, persisted: state, now: 3)
        #expect(d3 == .fileChanged)
        #expect(changed.revision == 3)
        #expect(weights(changed) == ["control": 80, "candidate": 20])
        #expect(changed.auditLog.last?.who == "config-file")
        #expect(changed.revisions.map(\.number) == [1, 2, 3])
        #expect(changed.baseFileHash == ExperimentStore.fileHash(edited))
        // 4. Broken file with stored state: keep serving the state, report the file.
        let (kept, d4) = try ExperimentStore.startUp(fileText: "experiments: [{name: x}]", persisted: state, now: 4)
        guard case .fileRejected(let error) = d4 else { Issue.record("expected fileRejected, got \(d4)"); return }
        #expect(!error.issues.isEmpty)
        #expect(kept.revision == 2)
        // Broken file without state: an error.
        #expect(throws: StoreError.self) { try ExperimentStore.startUp(fileText: "experiments: 5", persisted: nil, now: 0) }
        // No file: state only.
        #expect(try ExperimentStore.startUp(fileText: nil, persisted: state, now: 5).decision == .stateOnly)
    }

    @Test func reloadingTheSameFileIsANoOp() throws {
        var (s, _) = try ExperimentStore.startUp(fileText: twoVariants, persisted: nil, now: 0)
        #expect(try s.reloadFile(text: twoVariants, now: 1) == nil)
        #expect(s.revision == 1)
        #expect(throws: StoreError.self) { try s.reloadFile(text: "experiments: nope", now: 2) }
        #expect(s.revision == 1)
    }
}

@Suite struct StoreCanaryTests {
    let canaryYAML = """
    experiments:
      - name: fraud
        variants:
          - { name: control, model: gbdt, version: 1, weight: 90 }
          - { name: candidate, model: mlp, version: 2, weight: 10 }
        canary:
          variant: candidate
          steps: [5, 10, 25, 50, 100]
          interval: 30s
          gates: { min_requests: 100, max_error_rate_delta: 0.01, max_p99_latency_ratio: 1.25 }
    """
    let good = VariantWindow(requests: 1000, errors: 1, p50Ns: 5e6, p99Ns: 20e6)

    func candidateWeight(_ s: ExperimentStore) -> Double? {
        s.config.experiment(named: "fraud")?.variants.first { $0.name == "candidate" }?.weight
    }

    @Test func canaryStartsAtItsFirstStepAndIsPromoted() throws {
        var s = try ExperimentStore(initial: ConfigParser.parse(canaryYAML), by: ChangeContext(who: "t", at: 0))
        #expect(candidateWeight(s) == 5)
        #expect(s.canaries["fraud"]?.status == .running)
        #expect(s.canariesDue(now: 29).isEmpty)
        #expect(s.canariesDue(now: 30) == ["fraud"])
        var now = 0.0
        var seen: [Double] = []
        while s.canaries["fraud"]?.status == .running {
            now += 30
            let (verdict, record) = try s.evaluateCanary(experiment: "fraud", now: now, candidate: good, control: good)
            #expect(verdict == .advanced || verdict == .promoted)
            #expect(record?.audit.who == "canary")
            seen.append(candidateWeight(s) ?? -1)
        }
        // Passing at 50 % promotes: the 100 % step is the promotion itself.
        #expect(seen == [10, 25, 50, 100])
        let fraud = try #require(s.config.experiment(named: "fraud"))
        #expect(fraud.variants[fraud.controlIndex].name == "candidate", "the candidate became the control")
        #expect(fraud.canary == nil)
        #expect(s.canaries["fraud"]?.status == .promoted)
    }

    @Test func injectedErrorsRollBackWithTheReasonInTheAuditLog() throws {
        var s = try ExperimentStore(initial: ConfigParser.parse(canaryYAML), by: ChangeContext(who: "t", at: 0))
        _ = try s.evaluateCanary(experiment: "fraud", now: 30, candidate: good, control: good)
        #expect(candidateWeight(s) == 10)
        let broken = VariantWindow(requests: 1000, errors: 200, p50Ns: 5e6, p99Ns: 20e6)
        let (verdict, record) = try s.evaluateCanary(experiment: "fraud", now: 60, candidate: broken, control: good)
        #expect(verdict == .rolledBack)
        #expect(candidateWeight(s) == 0)
        let audit = try #require(record?.audit)
        #expect(audit.who == "canary")
        #expect(audit.why.contains("error_rate_delta"), "\(audit.why)")
        #expect(audit.what.contains("variants[candidate].weight: 10 → 0"))
        #expect(s.snapshot.experiment(named: "fraud")?.weights == [100, 0])
    }

    @Test func notYetChangesNoRevision() throws {
        var s = try ExperimentStore(initial: ConfigParser.parse(canaryYAML), by: ChangeContext(who: "t", at: 0))
        let (verdict, record) = try s.evaluateCanary(experiment: "fraud", now: 30, candidate: .empty, control: .empty)
        #expect(verdict == .notYet)
        #expect(record == nil)
        #expect(s.revision == 1)
        #expect(s.canaries["fraud"]?.lastEvaluation?.verdict == .notYet)
    }

    @Test func runningCanaryOwnsTheWeights() throws {
        var s = try ExperimentStore(initial: ConfigParser.parse(canaryYAML), by: ChangeContext(who: "t", at: 0))
        #expect(throws: StoreError.canaryRunning("fraud")) {
            try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": 50]), by: ChangeContext(who: "a", at: 1))
        }
        // Replacing the experiment (e.g. new gates) keeps the canary's step weights.
        var body = try #require(s.config.experiment(named: "fraud"))
        body.variants[0].weight = 90
        body.variants[1].weight = 10
        body.canary?.gates.minRequests = 50
        try s.apply(.putExperiment(body), by: ChangeContext(who: "a", at: 2))
        #expect(candidateWeight(s) == 5)
        try s.apply(.canary(experiment: "fraud", command: .pause), by: ChangeContext(who: "a", at: 3))
        try s.apply(.setWeights(experiment: "fraud", weights: ["candidate": 50, "control": 50]), by: ChangeContext(who: "a", at: 4))
        #expect(candidateWeight(s) == 50)
        try s.apply(.canary(experiment: "fraud", command: .resume), by: ChangeContext(who: "a", at: 5))
        #expect(candidateWeight(s) == 5, "resume re-asserts the step")
        try s.apply(.canary(experiment: "fraud", command: .abort), by: ChangeContext(who: "a", why: "rehearsal", at: 6))
        #expect(candidateWeight(s) == 0)
        #expect(s.auditLog.last?.action == "canary abort on fraud")
        #expect(throws: StoreError.self) {
            try s.apply(.canary(experiment: "fraud", command: .pause), by: ChangeContext(who: "a", at: 7))
        }
    }

    @Test func rollbackPausesARunningCanary() throws {
        var s = try ExperimentStore(initial: ConfigParser.parse(canaryYAML), by: ChangeContext(who: "t", at: 0))
        _ = try s.evaluateCanary(experiment: "fraud", now: 30, candidate: good, control: good)
        try s.rollback(to: 1, by: ChangeContext(who: "oncall", at: 40))
        #expect(candidateWeight(s) == 5)
        #expect(s.canaries["fraud"]?.status == .paused)
        #expect(s.canaries["fraud"]?.history.last?.reason == "paused by rollback to revision 1")
    }
}
