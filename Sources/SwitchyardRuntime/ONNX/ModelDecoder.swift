import Foundation
import SwiftProtobuf

/// The ONNX frontend: decodes `ModelProto` bytes with swift-protobuf and turns them into the
/// runtime's `Graph`, rejecting what the runtime cannot represent (sparse or external weights,
/// non-tensor inputs and outputs such as ZipMap's sequence of maps, subgraph attributes).
enum ModelDecoder {
    /// IR versions this frontend understands (IR 3 = ONNX 1.0 opset imports; 10 = ONNX 1.16).
    static let supportedIRVersions = 3...11

    static func decode(_ bytes: [UInt8], name: String) throws(ModelError) -> Graph {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw ModelError(.corrupt, "model '\(name)': not a valid ONNX file (protobuf decoding failed: \(error))")
        }
        guard model.hasGraph else {
            throw ModelError(.corrupt, "model '\(name)': the file has no graph (is it an ONNX model?)")
        }
        guard supportedIRVersions.contains(Int(model.irVersion)) else {
            throw ModelError(.unsupportedVersion, "model '\(name)': IR version \(model.irVersion) is not supported (supported: \(supportedIRVersions.lowerBound)–\(supportedIRVersions.upperBound))")
        }
        var opsets: [String: Int] = [:]
        for entry in model.opsetImport {
            let domain = entry.domain == "ai.onnx" ? "" : entry.domain
            opsets[domain] = max(opsets[domain] ?? 0, Int(entry.version))
        }
        let graph = model.graph
        guard graph.sparseInitializer.isEmpty else {
            throw ModelError(.unsupportedType, "model '\(name)': sparse initializers are not supported")
        }

        var initializers: [String: Tensor] = [:]
        for proto in graph.initializer {
            initializers[proto.name] = try TensorProtoDecoder.decode(proto, context: "initializer '\(proto.name)'")
        }
        let inputs = try graph.input
            .filter { initializers[$0.name] == nil }
            .map { (v) throws(ModelError) in try valueInfo(v, role: "input") }
        let outputs = try graph.output.map { (v) throws(ModelError) in try valueInfo(v, role: "output") }
        guard !outputs.isEmpty else { throw ModelError(.invalidGraph, "model '\(name)': the graph has no outputs") }

        var nodes: [Node] = []
        nodes.reserveCapacity(graph.node.count)
        for (index, proto) in graph.node.enumerated() {
            nodes.append(try node(proto, index: index))
        }
        return Graph(name: graph.name.isEmpty ? name : graph.name, nodes: nodes, initializers: initializers,
                     inputs: inputs, outputs: outputs, opsets: opsets, irVersion: Int(model.irVersion),
                     producer: [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " "))
    }

    private static func valueInfo(_ proto: Onnx_ValueInfoProto, role: String) throws(ModelError) -> TensorInfo {
        guard case .tensorType(let tensorType)? = proto.type.value else {
            let kind: String
            switch proto.type.value {
            case .sequenceType?: kind = "a sequence (e.g. ZipMap output; convert with zipmap=False)"
            case .mapType?: kind = "a map"
            case nil: kind = "untyped"
            default: kind = "not a tensor"
            }
            throw ModelError(.unsupportedType, "graph \(role) '\(proto.name)' is \(kind); only tensor \(role)s are supported")
        }
        guard let type = ElementType(rawValue: Int(tensorType.elemType)), type.isComputable else {
            let label = ElementType(rawValue: Int(tensorType.elemType))?.description ?? "type \(tensorType.elemType)"
            throw ModelError(.unsupportedType, "graph \(role) '\(proto.name)' has element type \(label); supported: FP32, FP64, INT64, INT32, BOOL, STRING")
        }
        var shape: [Int] = []
        var names: [String?] = []
        for dim in tensorType.shape.dim {
            switch dim.value {
            case .dimValue(let v)?: shape.append(Int(v)); names.append(nil)
            case .dimParam(let p)?: shape.append(-1); names.append(p.isEmpty ? nil : p)
            case nil: shape.append(-1); names.append(nil)
            }
        }
        return TensorInfo(name: proto.name, elementType: type, shape: shape, dimensionNames: names)
    }

    private static func node(_ proto: Onnx_NodeProto, index: Int) throws(ModelError) -> Node {
        var node = Node(name: proto.name.isEmpty ? "\(proto.opType)_\(index)" : proto.name,
                        opType: proto.opType, domain: proto.domain == "ai.onnx" ? "" : proto.domain,
                        inputs: proto.input, outputs: proto.output, attributes: [:])
        for attribute in proto.attribute {
            node.attributes[attribute.name] = try decodeAttribute(attribute, node: node)
        }
        return node
    }

    private static func decodeAttribute(_ a: Onnx_AttributeProto, node: Node) throws(ModelError) -> Attribute {
        switch a.type {
        case .float: return .float(a.f)
        case .int: return .int(Int(a.i))
        case .string: return .string(String(decoding: a.s, as: UTF8.self))
        case .floats: return .floats(a.floats)
        case .ints: return .ints(a.ints.map { Int($0) })
        case .strings: return .strings(a.strings.map { String(decoding: $0, as: UTF8.self) })
        case .tensor: return .tensor(try TensorProtoDecoder.decode(a.t, context: "node '\(node.name)' attribute '\(a.name)'"))
        case .undefined:
            // Pre-IR-3 files leave `type` unset; infer it from the populated field.
            if !a.floats.isEmpty { return .floats(a.floats) }
            if !a.ints.isEmpty { return .ints(a.ints.map { Int($0) }) }
            if !a.strings.isEmpty { return .strings(a.strings.map { String(decoding: $0, as: UTF8.self) }) }
            if a.hasT { return .tensor(try TensorProtoDecoder.decode(a.t, context: "node '\(node.name)' attribute '\(a.name)'")) }
            if a.hasS { return .string(String(decoding: a.s, as: UTF8.self)) }
            if a.hasF { return .float(a.f) }
            return .int(Int(a.i))
        default:
            throw ModelError.node(node, .invalidAttribute, "attribute '\(a.name)' has type \(a.type), which is not supported (graphs, sparse tensors and type protos are not)")
        }
    }
}
