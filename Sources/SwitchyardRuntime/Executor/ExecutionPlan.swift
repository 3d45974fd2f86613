import Synchronization

/// One kernel invocation in a plan. A class so the executor borrows the operator and its
/// arguments in place (a struct element would copy the existential and retain every array in it
/// on each call — measured as the largest per-call cost on tiny models).
final class Step: Sendable {
    let op: any Operator
    let nodeIndex: Int
    let args: KernelArgs

    init(op: any Operator, nodeIndex: Int, args: KernelArgs) {
        self.op = op
        self.nodeIndex = nodeIndex
        self.args = args
    }
}

/// How a graph output is produced: written by a kernel straight into the returned buffer, or
/// copied after the run from a constant, an input or another output.
enum OutputBinding: Sendable {
    case direct(Slot)
    case copy(from: Slot, type: ElementType, shape: [Int])
}

/// A model compiled for one input-shape signature: the kernels to run in order with every
/// operand's location fixed, and the arena size. Frames (arena + pointer tables) are pooled, so a
/// steady-state run allocates only the output tensors it returns.
final class ExecutionPlan: Sendable {
    /// The input shapes this plan was made for, in graph-input order.
    let inputShapes: [[Int]]
    let steps: [Step]
    /// `steps` again, unretained (the array above keeps them alive): the executor borrows each
    /// step through these, so the per-step loop does no reference counting.
    let stepRefs: [Unmanaged<Step>]
    let arenaBytes: Int
    let inputSlots: [Slot]
    let outputs: [OutputBinding]
    let stringSlotCount: Int
    /// Constant STRING values preloaded into every new frame.
    let constantStrings: [(slot: Int, values: [String])]
    /// Keeps the constant tensors whose memory the slots point into alive.
    let constants: [Tensor]
    /// Per graph input: its string-table index, or -1 for numeric data (read by pointer).
    let inputStringIndex: [Int]
    /// Per graph output, precomputed so a run reads plain values instead of matching bindings:
    /// the byte count of a numeric output a kernel writes directly (-1 otherwise), the element
    /// type and the shape of the returned tensor.
    let directOutputBytes: [Int]
    let outputTypes: [ElementType]
    let outputShapes: [[Int]]
    /// One frame claimed with a single compare-and-swap: the steady single-caller case never
    /// touches the pool's lock. Concurrent callers fall back to `pool`.
    private let primary: Frame
    private let primaryBusy = Atomic<Bool>(false)
    private let pool = Mutex<[Frame]>([])

    init(inputShapes: [[Int]], steps: [Step], arenaBytes: Int, inputSlots: [Slot], outputs: [OutputBinding],
         stringSlotCount: Int, constantStrings: [(slot: Int, values: [String])], constants: [Tensor]) {
        self.inputShapes = inputShapes
        self.steps = steps
        stepRefs = steps.map { Unmanaged.passUnretained($0) }
        self.arenaBytes = arenaBytes
        self.inputSlots = inputSlots
        self.outputs = outputs
        self.stringSlotCount = stringSlotCount
        self.constantStrings = constantStrings
        self.constants = constants
        inputStringIndex = inputSlots.map { slot in
            if case .strings(let s) = slot.location { return s }
            return -1
        }
        var bytes: [Int] = [], types: [ElementType] = [], shapes: [[Int]] = []
        for binding in outputs {
            switch binding {
            case .direct(let slot):
                bytes.append(slot.type == .string ? -1 : slot.count * slot.type.byteWidth)
                types.append(slot.type)
                shapes.append(slot.shape.array)
            case .copy(_, let type, let shape):
                bytes.append(-1)
                types.append(type)
                shapes.append(shape)
            }
        }
        directOutputBytes = bytes
        outputTypes = types
        outputShapes = shapes
        primary = Self.makeFrame(arenaBytes: arenaBytes, inputCount: inputSlots.count, outputCount: outputs.count,
                                 stringSlots: stringSlotCount, constantStrings: constantStrings)
    }

    private static func makeFrame(arenaBytes: Int, inputCount: Int, outputCount: Int, stringSlots: Int,
                                  constantStrings: [(slot: Int, values: [String])]) -> Frame {
        let frame = Frame(arenaBytes: arenaBytes, inputCount: inputCount, outputCount: outputCount, stringSlots: stringSlots)
        for (slot, values) in constantStrings { frame.strings[slot] = values }
        return frame
    }

    /// Takes a free frame: the primary one when no other thread holds it, else a pooled one, or a
    /// new one when every pooled frame is in use.
    func takeFrame() -> Frame {
        if primaryBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { return primary }
        if let frame = pool.withLock({ $0.popLast() }) { return frame }
        return Self.makeFrame(arenaBytes: arenaBytes, inputCount: inputSlots.count, outputCount: outputs.count,
                              stringSlots: stringSlotCount, constantStrings: constantStrings)
    }

    /// Returns a frame for reuse. The pool is capped so a burst of concurrency does not pin memory.
    func returnFrame(_ frame: Frame) {
        if frame === primary {
            primaryBusy.store(false, ordering: .releasing)
            return
        }
        pool.withLock { frames in
            if frames.count < 16 { frames.append(frame) }
        }
    }

    /// True when the given tensors' shapes are this plan's signature (no allocation: compared in
    /// place). Element types are the caller's to check.
    func matches(_ tensors: borrowing [Tensor]) -> Bool {
        guard tensors.count == inputShapes.count else { return false }
        for i in 0..<inputShapes.count where tensors[i].shape != inputShapes[i] { return false }
        return true
    }
}
