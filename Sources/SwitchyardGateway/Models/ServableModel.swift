import SwitchyardKServe

/// A loaded model version as the gateway serves it: protocol-level metadata and an `infer` that
/// takes and returns protocol tensors. The ONNX runtime is behind `ONNXServableModel`; tests can
/// put anything else behind it.
public protocol ServableModel: AnyObject, Sendable {
    var name: String { get }
    var version: String { get }
    var platform: String { get }
    var inputs: [TensorMetadata] { get }
    var outputs: [TensorMetadata] { get }
    /// > 0: the first dimension of every input is the batch and may not exceed this.
    var maxBatchSize: Int { get }
    /// Measured at load: nanoseconds one row of input costs. The gateway runs requests whose
    /// estimated cost is small inline on the event loop (a thread hop costs microseconds) and
    /// offloads the others.
    var nanosPerRow: UInt64 { get }
    /// Runs the model. `outputs` selects outputs by name (nil: all, in model order).
    func infer(inputs: [InferTensor], outputs: [String]?) throws(KServeError) -> [InferTensor]
}

extension ServableModel {
    /// The single input's description, for the binary extension's raw form; nil unless exactly one input.
    public var soleInput: TensorMetadata? { inputs.count == 1 ? inputs[0] : nil }
}
