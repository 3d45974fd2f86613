import Testing
@testable import SwitchyardKServe

@Suite struct JSONRequestDecodingTests {
    /// One case per JSON-capable datatype: the JSON data, nested form, and the expected tensor.
    static let cases: [(datatype: String, flat: String, nested: String, expected: InferTensor)] = [
        ("BOOL", "[true,false,true,false]", "[[true,false],[true,false]]",
         InferTensor(name: "x", shape: [2, 2], values: [true, false, true, false])),
        ("UINT8", "[0,1,254,255]", "[[0,1],[254,255]]", InferTensor(name: "x", shape: [2, 2], values: [UInt8(0), 1, 254, 255])),
        ("UINT16", "[0,1,65534,65535]", "[[0,1],[65534,65535]]", InferTensor(name: "x", shape: [2, 2], values: [UInt16(0), 1, 65534, 65535])),
        ("UINT32", "[0,1,7,4294967295]", "[[0,1],[7,4294967295]]", InferTensor(name: "x", shape: [2, 2], values: [UInt32(0), 1, 7, 4294967295])),
        ("UINT64", "[0,1,9223372036854775808,18446744073709551615]", "[[0,1],[9223372036854775808,18446744073709551615]]",
         InferTensor(name: "x", shape: [2, 2], values: [UInt64(0), 1, 9223372036854775808, .max])),
        ("INT8", "[-128,-1,0,127]", "[[-128,-1],[0,127]]", InferTensor(name: "x", shape: [2, 2], values: [Int8(-128), -1, 0, 127])),
        ("INT16", "[-32768,-1,0,32767]", "[[-32768,-1],[0,32767]]", InferTensor(name: "x", shape: [2, 2], values: [Int16.min, -1, 0, .max])),
        ("INT32", "[-2147483648,-1,0,2147483647]", "[[-2147483648,-1],[0,2147483647]]", InferTensor(name: "x", shape: [2, 2], values: [Int32.min, -1, 0, .max])),
        ("INT64", "[-9223372036854775808,-1,0,9223372036854775807]", "[[-9223372036854775808,-1],[0,9223372036854775807]]",
         InferTensor(name: "x", shape: [2, 2], values: [Int64.min, -1, 0, .max])),
        ("FP32", "[1.5,-0.25,3,1e-45]", "[[1.5,-0.25],[3,1e-45]]", InferTensor(name: "x", shape: [2, 2], values: [Float(1.5), -0.25, 3, .leastNonzeroMagnitude])),
        ("FP64", "[1.5,-0.1,3,5e-324]", "[[1.5,-0.1],[3,5e-324]]", InferTensor(name: "x", shape: [2, 2], values: [1.5, -0.1, 3, Double.leastNonzeroMagnitude])),
        ("BYTES", #"["a","\u00e9\n","","xyz"]"#, #"[["a","\u00e9\n"],["","xyz"]]"#,
         InferTensor(name: "x", shape: [2, 2], strings: ["a", "é\n", "", "xyz"])),
    ]

    @Test(arguments: 0..<cases.count)
    func decodesFlatAndNestedDataForEveryDatatype(index: Int) throws {
        let c = Self.cases[index]
        for data in [c.flat, c.nested] {
            let r = try T.decode(T.request(c.datatype, "[2,2]", data))
            #expect(r.inputs == [c.expected], "\(c.datatype) \(data)")
        }
    }

