import Foundation
import SwiftProtobuf
import Testing
@testable import SwitchyardKServe

/// The direct ModelInfer reader must agree with swift-protobuf + `inferCall()` whenever it answers,
/// and leave everything it does not cover (nil) to that path.
@Suite struct GRPCInferRequestDecoderTests {
    static func wire(_ request: InferRequest, model: ModelReference = ModelReference(name: "m", version: "3"),
                     raw: Bool = true) throws -> [UInt8] {
        try Inference_ModelInferRequest(request, model: model, rawContents: raw).serializedBytes()
    }

    static func fast(_ bytes: [UInt8]) -> GRPCInferCall? {
        bytes.withUnsafeBytes { GRPCInferRequestDecoder.decode($0) }
    }

    static func library(_ bytes: [UInt8]) -> GRPCInferCall? {
        try? Inference_ModelInferRequest(serializedBytes: bytes).inferCall()
    }

    /// Raw tensors of every datatype without parameters: the shape the reader covers.
    static let plain: [InferTensor] = GRPCConversionTests.tensors.map {
        InferTensor(name: $0.name, datatype: $0.datatype, shape: $0.shape, data: $0.data)
    } + [InferTensor(name: "h", datatype: .fp16, shape: [1], data: .raw([0, 0x3C])), InferTensor(name: "e", shape: [0], values: [Float]())]

    @Test(arguments: [
        (ModelReference(name: "m", version: "3"), "id-1", true),
        (ModelReference(name: "m", version: nil), nil, false),
        (ModelReference(name: "", version: nil), "é", true),
    ] as [(ModelReference, String?, Bool)])
    func agreesWithTheLibraryOnRawRequests(model: ModelReference, id: String?, withOutputs: Bool) throws {
        let request = InferRequest(id: id, inputs: Self.plain,
                                   outputs: withOutputs ? [InferRequestedOutput(name: "y"), InferRequestedOutput(name: "z")] : nil)
        let bytes = try Self.wire(request, model: model)
        let fast = try #require(Self.fast(bytes))
        #expect(fast == Self.library(bytes))
        #expect(fast.request == request)
        #expect(fast.model == model)
    }

    @Test func readsUnpackedShapesAsParsersMust() throws {
        // inputs { name: "x" datatype: "FP32" shape: 1 shape: 2 (unpacked) }, raw_input_contents: 8 bytes
        let input: [UInt8] = [0x0A, 1, 0x78, 0x12, 4] + Array("FP32".utf8) + [0x18, 1, 0x18, 2]
        let bytes: [UInt8] = [0x0A, 1, 0x6D, 0x2A, UInt8(input.count)] + input + [0x3A, 8] + [UInt8](repeating: 0, count: 8)
        let fast = try #require(Self.fast(bytes))
        #expect(fast == Self.library(bytes))
        #expect(fast.request.inputs[0].shape == [1, 2])
    }

    /// Everything outside the covered shape, valid or not, is left to the library path.
    @Test func leavesEverythingElseToTheLibrary() throws {
        let x = InferTensor(name: "x", shape: [2], values: [Float(1), 2])
        let cases: [(String, [UInt8])] = [
            ("request parameters", try Self.wire(InferRequest(parameters: ["p": .int64(1)], inputs: [x]))),
            ("input parameters", try Self.wire(InferRequest(inputs: [InferTensor(name: "x", datatype: .fp32, shape: [2],
                                                                                parameters: ["q": .bool(true)], data: x.data)]))),
            ("output parameters", try Self.wire(InferRequest(inputs: [x], outputs: [InferRequestedOutput(name: "y", parameters: ["binary_data": .bool(true)])]))),
            ("typed contents", try Self.wire(InferRequest(inputs: [x]), raw: false)),
            ("unknown field", try Self.wire(InferRequest(inputs: [x])) + [0xF8, 0x06, 1]),
            ("duplicate input", try Self.wire(InferRequest(inputs: [x, x]))),
            ("too few bytes", try Self.wire(InferRequest(inputs: [InferTensor(name: "x", datatype: .fp32, shape: [3], data: x.data)]))),
            ("negative dimension", try Self.wire(InferRequest(inputs: [InferTensor(name: "x", datatype: .fp32, shape: [-1], data: x.data)]))),
            ("no inputs", try Self.wire(InferRequest(inputs: []))),
            ("truncated", Array(try Self.wire(InferRequest(inputs: [x])).dropLast())),
        ]
        for (what, bytes) in cases {
            #expect(Self.fast(bytes) == nil, "\(what)")
        }
        // Valid requests among them still decode through the library, with their parameters.
        #expect(Self.library(cases[0].1)?.request.parameters["p"] == .int64(1))
        #expect(Self.library(cases[3].1)?.request.inputs == [x])
        #expect(Self.library(cases[4].1)?.request.inputs == [x])
        // An invalid UTF-8 name (the library refuses the message).
        let bad: [UInt8] = [0x0A, 2, 0xC3, 0x28]
        #expect(Self.fast(bad) == nil && Self.library(bad) == nil)
    }

    /// Cut anywhere, or with any one byte changed, the reader never crashes and never answers
    /// differently from the library.
    @Test func truncatedAndMutatedBytesNeverDisagree() throws {
        let request = InferRequest(id: "r", inputs: Array(Self.plain.prefix(4)), outputs: [InferRequestedOutput(name: "y")])
        let bytes = try Self.wire(request)
        for n in 0...bytes.count {
            let cut = Array(bytes.prefix(n))
            if let fast = Self.fast(cut) { #expect(fast == Self.library(cut), "cut at \(n)") }
        }
        var g = FloatRoundTripTests.SplitMix(state: 5)
        var answered = 0
        for _ in 0..<3000 {
            var m = bytes
            m[Int(g.next() % UInt64(m.count))] = UInt8(truncatingIfNeeded: g.next())
            if let fast = Self.fast(m) {
                answered += 1
                #expect(fast == Self.library(m))
            }
        }
        #expect(answered > 0)  // mutations inside tensor bytes still decode: the comparison ran
    }
}
