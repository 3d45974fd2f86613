import SwitchyardCore

/// Reads the common inference request straight from its bytes into tensors, in one pass:
/// `{"id": …, "inputs": [{"name", "shape", "datatype", "data": [numbers]}], "outputs": [{"name"}]}`
/// with numeric tensors and plain strings, and the binary tensor extension's form of it (inputs
/// with `"parameters": {"binary_data_size": n}` and their bytes after the JSON header). Request
/// `parameters` and an output's `binary_data` are read when their values are booleans, integers
/// or plain strings. Anything else — escapes or non-ASCII in a string, other tensor parameters,
/// unknown members, a repeated member, nested or non-numeric `data`, a number outside the exact
/// fast path below, data or binary sizes that do not match the shape, malformed JSON — gives
/// nil, and the caller decodes the body with simdjson (`KServeJSONDecoder`), which reports every
/// error. So this path never has to produce an error message, and it never accepts a body the
/// library path would refuse or read differently (tests compare the two on generated, truncated
/// and mutated requests).
///
/// Why a second reader next to simdjson: for the batch-1 requests that dominate online serving,
/// building simdjson's document and walking it cost more than the request's inference — 13,500
/// of 57,700 instructions for the `mlp` fixture's 434-byte request over h2c, the DOM's stage 2
/// alone 5,900 (`loadtests/profile/instructions.sh m16json`). This path writes each number
/// straight into the input tensor's bytes; on the 1 MiB JSON benchmark it is no slower than
/// the library (`loadtests/oip/bench.sh`). simdjson stays the reader for everything else.
///
/// Numbers follow RFC 8259's grammar. A decimal with at most 18 significant digits whose value
/// is m × 10^e with m ≤ 2^53 and |e| ≤ 22 converts exactly with one IEEE multiplication or
/// division (Clinger's fast path): the correctly rounded double, the value simdjson produces.
/// FP32 takes that double rounded to float, as the library path does. Integer datatypes take
/// integer literals within range; `-0` is left to the library (it reads it as a double).
enum InferJSONFastPath {
    /// The request, or nil when the body is not of the common shape (decode it with simdjson).
    /// `jsonLength` is the JSON header's length (the whole body without the binary extension);
    /// `binaryHeader` whether `Inference-Header-Content-Length` was sent.
    static func decode(_ body: [UInt8], jsonLength: Int, binaryHeader: Bool) -> InferRequest? {
        body.withUnsafeBufferPointer { buffer -> InferRequest? in
            guard let base = buffer.baseAddress, jsonLength > 0, jsonLength <= buffer.count else { return nil }
            var reader = FastRequestReader(p: base, count: jsonLength)
            guard var header = reader.request() else { return nil }
            // The binary section: each input with a binary_data_size takes the next bytes, in
            // order, and together they must use it up (as `BinaryTensorExtension.resolve`).
            var cursor = jsonLength
            for (k, size) in header.binarySizes {
                let t = header.inputs[k]
                // BOOL blobs are checked byte by byte (0 or 1) by the library path: left to it.
                guard binaryHeader, t.datatype != .bool, let width = t.datatype.byteSize, let n = InferTensor.elementCount(of: t.shape),
                      n.multipliedReportingOverflow(by: width) == (size, false), size <= buffer.count - cursor
                else { return nil }
                header.inputs[k].data = .raw(ByteArrays.copy(base + cursor, count: size))
                cursor += size
            }
            guard cursor == buffer.count else { return nil }
            return InferRequest(id: header.id, parameters: header.parameters, inputs: header.inputs, outputs: header.outputs)
        }
    }
}

/// The cursor of `InferJSONFastPath` over one body. Every method returns nil (or false) the
/// moment the input leaves the subset it reads.
struct FastRequestReader {
    let p: UnsafePointer<UInt8>
    let count: Int
    var i = 0

    init(p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        self.count = count
    }

    // MARK: document

    /// The JSON header of a request.
    ///
    /// The inputs are the request's tensors as they will be served: a tensor read from JSON is
    /// complete, one sent through the binary extension has empty data until its bytes are taken
    /// from after the header. Built in place rather than as a list of intermediate inputs mapped
    /// to tensors afterwards: that second array and the copies of each field into it cost ~800
    /// instructions of the `mlp` request (`instructions.sh json`).
    struct Header {
        var id: String?
        var parameters: InferParameters
        var inputs: [InferTensor]
        /// The inputs sent as binary: index into `inputs` and `binary_data_size`, in request order.
        var binarySizes: [(index: Int, size: Int)]
        var outputs: [InferRequestedOutput]?
    }

