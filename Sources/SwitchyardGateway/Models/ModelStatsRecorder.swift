#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SwitchyardKServe

/// Triton's statistics extension counters for one model version.
///
/// Relaxed atomic adds: the counters are independent sums read for reporting only, so no ordering
/// between them is needed, and an add is a single instruction shared by the loops (no lock).
public final class ModelStatsRecorder: Sendable {
    let name: String
    let version: String
    private let inferenceCount = Atomic<UInt64>(0)
    private let executionCount = Atomic<UInt64>(0)
    private let successCount = Atomic<UInt64>(0)
    private let successNs = Atomic<UInt64>(0)
    private let failCount = Atomic<UInt64>(0)
    private let failNs = Atomic<UInt64>(0)
    private let queueNs = Atomic<UInt64>(0)
    private let inputNs = Atomic<UInt64>(0)
    private let inferNs = Atomic<UInt64>(0)
    private let outputNs = Atomic<UInt64>(0)
    private let lastInferenceMs = Atomic<UInt64>(0)

    init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// Records one successful request of `batch` rows and its phase durations (ns).
    func recordSuccess(batch: Int, total: UInt64, queue: UInt64, input: UInt64, infer: UInt64, output: UInt64) {
        inferenceCount.wrappingAdd(UInt64(max(batch, 1)), ordering: .relaxed)
        executionCount.wrappingAdd(1, ordering: .relaxed)
        successCount.wrappingAdd(1, ordering: .relaxed)
        successNs.wrappingAdd(total, ordering: .relaxed)
        queueNs.wrappingAdd(queue, ordering: .relaxed)
        inputNs.wrappingAdd(input, ordering: .relaxed)
        inferNs.wrappingAdd(infer, ordering: .relaxed)
        outputNs.wrappingAdd(output, ordering: .relaxed)
        lastInferenceMs.store(Self.wallMillis(), ordering: .relaxed)
    }

    func recordFailure(total: UInt64) {
        failCount.wrappingAdd(1, ordering: .relaxed)
        failNs.wrappingAdd(total, ordering: .relaxed)
    }

    public var snapshot: ModelStatistics {
        var s = ModelStatistics(name: name, version: version,
                                lastInference: lastInferenceMs.load(ordering: .relaxed),
                                inferenceCount: inferenceCount.load(ordering: .relaxed),
                                executionCount: executionCount.load(ordering: .relaxed))
        let ok = successCount.load(ordering: .relaxed)
        s.inferenceStats.success = StatisticDuration(count: ok, ns: successNs.load(ordering: .relaxed))
        s.inferenceStats.fail = StatisticDuration(count: failCount.load(ordering: .relaxed), ns: failNs.load(ordering: .relaxed))
        s.inferenceStats.queue = StatisticDuration(count: ok, ns: queueNs.load(ordering: .relaxed))
        s.inferenceStats.computeInput = StatisticDuration(count: ok, ns: inputNs.load(ordering: .relaxed))
        s.inferenceStats.computeInfer = StatisticDuration(count: ok, ns: inferNs.load(ordering: .relaxed))
        s.inferenceStats.computeOutput = StatisticDuration(count: ok, ns: outputNs.load(ordering: .relaxed))
        return s
    }

    static func wallMillis() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec / 1_000_000)
    }
}
