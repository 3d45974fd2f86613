import SwitchyardKServe
import SwitchyardRuntime
import SwitchyardTransport

/// A `CompiledModel` from the native runtime, served through the protocol types.
///
/// The bridge copies tensor bytes once in each direction (protocol bytes → runtime storage →
/// protocol bytes); names, datatypes and shapes are checked here so errors read in protocol terms
/// ("input 'x': expected FP32, got INT64").
public final class ONNXServableModel: ServableModel {
    public let name: String
    public let version: String
    public let platform = "onnx_onnxv1"
    public let inputs: [TensorMetadata]
    public let outputs: [TensorMetadata]
    public let maxBatchSize: Int
    public let nanosPerRow: UInt64
    let model: CompiledModel
    /// The declared shapes with every dynamic dimension 1: what a batch-1 request's inputs and
    /// outputs usually are, made once so that such a request shares these arrays instead of
    /// converting each shape into a new one: three `map`s, allocations and frees fewer on the
    /// `mlp` fixture's request, 42,213 → 41,160 instructions (`instructions.sh json`). Any other
    /// shape is converted as before.
    private let unitInputShapes: [[Int]]
    private let unitOutputShapes: [[Int64]]

    /// - Throws: `KServeError` (unavailable) when the model cannot be loaded or uses types the
    ///   protocol cannot carry.
    public init(bytes: [UInt8], name: String, version: String, maxBatchSize: Int) throws(KServeError) {
        do throws(ModelError) {
            model = try CompiledModel(bytes: bytes, name: name)
        } catch {
            throw .unavailable("model '\(name)' version \(version) failed to load: \(error.description)")
        }
        self.name = name
        self.version = version
        self.maxBatchSize = maxBatchSize
        inputs = try Self.metadata(model.inputs, model: name)
        outputs = try Self.metadata(model.outputs, model: name)
        unitInputShapes = inputs.map { $0.shape.map { $0 < 0 ? 1 : Int($0) } }
        unitOutputShapes = outputs.map { $0.shape.map { $0 < 0 ? 1 : $0 } }
        nanosPerRow = Self.measure(model)
    }

    private static func metadata(_ infos: [TensorInfo], model: String) throws(KServeError) -> [TensorMetadata] {
        var out: [TensorMetadata] = []
        for info in infos {
            out.append(TensorMetadata(name: info.name, datatype: DatatypeBridge.datatype(info.elementType), shape: info.shape.map(Int64.init)))
        }
        return out
    }

    /// Times a few batch-1 runs on zero inputs (the planner caches the batch-1 plan, so this is also
    /// the warm-up). String inputs cannot be zero-filled; such models are treated as costly.
    private static func measure(_ model: CompiledModel) -> UInt64 {
        var probe: [Tensor] = []
        for info in model.inputs {
            guard info.elementType != .string else { return 1_000_000 }
            probe.append(Tensor(zeros: info.elementType, shape: info.shape.map { $0 < 0 ? 1 : $0 }))
        }
        var best = UInt64.max
        for _ in 0..<5 {
            let t0 = monotonicNanos()
            guard (try? model.run(positional: probe)) != nil else { return 1_000_000 }
            best = min(best, monotonicNanos() &- t0)
        }
        return best
    }