    mutating func request() -> Header? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var id: String?
        var inputs: [InferTensor]?
        var binarySizes: [(index: Int, size: Int)] = []
        var outputs: [InferRequestedOutput]?
        var parameters: InferParameters?
        var sawID = false, sawOutputs = false
        repeat {
            guard let key = simpleString(), consume(UInt8(ascii: ":")) else { return nil }
            if equals(key, "inputs") {
                guard inputs == nil, let list = inputList(binarySizes: &binarySizes) else { return nil }
                inputs = list
            } else if equals(key, "id") {
                guard !sawID, let value = simpleString() else { return nil }
                id = string(value)
                sawID = true
            } else if equals(key, "outputs") {
                guard !sawOutputs, let list = outputList() else { return nil }
                outputs = list
                sawOutputs = true
            } else if equals(key, "parameters") {
                guard parameters == nil, let map = parameterMap() else { return nil }
                parameters = map
            } else {
                return nil
            }
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")), let inputs else { return nil }
        skipWhitespace()
        guard i == count else { return nil }
        return Header(id: id, parameters: parameters ?? InferParameters(), inputs: inputs, binarySizes: binarySizes,
                      outputs: outputs)
    }

    /// A `parameters` object whose values are booleans, integers or plain strings, in order, keys
    /// unique.
    private mutating func parameterMap() -> InferParameters? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var map = InferParameters()
        if consume(UInt8(ascii: "}")) { return map }
        repeat {
            guard let key = simpleString(), consume(UInt8(ascii: ":")) else { return nil }
            let name = string(key)
            guard map[name] == nil, let value = parameterValue() else { return nil }
            map[name] = value
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")) else { return nil }
        return map
    }

    private mutating func parameterValue() -> InferParameterValue? {
        skipWhitespace()
        guard i < count else { return nil }
        switch p[i] {
        case UInt8(ascii: "\""):
            return simpleString().map { .string(string($0)) }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return boolean().map { .bool($0) }
        default:
            guard let n = number(), let v: Int64 = n.integer() else { return nil }
            return .int64(v)
        }
    }

    private mutating func boolean() -> Bool? {
        let rest = UnsafeRawBufferPointer(start: p + i, count: count - i)
        if HTTPCommonText.hasPrefix(rest, "true") { i += 4; return true }
        if HTTPCommonText.hasPrefix(rest, "false") { i += 5; return false }
        return nil
    }

    /// The `inputs` array; `binarySizes` gets the inputs whose bytes follow the JSON header.
    private mutating func inputList(binarySizes: inout [(index: Int, size: Int)]) -> [InferTensor]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var list: [InferTensor] = []
        repeat {
            guard inputTensor(into: &list, binarySizes: &binarySizes) else { return nil }
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { return nil }
        return list
    }

    /// One input object, appended to `list` (false: not of the common shape, or its name is
    /// already in `list`).
    private mutating func inputTensor(into list: inout [InferTensor], binarySizes: inout [(index: Int, size: Int)]) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        var name: String?
        var datatype: InferDatatype?
        var shape: [Int64]?
        var data: [UInt8]?
        var binarySize: Int?
        var deferredData: Int?   // where `data` starts when it came before its datatype or shape
        repeat {
            guard let key = simpleString(), consume(UInt8(ascii: ":")) else { return false }
            if equals(key, "name") {
                guard name == nil, let value = simpleString() else { return false }
                name = string(value)
            } else if equals(key, "shape") {
                guard shape == nil, let dims = shapeList() else { return false }
                shape = dims
            } else if equals(key, "datatype") {
                guard datatype == nil, let value = simpleString(),
                      let dt = InferDatatype.parse(UnsafeRawBufferPointer(start: p + value.lowerBound, count: value.count))
                else { return false }
                datatype = dt
            } else if equals(key, "data") {
                guard data == nil, binarySize == nil, deferredData == nil else { return false }
                if let datatype, let shape {
                    // Written as it is read: the usual order (name, shape, datatype, data).
                    guard let bytes = numericData(datatype, shape: shape) else { return false }
                    data = bytes
                } else {
                    // Before its datatype or shape (sorted keys, maps): checked now, read after.
                    skipWhitespace()
                    deferredData = i
                    guard skipNumberArray() else { return false }
                }
            } else if equals(key, "parameters") {
                // Only the binary extension's size: other tensor parameters go the library's way.
                guard data == nil, binarySize == nil, deferredData == nil, consume(UInt8(ascii: "{")), let k = simpleString(), equals(k, "binary_data_size"),
                      consume(UInt8(ascii: ":")), let n = number(), let size: Int32 = n.integer(), size >= 0,
                      consume(UInt8(ascii: "}")) else { return false }
                binarySize = Int(size)
            } else {
                return false
            }
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")), let name, let datatype, let shape else { return false }
        if let start = deferredData {
            let end = i
            i = start
            guard let bytes = numericData(datatype, shape: shape) else { return false }
            i = end
            data = bytes
        }
        guard !list.contains(where: { $0.name == name }) else { return false }
        if let data {
            list.append(InferTensor(name: name, datatype: datatype, shape: shape, data: .raw(data)))
        } else if let binarySize {
            binarySizes.append((list.count, binarySize))
            list.append(InferTensor(name: name, datatype: datatype, shape: shape, data: .raw([])))
        } else {
            return false
        }
        return true
    }

