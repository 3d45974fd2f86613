import Foundation
import Testing
@testable import SwitchyardKServe

/// The direct request reader must agree with the simdjson path whenever it answers, and leave
/// everything else (nil) to that path: on real requests, on generated ones in many spellings,
/// and on every truncation and many single-byte mutations of them.
@Suite struct InferJSONFastPathTests {
    let decoder = KServeJSONDecoder()

    static func fast(_ body: [UInt8], jsonLength: Int? = nil, binary: Bool = false) -> InferRequest? {
        InferJSONFastPath.decode(body, jsonLength: jsonLength ?? body.count, binaryHeader: binary)
    }

    /// The property: an answer from the reader is exactly the library's answer.
    func check(_ body: [UInt8], jsonLength: Int? = nil, binary: Bool = false, _ note: @autoclosure () -> String = "") {
        guard let fast = Self.fast(body, jsonLength: jsonLength, binary: binary) else { return }
        let library = try? decoder.libraryDecode(body, headerLength: jsonLength ?? body.count, binaryHeader: binary)
        #expect(library == fast, "\(note()) \(String(decoding: body.prefix(jsonLength ?? body.count), as: UTF8.self).prefix(300))")
    }

    @Test func readsTheCommonFormsAndAgrees() throws {
        let json = Array(#"{"id":"mlp-b1","inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[-1.1123047,0.5107422,0,2.5e-3]}]}"#.utf8)
        let a = try #require(Self.fast(json))
        #expect(a == (try decoder.libraryDecode(json, headerLength: json.count, binaryHeader: false)))
        #expect(a.inputs[0].data == .raw([Float(-1.1123047), 0.5107422, 0, 0.0025].withUnsafeBytes { Array($0) }))
        // tritonclient's JSON form: outputs with binary_data, spaces after separators.
        let triton = Array(#"{"inputs": [{"name": "x", "shape": [2], "datatype": "INT64", "data": [-5, 9007199254740993]}], "outputs": [{"name": "y", "parameters": {"binary_data": false}}]}"#.utf8)
        let t = try #require(Self.fast(triton))
        #expect(t == (try decoder.libraryDecode(triton, headerLength: triton.count, binaryHeader: false)))
        #expect(t.outputs?.first?.binaryData == false)
        // The binary extension: JSON header, then the tensor's bytes.
        let header = Array(#"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}],"parameters":{"binary_data_output":true}}"#.utf8)
        let body = header + [Float(1.5), -2].withUnsafeBytes { Array($0) }
        let b = try #require(Self.fast(body, jsonLength: header.count, binary: true))
        #expect(b == (try decoder.libraryDecode(body, headerLength: header.count, binaryHeader: true)))
        #expect(b.parameters["binary_data_output"] == .bool(true))
        // Data before its datatype and shape (sorted keys), read once they are known.
        let sorted = Array(#"{"inputs":[{"data":[1,2.5],"datatype":"FP64","name":"i","shape":[2]}]}"#.utf8)
        let s = try #require(Self.fast(sorted))
        #expect(s == (try decoder.libraryDecode(sorted, headerLength: sorted.count, binaryHeader: false)))
        #expect(s.inputs[0].data == .raw([1.0, 2.5].withUnsafeBytes { Array($0) }))
        // And through the public entry point, which takes the direct path for all three.
        #expect(try decoder.decodeInferRequest(body: body, inferenceHeaderContentLength: String(header.count)) == b)
    }

    /// Inputs read from JSON and inputs whose bytes follow the header, mixed in one request: each
    /// binary input takes the next bytes in request order, whatever JSON inputs sit between them.
    @Test func mixesJSONAndBinaryInputsInRequestOrder() throws {
        let header = Array(#"{"inputs":[{"name":"a","shape":[2],"datatype":"INT32","parameters":{"binary_data_size":8}},{"name":"j","shape":[1],"datatype":"FP32","data":[0.5]},{"name":"b","shape":[1],"datatype":"INT64","parameters":{"binary_data_size":8}}]}"#.utf8)
        let a = [Int32(7), -3].withUnsafeBytes { Array($0) }
        let b = [Int64(1) << 40].withUnsafeBytes { Array($0) }
        let body = header + a + b
        let fast = try #require(Self.fast(body, jsonLength: header.count, binary: true))
        #expect(fast == (try decoder.libraryDecode(body, headerLength: header.count, binaryHeader: true)))
        #expect(fast.inputs.map(\.name) == ["a", "j", "b"])
        #expect(fast.inputs[0].data == .raw(a))
        #expect(fast.inputs[1].data == .raw([Float(0.5)].withUnsafeBytes { Array($0) }))
        #expect(fast.inputs[2].data == .raw(b))
        // Bytes left over, or too few, or binary sizes without the header: the library decides.
        #expect(Self.fast(body + [0], jsonLength: header.count, binary: true) == nil)
        #expect(Self.fast(Array(body.dropLast()), jsonLength: header.count, binary: true) == nil)
        #expect(Self.fast(body, jsonLength: header.count, binary: false) == nil)
        // A repeated name is declined whether the first one was binary or JSON.
        let repeated = Array(#"{"inputs":[{"name":"a","shape":[1],"datatype":"INT64","parameters":{"binary_data_size":8}},{"name":"a","shape":[1],"datatype":"FP32","data":[1]}]}"#.utf8)
        #expect(Self.fast(repeated + b, jsonLength: repeated.count, binary: true) == nil)
    }

    @Test func leavesEverythingElseToTheLibrary() {
        let declined = [
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"FP32","data":[1]}],"extra":1}"#,           // unknown member
            #"{"inputs":[{"name":"i\u0041","shape":[1],"datatype":"FP32","data":[1]}]}"#,               // escape
            #"{"inputs":[{"name":"i","shape":[2],"datatype":"FP32","data":[[1],[2]]}]}"#,               // nested data
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"BYTES","data":["a"]}]}"#,                  // strings
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"BOOL","data":[true]}]}"#,                  // booleans
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"FP32","data":[1e-400]}]}"#,                // outside the exact path
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"FP32","data":[0.1234567890123456789]}]}"#, // too many digits
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"INT32","data":[-0]}]}"#,                   // -0
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"INT8","data":[128]}]}"#,                   // out of range
            #"{"inputs":[{"name":"i","shape":[2],"datatype":"FP32","data":[1]}]}"#,                     // short data
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"FP32","data":[1]}],"id":"a","id":"b"}"#,   // repeated member
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"FP32","data":[01]}]}"#,                    // not JSON
            #"{"inputs":[]}"#,
            #"{"inputs":[{"name":"i","shape":[1],"datatype":"FP32","data":[1]}]} x"#,
        ]
        for text in declined {
            #expect(Self.fast(Array(text.utf8)) == nil, "\(text)")
        }
    }

    /// Every request of the project's and the shared fixtures, compact and pretty-printed.
    @Test func agreesOnEveryFixtureRequest() throws {
        var dirs = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/models")]
        dirs.append(FixtureTests.directory)
        var accepted = 0
        for dir in dirs {
            let files = ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.lastPathComponent.hasSuffix(".inputs.json") }
            for file in files {
                let root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
                for r in root["requests"] as! [[String: Any]] {
                    for options: JSONSerialization.WritingOptions in [[], [.prettyPrinted, .sortedKeys]] {
                        let body = Array(try JSONSerialization.data(withJSONObject: r, options: options))
                        check(body, file.lastPathComponent)
                        if Self.fast(body) != nil { accepted += 1 }
                    }
                }
            }
        }
        #expect(accepted > 0)
    }

    /// Generated requests: every numeric datatype, numbers in many spellings, random whitespace,
    /// optional id, outputs and parameters, JSON and binary data; then every truncation and
    /// single-byte mutations of each.
    @Test func agreesOnGeneratedAndDamagedRequests() {
        var rng = TestRandom(seed: 42)
        var accepted = 0
        for n in 0..<300 {
            let (body, jsonLength, binary) = Self.generate(&rng)
            check(body, jsonLength: jsonLength, binary: binary, "generated \(n)")
            if Self.fast(body, jsonLength: jsonLength, binary: binary) != nil { accepted += 1 }
            if n % 10 == 0 {
                for cut in 0..<jsonLength { check(Array(body[..<cut]), jsonLength: cut, binary: false, "cut \(n)/\(cut)") }
            }
            for _ in 0..<20 {
                var damaged = body
                let at = Int(rng.next() % UInt64(body.count))
                damaged[at] = Self.noise[Int(rng.next() % UInt64(Self.noise.count))]
                check(damaged, jsonLength: jsonLength, binary: binary, "mutated \(n) at \(at)")
            }
        }
        // One number in ten is an edge spelling, so a request often holds one the reader declines.
        #expect(accepted > 100, "the reader declined most generated requests: \(accepted) of 300")
    }

    /// The eight-byte fraction step reads what the one-digit loop reads: every run length from 0
    /// to 20, ended by each kind of byte (below '0', above '9', high bytes whose +6 carries) or by
    /// the end of the buffer, at every offset where fewer or more than eight bytes remain.
    @Test func fractionStepAgreesWithOneDigitAtATime() {
        var rng = TestRandom(seed: 7)
        let enders: [UInt8?] = [nil, 0x2C, 0x5D, 0x20, 0x2F, 0x3A, 0x65, 0x45, 0x00, 0xFA, 0xFF, 0x80]
        for length in 0...20 {
            for ender in enders {
                for tail in 0..<(ender == nil ? 1 : 10) {   // no ender: the run ends the buffer
                    var bytes = (0..<length).map { _ in UInt8(0x30 + rng.next() % 10) }
                    if let ender { bytes.append(ender) }
                    bytes += (0..<tail).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                    let start = UInt64(rng.next() % 1000)
                    bytes.withUnsafeBufferPointer { b in
                        var j = 0, m = start
                        FastRequestReader.readFraction(b.baseAddress!, b.count, &j, &m)
                        var k = 0, expected = start
                        FastRequestReader.readDigits(b.baseAddress!, b.count, &k, &expected)
                        #expect(j == k && j == length, "length \(length) ender \(String(describing: ender)) tail \(tail)")
                        #expect(m == expected, "length \(length) ender \(String(describing: ender)) tail \(tail)")
                    }
                }
            }
        }
    }

    /// The plain-float reader answers exactly what the general reader answers (value, bit for
    /// bit, and end position) whenever it answers, and it answers for what clients print:
    /// shortest float and double spellings of all magnitudes, short decimals, integers; followed
    /// by each kind of byte, or by the end of the buffer.
    @Test func plainFloatAgreesWithTheGeneralReader() {
        var rng = TestRandom(seed: 11)
        var answered = 0, printedFloats = 0, floatsAnswered = 0
        let enders = ["", ",", "]", " ", "e5", "E-3", ".5", "0", "x", "\u{0}"]
        for n in 0..<20_000 {
            let text: String
            var isPrintedFloat = false
            switch n % 5 {
            case 0:
                text = String(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF | 0x3000_0000))
                    .replacingOccurrences(of: "e-", with: "E-")
                isPrintedFloat = !text.contains("E")
            case 1: text = String(Double(Int64(bitPattern: rng.next()) % 10_000_000) / 10_000_000)
            case 2: text = String(Float(Int64(bitPattern: rng.next()) % 100_000) / 4096)
                isPrintedFloat = true
            case 3: text = rng.pick(["0", "-0", "-0.0", "1.", "01", "-", "00.5", "0.00000000000000001", "123456789012345678",
                                     "9007199254740993", "9007199254740992", "0.9007199254740993", "1.0000000000000000",
                                     "99999999.99999999", "12345678.9", "1.23456789", "-1234567890123456.78"])
            default:
                let digits = (0..<Int(rng.next() % 20)).map { _ in String(rng.next() % 10) }.joined()
                text = (rng.next() % 2 == 0 ? "-" : "") + String(rng.next() % 1000) + "." + digits
            }
            let ender = rng.pick(enders)
            let closed = rng.next() % 2 == 0   // as in a request: the array and objects close after it
            let body = Array((text + ender + (closed ? "]}]}" : "") + String(repeating: " ", count: Int(rng.next() % 12))).utf8)
            // A number that ends where its spelling ends, with a request's closing brackets after it
            // (within eight bytes of the buffer's end the general path reads the fraction).
            isPrintedFloat = isPrintedFloat && closed && !["e5", "E-3", ".5", "0"].contains(ender)
            if isPrintedFloat { printedFloats += 1 }
            body.withUnsafeBufferPointer { b in
                var j = 0
                guard let f = FastRequestReader.plainFloat(b.baseAddress!, b.count, &j) else {
                    #expect(j == 0, "\(text): declined but moved")
                    return
                }
                answered += 1
                if isPrintedFloat { floatsAnswered += 1 }
                var k = 0
                let general = FastRequestReader.scanNumber(b.baseAddress!, b.count, &k)?.double.map(Float.init)
                #expect(general?.bitPattern == f.bitPattern && j == k,
                        "\(String(decoding: body, as: UTF8.self)): \(f) at \(j), general \(String(describing: general)) at \(k)")
            }
        }
        #expect(answered > 5_000)
        #expect(floatsAnswered * 100 > printedFloats * 95, "\(floatsAnswered) of \(printedFloats) printed floats")
    }

    static let noise = Array(#"0123456789-+.eE,:[]{}" \tnul"#.utf8) + [0, 0x80, 0xFF]

    /// A seeded 64-bit LCG (Knuth's MMIX constants) with an xorshift on the way out: plenty for
    /// picking test inputs, and the same sequence on every run.
    struct TestRandom {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    static func generate(_ rng: inout TestRandom) -> (body: [UInt8], jsonLength: Int, binary: Bool) {
        func ws() -> String { rng.pick(["", "", " ", "\n  ", "\t"]) }
        let binary = rng.next() % 4 == 0
        let types: [InferDatatype] = [.fp32, .fp64, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64]
            + (binary ? [.bool, .fp16, .bf16] : [])
        var blobs: [UInt8] = []
        var inputs: [String] = []
        for k in 0..<Int(1 + rng.next() % 2) {
            let dt = rng.pick(types)
            let shape = [Int(1 + rng.next() % 3), Int(1 + rng.next() % 4)]
            let count = shape[0] * shape[1]
            var members = [#""name":\#(ws())"in\#(k)""#, #""shape":[\#(shape.map(String.init).joined(separator: ",\(ws())"))]"#,
                           #""datatype":"\#(dt.rawValue)""#]
            if binary {
                let size = count * dt.byteSize!
                members.append(#""parameters":{"binary_data_size":\#(size)}"#)
                for _ in 0..<size { blobs.append(UInt8(truncatingIfNeeded: rng.next())) }
            } else {
                let values = (0..<count).map { _ in number(dt, &rng) }
                members.append(#""data":[\#(values.joined(separator: ",\(ws())"))]"#)
            }
            if rng.next() % 3 == 0 { members.reverse() }   // data first, as sorted keys or maps write it
            inputs.append("{\(ws())" + members.joined(separator: ",\(ws())") + "\(ws())}")
        }
        var top = [#""inputs":\#(ws())[\#(inputs.joined(separator: ","))]"#]
        if rng.next() % 2 == 0 { top.insert(#""id":"req-\#(rng.next() % 1000)""#, at: 0) }
        if rng.next() % 3 == 0 { top.append(#""outputs":[{"name":"y"},{"name":"z","parameters":{"binary_data":\#(rng.pick(["true", "false"]))}}]"#) }
        if rng.next() % 3 == 0 { top.append(#""parameters":{"binary_data_output":true,"priority":3,"tag":"a b"}"#) }
        let json = Array(("\(ws()){" + top.joined(separator: ",\(ws())") + "}\(ws())").utf8)
        return (json + blobs, json.count, binary)
    }

    static func number(_ dt: InferDatatype, _ rng: inout TestRandom) -> String {
        switch dt {
        case .fp32, .fp64:
            // Mostly what clients print (shortest floats, integers); one in ten a spelling at or
            // beyond the edges of the exact path, which the reader must decline or get exactly right.
            if rng.next() % 10 == 0 {
                return rng.pick(["123456789012345678", "0.30000000000000004", "1e22", "1e23", "9007199254740993",
                                 String(Double.ulpOfOne), "1e-400", "-0", "3.4028236e38"])
            }
            return rng.pick([
                String(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF | 0x3000_0000)),
                String(Double(Int64(bitPattern: rng.next()) % 1_000_000) / 1000),
                "\(Int64(bitPattern: rng.next()) % 100)", "-0.0", "0", "1e5", "2.5E-3", "-7.125e+2",
            ])
        default:
            let v = Int64(bitPattern: rng.next()) % 300
            if rng.next() % 10 == 0 { return rng.pick(["\(Int64(bitPattern: rng.next()))", "\(rng.next())", "1.0", "1e2", "-0"]) }
            return rng.pick(["\(v)", "\(abs(v))"])
        }
    }
}
