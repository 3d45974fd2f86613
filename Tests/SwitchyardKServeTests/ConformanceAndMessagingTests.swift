import SwiftProtobuf
import SwitchyardCore
import Testing
@testable import SwitchyardKServe

@Suite struct ModelConformanceTests {
    let model = ModelMetadata(name: "mlp", versions: ["1"], platform: "onnx_onnxv1",
                              inputs: [TensorMetadata(name: "input", datatype: .fp32, shape: [-1, 4])],
                              outputs: [TensorMetadata(name: "probs", datatype: .fp32, shape: [-1, 3])])

    func request(_ t: InferTensor, outputs: [String]? = nil) -> InferRequest {
        InferRequest(inputs: [t], outputs: outputs?.map { InferRequestedOutput(name: $0) })
    }

    @Test func acceptsMatchingRequests() throws {
        try request(InferTensor(name: "input", shape: [2, 4], values: [Float](repeating: 0, count: 8)), outputs: ["probs"]).validate(against: model)
        try request(InferTensor(name: "input", shape: [0, 4], values: [Float]())).validate(against: model)
    }

    @Test func rejectsMismatchesWithMessages() {
        let cases: [(InferRequest, String)] = [
            (request(InferTensor(name: "x", shape: [1, 4], values: [Float](repeating: 0, count: 4))),
             "unexpected input 'x' for model 'mlp' (model inputs: 'input')"),
            (request(InferTensor(name: "input", shape: [1, 4], values: [Double](repeating: 0, count: 4))),
             "input 'input': datatype FP64 does not match the model's FP32"),
            (request(InferTensor(name: "input", shape: [1, 5], values: [Float](repeating: 0, count: 5))),
             "input 'input': shape [1,5] does not match the model's [-1,4]"),
            (request(InferTensor(name: "input", shape: [4], values: [Float](repeating: 0, count: 4))),
             "input 'input': shape [4] does not match the model's [-1,4]"),
            (InferRequest(inputs: []), "missing input 'input' for model 'mlp'"),
            (request(InferTensor(name: "input", shape: [1, 4], values: [Float](repeating: 0, count: 4)), outputs: ["logits"]),
             "unknown output 'logits' requested for model 'mlp'"),
        ]
        for (r, message) in cases {
            #expect(throws: KServeError.invalidArgument(message)) { try r.validate(against: model) }
        }
    }
}

@Suite struct GRPCMessagingTests {
    @Test func contentTypes() {
        #expect(GRPCMessaging.isGRPCContentType("application/grpc"))
        #expect(GRPCMessaging.isGRPCContentType("application/grpc+proto"))
        #expect(!GRPCMessaging.isGRPCContentType("application/grpc+json"))
        #expect(!GRPCMessaging.isGRPCContentType("application/json"))
        #expect(!GRPCMessaging.isGRPCContentType(nil))
    }

    @Test func unaryRequestAndResponse() throws {
        var ready = Inference_ModelReadyRequest()
        ready.name = "mlp"
        let body = GRPCFraming.frame(try ready.serializedBytes())
        let decoded = try GRPCMessaging.decodeRequest(Inference_ModelReadyRequest.self, body: body, maxMessageSize: 1024)
        #expect(decoded.modelReference == ModelReference(name: "mlp"))
        #expect(throws: GRPCStatus.self) {
            try GRPCMessaging.decodeRequest(Inference_ModelReadyRequest.self, body: GRPCFraming.frame([0x0A, 5, 1]), maxMessageSize: 1024)
        }

        var answer = Inference_ModelReadyResponse()
        answer.ready = true
        let response = GRPCMessaging.response(answer)
        #expect(response.status.code == 200 && response.headers["content-type"] == "application/grpc")
        #expect(response.body == [0, 0, 0, 0, 2, 0x08, 1])
        #expect(response.trailers?["grpc-status"] == "0")

        let failure = GRPCMessaging.failure(GRPCStatus(KServeError.notFound("unknown model 'x'")))
        #expect(failure.status.code == 200 && failure.body.isEmpty && failure.trailers == nil)
        #expect(failure.headers["grpc-status"] == "5" && failure.headers["grpc-message"] == "unknown model 'x'")
    }

    @Test func timeoutHeader() throws {
        #expect(try GRPCMessaging.timeout(["grpc-timeout": "5S"]) == .seconds(5))
        #expect(try GRPCMessaging.timeout(HTTPHeaders()) == nil)
        #expect(throws: GRPCStatus.self) { try GRPCMessaging.timeout(["grpc-timeout": "soon"]) }
    }

    @Test func restErrorResponse() {
        let r = KServeError.invalidArgument("input 'x': bad").httpResponse
        #expect(r.status.code == 400 && r.headers["content-type"] == "application/json")
        #expect(T.text(r.body) == #"{"error":"input 'x': bad"}"#)
        #expect(KServeError.unavailable("not ready").httpResponse.status.code == 503)
    }
}
