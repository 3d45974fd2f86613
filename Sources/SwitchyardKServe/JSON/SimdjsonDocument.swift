import CSimdjson
#if canImport(Glibc)
import Glibc
#endif

/// The only Swift file that talks to the CSimdjson shim: a parser and a read-only view of the
/// values of its current document. A `JSONValue` is valid only until the parser parses again,
/// so values never escape one decode call.
final class SimdjsonParser {
    private let handle: OpaquePointer

    init() {
        guard let h = csj_parser_new() else { fatalError("simdjson: out of memory creating a parser") }
        handle = h
    }

    deinit { csj_parser_free(handle) }

    /// Parses a whole JSON text. `what` names the document in the error message.
    func parse(_ bytes: UnsafeRawBufferPointer, what: String) throws(KServeError) -> JSONValue {
        var root = csj_element()
        var message: UnsafePointer<CChar>? = nil
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // simdjson rejects a null pointer even for length 0; give it a valid empty buffer.
        let status: Int32 = base.map { csj_parse(handle, $0, bytes.count, &root, &message) }
            ?? [UInt8(0)].withUnsafeBufferPointer { csj_parse(handle, $0.baseAddress!, 0, &root, &message) }
        if status != 0 {
            let text = message.map { String(cString: $0) } ?? "error \(status)"
            throw .invalidArgument("failed to parse the \(what) JSON: \(text)")
        }
        return JSONValue(element: root)
    }
}

struct JSONValue {
    enum Kind: Equatable {
        case array, object, int64, uint64, double, string, bool, null

        /// How error messages name a value's type.
        var noun: String {
            switch self {
            case .array: return "an array"
            case .object: return "an object"
            case .int64, .uint64, .double: return "a number"
            case .string: return "a string"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }

        init(code: Int32) {
            switch code {
            case Int32(CSJ_ARRAY.rawValue): self = .array
            case Int32(CSJ_OBJECT.rawValue): self = .object
            case Int32(CSJ_INT64.rawValue): self = .int64
            case Int32(CSJ_UINT64.rawValue): self = .uint64
            case Int32(CSJ_DOUBLE.rawValue): self = .double
            case Int32(CSJ_STRING.rawValue): self = .string
            case Int32(CSJ_BOOL.rawValue): self = .bool
            default: self = .null
            }
        }
    }

    let element: csj_element

    var kind: Kind { Kind(code: csj_type(element)) }

