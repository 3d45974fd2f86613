import Testing
@testable import SwitchyardKServe

@Suite struct BinaryExtensionTests {
    let decoder = KServeJSONDecoder()

    func body(_ json: String, _ blobs: [UInt8]...) -> ([UInt8], String) {
        let j = T.bytes(json)
        return (j + blobs.flatMap { $0 }, String(j.count))
    }

    @Test func headerLengthValidation() throws {
        #expect(try BinaryTensorExtension.jsonHeaderLength(nil, bodyLength: 10) == 10)
        #expect(try BinaryTensorExtension.jsonHeaderLength("4", bodyLength: 10) == 4)
        #expect(try BinaryTensorExtension.jsonHeaderLength(" 10 ", bodyLength: 10) == 10)
        #expect(try BinaryTensorExtension.jsonHeaderLength("0", bodyLength: 0) == 0)
        let cases: [(String, String)] = [
            ("11", "Inference-Header-Content-Length 11 exceeds the body length 10"),
            ("-1", "Inference-Header-Content-Length -1 must not be negative"),
            ("abc", "Inference-Header-Content-Length 'abc' is not a 32-bit integer"),
            ("2147483648", "Inference-Header-Content-Length '2147483648' is not a 32-bit integer"),
            ("", "Inference-Header-Content-Length '' is not a 32-bit integer"),
            ("1.5", "Inference-Header-Content-Length '1.5' is not a 32-bit integer"),
        ]
        for (value, message) in cases {
            #expect(throws: KServeError.invalidArgument(message)) { try BinaryTensorExtension.jsonHeaderLength(value, bodyLength: 10) }
        }
    }

    @Test func mixedJSONAndBinaryInputsInOrder() throws {
        let f: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]           // 1.0, 2.0
        let s: [UInt8] = [1, 0, 0, 0, 0x61, 3, 0, 0, 0, 0x62, 0x63, 0x64] // "a", "bcd"
        let (b, h) = body(#"{"inputs":[{"name":"f","datatype":"FP32","shape":[2],"parameters":{"binary_data_size":8}},"#
                          + #"{"name":"j","datatype":"INT8","shape":[1],"data":[5]},"#
                          + #"{"name":"s","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":12,"keep":1}}],"#
                          + #""outputs":[{"name":"y","parameters":{"binary_data":true}}]}"#, f, s)
        let r = try decoder.decodeInferRequest(body: b, inferenceHeaderContentLength: h)
        #expect(r.inputs.map(\.name) == ["f", "j", "s"])
        #expect(r.inputs[0].values(as: Float.self) == [1, 2])
        #expect(r.inputs[0].parameters.isEmpty, "binary_data_size is consumed")
        #expect(r.inputs[1].rawBytes == [5])
        #expect(r.inputs[2].elements == [[0x61], [0x62, 0x63, 0x64]])
        #expect(r.inputs[2].parameters.entries.map(\.name) == ["keep"])
        #expect(r.wantsBinary(output: "y"))
    }

