import Testing
@testable import SwitchyardKServe

@Suite struct JSONEncodingTests {
    @Test func encodesASmallResponseByteExactly() throws {
        let response = InferResponse(
            modelName: "mlp", modelVersion: "1", id: "r\"1",
            parameters: ["p": .int64(-2)],
            outputs: [
                InferTensor(name: "probs", shape: [1, 3], values: [Float(0.1), 0.25, 1e-45]),
                InferTensor(name: "label", shape: [1], values: [Int64(-7)]),
                InferTensor(name: "ok", shape: [2], values: [true, false]),
                InferTensor(name: "s", shape: [1], strings: ["a\"\\\u{1}é"]),
            ])
        let body = try KServeJSONEncoder.encode(response, binaryOutput: { _ in false })
        #expect(body.jsonHeaderLength == nil && body.contentType == "application/json")
        #expect(T.text(body.bytes) == #"{"model_name":"mlp","model_version":"1","id":"r\"1","parameters":{"p":-2},"outputs":["#
            + #"{"name":"probs","datatype":"FP32","shape":[1,3],"data":[0.1,0.25,1e-45]},"#
            + #"{"name":"label","datatype":"INT64","shape":[1],"data":[-7]},"#
            + #"{"name":"ok","datatype":"BOOL","shape":[2],"data":[true,false]},"#
            + #"{"name":"s","datatype":"BYTES","shape":[1],"data":["a\"\\\u0001é"]}]}"#)
    }

