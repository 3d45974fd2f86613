/// A slot's shape, stored inline for ranks up to `Dims.inlineRank`.
///
/// Kernels copy their operand slots on every call. With the shape as an `[Int]`, each copy
/// retained and released the array's buffer, which the plan shares: tens of atomic operations per
/// request, and with event loops on two cores running the same plan, cache lines bouncing between
/// them (measured at about 1 µs of a 30 µs batch-1 request). Inline dimensions make a slot plain
/// data; only shapes of rank above `inlineRank` (rare in practice) keep an array.
struct Dims: RandomAccessCollection, Equatable, Sendable, CustomStringConvertible {
    static let inlineRank = 6

    let count: Int
    private let inline: (Int, Int, Int, Int, Int, Int)
    private let overflow: [Int]?

    init(_ shape: some Collection<Int>) {
        count = shape.count
        if count <= Self.inlineRank {
            var d = (0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &d) { raw in
                for (i, v) in shape.enumerated() { raw.storeBytes(of: v, toByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) }
            }
            inline = d
            overflow = nil
        } else {
            inline = (0, 0, 0, 0, 0, 0)
            overflow = Array(shape)
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Int {
        precondition(i >= 0 && i < count, "dimension index out of range")
        if let overflow { return overflow[i] }
        return withUnsafeBytes(of: inline) { $0.load(fromByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) }
    }

    /// The dimensions as an array (for tensors returned to the caller and for messages).
    var array: [Int] { Array(self) }

    var description: String { array.description }

    static func == (a: Dims, b: Dims) -> Bool { a.elementsEqual(b) }
}

/// What shape helpers accept: an `[Int]` at plan time (inferred shapes), `Dims` at run time
/// (slots), without converting one into the other on the per-call path.
protocol ShapeCollection: RandomAccessCollection where Element == Int, Index == Int {}
extension Array: ShapeCollection where Element == Int {}
extension Dims: ShapeCollection {}
