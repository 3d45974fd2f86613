#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SwitchyardKServe

/// Triton's statistics extension counters for one model version.
///
/// Relaxed atomic adds: the counters are independent sums read for reporting only, so no ordering
/// between them is needed. They are sharded by event loop: with one shared set, every request on
/// every loop made eight locked adds to the same cache lines, which then moved between cores on
/// each request. A shard is only written by the loops whose index maps to it (one loop per shard
/// unless there are more loops than shards; the adds stay atomic either way), and a snapshot sums
/// the shards.
public final class ModelStatsRecorder: Sendable {
    let name: String
    let version: String
    private let shards: [Shard]

    /// Loops 0..<shardCount each have their own shard.
    static let shardCount = 16

    init(name: String, version: String) {
        self.name = name
        self.version = version
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    /// One loop's counters, padded so that two shards never share a cache line.
    private final class Shard: Sendable {
        let inferenceCount = Atomic<UInt64>(0)
        let executionCount = Atomic<UInt64>(0)
        let successCount = Atomic<UInt64>(0)
        let successNs = Atomic<UInt64>(0)
        let failCount = Atomic<UInt64>(0)
        let failNs = Atomic<UInt64>(0)
        let queueNs = Atomic<UInt64>(0)
        let inputNs = Atomic<UInt64>(0)
        let inferNs = Atomic<UInt64>(0)
        let outputNs = Atomic<UInt64>(0)
        let lastInferenceMs = Atomic<UInt64>(0)
        /// 96 bytes after the counters, more than a cache line between two shards' counters.
        private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
            = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    }

    private func shard(_ loop: Int) -> Shard { shards[loop & (Self.shardCount - 1)] }

    /// Records one successful request of `batch` rows and its phase durations (ns), answered on
    /// event loop `loop`.
    func recordSuccess(loop: Int, batch: Int, total: UInt64, queue: UInt64, input: UInt64, infer: UInt64, output: UInt64) {
        let s = shard(loop)
        s.inferenceCount.wrappingAdd(UInt64(max(batch, 1)), ordering: .relaxed)
        s.executionCount.wrappingAdd(1, ordering: .relaxed)
        s.successCount.wrappingAdd(1, ordering: .relaxed)
        s.successNs.wrappingAdd(total, ordering: .relaxed)
        s.queueNs.wrappingAdd(queue, ordering: .relaxed)
        s.inputNs.wrappingAdd(input, ordering: .relaxed)
        s.inferNs.wrappingAdd(infer, ordering: .relaxed)
        s.outputNs.wrappingAdd(output, ordering: .relaxed)
        s.lastInferenceMs.store(Self.wallMillis(), ordering: .relaxed)
    }

    func recordFailure(loop: Int, total: UInt64) {
        let s = shard(loop)
        s.failCount.wrappingAdd(1, ordering: .relaxed)
        s.failNs.wrappingAdd(total, ordering: .relaxed)
    }

    public var snapshot: ModelStatistics {
        var last: UInt64 = 0, inferences: UInt64 = 0, executions: UInt64 = 0, ok: UInt64 = 0, okNs: UInt64 = 0
        var failed: UInt64 = 0, failedNs: UInt64 = 0, queue: UInt64 = 0, input: UInt64 = 0, infer: UInt64 = 0, output: UInt64 = 0
        for s in shards {
            last = max(last, s.lastInferenceMs.load(ordering: .relaxed))
            inferences &+= s.inferenceCount.load(ordering: .relaxed)
            executions &+= s.executionCount.load(ordering: .relaxed)
            ok &+= s.successCount.load(ordering: .relaxed)
            okNs &+= s.successNs.load(ordering: .relaxed)
            failed &+= s.failCount.load(ordering: .relaxed)
            failedNs &+= s.failNs.load(ordering: .relaxed)
            queue &+= s.queueNs.load(ordering: .relaxed)
            input &+= s.inputNs.load(ordering: .relaxed)
            infer &+= s.inferNs.load(ordering: .relaxed)
            output &+= s.outputNs.load(ordering: .relaxed)
        }
        var st = ModelStatistics(name: name, version: version, lastInference: last, inferenceCount: inferences, executionCount: executions)
        st.inferenceStats.success = StatisticDuration(count: ok, ns: okNs)
        st.inferenceStats.fail = StatisticDuration(count: failed, ns: failedNs)
        st.inferenceStats.queue = StatisticDuration(count: ok, ns: queue)
        st.inferenceStats.computeInput = StatisticDuration(count: ok, ns: input)
        st.inferenceStats.computeInfer = StatisticDuration(count: ok, ns: infer)
        st.inferenceStats.computeOutput = StatisticDuration(count: ok, ns: output)
        return st
    }

    static func wallMillis() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec / 1_000_000)
    }
}