    public func infer(inputs given: [InferTensor], outputs requested: [String]?) throws(KServeError) -> [InferTensor] {
        var tensors: [Tensor] = []
        tensors.reserveCapacity(inputs.count)
        // True while every input was found at its own position: then, with equal counts, no
        // given input can be unknown and the quadratic name check below is skipped.
        var inModelOrder = given.count == inputs.count
        for (k, expected) in inputs.enumerated() {
            // Fast path: inputs usually arrive in model order.
            let t: InferTensor
            if k < given.count && given[k].name == expected.name {
                t = given[k]
            } else if let found = given.first(where: { $0.name == expected.name }) {
                t = found
                inModelOrder = false
            } else {
                throw .invalidArgument("missing input '\(expected.name)' for model '\(name)' (inputs: \(inputs.map(\.name).joined(separator: ", ")))")
            }
            tensors.append(try Self.runtimeTensor(t, expected: expected, unitShape: unitInputShapes[k], model: name))
        }
        if !inModelOrder && (given.count > inputs.count || given.contains(where: { g in !inputs.contains { $0.name == g.name } })) {
            let unknown = given.map(\.name).filter { n in !inputs.contains { $0.name == n } }
            throw .invalidArgument("unexpected input \(unknown.map { "'\($0)'" }.joined(separator: ", ")) for model '\(name)' (inputs: \(inputs.map(\.name).joined(separator: ", ")))")
        }
        if maxBatchSize > 0, let first = given.first, let batch = first.shape.first, batch > maxBatchSize {
            throw .invalidArgument("batch size \(batch) exceeds the maximum of \(maxBatchSize) for model '\(name)'")
        }
        var result: [InferTensor] = []
        guard let requested else {
            // Every output, in model order: converted as the run hands them over (no array of
            // runtime tensors in between).
            result.reserveCapacity(outputs.count)
            do throws(InferenceError) {
                try model.run(positional: tensors) { k, v in
                    result.append(Self.protocolTensor(v, meta: outputs[k], unitShape: unitOutputShapes[k]))
                }
            } catch {
                throw .invalidArgument(error.description)
            }
            return result
        }
        let values: [Tensor]
        do throws(InferenceError) {
            values = try model.run(positional: tensors)
        } catch {
            throw .invalidArgument(error.description)
        }
        result.reserveCapacity(requested.count)
        for n in requested {
            guard let k = outputs.firstIndex(where: { $0.name == n }) else {
                throw .invalidArgument("model '\(name)' has no output '\(n)' (outputs: \(outputs.map(\.name).joined(separator: ", ")))")
            }
            result.append(Self.protocolTensor(values[k], meta: outputs[k], unitShape: unitOutputShapes[k]))
        }
        return result
    }

    /// `unitShape`: the input's declared shape with dynamic dimensions 1, used when `t` has it.
    static func runtimeTensor(_ t: InferTensor, expected: TensorMetadata, unitShape: [Int], model: String) throws(KServeError) -> Tensor {
        guard t.datatype == expected.datatype else {
            throw .invalidArgument("input '\(t.name)': model '\(model)' expects \(expected.datatype), got \(t.datatype)")
        }
        let shape = Self.sameDimensions(t.shape, unitShape) ? unitShape : t.shape.map { Int($0) }
        guard shape.count == expected.shape.count else {
            throw .invalidArgument("input '\(t.name)': expected shape \(expected.shape) (rank \(expected.shape.count)), got \(t.shape)")
        }
        for (d, e) in zip(t.shape, expected.shape) where e >= 0 && d != e {
            throw .invalidArgument("input '\(t.name)': expected shape \(expected.shape), got \(t.shape)")
        }
        do {
            switch t.data {
            case .raw(let bytes):
                guard let et = DatatypeBridge.elementType(t.datatype) else {
                    throw KServeError.invalidArgument("input '\(t.name)': datatype \(t.datatype) is not supported by the runtime")
                }
                return try Tensor(elementType: et, shape: shape, bytes: bytes)
            case .bytes(let elements):
                return try Tensor(shape: shape, strings: elements.map { String(decoding: $0, as: UTF8.self) })
            }
        } catch let e as KServeError {
            throw e
        } catch {
            throw .invalidArgument("input '\(t.name)': \(error)")
        }
    }

    /// `unitShape`: the output's declared shape with dynamic dimensions 1, used when `v` has it.
    static func protocolTensor(_ v: Tensor, meta: TensorMetadata, unitShape: [Int64]) -> InferTensor {
        let shape = Self.sameDimensions(unitShape, v.shape) ? unitShape : v.shape.map(Int64.init)
        if let strings = v.strings {
            return InferTensor(name: meta.name, datatype: .bytes, shape: shape, data: .bytes(strings.map { Array($0.utf8) }))
        }
        return InferTensor(name: meta.name, datatype: DatatypeBridge.datatype(v.elementType), shape: shape, data: .raw(v.rawBytes))
    }

    /// Whether two shapes have the same dimensions, one written as `Int64` (protocol), the other as `Int` (runtime).
    @inline(__always)
    static func sameDimensions(_ a: [Int64], _ b: [Int]) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != Int64(b[i]) { return false }
        return true
    }
}
