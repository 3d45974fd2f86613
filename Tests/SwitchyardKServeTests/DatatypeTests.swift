import Testing
@testable import SwitchyardKServe

@Suite struct DatatypeTests {
    @Test func byteSizesMatchTheProtocolTable() {
        let expected: [InferDatatype: Int?] = [
            .bool: 1, .uint8: 1, .uint16: 2, .uint32: 4, .uint64: 8, .int8: 1, .int16: 2, .int32: 4,
            .int64: 8, .fp16: 2, .bf16: 2, .fp32: 4, .fp64: 8, .bytes: nil,
        ]
        for t in InferDatatype.allCases { #expect(t.byteSize == expected[t]!, "\(t)") }
    }

    @Test func parsesWireNamesCaseSensitively() {
        for t in InferDatatype.allCases { #expect(InferDatatype(wireName: t.rawValue) == t) }
        #expect(InferDatatype(wireName: "fp32") == nil)
        #expect(InferDatatype(wireName: "FLOAT") == nil)
        #expect(InferDatatype(wireName: "FP3") == nil && InferDatatype(wireName: "FP322") == nil && InferDatatype(wireName: "") == nil)
        // The literal spelling encoders copy is the raw value, for every case.
        for t in InferDatatype.allCases { #expect(t.wireName.description == t.rawValue) }
        #expect(InferDatatype.fp16.isBinaryOnly && InferDatatype.bf16.isBinaryOnly && !InferDatatype.fp32.isBinaryOnly)
    }

    @Test func tensorValuesRoundTripThroughRawBytes() {
        let f = InferTensor(name: "f", shape: [3], values: [Float(1.5), -2, .leastNonzeroMagnitude])
        #expect(f.rawBytes == [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0, 1, 0, 0, 0])
        #expect(f.values(as: Float.self) == [1.5, -2, .leastNonzeroMagnitude])
        #expect(f.values(as: Double.self) == nil)
        let b = InferTensor(name: "b", shape: [2], values: [true, false])
        #expect(b.rawBytes == [1, 0])
        #expect(b.values(as: Bool.self) == [true, false])
        let i = InferTensor(name: "i", shape: [2], values: [Int16(-2), 258])
        #expect(i.rawBytes == [0xFE, 0xFF, 0x02, 0x01])
    }

    @Test func bytesTensorSerializesWithLengthPrefixes() {
        let t = InferTensor(name: "s", shape: [2], strings: ["ab", ""])
        #expect(t.serializedBytes() == [2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0])
        #expect(t.serializedByteCount == 10)
    }

    @Test func validateChecksShapeAgainstData() throws {
        try InferTensor(name: "x", shape: [2, 2], values: [Int32(1), 2, 3, 4]).validate()
        #expect(throws: KServeError.invalidArgument("tensor 'x': shape [2,3] of INT32 needs 24 bytes, got 16")) {
            try InferTensor(name: "x", shape: [2, 3], values: [Int32(1), 2, 3, 4]).validate()
        }
        #expect(throws: KServeError.invalidArgument("output 's': shape [3] needs 3 elements, got 1")) {
            try InferTensor(name: "s", shape: [3], strings: ["a"]).validate(role: "output")
        }
        #expect(InferTensor.elementCount(of: [-1, 2]) == nil)
        #expect(InferTensor.elementCount(of: [Int64.max, 4]) == nil)
        #expect(InferTensor.elementCount(of: []) == 1)
    }

    @Test func parametersKeepOrderAndReplaceInPlace() {
        var p: InferParameters = ["b": .int64(1), "a": .string("x")]
        p["b"] = .bool(true)
        p["c"] = .double(0.5)
        #expect(p.entries.map(\.name) == ["b", "a", "c"])
        p["a"] = nil
        #expect(p.entries.map(\.name) == ["b", "c"])
        #expect(p["b"]?.boolValue == true)
        #expect(InferParameterValue.uint64(5).int64Value == 5)
        #expect(InferParameterValue.uint64(.max).int64Value == nil)
    }

    @Test func errorKindsMapToHTTPAndGRPC() {
        #expect(KServeError.invalidArgument("m").httpStatus.code == 400)
        #expect(KServeError.notFound("m").httpStatus.code == 404)
        #expect(KServeError.unavailable("m").httpStatus.code == 503)
        #expect(KServeError.unsupported("m").httpStatus.code == 501)
        #expect(KServeError.internalError("m").httpStatus.code == 500)
        #expect(KServeError.resourceExhausted("m").httpStatus.code == 413)
        #expect(KServeError.invalidArgument("m").grpcCode == .invalidArgument)
        #expect(KServeError.notFound("m").grpcCode == .notFound)
        #expect(KServeError.unavailable("m").grpcCode == .unavailable)
        #expect(KServeError.unsupported("m").grpcCode == .unimplemented)
        #expect(KServeError.resourceExhausted("m").grpcCode == .resourceExhausted)
        #expect(KServeError(.deadlineExceeded, "m").grpcCode == .deadlineExceeded)
        #expect(KServeError(.cancelled, "m").grpcCode == .cancelled)
        #expect(T.text(KServeError.invalidArgument("bad \"x\"\n").jsonBody) == #"{"error":"bad \"x\"\n"}"#)
    }
}