    /// Steps over a flat array of numbers.
    private mutating func skipNumberArray() -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard number() != nil else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    private mutating func shapeList() -> [Int64]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var dims: [Int64] = []
        dims.reserveCapacity(4)   // one allocation for the usual ranks, not one per growth
        if consume(UInt8(ascii: "]")) { return dims }
        repeat {
            guard let n = number(), n.isInteger, !n.negative else { return nil }
            dims.append(Int64(n.mantissa))
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { return nil }
        return dims
    }

    private mutating func outputList() -> [InferRequestedOutput]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var list: [InferRequestedOutput] = []
        if consume(UInt8(ascii: "]")) { return list }
        repeat {
            guard consume(UInt8(ascii: "{")), let key = simpleString(), equals(key, "name"), consume(UInt8(ascii: ":")),
                  let value = simpleString() else { return nil }
            let name = string(value)
            var parameters = InferParameters()
            if consume(UInt8(ascii: ",")) {
                // `"parameters": {"binary_data": bool}`, what tritonclient sends per output.
                guard let k = simpleString(), equals(k, "parameters"), consume(UInt8(ascii: ":")),
                      consume(UInt8(ascii: "{")), let b = simpleString(), equals(b, "binary_data"),
                      consume(UInt8(ascii: ":")), skipWhitespaceThen(), let flag = boolean(),
                      consume(UInt8(ascii: "}")) else { return nil }
                parameters[BinaryTensorParameters.binaryData] = .bool(flag)
            }
            guard consume(UInt8(ascii: "}")), !list.contains(where: { $0.name == name }) else { return nil }
            list.append(InferRequestedOutput(name: name, parameters: parameters))
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { return nil }
        return list
    }

    // MARK: data

    /// A flat array of exactly as many numbers as `shape` holds, converted to `datatype`.
    private mutating func numericData(_ datatype: InferDatatype, shape: [Int64]) -> [UInt8]? {
        guard let size = datatype.byteSize, datatype != .bool, !datatype.isBinaryOnly,
              let expected = InferTensor.elementCount(of: shape),
              expected <= count / 2 + 1   // n bytes of JSON hold at most (n+1)/2 numbers
        else { return nil }
        guard consume(UInt8(ascii: "[")) else { return nil }
        if expected == 0 { return consume(UInt8(ascii: "]")) ? [] : nil }
        var ok = true
        let bytes = ByteArrays.make(count: expected * size) { out in
            ok = fill(out.baseAddress!, datatype, expected)
        }
        guard ok, consume(UInt8(ascii: "]")) else { return nil }
        return bytes
    }

    private mutating func fill(_ out: UnsafeMutableRawPointer, _ datatype: InferDatatype, _ n: Int) -> Bool {
        switch datatype {
        case .fp32: return fillFP32(out.bindMemory(to: Float.self, capacity: n), n)
        case .fp64: return fill(out, n) { $0.double }
        case .int64: return fill(out, n) { (v: Number) -> Int64? in v.integer() }
        case .int32: return fill(out, n) { (v: Number) -> Int32? in v.integer() }
        case .int16: return fill(out, n) { (v: Number) -> Int16? in v.integer() }
        case .int8: return fill(out, n) { (v: Number) -> Int8? in v.integer() }
        case .uint64: return fill(out, n) { (v: Number) -> UInt64? in v.integer() }
        case .uint32: return fill(out, n) { (v: Number) -> UInt32? in v.integer() }
        case .uint16: return fill(out, n) { (v: Number) -> UInt16? in v.integer() }
        case .uint8: return fill(out, n) { (v: Number) -> UInt8? in v.integer() }
        case .bool, .fp16, .bf16, .bytes: return false
        }
    }