    var stringValue: String? {
        guard kind == .string else { return nil }
        let s = csj_get_string(element)
        guard let p = s.ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: s.len), as: UTF8.self)
    }

    /// The protocol datatype this string names (case-sensitive), matched on the document's bytes;
    /// nil for an unknown name or a value that is not a string.
    var datatype: InferDatatype? {
        guard kind == .string else { return nil }
        let s = csj_get_string(element)
        return InferDatatype.parse(UnsafeRawBufferPointer(start: s.ptr, count: s.ptr == nil ? 0 : s.len))
    }

    /// Number of elements of an array (0 for other kinds).
    var arrayCount: Int { kind == .array ? csj_array_count(element) : 0 }

    var boolValue: Bool? { kind == .bool ? csj_get_bool(element) : nil }
    var int64Value: Int64? { kind == .int64 ? csj_get_int64(element) : nil }
    var uint64Value: UInt64? { kind == .uint64 ? csj_get_uint64(element) : nil }
    var doubleValue: Double { csj_get_double(element) }

    /// Calls `body` with each member in document order, without building key strings or an
    /// array: the request path reads a handful of members per object, and per-member `String`s
    /// and a `[(String, JSONValue)]` (a tuple array, whose metadata is looked up at run time)
    /// measured as a visible share of decoding a small request.
    func forEachMember(_ body: (JSONKey, JSONValue) throws(KServeError) -> Void) throws(KServeError) {
        let n = csj_object_count(element)
        guard n > 0 else { return }
        var failure: KServeError?
        withUnsafeTemporaryAllocation(of: csj_field.self, capacity: n) { fields in
            let got = csj_object_fields(element, fields.baseAddress, n)
            for i in 0..<got {
                let f = fields[i]
                do throws(KServeError) {
                    try body(JSONKey(bytes: UnsafeRawBufferPointer(start: f.key, count: f.key == nil ? 0 : f.key_len)),
                             JSONValue(element: f.value))
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
    }

    /// The elements of an array of JSON integers that all fit Int64, read in one call; nil when
    /// this is not an array or holds anything else.
    var int64Array: [Int64]? {
        guard kind == .array else { return nil }
        let n = csj_array_count(element)
        var out: [Int64] = []
        guard n > 0 else { return out }
        return withUnsafeTemporaryAllocation(of: Int64.self, capacity: n) { items -> [Int64]? in
            guard csj_int64_array(element, items.baseAddress, n) == n else { return nil }
            out.reserveCapacity(n)
            out.append(contentsOf: UnsafeBufferPointer(items))
            return out
        }
    }

    /// Calls `body` with each element of an array and its position, without building an array.
    func forEachElement(_ body: (Int, JSONValue) throws(KServeError) -> Void) throws(KServeError) {
        let n = csj_array_count(element)
        guard n > 0 else { return }
        var failure: KServeError?
        withUnsafeTemporaryAllocation(of: csj_element.self, capacity: n) { items in
            let got = csj_array_elements(element, items.baseAddress, n)
            for i in 0..<got {
                do throws(KServeError) {
                    try body(i, JSONValue(element: items[i]))
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
    }

    /// Members in document order (keys decoded as UTF-8).
    var objectMembers: [(key: String, value: JSONValue)] {
        let n = csj_object_count(element)
        guard n > 0 else { return [] }
        var fields = [csj_field](repeating: csj_field(), count: n)
        let got = fields.withUnsafeMutableBufferPointer { csj_object_fields(element, $0.baseAddress, n) }
        return fields[0..<got].map { f in
            let key = f.key.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: f.key_len), as: UTF8.self) } ?? ""
            return (key, JSONValue(element: f.value))
        }
    }

    var arrayElements: [JSONValue] {
        let n = csj_array_count(element)
        guard n > 0 else { return [] }
        var out = [csj_element](repeating: csj_element(), count: n)
        let got = out.withUnsafeMutableBufferPointer { csj_array_elements(element, $0.baseAddress, n) }
        return out[0..<got].map(JSONValue.init(element:))
    }

    /// Result of flattening a `data` value into a typed buffer.
    struct Fill {
        enum Status { case ok, wrongType(found: Kind), outOfRange, tooDeep }
        var count: Int
        var index: Int
        var status: Status

        static let empty = Fill(count: 0, index: 0, status: .ok)

        init(count: Int, index: Int, status: Status) {
            self.count = count
            self.index = index
            self.status = status
        }

        init(_ r: csj_fill_result) {
            count = r.count
            index = r.index
            switch r.status {
            case Int32(CSJ_FILL_OK.rawValue): status = .ok
            case Int32(CSJ_FILL_WRONG_TYPE.rawValue): status = .wrongType(found: Kind(code: r.found))
            case Int32(CSJ_FILL_OUT_OF_RANGE.rawValue): status = .outOfRange
            default: status = .tooDeep
            }
        }
    }

    /// Converts every scalar of this (possibly nested) array into `datatype` and writes them to
    /// `buffer`, which holds `capacity` elements. Counting continues beyond the capacity.
    func fillNumeric(_ datatype: InferDatatype, into buffer: UnsafeMutableRawPointer?, capacity: Int) -> Fill {
        Fill(csj_fill_numeric(element, Self.dtypeCode(datatype), buffer, capacity))
    }

    /// Collects the strings of this (possibly nested) array as BYTES elements.
    func fillStrings(capacity: Int) -> (Fill, [[UInt8]]) {
        var slices = [csj_slice](repeating: csj_slice(), count: capacity)
        let fill = slices.withUnsafeMutableBufferPointer { Fill(csj_fill_strings(element, $0.baseAddress, capacity)) }
        guard case .ok = fill.status, fill.count <= capacity else { return (fill, []) }
        let elements = slices[0..<fill.count].map { s -> [UInt8] in
            guard let p = s.ptr, s.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: p, count: s.len))
        }
        return (fill, elements)
    }

    private static func dtypeCode(_ t: InferDatatype) -> Int32 {
        let code: csj_dtype
        switch t {
        case .bool: code = CSJ_DT_BOOL
        case .uint8: code = CSJ_DT_UINT8
        case .uint16: code = CSJ_DT_UINT16
        case .uint32: code = CSJ_DT_UINT32
        case .uint64: code = CSJ_DT_UINT64
        case .int8: code = CSJ_DT_INT8
        case .int16: code = CSJ_DT_INT16
        case .int32: code = CSJ_DT_INT32
        case .int64: code = CSJ_DT_INT64
        case .fp32: code = CSJ_DT_FP32
        case .fp64: code = CSJ_DT_FP64
        case .fp16, .bf16, .bytes: code = csj_dtype(rawValue: 0)
        }
        return Int32(code.rawValue)
    }
}

/// An object member's key as the document holds it (valid during one `forEachMember` call):
/// compared to the protocol's member names byte by byte, decoded to a `String` only when kept.
struct JSONKey {
    let bytes: UnsafeRawBufferPointer

    /// Whether the key is exactly `name` (an ASCII literal).
    @inline(__always)
    func `is`(_ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memcmp(base, name.utf8Start, bytes.count) == 0
    }

    /// Whether the key is exactly the bytes `name`.
    @inline(__always)
    func `is`(_ name: [UInt8]) -> Bool {
        guard bytes.count == name.count else { return false }
        guard let base = bytes.baseAddress, !name.isEmpty else { return true }
        return name.withUnsafeBytes { memcmp(base, $0.baseAddress!, bytes.count) == 0 }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
