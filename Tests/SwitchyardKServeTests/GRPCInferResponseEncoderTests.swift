import Testing
import SwiftProtobuf
@testable import SwitchyardKServe

/// The hand-written ModelInfer response encoder against swift-protobuf's own encoding.
@Suite struct GRPCInferResponseEncoderTests {
    static let outputs: [InferTensor] = [
        InferTensor(name: "probabilities", shape: [1, 3], values: [Float(0.1), 0.2, 0.7]),
        InferTensor(name: "label", shape: [2, 3], values: [Int64(-1), 0, 1, 2, 300, Int64.min]),
        InferTensor(name: "names", shape: [2], strings: ["cat", ""]),
        InferTensor(name: "scalar", shape: [], values: [Double(3.5)]),
        InferTensor(name: "empty", shape: [0, 4], values: [Float]()),
        InferTensor(name: String(repeating: "w", count: 200), shape: [1, 300], values: [UInt8](repeating: 7, count: 300)),
    ]

    /// The library's bytes for the same response, and ours without the gRPC prefix.
    private func encodings(_ r: InferResponse) throws -> (library: [UInt8], ours: [UInt8]) {
        let framed = GRPCInferResponseEncoder.framed(r)
        let body = try GRPCFraming.singleMessage(in: framed, maxMessageSize: 1 << 20)
        return (try Inference_ModelInferResponse(r).serializedBytes(), body)
    }

    @Test func withoutMapsTheBytesAreTheLibrarysBytes() throws {
        // Map fields are written in dictionary order by the library; everything else is ordered.
        for r in [InferResponse(modelName: "mlp", modelVersion: "1", id: "req-7", outputs: Self.outputs),
                  InferResponse(modelName: "m", outputs: []),
                  InferResponse(modelName: "", modelVersion: "", id: "", outputs: [Self.outputs[0]])] {
            let (library, ours) = try encodings(r)
            #expect(ours == library)
        }
    }

    @Test func parametersDecodeToTheSameMessage() throws {
        var r = InferResponse(modelName: "mlp", modelVersion: "2", id: "x", outputs: Self.outputs)
        r.parameters["x-switchyard-experiment"] = .string("ab")
        r.parameters["empty"] = .string("")
        r.parameters["flag"] = .bool(false)
        r.parameters["count"] = .int64(-42)
        r.parameters["big"] = .uint64(UInt64.max)
        r.parameters["ratio"] = .double(-0.25)
        r.outputs[1].parameters["binary_data_size"] = .int64(48)
        let (library, ours) = try encodings(r)
        #expect(ours.count == library.count)
        let decoded = try Inference_ModelInferResponse(serializedBytes: ours)
        #expect(decoded == Inference_ModelInferResponse(r))
        #expect(try decoded.inferResponse().parameters["count"] == .int64(-42))
    }

    @Test func theFrameDeclaresTheMessageLength() throws {
        let framed = GRPCInferResponseEncoder.framed(InferResponse(modelName: "mlp", outputs: Self.outputs))
        #expect(framed[0] == 0)
        let length = framed[1..<5].reduce(0) { $0 << 8 | Int($1) }
        #expect(length == framed.count - GRPCFraming.prefixLength)
    }
}