    /// `n` comma-separated numbers, each converted by `convert` (nil: not representable) and
    /// stored as `T`.
    @inline(__always)
    private mutating func fill<T>(_ out: UnsafeMutableRawPointer, _ n: Int, _ convert: (Number) -> T?) -> Bool {
        let typed = out.bindMemory(to: T.self, capacity: n)
        for k in 0..<n {
            if k > 0 && !consume(UInt8(ascii: ",")) { return false }
            guard let v = number(), let x = convert(v) else { return false }
            typed[k] = x
        }
        return true
    }

    /// FP32 data, the common case, in one loop with the cursor in a local: numbers in the plain
    /// form clients print go through `plainFloat`, everything else through `scanNumber`.
    private mutating func fillFP32(_ out: UnsafeMutablePointer<Float>, _ n: Int) -> Bool {
        var j = i
        for k in 0..<n {
            if k > 0 {
                if j < count && p[j] == UInt8(ascii: ",") {
                    j &+= 1
                } else {
                    while j < count && Self.isWhitespace(p[j]) { j += 1 }
                    guard j < count, p[j] == UInt8(ascii: ",") else { return false }
                    j += 1
                }
            }
            if let f = Self.plainFloat(p, count, &j) {
                out[k] = f
                continue
            }
            guard let v = Self.scanNumber(p, count, &j), let d = v.double else { return false }
            let f = Float(d)
            guard f.isFinite else { return false }
            out[k] = f
        }
        i = j
        return true
    }