    @Test func omitsAbsentVersionIdAndParameters() throws {
        let body = try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: []), binaryOutput: { _ in false })
        #expect(T.text(body.bytes) == #"{"model_name":"m","outputs":[]}"#)
    }

    @Test func integerExtremesAndEveryDatatype() throws {
        let outputs = [
            InferTensor(name: "u8", shape: [2], values: [UInt8(0), 255]),
            InferTensor(name: "u16", shape: [1], values: [UInt16.max]),
            InferTensor(name: "u32", shape: [1], values: [UInt32.max]),
            InferTensor(name: "u64", shape: [1], values: [UInt64.max]),
            InferTensor(name: "i8", shape: [1], values: [Int8.min]),
            InferTensor(name: "i16", shape: [1], values: [Int16.min]),
            InferTensor(name: "i32", shape: [1], values: [Int32.min]),
            InferTensor(name: "i64", shape: [2], values: [Int64.min, 10]),
            InferTensor(name: "f64", shape: [2], values: [0.1, -1e300]),
        ]
        let text = T.text(try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: outputs), binaryOutput: { _ in false }).bytes)
        for fragment in ["[0,255]", "[65535]", "[4294967295]", "[18446744073709551615]", "[-128]", "[-32768]",
                         "[-2147483648]", "[-9223372036854775808,10]", "[0.1,-1e+300]"] {
            #expect(text.contains(#""data":\#(fragment)"#), "\(fragment)")
        }
    }

    @Test func nonFiniteFloatsUsePythonTokens() throws {
        let t = InferTensor(name: "f", shape: [3], values: [Float.nan, .infinity, -.infinity])
        let text = T.text(try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: [t]), binaryOutput: { _ in false }).bytes)
        #expect(text.contains(#""data":[NaN,Infinity,-Infinity]"#))
    }

    @Test func invalidUTF8BytesAndBinaryOnlyTypesAskForBinary() {
        let bad = InferTensor(name: "s", shape: [2], elements: [[0x61], [0xFF, 0xFE]])
        #expect(throws: KServeError.invalidArgument("output 's': BYTES element 1 is not valid UTF-8 and cannot be written as a JSON string; request this output with binary_data")) {
            try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: [bad]), binaryOutput: { _ in false })
        }
        let half = InferTensor(name: "h", datatype: .fp16, shape: [1], data: .raw([0, 0x3C]))
        #expect(throws: KServeError.invalidArgument("output 'h': datatype FP16 cannot be written as JSON; request this output with binary_data")) {
            try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: [half]), binaryOutput: { _ in false })
        }
        // The same outputs are fine as binary.
        #expect(throws: Never.self) { try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: [bad, half]), binaryOutput: { _ in true }) }
    }

    /// JSON request → tensors → response JSON → tensors: identical, for every JSON datatype.
    @Test(arguments: 0..<JSONRequestDecodingTests.cases.count)
    func goldenRoundTripThroughResponseEncoding(index: Int) throws {
        let c = JSONRequestDecodingTests.cases[index]
        let request = try T.decode(T.request(c.datatype, "[2,2]", c.flat))
        let response = InferResponse(modelName: "m", outputs: request.inputs)
        let encoded = try KServeJSONEncoder.encode(response, binaryOutput: { _ in false })
        let golden: [String: String] = ["FP32": "[1.5,-0.25,3.0,1e-45]", "FP64": "[1.5,-0.1,3.0,5e-324]", "BYTES": #"["a","é\n","","xyz"]"#]
        #expect(T.text(encoded.bytes).contains(#""data":\#(golden[c.datatype] ?? c.flat)"#))
        let back = try KServeJSONDecoder().decodeInferResponse(body: encoded.bytes)
        #expect(back == response)
        // And through request encoding, JSON and binary.
        for binary in [false, true] {
            let e = try KServeJSONEncoder.encode(request, binaryInputs: binary)
            let again = try KServeJSONDecoder().decodeInferRequest(body: e.bytes, inferenceHeaderContentLength: e.jsonHeaderLength.map(String.init))
            #expect(again == request)
        }
    }

    /// Binary outputs chosen by name, around the 64 tensors that the flags keep in one word: each
    /// chosen output (and only those) goes after the JSON header, in order.
    @Test(arguments: [1, 63, 64, 65, 130])
    func binaryOutputsChosenByNameAtAnyCount(count: Int) throws {
        let outputs = (0..<count).map { i in
            InferTensor(name: "o\(i)", datatype: .uint8, shape: [1], data: .raw([UInt8(truncatingIfNeeded: i)]))
        }
        let chosen = Set([0, count / 2, count - 1].map { "o\($0)" })
        let body = try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: outputs), binaryOutput: { chosen.contains($0) })
        let header = try #require(body.jsonHeaderLength)
        let binaryIndices = (0..<count).filter { chosen.contains("o\($0)") }
        #expect(Array(body.bytes[header...]) == binaryIndices.map { UInt8(truncatingIfNeeded: $0) })
        let text = T.text(Array(body.bytes[..<header]))
        #expect(text.components(separatedBy: "binary_data_size").count - 1 == binaryIndices.count)
        let none = try KServeJSONEncoder.encode(InferResponse(modelName: "m", outputs: outputs), binaryOutput: { _ in false })
        #expect(none.jsonHeaderLength == nil)
    }

    @Test func flagsAgreeWithTheirSourceAtEveryCount() {
        for count in [0, 1, 2, 63, 64, 65, 200] {
            for pattern in [{ (i: Int) in i % 3 == 0 }, { _ in false }, { _ in true }, { i in i == count - 1 }] {
                let flags = BinaryFlags(count, pattern)
                #expect((0..<count).allSatisfy { flags[$0] == pattern($0) })
                #expect(flags.any == (0..<count).contains(where: pattern))
            }
        }
    }

    @Test func metadataDocuments() {
        #expect(T.text(KServeJSONEncoder.live(true)) == #"{"live":true}"#)
        #expect(T.text(KServeJSONEncoder.ready(false)) == #"{"ready":false}"#)
        #expect(T.text(KServeJSONEncoder.modelReadiness(ModelReadiness(name: "m", ready: true))) == #"{"name":"m","ready":true}"#)
        #expect(T.text(KServeJSONEncoder.serverMetadata(ServerMetadata(name: "switchyard", version: "0.1.0", extensions: ["binary_tensor_data", "statistics"])))
                == #"{"name":"switchyard","version":"0.1.0","extensions":["binary_tensor_data","statistics"]}"#)
        let meta = ModelMetadata(name: "mlp", versions: ["1", "2"], platform: "onnx_onnxv1",
                                 inputs: [TensorMetadata(name: "input", datatype: .fp32, shape: [-1, 64])],
                                 outputs: [TensorMetadata(name: "probs", datatype: .fp32, shape: [-1, 10])])
        #expect(T.text(KServeJSONEncoder.modelMetadata(meta)) == #"{"name":"mlp","versions":["1","2"],"platform":"onnx_onnxv1","#
            + #""inputs":[{"name":"input","datatype":"FP32","shape":[-1,64]}],"outputs":[{"name":"probs","datatype":"FP32","shape":[-1,10]}]}"#)
        #expect(T.text(KServeJSONEncoder.repositoryIndex([RepositoryIndexEntry(name: "a", version: "1", state: "READY"),
                                                          RepositoryIndexEntry(name: "b", state: "UNAVAILABLE", reason: "bad model")]))
                == #"[{"name":"a","version":"1","state":"READY"},{"name":"b","state":"UNAVAILABLE","reason":"bad model"}]"#)
    }

    @Test func statisticsDocumentHasTritonShape() {
        var stats = InferStatistics()
        stats.success = StatisticDuration(count: 3, ns: 3000)
        stats.computeInfer = StatisticDuration(count: 2, ns: 1500)
        var batch = InferBatchStatistics(batchSize: 1)
        batch.computeInfer = StatisticDuration(count: 2, ns: 1500)
        let s = ModelStatistics(name: "m", version: "1", lastInference: 1700000000000, inferenceCount: 3,
                                executionCount: 2, inferenceStats: stats, batchStats: [batch])
        let z = #"{"count":0,"ns":0}"#
        #expect(T.text(KServeJSONEncoder.statistics([s])) == #"{"model_stats":[{"name":"m","version":"1","last_inference":1700000000000,"#
            + #""inference_count":3,"execution_count":2,"inference_stats":{"success":{"count":3,"ns":3000},"fail":\#(z),"queue":\#(z),"#
            + #""compute_input":\#(z),"compute_infer":{"count":2,"ns":1500},"compute_output":\#(z),"cache_hit":\#(z),"cache_miss":\#(z)},"#
            + #""batch_stats":[{"batch_size":1,"compute_input":\#(z),"compute_infer":{"count":2,"ns":1500},"compute_output":\#(z)}]}]}"#)
    }
}