    @Test func decodesTheRequestEnvelope() throws {
        let r = try T.decode(#"""
        {"id":"req-1","parameters":{"s":"v","i":-3,"u":18446744073709551615,"d":0.5,"b":true,"binary_data_output":false},
         "inputs":[{"name":"a","datatype":"INT32","shape":[1],"data":[7],"parameters":{"p":1},"extra":{"ignored":[1]}}],
         "outputs":[{"name":"y","parameters":{"binary_data":true}},{"name":"z"}],"unknown":null}
        """#)
        #expect(r.id == "req-1")
        #expect(r.parameters.entries.map(\.name) == ["s", "i", "u", "d", "b", "binary_data_output"])
        #expect(r.parameters["u"] == .uint64(.max))
        #expect(r.parameters["i"] == .int64(-3))
        #expect(r.parameters["d"] == .double(0.5))
        #expect(r.inputs[0].parameters["p"] == .int64(1))
        #expect(r.outputs?.map(\.name) == ["y", "z"])
        #expect(r.wantsBinary(output: "y") && !r.wantsBinary(output: "z"))
    }

    @Test func outputsAbsentMeansAllOutputs() throws {
        let r = try T.decode(T.request("INT8", "[1]", "[1]"))
        #expect(r.outputs == nil && r.id == nil && r.parameters.isEmpty)
        #expect(!r.wantsBinary(output: "anything"))
    }

    @Test func scalarDataAndZeroSizedShapes() throws {
        #expect(try T.decode(T.request("INT32", "[]", "5")).inputs[0].rawBytes == [5, 0, 0, 0])
        #expect(try T.decode(T.request("FP32", "[0,3]", "[]")).inputs[0].rawBytes == [])
    }

    @Test func fp32AcceptsIntegersAndRoundsDoublesToNearest() throws {
        let r = try T.decode(T.request("FP32", "[3]", "[16777217, 0.1, -0.0]"))
        let v = r.inputs[0].values(as: Float.self)!
        #expect(v[0] == 16777216 && v[1] == Float(0.1) && v[2] == 0 && v[2].sign == .minus)
    }

    /// Every malformed request and its exact message.
    static let errors: [(json: String, message: String)] = [
        ("", "failed to parse the request JSON: Empty: no JSON found"),
        ("{", "failed to parse the request JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc."),
        ("[1]", "inference request must be a JSON object, got an array"),
        ("{}", "inference request has no 'inputs'"),
        (#"{"inputs":{}}"#, "'inputs' must be an array, got an object"),
        (#"{"inputs":[1]}"#, "inputs[0] must be an object, got a number"),
        (#"{"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]}"#, "inputs[0] has no 'name'"),
        (#"{"inputs":[{"name":3}]}"#, "inputs[0]: 'name' must be a string, got a number"),
        (#"{"inputs":[{"name":"x","shape":[1],"data":[1]}]}"#, "input 'x': missing 'datatype'"),
        (#"{"inputs":[{"name":"x","datatype":"FLOAT32","shape":[1],"data":[1]}]}"#, "input 'x': unknown datatype 'FLOAT32'"),
        (#"{"inputs":[{"name":"x","datatype":1,"shape":[1],"data":[1]}]}"#, "input 'x': 'datatype' must be a string, got a number"),
        (#"{"inputs":[{"name":"x","datatype":"FP32","data":[1]}]}"#, "input 'x': missing 'shape'"),
        (T.request("FP32", "[-1]", "[1]"), "input 'x': shape dimension -1 is negative"),
        (T.request("FP32", "[1.5]", "[1]"), "input 'x': 'shape' must be an array of non-negative integers, found a number"),
        (T.request("FP32", "3", "[1]"), "input 'x': 'shape' must be an array of non-negative integers, got a number"),
        (T.request("FP32", "[18446744073709551615]", "[1]"), "input 'x': shape dimension 18446744073709551615 is too large"),
        (T.request("FP32", "[9223372036854775807,4]", "[1]"), "input 'x': shape [9223372036854775807,4] has too many elements"),
        (#"{"inputs":[{"name":"x","datatype":"FP32","shape":[1]}]}"#, "input 'x': missing 'data' (or binary_data_size for binary data)"),
        (T.request("FP32", "[2,32]", "[" + Array(repeating: "1", count: 63).joined(separator: ",") + "]"),
         "input 'x': shape [2,32] needs 64 elements, got 63"),
        (T.request("INT32", "[2]", "[1,2,3]"), "input 'x': shape [2] needs 2 elements, got 3"),
        // A shape far larger than the body could hold is counted, never allocated.
        (T.request("FP64", "[100000000,100]", "[1,2]"), "input 'x': shape [100000000,100] needs 10000000000 elements, got 2"),
        (T.request("BYTES", "[10000000000]", #"["a"]"#), "input 'x': shape [10000000000] needs 10000000000 elements, got 1"),
        (T.request("BYTES", "[2]", #"["a"]"#), "input 'x': shape [2] needs 2 elements, got 1"),
        (T.request("FP16", "[1]", "[1]"), "input 'x': datatype FP16 has no JSON representation; send it as binary data (binary_data_size) or as gRPC raw contents"),
        (T.request("BF16", "[1]", "[1]"), "input 'x': datatype BF16 has no JSON representation; send it as binary data (binary_data_size) or as gRPC raw contents"),
        (T.request("FP32", "[2]", #"[1,"2"]"#), "input 'x': data element 1 is a string, expected a number for FP32"),
        (T.request("BOOL", "[2]", "[true,1]"), "input 'x': data element 1 is a number, expected true or false for BOOL"),
        (T.request("INT32", "[2]", "[1,2.5]"), "input 'x': data element 1 is a number, expected an integer for INT32"),
        (T.request("INT8", "[1]", "[true]"), "input 'x': data element 0 is a boolean, expected an integer for INT8"),
        (T.request("BYTES", "[1]", "[1]"), "input 'x': data element 0 is a number, expected a string for BYTES"),
        (T.request("FP64", "[1]", "[null]"), "input 'x': data element 0 is null, expected a number for FP64"),
        (T.request("UINT8", "[2]", "[255,256]"), "input 'x': data element 1 is out of range for UINT8"),
        (T.request("UINT8", "[1]", "[-1]"), "input 'x': data element 0 is out of range for UINT8"),
        (T.request("INT8", "[1]", "[-129]"), "input 'x': data element 0 is out of range for INT8"),
        (T.request("INT16", "[1]", "[32768]"), "input 'x': data element 0 is out of range for INT16"),
        (T.request("UINT16", "[1]", "[65536]"), "input 'x': data element 0 is out of range for UINT16"),
        (T.request("INT32", "[1]", "[2147483648]"), "input 'x': data element 0 is out of range for INT32"),
        (T.request("UINT32", "[1]", "[4294967296]"), "input 'x': data element 0 is out of range for UINT32"),
        (T.request("INT64", "[1]", "[9223372036854775808]"), "input 'x': data element 0 is out of range for INT64"),
        (T.request("UINT64", "[1]", "[-1]"), "input 'x': data element 0 is out of range for UINT64"),
        (T.request("FP32", "[1]", "[1e39]"), "input 'x': data element 0 is out of range for FP32"),
        (T.request("FP32", "[1]", String(repeating: "[", count: 70) + "1" + String(repeating: "]", count: 70)), "input 'x': 'data' is nested too deeply"),
        (#"{"inputs":[{"name":"x","datatype":"INT8","shape":[1],"data":[1]},{"name":"x","datatype":"INT8","shape":[1],"data":[1]}]}"#,
         "input 'x' appears more than once"),
        (#"{"id":5,"inputs":[]}"#, "request 'id' must be a string, got a number"),
        (#"{"parameters":[],"inputs":[]}"#, "request: 'parameters' must be an object, got an array"),
        (#"{"parameters":{"p":[1]},"inputs":[]}"#, "request: parameter 'p' must be a string, number or boolean, got an array"),
        (#"{"inputs":[],"outputs":{}}"#, "'outputs' must be an array, got an object"),
        (#"{"inputs":[],"outputs":[{}]}"#, "outputs[0] has no 'name'"),
        (#"{"inputs":[],"outputs":["y"]}"#, "outputs[0] must be an object, got a string"),
        (#"{"inputs":[],"outputs":[{"name":"y"},{"name":"y"}]}"#, "output 'y' is requested more than once"),
        (#"{"inputs":[],"outputs":[{"name":"y","parameters":{"binary_data":1}}]}"#, "output 'y': binary_data must be a boolean, got 1"),
        (#"{"inputs":[{"name":"x","datatype":"INT8","shape":[1],"data":[1],"parameters":{"binary_data_size":1}}]}"#,
         "input 'x': has both 'data' and binary_data_size"),
        (#"{"inputs":[{"name":"x","datatype":"INT8","shape":[1],"parameters":{"binary_data_size":-1}}]}"#,
         "input 'x': binary_data_size must be a non-negative integer, got -1"),
        (#"{"inputs":[{"name":"x","datatype":"INT8","shape":[1],"parameters":{"binary_data_size":1}}]}"#,
         "input 'x': binary_data_size 1 exceeds the 0 bytes of binary data left in the body (the request has no Inference-Header-Content-Length header, so the whole body was read as JSON)"),
    ]

    @Test(arguments: 0..<errors.count)
    func rejectsMalformedRequestsWithPreciseMessages(index: Int) {
        let (json, message) = Self.errors[index]
        let error = T.decodeError(json)
        #expect(error == KServeError.invalidArgument(message), "\(json)")
        #expect(error?.httpStatus.code == 400)
    }

    @Test func decoderIsReusableAcrossDocuments() throws {
        let d = KServeJSONDecoder()
        let a = try d.decodeInferRequest(body: T.bytes(T.request("INT8", "[1]", "[1]")))
        #expect(throws: KServeError.self) { try d.decodeInferRequest(body: T.bytes("{")) }
        let b = try d.decodeInferRequest(body: T.bytes(T.request("INT8", "[2]", "[2,3]")))
        #expect(a.inputs[0].rawBytes == [1] && b.inputs[0].rawBytes == [2, 3])
    }

    @Test func repositoryBodies() throws {
        let d = KServeJSONDecoder()
        #expect(try d.decodeRepositoryIndexRequest(body: []) == RepositoryIndexRequest(readyOnly: false))
        #expect(try d.decodeRepositoryIndexRequest(body: T.bytes(#"{"ready":true}"#)) == RepositoryIndexRequest(readyOnly: true))
        #expect(throws: KServeError.invalidArgument("repository index request: 'ready' must be a boolean, got a string")) {
            try d.decodeRepositoryIndexRequest(body: T.bytes(#"{"ready":"yes"}"#))
        }
        #expect(try d.decodeRepositoryParameters(body: T.bytes(#"{"parameters":{"config":"{}"}}"#))["config"] == .string("{}"))
        #expect(try d.decodeRepositoryParameters(body: T.bytes(" \n")).isEmpty)
    }
}
