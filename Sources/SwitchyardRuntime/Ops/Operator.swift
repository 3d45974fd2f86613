/// What the planner knows about a value for one input-shape signature: its element type, its
/// concrete shape, and its contents when it is a constant (initializer or folded).
struct ValueInfo: Sendable {
    var type: ElementType
    var shape: [Int]
    var constant: Tensor? = nil

    var count: Int { shape.reduce(1, *) }
    var rank: Int { shape.count }
}

/// A failure inside an op's shape inference or compute, without node context; the planner and
/// executor attach the node name and op type.
struct OpError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// An executable operator instance for one node. Ops are built once per node at load (reading and
/// validating attributes, pre-processing constant weights), then asked for output shapes per
/// input-shape signature, then run many times, concurrently: `run` must not mutate `self`.
protocol Operator: Sendable {
    /// Output element types and shapes for concrete input infos (`nil` for an omitted optional
    /// input). Throws when the inputs are not acceptable (types, ranks, broadcasting).
    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo]

    /// Bytes of scratch memory `run` needs for these shapes; it is planned into the arena.
    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int

    /// True when the outputs depend only on input shapes (Shape), so the planner can fold the node
    /// even though its input is not constant.
    var dependsOnlyOnShapes: Bool { get }

    /// True for ops whose output is the input's data under another shape (Identity, Reshape,
    /// Flatten, Squeeze, Unsqueeze): the planner lets the output share the input's arena memory
    /// and drops the copy.
    var isView: Bool { get }

    /// This op with a ReLU applied to its FP32 output in the same pass (while the output is still
    /// in cache), or nil when it has no such epilogue. The planner uses it to drop a separate
    /// Relu step that is the op's only consumer, as onnxruntime fuses Conv/Gemm + activation.
    func fusingRelu() -> (any Operator)?

    /// Computes the outputs into the frame's memory.
    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError)
}

extension Operator {
    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int { 0 }
    var dependsOnlyOnShapes: Bool { false }
    var isView: Bool { false }
    func fusingRelu() -> (any Operator)? { nil }
}

/// Registry entry: the op's name and domain, the opset versions it implements, and how to build it.
struct OpSpec: Sendable {
    let domain: String
    let name: String
    /// Lowest opset of `domain` whose semantics this implementation follows.
    let sinceVersion: Int
    /// Highest opset version known to keep those semantics.
    let maxVersion: Int
    let make: @Sendable (Node, OpBuildContext) throws(ModelError) -> any Operator

    init(_ name: String, domain: String = "", since: Int = 1, through: Int = 23,
         make: @escaping @Sendable (Node, OpBuildContext) throws(ModelError) -> any Operator) {
        self.name = name
        self.domain = domain
        self.sinceVersion = since
        self.maxVersion = through
        self.make = make
    }
}

/// What an op constructor may see besides its node: the constant initializers (so weights can be
/// pre-packed once) and the opset it runs under.
struct OpBuildContext: Sendable {
    let initializers: [String: Tensor]
    let opset: Int

    /// The constant tensor feeding input `index`, if that input is an initializer.
    func constant(_ node: Node, _ index: Int) -> Tensor? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return nil }
        return initializers[node.inputs[index]]
    }
}

/// Checks shared by many ops' shape inference.
enum Check {
    static func input(_ inputs: [ValueInfo?], _ i: Int, _ what: String = "input") throws(OpError) -> ValueInfo {
        guard i < inputs.count, let v = inputs[i] else { throw OpError("\(what) \(i) is required") }
        return v
    }

    static func type(_ v: ValueInfo, _ allowed: [ElementType], _ what: String) throws(OpError) {
        guard allowed.contains(v.type) else {
            throw OpError("\(what) has element type \(v.type); supported: \(allowed.map(\.description).joined(separator: ", "))")
        }
    }

    /// Normalises a possibly negative axis against `rank`.
    static func axis(_ axis: Int, rank: Int, _ what: String = "axis") throws(OpError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < max(rank, 1) else { throw OpError("\(what) \(axis) is out of range for rank \(rank)") }
        return a
    }
}
