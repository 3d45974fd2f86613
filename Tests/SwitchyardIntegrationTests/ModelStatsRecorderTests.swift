import Testing
@testable import SwitchyardGateway
import SwitchyardKServe

/// Triton statistics are recorded in per-loop shards; a snapshot must be their exact sum, whatever
/// the number of loops (more loops than shards share shards).
@Suite struct ModelStatsRecorderTests {
    @Test func snapshotSumsEveryLoopsShard() async {
        let recorder = ModelStatsRecorder(name: "m", version: "2")
        let loops = ModelStatsRecorder.shardCount + 3
        // Concurrently, as event loops do: each "loop" records 1,000 successes and 10 failures.
        await withTaskGroup(of: Void.self) { group in
            for loop in 0..<loops {
                group.addTask {
                    for _ in 0..<1000 {
                        recorder.recordSuccess(loop: loop, batch: 2, total: 10, queue: 1, input: 2, infer: 3, output: 4)
                    }
                    for _ in 0..<10 { recorder.recordFailure(loop: loop, total: 7) }
                }
            }
        }
        let s = recorder.snapshot
        let ok = UInt64(loops * 1000)
        #expect(s.inferenceCount == ok * 2)
        #expect(s.executionCount == ok)
        #expect(s.inferenceStats.success.count == ok && s.inferenceStats.success.ns == ok * 10)
        #expect(s.inferenceStats.fail.count == UInt64(loops * 10) && s.inferenceStats.fail.ns == UInt64(loops * 70))
        #expect(s.inferenceStats.queue.ns == ok && s.inferenceStats.computeInput.ns == ok * 2)
        #expect(s.inferenceStats.computeInfer.ns == ok * 3 && s.inferenceStats.computeOutput.ns == ok * 4)
        #expect(s.lastInference > 0)
    }
}