    @Test func binaryErrors() {
        let header = #"{"inputs":[{"name":"f","datatype":"FP32","shape":[2],"parameters":{"binary_data_size":8}}]}"#
        let cases: [([UInt8], String)] = [
            ([0, 0, 0x80, 0x3F], "input 'f': binary_data_size 8 exceeds the 4 bytes of binary data left in the body"),
            (Array(repeating: 0, count: 9), "body has 1 bytes of binary data beyond the tensors' binary_data_size total"),
        ]
        for (blob, message) in cases {
            let (b, h) = body(header, blob)
            #expect(throws: KServeError.invalidArgument(message)) { try decoder.decodeInferRequest(body: b, inferenceHeaderContentLength: h) }
        }
        let wrongSize = #"{"inputs":[{"name":"f","datatype":"FP32","shape":[3],"parameters":{"binary_data_size":8}}]}"#
        let (b2, h2) = body(wrongSize, Array(repeating: 0, count: 8))
        #expect(throws: KServeError.invalidArgument("input 'f': binary data has 8 bytes, shape [3] of FP32 needs 12")) {
            try decoder.decodeInferRequest(body: b2, inferenceHeaderContentLength: h2)
        }
        let boolHeader = #"{"inputs":[{"name":"b","datatype":"BOOL","shape":[2],"parameters":{"binary_data_size":2}}]}"#
        let (b3, h3) = body(boolHeader, [1, 2])
        #expect(throws: KServeError.invalidArgument("input 'b': BOOL element 1 is 2, expected 0 or 1")) {
            try decoder.decodeInferRequest(body: b3, inferenceHeaderContentLength: h3)
        }
        let bytesHeader = #"{"inputs":[{"name":"s","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":7}}]}"#
        let (b4, h4) = body(bytesHeader, [1, 0, 0, 0, 0x61, 9, 0])
        #expect(throws: KServeError.invalidArgument("input 's': BYTES element 1 has a truncated 4-byte length prefix (2 bytes left)")) {
            try decoder.decodeInferRequest(body: b4, inferenceHeaderContentLength: h4)
        }
        let oneString = #"{"inputs":[{"name":"s","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":5}}]}"#
        let (b6, h6) = body(oneString, [1, 0, 0, 0, 0x61])
        #expect(throws: KServeError.invalidArgument("input 's': shape [2] needs 2 elements, got 1 BYTES elements in the binary data")) {
            try decoder.decodeInferRequest(body: b6, inferenceHeaderContentLength: h6)
        }
        let overlong = #"{"inputs":[{"name":"s","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":6}}]}"#
        let (b7, h7) = body(overlong, [3, 0, 0, 0, 0x61, 0x62])
        #expect(throws: KServeError.invalidArgument("input 's': BYTES element 0 declares 3 bytes but only 2 remain")) {
            try decoder.decodeInferRequest(body: b7, inferenceHeaderContentLength: h7)
        }
        // A header shorter than the JSON cuts the document: a parse error, not a crash.
        let (b8, _) = body(header, Array(repeating: 0, count: 8))
        #expect(throws: KServeError.self) { try decoder.decodeInferRequest(body: b8, inferenceHeaderContentLength: "20") }
        #expect(throws: KServeError.invalidArgument("Inference-Header-Content-Length 200 exceeds the body length \(b8.count)")) {
            try decoder.decodeInferRequest(body: b8, inferenceHeaderContentLength: "200")
        }
    }

    @Test func fp16AndBF16TravelAsBinary() throws {
        let (b, h) = body(#"{"inputs":[{"name":"h","datatype":"FP16","shape":[2],"parameters":{"binary_data_size":4}},"#
                          + #"{"name":"g","datatype":"BF16","shape":[1],"parameters":{"binary_data_size":2}}]}"#, [0, 0x3C, 0, 0xC0], [0x80, 0x3F])
        let r = try decoder.decodeInferRequest(body: b, inferenceHeaderContentLength: h)
        #expect(r.inputs[0].rawBytes == [0, 0x3C, 0, 0xC0] && r.inputs[0].datatype == .fp16)
        #expect(r.inputs[1].rawBytes == [0x80, 0x3F] && r.inputs[1].datatype == .bf16)
    }

    @Test func rawSingleInputForm() throws {
        let meta = TensorMetadata(name: "input", datatype: .fp32, shape: [-1, 2])
        let r = try decoder.decodeInferRequest(body: Array(repeating: 0, count: 16), inferenceHeaderContentLength: "0", rawInput: meta)
        #expect(r.inputs[0].shape == [2, 2] && r.inputs[0].name == "input")
        #expect(r.binaryDataOutput && r.wantsBinary(output: "any"))
        let fixed = TensorMetadata(name: "x", datatype: .int32, shape: [3])
        #expect(try decoder.decodeInferRequest(body: Array(repeating: 1, count: 12), inferenceHeaderContentLength: "0", rawInput: fixed).inputs[0].shape == [3])
        let bytes = TensorMetadata(name: "s", datatype: .bytes, shape: [-1])
        #expect(try decoder.decodeInferRequest(body: [0x61, 0x62], inferenceHeaderContentLength: "0", rawInput: bytes).inputs[0].elements == [[0x61, 0x62]])

        #expect(throws: KServeError.invalidArgument("raw binary request (Inference-Header-Content-Length: 0) requires a model with exactly one input")) {
            try decoder.decodeInferRequest(body: [1], inferenceHeaderContentLength: "0", rawInput: nil)
        }
        #expect(throws: KServeError.invalidArgument("raw binary request (Inference-Header-Content-Length: 0): body of 10 bytes is not a whole number of [-1,2] FP32 rows (8 bytes each) for input 'input'")) {
            try decoder.decodeInferRequest(body: Array(repeating: 0, count: 10), inferenceHeaderContentLength: "0", rawInput: meta)
        }
        #expect(throws: KServeError.invalidArgument("raw binary request (Inference-Header-Content-Length: 0): input 'x' of shape [3] INT32 needs 12 bytes, body has 8")) {
            try decoder.decodeInferRequest(body: Array(repeating: 0, count: 8), inferenceHeaderContentLength: "0", rawInput: fixed)
        }
        #expect(throws: KServeError.invalidArgument("raw binary request (Inference-Header-Content-Length: 0): input 'x' has more than one variable dimension in [-1,-1]")) {
            try decoder.decodeInferRequest(body: [0], inferenceHeaderContentLength: "0", rawInput: TensorMetadata(name: "x", datatype: .uint8, shape: [-1, -1]))
        }
        #expect(throws: KServeError.invalidArgument("raw binary request (Inference-Header-Content-Length: 0): BYTES input 's' must have shape [1], has [2]")) {
            try decoder.decodeInferRequest(body: [0], inferenceHeaderContentLength: "0", rawInput: TensorMetadata(name: "s", datatype: .bytes, shape: [2]))
        }
    }

    @Test func responseEncodingWithBinaryOutputs() throws {
        let response = InferResponse(modelName: "m", outputs: [
            InferTensor(name: "a", shape: [2], values: [Int16(1), -1]),
            InferTensor(name: "b", shape: [1], values: [UInt8(9)]),
            InferTensor(name: "s", shape: [1], strings: ["hi"]),
        ])
        var request = try T.decode(#"{"inputs":[],"outputs":[{"name":"a","parameters":{"binary_data":true}},{"name":"b"},{"name":"s","parameters":{"binary_data":true}}]}"#)
        let body = try KServeJSONEncoder.encode(response, for: request)
        let json = #"{"model_name":"m","outputs":[{"name":"a","datatype":"INT16","shape":[2],"parameters":{"binary_data_size":4}},"#
            + #"{"name":"b","datatype":"UINT8","shape":[1],"data":[9]},"#
            + #"{"name":"s","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":6}}]}"#
        #expect(body.jsonHeaderLength == json.utf8.count)
        #expect(body.contentType == "application/octet-stream")
        #expect(body.bytes == T.bytes(json) + [1, 0, 0xFF, 0xFF] + [2, 0, 0, 0, 0x68, 0x69])
        let http = body.httpResponse()
        #expect(http.headers["content-type"] == "application/octet-stream")
        #expect(http.headers["inference-header-content-length"] == String(json.utf8.count))
        // Decoding the binary response restores the outputs.
        #expect(try decoder.decodeInferResponse(body: body.bytes, inferenceHeaderContentLength: String(body.jsonHeaderLength!)) == response)

        // binary_data_output makes all outputs binary unless an output says otherwise.
        request = try T.decode(#"{"parameters":{"binary_data_output":true},"inputs":[],"outputs":[{"name":"b","parameters":{"binary_data":false}}]}"#)
        let all = try KServeJSONEncoder.encode(response, for: request)
        let text = T.text(Array(all.bytes[0..<all.jsonHeaderLength!]))
        #expect(text.contains(#""name":"b","datatype":"UINT8","shape":[1],"data":[9]"#))
        #expect(text.contains(#""name":"a","datatype":"INT16","shape":[2],"parameters":{"binary_data_size":4}"#))
        #expect(all.bytes.count == all.jsonHeaderLength! + 4 + 6)
        // No binary requested: plain JSON, no header length.
        let plain = try KServeJSONEncoder.encode(response, for: try T.decode(#"{"inputs":[]}"#))
        #expect(plain.jsonHeaderLength == nil && plain.httpResponse().headers["inference-header-content-length"] == nil)
        #expect(plain.httpResponse().headers["content-type"] == "application/json")
    }
}
