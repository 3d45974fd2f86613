/// The one explicit table of supported operators (no static-initialiser registration: what is
/// listed here is exactly what the runtime accepts, and the inspect command prints it).
enum OpRegistry {
    /// Opset versions accepted per domain ("" is ai.onnx).
    static let supportedOpsets: [String: ClosedRange<Int>] = ["": 1...23, "ai.onnx.ml": 1...5]

    static let all: [OpSpec] = [
        // ai.onnx — math
        BinaryArithmetic.spec(.add), BinaryArithmetic.spec(.sub), BinaryArithmetic.spec(.mul), BinaryArithmetic.spec(.div),
        MatMul.spec, Gemm.spec, Clip.spec,
        UnaryMath.spec(.relu), UnaryMath.spec(.leakyRelu), UnaryMath.spec(.sigmoid), UnaryMath.spec(.tanh),
        UnaryMath.spec(.exp), UnaryMath.spec(.log), UnaryMath.spec(.sqrt), UnaryMath.spec(.neg), UnaryMath.spec(.abs),
        ArgReduce.spec(max: true), ArgReduce.spec(max: false),
        Reduce.spec(mean: false), Reduce.spec(mean: true),
        // ai.onnx — neural network
        Softmax.spec(log: false), Softmax.spec(log: true),
        Conv.spec, Pool.spec(.max), Pool.spec(.average), Pool.spec(.globalAverage), BatchNormalization.spec,
        // ai.onnx — tensor manipulation
        Identity.spec, Cast.spec, Reshape.spec, Flatten.spec, Transpose.spec, Concat.spec,
        Squeeze.spec(unsqueeze: false), Squeeze.spec(unsqueeze: true), Gather.spec, ShapeOp.spec, Constant.spec,
        // ai.onnx.ml
        LinearClassifier.spec, LinearRegressor.spec, TreeEnsemble.classifierSpec, TreeEnsemble.regressorSpec,
        Scaler.spec, Normalizer.spec, ArrayFeatureExtractor.spec, Binarizer.spec, Imputer.spec,
        OneHotEncoder.spec, LabelEncoder.spec,
    ]

    private static let byKey: [String: OpSpec] = Dictionary(uniqueKeysWithValues: all.map { ("\($0.domain)::\($0.name)", $0) })

    static func isSupported(domain: String, opType: String) -> Bool { byKey["\(domain)::\(opType)"] != nil }

    /// The spec for a node at the model's opset, or a `ModelError` naming the node, the op and
    /// what is supported instead.
    static func spec(for node: Node, opset: Int) throws(ModelError) -> OpSpec {
        guard let spec = byKey["\(node.domain)::\(node.opType)"] else {
            let names = all.filter { $0.domain == node.domain }.map(\.name).sorted()
            let domain = node.domain.isEmpty ? "ai.onnx" : node.domain
            let supported = names.isEmpty ? "no ops of domain \(domain) are supported" : "supported \(domain) ops: \(names.joined(separator: ", "))"
            throw .node(node, .unsupportedOperator, "op \(node.opType) is not supported; \(supported)")
        }
        guard opset >= spec.sinceVersion, opset <= spec.maxVersion else {
            throw .node(node, .unsupportedVersion, "op \(node.opType) is supported at opset \(spec.sinceVersion)–\(spec.maxVersion), the model uses opset \(opset)")
        }
        return spec
    }
}
