import Foundation
import SwiftProtobuf
import Testing
@testable import SwitchyardKServe

@Suite struct GRPCConversionTests {
    /// One tensor per datatype (FP16/BF16 only through raw contents).
    static let tensors: [InferTensor] = [
        InferTensor(name: "bool", shape: [2], values: [true, false]),
        InferTensor(name: "u8", shape: [2], values: [UInt8(0), 255]),
        InferTensor(name: "u16", shape: [2], values: [UInt16(1), .max]),
        InferTensor(name: "u32", shape: [1, 2], values: [UInt32(1), .max]),
        InferTensor(name: "u64", shape: [2], values: [UInt64(1), .max]),
        InferTensor(name: "i8", shape: [2], values: [Int8.min, .max]),
        InferTensor(name: "i16", shape: [2], values: [Int16.min, .max]),
        InferTensor(name: "i32", shape: [2], values: [Int32.min, .max]),
        InferTensor(name: "i64", shape: [2], values: [Int64.min, .max]),
        InferTensor(name: "f32", shape: [2], values: [Float(0.1), -.infinity]),
        InferTensor(name: "f64", shape: [2], values: [0.1, .leastNonzeroMagnitude]),
        InferTensor(name: "s", shape: [2], elements: [[0xFF, 0], []]),
    ]

    func roundTrip(_ request: InferRequest, raw: Bool) throws -> GRPCInferCall {
        let message = Inference_ModelInferRequest(request, model: ModelReference(name: "m", version: "3"), rawContents: raw)
        let wire: Data = try message.serializedBytes()
        return try Inference_ModelInferRequest(serializedBytes: wire).inferCall()
    }

    @Test func requestRoundTripsTypedAndRawForEveryDatatype() throws {
        let request = InferRequest(id: "r1", parameters: ["a": .bool(true), "b": .int64(-1), "c": .uint64(.max), "d": .double(0.5), "e": .string("x")],
                                   inputs: Self.tensors,
                                   outputs: [InferRequestedOutput(name: "y", parameters: ["binary_data": .bool(true)])])
        for raw in [true, false] {
            let call = try roundTrip(request, raw: raw)
            #expect(call.model == ModelReference(name: "m", version: "3"))
            #expect(call.request == request, "raw \(raw)")
        }
    }

    @Test func typedContentsUseTheDatatypesField() {
        let m = Inference_ModelInferRequest(InferRequest(inputs: Self.tensors), model: ModelReference(name: "m"), rawContents: false)
        #expect(m.rawInputContents.isEmpty)
        #expect(m.inputs[0].contents.boolContents == [true, false])
        #expect(m.inputs[1].contents.uintContents == [0, 255])
        #expect(m.inputs[5].contents.intContents == [-128, 127])
        #expect(m.inputs[8].contents.int64Contents == [.min, .max])
        #expect(m.inputs[9].contents.fp32Contents.first == Float(0.1))
        #expect(m.inputs[11].contents.bytesContents == [Data([0xFF, 0]), Data()])
        #expect(m.modelVersion == "" && m.id == "" && m.outputs.isEmpty)
    }

    @Test func fp16AndBF16AreRawOnly() throws {
        let h = InferTensor(name: "h", datatype: .fp16, shape: [1], data: .raw([0, 0x3C]))
        let g = InferTensor(name: "g", datatype: .bf16, shape: [1], data: .raw([0x80, 0x3F]))
        let call = try roundTrip(InferRequest(inputs: [h, g]), raw: false)  // falls back to raw
        #expect(call.request.inputs == [h, g])
        var typed = Inference_ModelInferRequest()
        var input = Inference_ModelInferRequest.InferInputTensor()
        input.name = "h"; input.datatype = "FP16"; input.shape = [1]
        input.contents.fp32Contents = [1]
        typed.inputs = [input]
        #expect(throws: KServeError.invalidArgument("input 'h': datatype FP16 has no typed contents field; send it in raw_input_contents")) { try typed.inferCall() }
    }

    @Test func conversionErrors() {
        func input(_ name: String, _ dt: String, _ shape: [Int64], _ fill: (inout Inference_InferTensorContents) -> Void) -> Inference_ModelInferRequest.InferInputTensor {
            var i = Inference_ModelInferRequest.InferInputTensor()
            i.name = name; i.datatype = dt; i.shape = shape
            fill(&i.contents)
            return i
        }
        var m = Inference_ModelInferRequest()
        m.inputs = [input("a", "FP32", [2], { $0.fp32Contents = [1, 2] })]
        m.rawInputContents = [Data(count: 8)]
        #expect(throws: KServeError.invalidArgument("input 'a': 'contents' must not be set when raw_input_contents is used")) { try m.inferCall() }

        m.rawInputContents = [Data(count: 8), Data(count: 8)]
        #expect(throws: KServeError.invalidArgument("raw_input_contents has 2 entries for 1 inputs")) { try m.inferCall() }

        m = Inference_ModelInferRequest()
        var bare = Inference_ModelInferRequest.InferInputTensor()
        bare.name = "a"; bare.datatype = "FP32"; bare.shape = [2]
        m.inputs = [bare]
        m.rawInputContents = [Data(count: 7)]
        #expect(throws: KServeError.invalidArgument("input 'a': binary data has 7 bytes, shape [2] of FP32 needs 8")) { try m.inferCall() }
        m.rawInputContents = []
        #expect(throws: KServeError.invalidArgument("input 'a': has no contents and raw_input_contents is empty")) { try m.inferCall() }

        let cases: [(Inference_ModelInferRequest.InferInputTensor, String)] = [
            (input("a", "INT32", [2, 32], { $0.intContents = Array(repeating: 1, count: 63) }), "input 'a': shape [2,32] needs 64 elements, got 63 in int_contents"),
            (input("a", "INT8", [1], { $0.intContents = [128] }), "input 'a': element 0 (128) is out of range for INT8"),
            (input("a", "UINT16", [1], { $0.uintContents = [65536] }), "input 'a': element 0 (65536) is out of range for UINT16"),
            (input("a", "FP64", [1], { $0.fp32Contents = [1] }), "input 'a': shape [1] needs 1 elements, got 0 in fp64_contents"),
            (input("a", "FLOAT", [1], { $0.fp32Contents = [1] }), "input 'a': unknown datatype 'FLOAT'"),
            (input("a", "FP32", [-1], { $0.fp32Contents = [1] }), "input 'a': shape dimension -1 is negative"),
        ]
        for (i, message) in cases {
            var r = Inference_ModelInferRequest()
            r.inputs = [i]
            #expect(throws: KServeError.invalidArgument(message)) { try r.inferCall() }
            #expect(KServeError.invalidArgument(message).grpcCode == .invalidArgument)
        }
        var empty = Inference_ModelInferRequest()
        var p = Inference_InferParameter()
        p.parameterChoice = nil
        empty.parameters = ["x": p]
        #expect(throws: KServeError.invalidArgument("request: parameter 'x' has no value")) { try empty.inferCall() }
    }

