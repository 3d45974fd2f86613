/// A slot's shape: up to `Dims.maxRank` dimensions stored inline.
///
/// Kernels copy their operand slots on every call, so a slot must be plain data. With the shape as
/// an `[Int]`, each copy retained and released the array's buffer, which the plan shares: tens of
/// atomic operations per request, and with event loops on two cores running the same plan, cache
/// lines bouncing between them. An optional overflow array for high ranks kept the atomics away
/// but still made `Slot` a non-trivial type: the compiler then copied and destroyed every slot
/// (and every `Slot?` operand) through runtime value witnesses, ~5,000 instructions of a
/// 66,000-instruction batch-1 `mlp` request (callgrind, `loadtests/profile/instructions.sh json`).
/// Plain inline storage makes a copy a `memcpy`.
///
/// The price is a rank limit, the same as TensorRT's (`nvinfer1::Dims::MAX_DIMS`): the planner
/// refuses a graph with a value of rank above 8, naming the value (`Planner.checkRank`).
struct Dims: RandomAccessCollection, Equatable, Sendable, CustomStringConvertible {
    static let maxRank = 8

    let count: Int
    private let inline: (Int, Int, Int, Int, Int, Int, Int, Int)

    init(_ shape: some Collection<Int>) {
        precondition(shape.count <= Self.maxRank, "rank \(shape.count) above Dims.maxRank: the planner checks ranks first")
        count = shape.count
        var d = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &d) { raw in
            for (i, v) in shape.enumerated() { raw.storeBytes(of: v, toByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) }
        }
        inline = d
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Int {
        precondition(i >= 0 && i < count, "dimension index out of range")
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
