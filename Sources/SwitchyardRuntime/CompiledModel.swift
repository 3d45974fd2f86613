import Foundation
import Synchronization

/// An ONNX model loaded, validated and ready to run.
///
/// Loading decodes the file, checks every node against the op registry at the model's opsets,
/// builds one operator per node and plans the graph once (dynamic dimensions set to 1) so shape
/// errors surface at load. Each distinct input-shape signature (in practice: each batch size) gets
/// its own execution plan, made on first use and cached. `run` may be called from any number of
/// threads at once.
public final class CompiledModel: Sendable {
    public let name: String
    /// Graph inputs (initializers excluded), in graph order. Dynamic dimensions are -1.
    public let inputs: [TensorInfo]
    /// Graph outputs, in graph order.
    public let outputs: [TensorInfo]
    /// Imported opset version per domain (`ai.onnx` for the default domain).
    public let opsets: [String: Int]
    public let irVersion: Int
    public let producer: String

    let graph: Graph
    let operators: [any Operator]
    /// Declared input element types and output names, as plain arrays for the per-call path.
    private let inputTypes: [ElementType]
    private let outputNames: [String]
    /// The load-time plan (every dynamic dimension 1: batch 1 for most models). Immutable and
    /// never evicted, so it is matched without a lock: with every event loop running the same
    /// model, the lock's cache line otherwise moves between cores on each request.
    private let probePlan: ExecutionPlan
    /// Plans made later for other input shapes, most recent last.
    private let plans = Mutex<[ExecutionPlan]>([])
    /// With the load-time plan, at most this many plans are kept.
    private static let maxCachedPlans = 16

    /// Loads a model from `.onnx` bytes.
    /// - Parameters:
    ///   - bytes: the serialized ModelProto.
    ///   - name: used in error messages and as the default graph name.
    /// - Throws: `ModelError` for corrupt files and anything outside the supported subset.
    public init(bytes: [UInt8], name: String) throws(ModelError) {
        var graph = try ModelDecoder.decode(bytes, name: name)
        graph.nodes = try GraphValidator.topologicallySorted(graph)
        operators = try GraphValidator.buildOperators(graph)
        self.graph = graph
        self.name = name
        inputs = graph.inputs
        outputs = graph.outputs
        inputTypes = graph.inputs.map(\.elementType)
        outputNames = graph.outputs.map(\.name)
        opsets = Dictionary(uniqueKeysWithValues: graph.opsets.map { ($0.key.isEmpty ? "ai.onnx" : $0.key, $0.value) })
        irVersion = graph.irVersion
        producer = graph.producer
        // Plan once with every dynamic dimension at 1: validates shapes through the whole graph.
        let probe = graph.inputs.map { $0.shape.map { $0 < 0 ? 1 : $0 } }
        do {
            let plan = try Planner.plan(graph: graph, operators: operators, inputShapes: probe)
            for (declared, binding) in zip(graph.outputs, plan.outputs) {
                let inferred: ElementType
                switch binding {
                case .direct(let slot): inferred = slot.type
                case .copy(_, let type, _): inferred = type
                }
                guard inferred == declared.elementType else {
                    throw ModelError(.invalidGraph, "model '\(name)': graph output '\(declared.name)' is declared \(declared.elementType) but computes \(inferred)")
                }
            }
            probePlan = plan
        } catch let error as ModelError {
            throw error
        } catch let error as Planner.Failure {
            if let node = error.node { throw ModelError.node(node, .invalidGraph, error.message) }
            throw ModelError(.invalidGraph, "model '\(name)': \(error.message)")
        } catch {
            throw ModelError(.invalidGraph, "model '\(name)': \(error)")
        }
    }