    @Test func responseUsesRawOutputContentsAndRoundTrips() throws {
        let response = InferResponse(modelName: "m", modelVersion: "1", id: "r", parameters: ["k": .string("v")], outputs: Self.tensors)
        let message = Inference_ModelInferResponse(response)
        #expect(message.rawOutputContents.count == Self.tensors.count)
        #expect(message.outputs.allSatisfy { !$0.hasContents })
        #expect(message.rawOutputContents[11] == Data([2, 0, 0, 0, 0xFF, 0, 0, 0, 0, 0]))
        let wire: Data = try message.serializedBytes()
        #expect(try Inference_ModelInferResponse(serializedBytes: wire).inferResponse() == response)

        // Typed response contents (as other servers may send) decode too.
        var typed = Inference_ModelInferResponse()
        typed.modelName = "m"
        var o = Inference_ModelInferResponse.InferOutputTensor()
        o.name = "y"; o.datatype = "INT16"; o.shape = [2]
        o.contents.intContents = [-5, 300]
        typed.outputs = [o]
        #expect(try typed.inferResponse().outputs == [InferTensor(name: "y", shape: [2], values: [Int16(-5), 300])])
    }

    @Test func wireFieldNumbersMatchTriton() throws {
        // Hand-encoded bytes with Triton's field numbers: model_name=1, id=3, inputs=5
        // {name=1, datatype=2, shape=3 packed}, raw_input_contents=7.
        let input: [UInt8] = [0x0A, 1, 0x78] + [0x12, 4] + Array("INT8".utf8) + [0x1A, 1, 2]
        let wire: [UInt8] = [0x0A, 1, 0x6D] + [0x1A, 2, 0x69, 0x64] + [0x2A, UInt8(input.count)] + input + [0x3A, 2, 7, 0xF9]
        let call = try Inference_ModelInferRequest(serializedBytes: wire).inferCall()
        #expect(call.model.name == "m" && call.request.id == "id")
        #expect(call.request.inputs == [InferTensor(name: "x", shape: [2], values: [Int8(7), -7])])
        // Response: raw_output_contents is field 6 (tag 0x32), outputs field 5.
        let encoded: [UInt8] = try Inference_ModelInferResponse(InferResponse(modelName: "m", outputs: [InferTensor(name: "y", shape: [1], values: [UInt8(9)])])).serializedBytes()
        #expect(encoded.suffix(3) == [0x32, 1, 9])
        // InferParameter oneof: double_param=4 (tag 0x21), uint64_param=5 (tag 0x28).
        var p = Inference_InferParameter(); p.uint64Param = 1
        #expect(try p.serializedBytes() == [0x28, 1] as [UInt8])
        p.doubleParam = 0
        #expect(try p.serializedBytes() == [0x21, 0, 0, 0, 0, 0, 0, 0, 0] as [UInt8])
    }

    @Test func metadataAndStatisticsMessages() {
        let meta = ModelMetadata(name: "m", versions: ["1"], platform: "onnx_onnxv1",
                                 inputs: [TensorMetadata(name: "x", datatype: .fp32, shape: [-1, 4])], outputs: [])
        let mm = Inference_ModelMetadataResponse(meta)
        #expect(mm.name == "m" && mm.versions == ["1"] && mm.inputs[0].datatype == "FP32" && mm.inputs[0].shape == [-1, 4])
        let sm = Inference_ServerMetadataResponse(ServerMetadata(name: "s", version: "1", extensions: ["statistics"]))
        #expect(sm.extensions == ["statistics"])
        var st = InferStatistics(); st.success = StatisticDuration(count: 2, ns: 9)
        let ms = Inference_ModelStatisticsResponse([ModelStatistics(name: "m", version: "1", inferenceCount: 2, inferenceStats: st,
                                                                    batchStats: [InferBatchStatistics(batchSize: 4)])])
        #expect(ms.modelStats[0].inferenceStats.success.ns == 9 && ms.modelStats[0].batchStats[0].batchSize == 4)
        let ri = Inference_RepositoryIndexResponse([RepositoryIndexEntry(name: "m", version: "1", state: "READY")])
        #expect(ri.models[0].state == "READY" && ri.models[0].reason == "")
        var req = Inference_ModelReadyRequest(); req.name = "m"
        #expect(req.modelReference == ModelReference(name: "m"))
        #expect(Inference_ModelStatisticsRequest().modelReference == nil)
    }
}