@Suite struct FloatRoundTripTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static func floats() -> [Float] {
        var g = SplitMix(state: 42)
        var out: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
                            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, 0.1, 1.0 / 3, 16777217,
                            Float(bitPattern: 0x007F_FFFF), Float(bitPattern: 0x0000_0001) * 3]
        while out.count < 20_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
            if f.isFinite { out.append(f) }
        }
        return out
    }

    @Test func fp32TextParsesBackToTheSameBits() throws {
        let values = Self.floats()
        let response = InferResponse(modelName: "m", outputs: [InferTensor(name: "f", shape: [Int64(values.count)], values: values)])
        let encoded = try KServeJSONEncoder.encode(response, binaryOutput: { _ in false })
        // Parsed by simdjson (as the gateway's clients' servers would) and by Swift's parser.
        let back = try KServeJSONDecoder().decodeInferResponse(body: encoded.bytes).outputs[0].values(as: Float.self)!
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
        for v in values.prefix(2000) {
            var out = JSONOutput(capacity: 1)  // grows on the first float
            JSONNumberFormatting.appendFloat(v, to: &out)
            #expect(Float(T.text(out.finish()))?.bitPattern == v.bitPattern)
        }
    }

    @Test func fp64TextParsesBackToTheSameBits() throws {
        var g = SplitMix(state: 7)
        var values: [Double] = [.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.leastNormalMagnitude, 0.1, 1e23, 5e-324 * 7]
        while values.count < 20_000 {
            let d = Double(bitPattern: g.next())
            if d.isFinite { values.append(d) }
        }
        let response = InferResponse(modelName: "m", outputs: [InferTensor(name: "d", shape: [Int64(values.count)], values: values)])
        let encoded = try KServeJSONEncoder.encode(response, binaryOutput: { _ in false })
        let back = try KServeJSONDecoder().decodeInferResponse(body: encoded.bytes).outputs[0].values(as: Double.self)!
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    }

    /// Floats are written through `write(to:)` into the output, not through a `String`: the text
    /// must be exactly `description`'s (the shortest round-tripping form) for every value.
    @Test func writtenTextIsExactlyDescription() {
        var g = SplitMix(state: 99)
        var doubles: [Double] = [.leastNonzeroMagnitude, -.greatestFiniteMagnitude, -.leastNormalMagnitude, 1e16, 1e17, 0.1]
        while doubles.count < 20_000 {
            let d = Double(bitPattern: g.next())
            if d.isFinite { doubles.append(d) }
        }
        var floatText = JSONOutput(capacity: 1), floatExpected: [UInt8] = []
        for f in Self.floats() {
            JSONNumberFormatting.appendFloat(f, to: &floatText)
            floatText.append(UInt8(ascii: " "))
            floatExpected += Array(f.description.utf8) + [UInt8(ascii: " ")]
        }
        #expect(floatText.finish() == floatExpected)
        var doubleText = JSONOutput(capacity: 1), doubleExpected: [UInt8] = []
        for d in doubles {
            JSONNumberFormatting.appendDouble(d, to: &doubleText)
            doubleText.append(UInt8(ascii: " "))
            doubleExpected += Array(d.description.utf8) + [UInt8(ascii: " ")]
        }
        #expect(doubleText.finish() == doubleExpected)
    }

    /// A standard library that writes through `write(_:)` instead of `_writeASCII` gets the same bytes.
    @Test func digitSinkTakesStringsToo() {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: JSONNumberFormatting.DigitSink.capacity)
        defer { p.deallocate() }
        var sink = JSONNumberFormatting.DigitSink(base: p)
        sink.write("-2.2250738585072014e-308")
        #expect(String(decoding: UnsafeBufferPointer(start: p, count: sink.count), as: UTF8.self) == "-2.2250738585072014e-308")
    }

    /// The output buffer grows from any starting capacity and keeps every byte, escapes included.
    @Test func outputGrowsAndKeepsEveryByte() {
        var expected: [UInt8] = []
        var out = JSONOutput(capacity: 1)
        for i in 0..<3000 {
            switch i % 4 {
            case 0: out.append(UInt8(i & 0x7f)); expected.append(UInt8(i & 0x7f))
            case 1: out.append("ab"); expected += Array("ab".utf8)
            case 2: JSONNumberFormatting.appendUInt64(UInt64(i) * 1_000_003, to: &out); expected += Array(String(UInt64(i) * 1_000_003).utf8)
            default: JSONNumberFormatting.appendQuoted("q\"\\\n\u{1}é", to: &out); expected += Array(#""q\"\\\n\u0001é""#.utf8)
            }
        }
        #expect(out.count == expected.count)
        let bytes = out.finish(reservingExtra: 10)
        #expect(bytes == expected)
        #expect(bytes.capacity >= expected.count + 10)
    }
}
