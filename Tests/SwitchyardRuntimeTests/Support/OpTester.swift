import Foundation
@testable import SwitchyardRuntime
import Testing

/// Declarative single-op model builder (onnxruntime's OpTester idea): one node, graph inputs for
/// the non-constant operands, initializers for the constant ones, serialised to real ONNX bytes
/// and loaded through the full frontend, validator, planner and executor.
struct OpTester {
    enum Attr {
        case int(Int), float(Float), string(String), ints([Int]), floats([Float]), strings([String]), tensor(Tensor)
    }

    var op: String
    var domain = ""
    var opset = 17
    var attributes: [String: Attr] = [:]
    /// (name, tensor, constant?) — constants become initializers. An empty name is an omitted input.
    var inputs: [(String, Tensor?, Bool)] = []
    var outputs: [String] = ["Y"]
    /// Declared dims of graph inputs: nil = take the tensor's shape; -1 entries become dynamic.
    var dynamicBatch = false

    init(_ op: String, domain: String = "", opset: Int? = nil) {
        self.op = op
        self.domain = domain
        self.opset = opset ?? (domain == "ai.onnx.ml" ? 3 : 17)
    }

    mutating func input(_ name: String, _ tensor: Tensor) { inputs.append((name, tensor, false)) }
    mutating func constant(_ name: String, _ tensor: Tensor) { inputs.append((name, tensor, true)) }
    mutating func omitted() { inputs.append(("", nil, false)) }

    func modelBytes() throws -> [UInt8] {
        var node = Onnx_NodeProto()
        node.opType = op
        node.domain = domain
        node.name = "node0"
        node.input = inputs.map(\.0)
        node.output = outputs
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = name
            switch value {
            case .int(let v): a.type = .int; a.i = Int64(v)
            case .float(let v): a.type = .float; a.f = v
            case .string(let v): a.type = .string; a.s = Data(v.utf8)
            case .ints(let v): a.type = .ints; a.ints = v.map { Int64($0) }
            case .floats(let v): a.type = .floats; a.floats = v
            case .strings(let v): a.type = .strings; a.strings = v.map { Data($0.utf8) }
            case .tensor(let t): a.type = .tensor; a.t = Self.proto(t, name: name)
            }
            node.attribute.append(a)
        }
        var graph = Onnx_GraphProto()
        graph.name = "test_\(op)"
        graph.node = [node]
        for (name, tensor, constant) in inputs {
            guard let tensor, !name.isEmpty else { continue }
            if constant { graph.initializer.append(Self.proto(tensor, name: name)) } else {
                graph.input.append(Self.valueInfo(name, tensor.elementType, tensor.shape.enumerated().map { i, d in dynamicBatch && i == 0 ? -1 : d }))
            }
        }
        for name in outputs where !name.isEmpty {
            var v = Onnx_ValueInfoProto()
            v.name = name
            graph.output.append(v)  // types are inferred by the runtime; untyped outputs are rejected, so fill below
        }
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "OpTester"
        var opsetEntry = Onnx_OperatorSetIdProto()
        opsetEntry.domain = domain
        opsetEntry.version = Int64(opset)
        model.opsetImport = [opsetEntry]
        if !domain.isEmpty {
            var onnx = Onnx_OperatorSetIdProto()
            onnx.version = 17
            model.opsetImport.append(onnx)
        }
        model.graph = graph
        return try model.serializedBytes()
    }

    static func valueInfo(_ name: String, _ type: ElementType, _ shape: [Int]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = Int32(type.rawValue)
        var s = Onnx_TensorShapeProto()
        s.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if d >= 0 { dim.dimValue = Int64(d) } else { dim.dimParam = "N" }
            return dim
        }
        t.shape = s
        v.type.tensorType = t
        return v
    }

    static func proto(_ t: Tensor, name: String) -> Onnx_TensorProto {
        var p = Onnx_TensorProto()
        p.name = name
        p.dims = t.shape.map { Int64($0) }
        p.dataType = Int32(t.elementType.rawValue)
        if let strings = t.strings { p.stringData = strings.map { Data($0.utf8) } } else { p.rawData = Data(t.rawBytes) }
        return p
    }

    /// Output element types for the graph declaration, found by loading once with a probe.
    func run(outputTypes: [ElementType]? = nil) throws -> [Tensor] {
        let model = try load(outputTypes: outputTypes)
        var feed: [String: Tensor] = [:]
        for (name, tensor, constant) in inputs where !constant && !name.isEmpty { feed[name] = tensor }
        return try model.runOrdered(feed).map(\.tensor)
    }

    func load(outputTypes: [ElementType]? = nil) throws -> CompiledModel {
        var bytes = try modelBytes()
        // Declare outputs with their element types (unknown shape), as converters do.
        var model = try Onnx_ModelProto(serializedBytes: bytes)
        for (i, _) in model.graph.output.enumerated() {
            let type = outputTypes?[i] ?? inputs.first(where: { $0.1 != nil })!.1!.elementType
            var t = Onnx_TypeProto.Tensor()
            t.elemType = Int32(type.rawValue)
            model.graph.output[i].type.tensorType = t
        }
        bytes = try model.serializedBytes()
        return try CompiledModel(bytes: bytes, name: "test_\(op)")
    }
}

/// Element-wise closeness for float results.
func expectClose(_ got: [Float], _ want: [Float], rtol: Float = 1e-5, atol: Float = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, "count \(got.count) vs \(want.count)", sourceLocation: sourceLocation)
    for (i, (g, w)) in zip(got, want).enumerated() where !(abs(g - w) <= atol + rtol * abs(w) || (g.isNaN && w.isNaN)) {
        Issue.record("element \(i): got \(g), expected \(w)", sourceLocation: sourceLocation)
        return
    }
}

func floats(_ shape: [Int], seed: UInt64 = 1, range: ClosedRange<Float> = -2...2) -> Tensor {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ -> Float in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return range.lowerBound + Float(Double(state >> 11) / Double(1 << 53)) * (range.upperBound - range.lowerBound)
    }
    return try! Tensor(shape: shape, values: values)
}

extension Tensor {
    var f: [Float] { scalars(as: Float.self) ?? [] }
    var i64: [Int64] { scalars(as: Int64.self) ?? [] }
}