    /// Loads a model from a file.
    public convenience init(contentsOf path: String) throws(ModelError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError(.corrupt, "cannot read model file '\(path)'")
        }
        let base = (path as NSString).lastPathComponent
        try self.init(bytes: [UInt8](data), name: base.hasSuffix(".onnx") ? String(base.dropLast(5)) : base)
    }

    /// Runs the model.
    /// - Parameters:
    ///   - inputs: one tensor per graph input, by name.
    ///   - outputs: the outputs to return (all when nil).
    /// - Returns: the requested outputs by name.
    /// - Throws: `InferenceError` naming the input and the expected shape when an input is missing,
    ///   unknown, or of the wrong type, rank or dimensions.
    public func run(_ inputs: [String: Tensor], outputs: [String]? = nil) throws(InferenceError) -> [String: Tensor] {
        let ordered = try runOrdered(inputs, outputs: outputs)
        var result: [String: Tensor] = [:]
        result.reserveCapacity(ordered.count)
        for (name, tensor) in ordered { result[name] = tensor }
        return result
    }

    /// Runs the model and returns the outputs in graph-output order (or the order of `outputs`).
    public func runOrdered(_ inputs: [String: Tensor], outputs requested: [String]? = nil) throws(InferenceError) -> [(name: String, tensor: Tensor)] {
        var ordered: [Tensor] = []
        ordered.reserveCapacity(self.inputs.count)
        if inputs.count == self.inputs.count {
            for info in self.inputs {
                guard let tensor = inputs[info.name] else { break }
                ordered.append(tensor)
            }
        }
        if ordered.count != self.inputs.count {
            ordered = try InputValidator.order(inputs, expected: self.inputs)  // names the bad input
        }
        let values = try run(positional: ordered)
        var result: [(name: String, tensor: Tensor)] = []
        guard let requested else {
            result.reserveCapacity(values.count)
            for k in 0..<values.count { result.append((outputNames[k], values[k])) }
            return result
        }
        for name in requested {
            guard let k = outputNames.firstIndex(of: name) else {
                throw InferenceError(.unknownOutput, "model '\(self.name)' has no output '\(name)' (outputs: \(outputNames.joined(separator: ", ")))")
            }
            result.append((name, values[k]))
        }
        return result
    }

    /// Runs with inputs given positionally in graph-input order (the fastest entry point: no
    /// dictionary). Returns outputs in graph-output order.
    public func run(positional inputs: [Tensor]) throws(InferenceError) -> [Tensor] {
        if let plan = cachedPlan(for: inputs) {
            return try Executor.run(plan, graph: graph, inputs: inputs)
        }
        try InputValidator.check(inputs, expected: self.inputs)
        return try Executor.run(try makePlan(for: inputs), graph: graph, inputs: inputs)
    }

    /// `run(positional:)` handing each output to `output` (its index in graph-output order, the
    /// tensor) as the run ends, instead of returning them in an array.
    public func run(positional inputs: [Tensor], output: (Int, Tensor) -> Void) throws(InferenceError) {
        if let plan = cachedPlan(for: inputs) {
            return try Executor.run(plan, graph: graph, inputs: inputs, output: output)
        }
        try InputValidator.check(inputs, expected: self.inputs)
        try Executor.run(try makePlan(for: inputs), graph: graph, inputs: inputs, output: output)
    }

    /// The cached plan for these inputs' shapes, when their element types are the declared ones.
    /// Every cached plan was made from inputs that passed `InputValidator.check`, and validation
    /// depends only on types and shapes, so a hit needs no further checks.
    private func cachedPlan(for inputs: borrowing [Tensor]) -> ExecutionPlan? {
        guard inputs.count == inputTypes.count else { return nil }
        for i in 0..<inputTypes.count where inputs[i].elementType != inputTypes[i] { return nil }
        if probePlan.matches(inputs) { return probePlan }
        return plans.withLock { plans -> ExecutionPlan? in
            var i = plans.count - 1
            while i >= 0 {
                if plans[i].matches(inputs) { return plans[i] }
                i -= 1
            }
            return nil
        }
    }

    private func makePlan(for inputs: [Tensor]) throws(InferenceError) -> ExecutionPlan {
        let shapes = inputs.map(\.shape)
        let plan: ExecutionPlan
        do {
            plan = try Planner.plan(graph: graph, operators: operators, inputShapes: shapes)
        } catch {
            let at = error.node.map { "node '\($0.name)' (\($0.qualifiedOpType)): " } ?? ""
            throw InferenceError(.executionFailed, "model '\(name)' cannot run on input shapes \(shapes): \(at)\(error.message)")
        }
        plans.withLock { plans in
            if plans.count >= Self.maxCachedPlans - 1 { plans.removeFirst() }  // the oldest
            plans.append(plan)
        }
        return plan
    }
}