    /// The number at `j` when it is written `-?int(.fraction)?` and its digits, as read, make a
    /// value of at most 2^53 (see below), as FP32: the double `scanNumber` and `Number.double`
    /// give for it, rounded to float; `j` moves past it. nil, with `j` unmoved, for every other
    /// spelling (whitespace, an exponent, `-0`, more digits), which the general path then reads or
    /// declines.
    ///
    /// Why a second reader of the same grammar: this is the loop the bytes of a JSON tensor go
    /// through. As one straight path (no `Number` built and returned, no switch of double
    /// constants that the compiler kept in registers and shuffled for every number) it took the
    /// `cnn` fixture's 784 numbers from 169 to 128 instructions each, its whole request from
    /// 250,300 to 218,300 (`instructions.sh cnn`), and `mlp`'s from 46,700 to 45,300.
    ///
    /// The fraction is read eight bytes a step, and each step's digits count as eight, the bytes
    /// after the last digit as zeros: `0.6875` is 68,750,000 / 10^8. The value is the same
    /// decimal, and the divisor is 10^8 or 10^16, constants rather than a table lookup. The price
    /// is a larger mantissa: fractions of nine digits or more after a nonzero integer part pass
    /// 2^53 and go to the general path.
    @inline(__always)
    static func plainFloat(_ p: UnsafePointer<UInt8>, _ count: Int, _ j: inout Int) -> Float? {
        var q = j
        guard count &- q >= 2 else { return nil }    // the sign and the first digit; the fraction step checks its own room
        let negative = p[q] == UInt8(ascii: "-")
        if negative { q &+= 1 }
        let first = p[q] &- 0x30
        guard first < 10 else { return nil }
        q &+= 1
        var m = UInt64(first)
        if first != 0 {
            let limit = Swift.min(count, q &+ 17)      // at most 18 integer digits: m stays below 10^18
            while q < limit {
                let d = p[q] &- 0x30
                if d >= 10 { break }
                m = m &* 10 &+ UInt64(d)
                q &+= 1
            }
        }
        var scaled = false   // a fraction was read in one 8-digit step (10^8) or two (10^16)
        var twice = false
        if q < count && p[q] == UInt8(ascii: ".") {
            q &+= 1
            var steps = 0
            while true {
                guard count &- q >= 8, m <= 90_071_992 else { return nil }   // m · 10^8 + 10^8 − 1 ≤ 2^53
                let w = ByteWords.load(p + q)
                let n = ByteWords.leadingDigits(w)
                guard n > 0 else { return nil }                // "1." is not JSON
                // Keep the n digits (bytes 0..<n), zero the rest: trailing zeros of eight digits.
                // (Subtracting '0' cannot borrow out of a digit byte.)
                let keep: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: n &* 8)) &- 1
                m = m &* 100_000_000 &+ ByteWords.eightDigits((w &- ASCIIWords.ones &* 0x30) & keep)
                q &+= n
                steps &+= 1
                if n < 8 { break }
                if q >= count || p[q] &- 0x30 >= 10 { break }   // exactly 8 or 16 digits
                guard steps < 2 else { return nil }             // a 17th: the general path
            }
            scaled = true
            twice = steps == 2
        }
        // The number must end here: a digit after a leading 0 is not JSON, an exponent is left
        // to the general path.
        if q < count {
            let next = p[q]
            guard next &- 0x30 >= 10, next | 0x20 != UInt8(ascii: "e"), next != UInt8(ascii: ".") else { return nil }
        }
        guard m <= 1 << 53, !(negative && m == 0 && !scaled) else { return nil }
        // Exact operands (m ≤ 2^53 and a power of ten a double holds exactly), so the one
        // division is correctly rounded: Clinger's fast path.
        var d = Double(Int64(truncatingIfNeeded: m))
        if scaled { d /= twice ? 1e16 : 1e8 }
        j = q
        return Float(negative ? -d : d)
    }

    /// A JSON number as read: ±mantissa × 10^exponent.
    struct Number {
        var mantissa: UInt64
        var exponent: Int
        var negative: Bool
        /// Written without fraction or exponent (simdjson's integer kinds).
        var isInteger: Bool

        /// 10^k for 0 ≤ k ≤ 22: the powers of ten a double holds exactly (a switch the compiler
        /// turns into a table, with no lazy global behind it).
        @inline(__always) static func power(_ k: Int) -> Double {
            switch k {
            case 0: 1
            case 1: 1e1
            case 2: 1e2
            case 3: 1e3
            case 4: 1e4
            case 5: 1e5
            case 6: 1e6
            case 7: 1e7
            case 8: 1e8
            case 9: 1e9
            case 10: 1e10
            case 11: 1e11
            case 12: 1e12
            case 13: 1e13
            case 14: 1e14
            case 15: 1e15
            case 16: 1e16
            case 17: 1e17
            case 18: 1e18
            case 19: 1e19
            case 20: 1e20
            case 21: 1e21
            default: 1e22
            }
        }

        /// The correctly rounded double when the fast path applies, else nil.
        /// `@_transparent`: with `@inline(__always)` the compiler still called it once per number
        /// from `fillFP32`, passing the number through registers and back (−294 instructions a
        /// `mlp` request inlined).
        @_transparent var double: Double? {
            guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22, !(negative && mantissa == 0 && isInteger) else { return nil }
            // Through Int64: x86-64 converts signed integers in one instruction, unsigned ones
            // in a dozen (the mantissa is at most 2^53 here).
            var d = Double(Int64(truncatingIfNeeded: mantissa))
            if exponent < 0 { d /= Self.power(-exponent) } else if exponent > 0 { d *= Self.power(exponent) }
            return negative ? -d : d
        }

        /// The value as an integer of type `T` when it is an integer literal within `T`'s range.
        func integer<T: FixedWidthInteger>() -> T? {
            guard isInteger else { return nil }
            if negative {
                guard mantissa != 0, T.isSigned, let m = Int64(exactly: mantissa) else { return nil }
                return T(exactly: -m)
            }
            return T(exactly: mantissa)
        }
    }

    /// Reads a number at the cursor (after whitespace).
    mutating func number() -> Number? {
        var j = i
        guard let n = Self.scanNumber(p, count, &j) else { return nil }
        i = j
        return n
    }

    /// Reads a number per RFC 8259, with at most 18 digits and a three-digit exponent, from
    /// `p[j...]` (whitespace first), advancing `j`. Static, on a local cursor: as a stored
    /// property of an `inout` reader the cursor was written back to memory for every digit.
    @inline(__always)
    static func scanNumber(_ p: UnsafePointer<UInt8>, _ count: Int, _ j: inout Int) -> Number? {
        while j < count && isWhitespace(p[j]) { j += 1 }
        guard j < count else { return nil }
        var n = Number(mantissa: 0, exponent: 0, negative: false, isInteger: true)
        if p[j] == UInt8(ascii: "-") {
            n.negative = true
            j += 1
            guard j < count else { return nil }
        }
        var m: UInt64 = 0
        var digits = 0
        if p[j] == UInt8(ascii: "0") {
            j += 1
            if j < count && isDigit(p[j]) { return nil }  // leading zeros are not JSON
        } else {
            let start = j
            readDigits(p, count, &j, &m)
            guard j > start else { return nil }
            digits = j &- start
        }
        if j < count && p[j] == UInt8(ascii: ".") {
            j += 1
            let start = j
            readFraction(p, count, &j, &m)
            guard j > start else { return nil }
            digits = digits &+ (j &- start)   // leading zeros of a fraction count too: conservative
            n.exponent = start &- j
            n.isInteger = false
        }
        guard digits <= 18 else { return nil }  // m is exact below 10^18 (wrapping above is caught here)
        n.mantissa = m
        if j < count && (p[j] | 0x20) == UInt8(ascii: "e") {
            n.isInteger = false
            j += 1
            var negativeExponent = false
            if j < count && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) {
                negativeExponent = p[j] == UInt8(ascii: "-")
                j += 1
            }
            let start = j
            var e = 0
            while j < count && isDigit(p[j]) {
                guard j - start < 3 else { return nil }
                e = e &* 10 &+ Int(p[j] &- 0x30)
                j += 1
            }
            guard j > start else { return nil }
            n.exponent += negativeExponent ? -e : e
        }
        return n
    }

    /// Appends the run of decimal digits at `j` to `m` (wrapping: the caller bounds the count).
    /// One digit a step: integer parts of floats are one or two digits, where an eight-byte step
    /// costs more than it saves (fractions go through `readFraction`).
    @inline(__always)
    static func readDigits(_ p: UnsafePointer<UInt8>, _ count: Int, _ j: inout Int, _ m: inout UInt64) {
        while j < count {
            let d = p[j] &- 0x30
            if d >= 10 { break }
            m = m &* 10 &+ UInt64(d)
            j += 1
        }
    }

    /// `readDigits` for a fraction, up to eight digits a step while eight bytes remain.
    ///
    /// A fraction is where a printed float keeps its digits (`-1.1123047`: one before the point,
    /// seven after), and those runs have any length from 1 to 9: a step reads eight bytes, finds
    /// the first non-digit among them and folds the digits before it in with three
    /// multiplications, ~25 instructions for the whole run against ~9 a digit one at a time
    /// (`instructions.sh json`). An earlier SWAR step that took only runs of exactly eight (or
    /// four) digits fell back to single digits on most fractions and cost more than it saved.
    @inline(__always)
    static func readFraction(_ p: UnsafePointer<UInt8>, _ count: Int, _ j: inout Int, _ m: inout UInt64) {
        while count &- j >= 8 {
            let w = ByteWords.load(p + j)   // byte k is character j + k
            let n = ByteWords.leadingDigits(w)
            guard n > 0 else { return }
            // The n digits' values, moved to the top bytes so that the bytes below read as
            // leading zeros (subtracting '0' cannot borrow out of a digit byte).
            let digits = (w &- ASCIIWords.ones &* 0x30) &<< UInt64(truncatingIfNeeded: (8 &- n) &* 8)
            m = m &* Self.integerPower(n) &+ ByteWords.eightDigits(digits)
            j &+= n
            if n < 8 { return }
        }
        readDigits(p, count, &j, &m)
    }

    /// 10^n for 0 ≤ n ≤ 8 (a switch the compiler turns into a table in memory).
    @inline(__always) static func integerPower(_ n: Int) -> UInt64 {
        switch n {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }

    // MARK: lexical

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    @inline(__always) private static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    @inline(__always) mutating func skipWhitespace() {
        while i < count && Self.isWhitespace(p[i]) { i += 1 }
    }

    /// `skipWhitespace` inside a condition list.
    @inline(__always) mutating func skipWhitespaceThen() -> Bool {
        skipWhitespace()
        return true
    }

    @inline(__always) mutating func consume(_ c: UInt8) -> Bool {
        skipWhitespace()
        guard i < count, p[i] == c else { return false }
        i += 1
        return true
    }

    /// A string of printable ASCII without escapes; the range of its bytes.
    mutating func simpleString() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        let end = start + ByteWords.firstNonPlain(p + start, count - start)
        guard end < count, p[end] == UInt8(ascii: "\"") else { return nil }
        i = end + 1
        return start..<end
    }

    private func equals(_ r: Range<Int>, _ literal: StaticString) -> Bool {
        HTTPCommonText.equals(UnsafeRawBufferPointer(start: p + r.lowerBound, count: r.count), literal)
    }

    private func string(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: p + r.lowerBound, count: r.count), as: UTF8.self)
    }
}
