/// An append-only JSON writer into a byte buffer (`JSONOutput`), used for every document this module produces.
///
/// Why not Foundation's coders: a response with tens of thousands of floats must encode in well
/// under a millisecond; this writer appends bytes directly, formats integers by hand, and
/// formats floats with Swift's shortest round-trip algorithm (see `JSONNumberFormatting`).
/// Commas are tracked with one flag: after a value a comma is due, after `{`, `[` or a key not.
struct JSONWriter: ~Copyable {
    private var bytes: JSONOutput
    private var needsComma = false

    init(capacity: Int = 256) { bytes = JSONOutput(capacity: capacity) }

    /// The document's bytes, with room for `extra` more (binary tensors that follow it).
    consuming func finish(reservingExtra extra: Int = 0) -> [UInt8] { bytes.finish(reservingExtra: extra) }

    /// Bytes written so far.
    var count: Int { bytes.count }

    @inline(__always) private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    mutating func key(_ name: String) {
        separator()
        JSONNumberFormatting.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A member name known at compile time to need no escaping (the protocol's own names):
    /// copied as bytes, without the escaping scan `key(_:)` does.
    /// One capacity check and a copy by words (`ByteWords`): a response writes a dozen of these;
    /// piecewise appends (three checks and a `memcpy` call each) cost ~85 instructions a key, a
    /// byte loop ~130.
    mutating func literalKey(_ name: StaticString) {
        let n = name.utf8CodeUnitCount
        let source = name.utf8Start
        let comma = needsComma
        bytes.write(upTo: n + 4) { p in
            var i = 0
            if comma { p[0] = UInt8(ascii: ","); i = 1 }
            p[i] = UInt8(ascii: "\"")
            ByteWords.copy(p + i + 1, source, n)
            p[i + 1 + n] = UInt8(ascii: "\"")
            p[i + 2 + n] = UInt8(ascii: ":")
            return i + 3 + n
        }
        needsComma = false
    }

    /// A string value known at compile time to need no escaping (datatype names).
    mutating func literalString(_ value: StaticString) {
        separator()
        JSONNumberFormatting.appendQuoted(utf8: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount), to: &bytes)
        needsComma = true
    }

    mutating func string(_ value: String) {
        separator()
        JSONNumberFormatting.appendQuoted(value, to: &bytes)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separator()
        bytes.append(value ? "true" : "false")
        needsComma = true
    }

    mutating func int(_ value: Int64) { separator(); JSONNumberFormatting.appendInt64(value, to: &bytes); needsComma = true }
    mutating func uint(_ value: UInt64) { separator(); JSONNumberFormatting.appendUInt64(value, to: &bytes); needsComma = true }
    mutating func double(_ value: Double) { separator(); JSONNumberFormatting.appendDouble(value, to: &bytes); needsComma = true }

    mutating func parameter(_ value: InferParameterValue) {
        switch value {
        case .bool(let v): bool(v)
        case .int64(let v): int(v)
        case .uint64(let v): uint(v)
        case .double(let v): double(v)
        case .string(let v): string(v)
        }
    }

    mutating func parameters(_ parameters: InferParameters) {
        beginObject()
        for entry in parameters {
            key(entry.name)
            parameter(entry.value)
        }
        endObject()
    }

    mutating func shape(_ shape: [Int64]) {
        beginArray()
        for d in shape { int(d) }
        endArray()
    }

    /// Writes a tensor's data as one flat JSON array (row-major, as Triton writes it).
    mutating func tensorData(_ tensor: InferTensor) throws(KServeError) {
        separator()
        try TensorJSONEncoding.appendData(of: tensor, to: &bytes)
        needsComma = true
    }
}
