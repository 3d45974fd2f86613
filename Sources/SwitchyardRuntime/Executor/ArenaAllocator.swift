/// Assigns arena offsets to values with known lifetimes so that values whose lifetimes do not
/// overlap share memory. Greedy by size (largest first), each value placed at the lowest
/// 64-byte-aligned offset that does not collide with an already placed, overlapping value — the
/// classic heuristic onnxruntime and TFLite use; near-optimal for the chain-shaped graphs here.
enum ArenaAllocator {
    struct Interval {
        let key: String
        /// First and last step (inclusive) during which the memory must stay intact.
        let start: Int
        let end: Int
        let bytes: Int
    }

    static let alignment = 64

    static func assign(_ intervals: [Interval]) -> (offsets: [String: Int], totalBytes: Int) {
        var placed: [(interval: Interval, offset: Int, size: Int)] = []
        var offsets: [String: Int] = [:]
        var total = 0
        let ordered = intervals.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.start < $1.start }
        for interval in ordered {
            let size = (interval.bytes + alignment - 1) / alignment * alignment
            let conflicts = placed
                .filter { $0.interval.start <= interval.end && interval.start <= $0.interval.end }
                .sorted { $0.offset < $1.offset }
            var offset = 0
            for other in conflicts {
                if offset + size <= other.offset { break }
                offset = max(offset, other.offset + other.size)
            }
            placed.append((interval, offset, size))
            offsets[interval.key] = offset
            total = max(total, offset + size)
        }
        return (offsets, total)
    }
}
