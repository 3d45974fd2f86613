#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwitchyardCore

/// A decoded ModelInfer call: the model it addresses (empty version: the server chooses) and
/// the request in the module's common representation.
public struct GRPCInferCall: Sendable, Hashable {
    public var model: ModelReference
    public var request: InferRequest
    public init(model: ModelReference, request: InferRequest) { self.model = model; self.request = request }
}

extension Inference_ModelInferRequest {
    /// Converts to the common representation. Inputs come either all from `raw_input_contents`
    /// (one entry per input, in order) or each from its typed `contents`; mixing is
    /// INVALID_ARGUMENT, as the proto comments require. FP16/BF16 must be raw.
    public func inferCall() throws(KServeError) -> GRPCInferCall {
        let useRaw = !rawInputContents.isEmpty
        if useRaw && rawInputContents.count != inputs.count {
            throw .invalidArgument("raw_input_contents has \(rawInputContents.count) entries for \(inputs.count) inputs")
        }
        var tensors: [InferTensor] = []
        tensors.reserveCapacity(inputs.count)
        for i in inputs.indices {
            let input = inputs[i]
            // Built only for messages: a successful decode never formats it.
            func label() -> String { "input '\(input.name)'" }
            if tensors.contains(where: { $0.name == input.name }) { throw .invalidArgument("\(label()) appears more than once") }
            guard let datatype = InferDatatype(wireName: input.datatype) else {
                throw .invalidArgument("\(label()): unknown datatype '\(input.datatype)'")
            }
            if let bad = input.shape.first(where: { $0 < 0 }) { throw .invalidArgument("\(label()): shape dimension \(bad) is negative") }
            let pending = PendingTensor(name: input.name, datatype: datatype, shape: input.shape,
                                        parameters: InferParameters(), data: nil, binarySize: nil, role: "input")
            let data: TensorData
            if useRaw {
                if input.hasContents {
                    throw .invalidArgument("\(label()): 'contents' must not be set when raw_input_contents is used")
                }
                // One memcpy: Array(Data) copied byte by byte (~940 instructions for 128 bytes).
                data = try BinaryTensorExtension.blob(rawInputContents[i].withUnsafeBytes(ByteArrays.copy)[...], of: pending)
            } else {
                guard input.hasContents else { throw .invalidArgument("\(label()): has no contents and raw_input_contents is empty") }
                data = try GRPCTensorContents.decode(input.contents, of: pending)
            }
            tensors.append(InferTensor(name: input.name, datatype: datatype, shape: input.shape,
                                       parameters: try GRPCParameters.decode(input.parameters, owner: label()), data: data))
        }
        let outs: [InferRequestedOutput]? = try outputs.isEmpty ? nil : outputs.map { o throws(KServeError) in
            InferRequestedOutput(name: o.name, parameters: try GRPCParameters.decode(o.parameters, owner: "output '\(o.name)'"))
        }
        let request = InferRequest(id: id.isEmpty ? nil : id, parameters: try GRPCParameters.decode(parameters, owner: "request"),
                                   inputs: tensors, outputs: outs)
        return GRPCInferCall(model: ModelReference(name: modelName, version: modelVersion.isEmpty ? nil : modelVersion), request: request)
    }

    /// Builds the message for a request (client side and tests). `rawContents` puts every input in
    /// `raw_input_contents` (what tritonclient does); otherwise typed `contents` are used, except
    /// for FP16/BF16 which have no typed field (then raw is used for all inputs).
    public init(_ request: InferRequest, model: ModelReference, rawContents: Bool = true) {
        self.init()
        modelName = model.name
        modelVersion = model.version ?? ""
        id = request.id ?? ""
        parameters = GRPCParameters.encode(request.parameters)
        let raw = rawContents || request.inputs.contains { $0.datatype.isBinaryOnly }
        for t in request.inputs {
            var input = InferInputTensor()
            input.name = t.name
            input.datatype = t.datatype.rawValue
            input.shape = t.shape
            input.parameters = GRPCParameters.encode(t.parameters)
            if raw {
                rawInputContents.append(Data(t.serializedBytes()))
            } else {
                input.contents = GRPCTensorContents.encode(t)
            }
            inputs.append(input)
        }
        if let outs = request.outputs {
            outputs = outs.map { o in
                var r = InferRequestedOutputTensor()
                r.name = o.name
                r.parameters = GRPCParameters.encode(o.parameters)
                return r
            }
        }
    }
}

extension Inference_ModelInferResponse {
    /// Builds the response message with every output in `raw_output_contents`, as Triton does.
    public init(_ response: InferResponse) {
        self.init()
        modelName = response.modelName
        modelVersion = response.modelVersion ?? ""
        id = response.id ?? ""
        parameters = GRPCParameters.encode(response.parameters)
        outputs.reserveCapacity(response.outputs.count)
        rawOutputContents.reserveCapacity(response.outputs.count)
        for t in response.outputs {
            var o = InferOutputTensor()
            o.name = t.name
            o.datatype = t.datatype.rawValue
            o.shape = t.shape
            o.parameters = GRPCParameters.encode(t.parameters)
            outputs.append(o)
            switch t.data {
            case .raw(let b): rawOutputContents.append(Data(b))
            case .bytes(let e): rawOutputContents.append(Data(BytesElementCodec.serialize(e)))
            }
        }
    }

    /// Converts back to the common representation, from raw or typed contents.
    public func inferResponse() throws(KServeError) -> InferResponse {
        let useRaw = !rawOutputContents.isEmpty
        if useRaw && rawOutputContents.count != outputs.count {
            throw .invalidArgument("raw_output_contents has \(rawOutputContents.count) entries for \(outputs.count) outputs")
        }
        var tensors: [InferTensor] = []
        for (i, o) in outputs.enumerated() {
            let label = "output '\(o.name)'"
            guard let datatype = InferDatatype(wireName: o.datatype) else { throw .invalidArgument("\(label): unknown datatype '\(o.datatype)'") }
            if let bad = o.shape.first(where: { $0 < 0 }) { throw .invalidArgument("\(label): shape dimension \(bad) is negative") }
            let pending = PendingTensor(name: o.name, datatype: datatype, shape: o.shape, parameters: InferParameters(),
                                        data: nil, binarySize: nil, role: "output")
            let data: TensorData
            if useRaw {
                if o.hasContents { throw .invalidArgument("\(label): 'contents' must not be set when raw_output_contents is used") }
                data = try BinaryTensorExtension.blob(Array(rawOutputContents[i])[...], of: pending)
            } else {
                data = try GRPCTensorContents.decode(o.contents, of: pending)
            }
            tensors.append(InferTensor(name: o.name, datatype: datatype, shape: o.shape,
                                       parameters: try GRPCParameters.decode(o.parameters, owner: label), data: data))
        }
        return InferResponse(modelName: modelName, modelVersion: modelVersion.isEmpty ? nil : modelVersion,
                             id: id.isEmpty ? nil : id, parameters: try GRPCParameters.decode(parameters, owner: "response"),
                             outputs: tensors)
    }
}
