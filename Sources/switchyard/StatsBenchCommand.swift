import ArgumentParser
import Foundation
import SwitchyardStats

/// `switchyard bench-stats`: the two micro-benchmarks of the statistics engine (issue 6).
///   1. recording one request's metrics (latency, outcome class, score, label) on the request path;
///   2. computing a full results document for 5 variants × 5 metrics.
/// Prints ns/op against the targets (≤ 100 ns per request, ≤ 1 ms per document). Build with
/// `-c release`; debug figures mean nothing.
struct StatsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-stats",
        abstract: "Micro-benchmarks of the online statistics engine (recording and results).")

    @Option(help: "Requests recorded in the recording benchmark.")
    var requests: Int = 20_000_000

    @Option(help: "Results documents computed in the results benchmark.")
    var documents: Int = 2_000

    @Option(help: "Requests per variant recorded before the results benchmark.")
    var populate: Int = 200_000

    @Flag(help: "Print one results document summary after the benchmark.")
    var verbose = false

    func run() throws {
        let recordNs = try benchRecording()
        let documentNs = try benchResults()
        print("")
        print("benchmark                                   measured        target    verdict")
        print(row("record one request (ns/op)", recordNs, unit: "ns", target: 100))
        print(row("results document 5x5 (ns/op)", documentNs, unit: "ns", target: 1_000_000))
    }

    private func row(_ name: String, _ value: Double, unit: String, target: Double) -> String {
        let measured = formatted(value) + " " + unit
        let goal = "<= " + formatted(target) + " " + unit
        return name.padding(toLength: 44, withPad: " ", startingAt: 0)
            + measured.padding(toLength: 16, withPad: " ", startingAt: 0)
            + goal.padding(toLength: 14, withPad: " ", startingAt: 0)
            + (value <= target ? "PASS" : "FAIL")
    }

    private func formatted(_ x: Double) -> String {
        let rounded = (x * 10).rounded() / 10
        return rounded >= 1000 ? String(Int(rounded)) : String(rounded)
    }

    static func config() -> ExperimentStatsConfig {
        ExperimentStatsConfig(
            name: "bench", variants: ["control", "a", "b", "c", "d"], weights: [40, 15, 15, 15, 15],
            metrics: [
                MetricConfig(name: "converted", kind: .binary, minimumDetectableEffect: 0.05),
                MetricConfig(name: "clicked", kind: .binary, denominator: .events),
                MetricConfig(name: "revenue", kind: .continuous, minimumDetectableEffect: 0.02),
                MetricConfig(name: "session_seconds", kind: .continuous),
                MetricConfig(name: "latency_ms", kind: .continuous, higherIsBetter: false),
            ],
            labels: ["fraud", "legit", "review"])
    }

    /// A SplitMix64 stream for reproducible synthetic traffic.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    }

    func benchRecording() throws -> Double {
        let recorder = try ExperimentRecorder(config: Self.config(), loops: 2)
        // Pre-generated inputs so the loop measures recording, not the generator.
        var rng = SplitMix64(state: 1)
        let latencies = (0..<4096).map { _ in UInt64(200_000 + rng.next() % 50_000_000) }
        let scores = (0..<4096).map { _ in rng.unit() }
        let clock = ContinuousClock()
        for i in 0..<100_000 {  // warm-up: grows nothing later, fills caches
            try recorder.recordRequest(loop: 0, variant: i % 5, latencyNanos: latencies[i & 4095])
        }
        let start = clock.now
        for i in 0..<requests {
            let k = i & 4095
            try recorder.recordRequest(loop: 0, variant: i % 5, latencyNanos: latencies[k],
                                       outcome: k == 7 ? .serverError : .success, score: scores[k], label: k % 3)
        }
        let elapsed = clock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        let total = recorder.telemetry().variants.reduce(0) { $0 + $1.requests }
        print("recorded \(requests) requests (+100000 warm-up; total \(total)) in \(ns / 1e9) s")
        return ns / Double(requests)
    }

    func benchResults() throws -> Double {
        let config = Self.config()
        let recorder = try ExperimentRecorder(config: config, loops: 2)
        var rng = SplitMix64(state: 2)
        for v in 0..<5 {
            let n = v == 0 ? populate * 40 / 15 : populate
            for i in 0..<n {
                let loop = i & 1
                try recorder.recordRequest(loop: loop, variant: v, latencyNanos: UInt64(1_000_000 + rng.next() % 30_000_000),
                                           outcome: rng.unit() < 0.01 ? .serverError : .success, score: rng.unit(), label: i % 3)
                if i % 4 == 0 {
                    let lift = 1 + 0.02 * Double(v)
                    try recorder.recordOutcome(loop: loop, variant: v, metric: 0, value: rng.unit() < 0.1 * lift ? 1 : 0, eventID: nil)
                    try recorder.recordOutcome(loop: loop, variant: v, metric: 1, value: rng.unit() < 0.3 ? 1 : 0, eventID: nil)
                    let pre = 50 * rng.unit()
                    try recorder.recordOutcome(loop: loop, variant: v, metric: 2, value: pre * lift + 10 * rng.unit(),
                                               eventID: nil, covariate: pre)
                    try recorder.recordOutcome(loop: loop, variant: v, metric: 3, value: 100 * rng.unit(), eventID: nil)
                    try recorder.recordOutcome(loop: loop, variant: v, metric: 4, value: 20 + 5 * rng.unit(), eventID: nil)
                }
            }
        }
        var checksum = 0.0
        _ = recorder.results(computedAt: 0)
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<documents {
            let doc = recorder.results(computedAt: Double(i))
            checksum += doc.metrics[0].comparisons[0].alwaysValidP?.value ?? 0
        }
        let elapsed = clock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print("computed \(documents) results documents (5 variants x 5 metrics, 2 shards) in \(ns / 1e9) s (checksum \(checksum))")
        if verbose {
            let doc = recorder.results(computedAt: 0)
            for m in doc.metrics {
                for c in m.comparisons {
                    print("\(m.name) \(c.variant): lift \(c.absoluteLift ?? .nan) p \(c.p?.value ?? .nan) always-valid \(c.alwaysValidP?.value ?? .nan) -> \(c.verdict.rawValue)")
                }
            }
        }
        return ns / Double(documents)
    }
}
