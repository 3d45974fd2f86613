/// An ordered list of HTTP header fields.
///
/// Names are stored **lower-cased** (HTTP/2 requires it on the wire and HTTP/1.1 names are
/// case-insensitive), so lookups compare bytes without folding case. Codecs lower-case names as
/// they parse; code that builds headers may pass any case, `add` folds it.
///
/// Why packed bytes and not `[(String, String)]`: the codecs build one list per request straight
/// from their input buffers, and most fields are never read again. As strings, every field paid a
/// UTF-8 validation, an allocation past 15 bytes, and a release per string when the request was
/// dropped: under callgrind, an HTTP/2 request spent ~2,700 instructions (15 % of its user time)
/// making and destroying its fields. Here a field is one `memcpy` into a single buffer, and a
/// `String` is made only for the values somebody looks up. Encoders read the bytes directly
/// (`forEachField`).
///
/// Layout of the buffer, field after field: name length and value length (little-endian `UInt32`
/// each), then the name bytes, then the value bytes.
public struct HTTPHeaders: @unchecked Sendable, Equatable, Sequence {
    public typealias Element = (name: String, value: String)

    /// nil for an empty list (no allocation). Copy-on-write: shared buffers are never mutated.
    @usableFromInline var buffer: HTTPHeaderBuffer?
    public private(set) var count: Int

    @usableFromInline static let prefix = 8

    public init() {
        buffer = nil
        count = 0
    }

    public init(_ pairs: [(String, String)]) {
        self.init()
        for (n, v) in pairs { add(name: n, value: v) }
    }

    /// Reserves room for about `n` typical fields (codecs that know the header count avoid regrowth).
    public mutating func reserveCapacity(_ n: Int) { reserveCapacity(fields: n, bytes: n * 40) }

    /// Reserves room for `bytes` bytes of names and values in `fields` fields.
    public mutating func reserveCapacity(fields: Int, bytes: Int) {
        let needed = bytes + fields * Self.prefix
        if buffer == nil {
            buffer = HTTPHeaderBuffer.make(capacity: needed)
        } else if !isKnownUniquelyReferenced(&buffer) || buffer.unsafelyUnwrapped.room < needed {
            grow(needed)   // a shared buffer (a static response's fields) is copied once, with the room
        }
    }

    public var isEmpty: Bool { count == 0 }

    // MARK: Adding

    /// Appends a field; `name` is lower-cased unless it already is.
    public mutating func add(name: String, value: String) {
        Self.withUTF8(name, value) { append(lowercasing: $0, value: $1) }
    }

    /// Appends a field whose name the caller guarantees is already lower-case.
    public mutating func addLowercased(name: String, value: String) {
        Self.withUTF8(name, value) { append(name: $0, value: $1) }
    }

    /// Runs `body` with the UTF-8 of both strings, lent in place (see `String.withUTF8Bytes`).
    @inline(__always)
    private static func withUTF8(_ a: String, _ b: String,
                                 _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
        a.withUTF8Bytes { x in b.withUTF8Bytes { y in body(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }

    /// Appends a field from bytes; the caller guarantees `name` is lower-case (HTTP/2 decoders,
    /// whose peers must send lower-case names).
    public mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let out = appendSpace(name: name.count, value: value.count)
        if name.count > 0 { (out + Self.prefix).copyMemory(from: name.baseAddress!, byteCount: name.count) }
        if value.count > 0 { (out + Self.prefix + name.count).copyMemory(from: value.baseAddress!, byteCount: value.count) }
    }

    /// Appends every field of `other` with one copy of its packed bytes (fields prepared once and
    /// added to many responses, e.g. a routed variant's `x-switchyard-*` fields).
    public mutating func append(contentsOf other: HTTPHeaders) {
        other.withBytes { packed in
            guard let from = packed.baseAddress, packed.count > 0 else { return }
            if !isKnownUniquelyReferenced(&buffer) || buffer.unsafelyUnwrapped.room < packed.count { grow(packed.count) }
            buffer.unsafelyUnwrapped.withUnsafeMutablePointers { h, e in
                UnsafeMutableRawPointer(e + h.pointee.used).copyMemory(from: from, byteCount: packed.count)
                h.pointee.used += packed.count
            }
            count += other.count
        }
    }

    /// Bytes the fields take in the packed buffer, their length prefixes included (for
    /// `reserveCapacity(fields:bytes:)` before `append(contentsOf:)`).
    public var packedByteCount: Int { buffer?.extent.used ?? 0 }

    /// Appends a field from bytes, ASCII-lower-casing the name as it is copied (HTTP/1.1 decoders).
    public mutating func append(lowercasing name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let out = appendSpace(name: name.count, value: value.count)
        if name.count > 0 { ASCIIWords.copyLowercased(out + Self.prefix, name.baseAddress!, name.count) }
        if value.count > 0 { (out + Self.prefix + name.count).copyMemory(from: value.baseAddress!, byteCount: value.count) }
    }

    /// Appends a field named by a literal (lower-case, as codecs and encoders spell them).
    public mutating func append(name: StaticString, value: UnsafeRawBufferPointer) {
        append(name: Self.bytes(of: name), value: value)
    }

    /// Appends a field whose value `fill` writes in place: it gets exactly `valueLength` bytes and
    /// must initialize all of them (a value computed per response, e.g. a signed token, without an
    /// intermediate `String`).
    public mutating func append(name: StaticString, valueLength: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let nameBytes = Self.bytes(of: name)
        let out = appendSpace(name: nameBytes.count, value: valueLength)
        if nameBytes.count > 0 { (out + Self.prefix).copyMemory(from: nameBytes.baseAddress!, byteCount: nameBytes.count) }
        fill(UnsafeMutableRawBufferPointer(start: out + Self.prefix + nameBytes.count, count: valueLength))
    }

    /// `append(name:decimal:)` for a literal name (`:status`, `content-length`).
    public mutating func append(name: StaticString, decimal value: Int) {
        append(name: Self.bytes(of: name), decimal: value)
    }

    @inline(__always)
    private static func bytes(of literal: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Appends a field whose value is `value` in decimal (negative values as 0), written in place
    /// (`content-length`, `:status`: no digit buffer, no String).
    public mutating func append(name: UnsafeRawBufferPointer, decimal value: Int) {
        var v = UInt(Swift.max(value, 0))
        var digits = 1
        var rest = v
        while rest >= 10 { rest /= 10; digits += 1 }
        let out = appendSpace(name: name.count, value: digits)
        if name.count > 0 { (out + Self.prefix).copyMemory(from: name.baseAddress!, byteCount: name.count) }
        var i = Self.prefix + name.count + digits
        repeat {
            i -= 1
            out.storeBytes(of: 48 &+ UInt8(truncatingIfNeeded: v % 10), toByteOffset: i, as: UInt8.self)
            v /= 10
        } while v > 0
    }

    /// Makes room for one field at the end, writes its length prefix and returns where it starts.
    @inline(__always)
    private mutating func appendSpace(name: Int, value: Int) -> UnsafeMutableRawPointer {
        let n = Self.prefix + name + value
        if !isKnownUniquelyReferenced(&buffer)
            || buffer.unsafelyUnwrapped.room < n {
            grow(n)
        }
        count += 1
        return buffer.unsafelyUnwrapped.withUnsafeMutablePointers { h, e in
            let out = UnsafeMutableRawPointer(e + h.pointee.used)
            h.pointee.used += n
            out.storeBytes(of: UInt32(truncatingIfNeeded: name).littleEndian, as: UInt32.self)
            out.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, toByteOffset: 4, as: UInt32.self)
            return out
        }
    }

    /// A new, unshared buffer with room for `extra` more bytes (doubling, so appends stay amortized O(1)).
    private mutating func grow(_ extra: Int) {
        let used = buffer?.extent.used ?? 0
        let capacity = Swift.max(used + extra, 2 * (buffer?.extent.capacity ?? 0), 128)
        let fresh = HTTPHeaderBuffer.make(capacity: capacity)
        if let old = buffer, used > 0 {
            old.withUnsafeMutablePointerToElements { src in
                fresh.withUnsafeMutablePointers { h, dst in
                    dst.update(from: src, count: used)
                    h.pointee.used = used
                }
            }
        }
        buffer = fresh
    }

    // MARK: Removing

    /// Empties the list; keeps the buffer when this list is its only owner.
    public mutating func removeAll(keepingCapacity: Bool = false) {
        count = 0
        if keepingCapacity && isKnownUniquelyReferenced(&buffer) {
            buffer.unsafelyUnwrapped.withUnsafeMutablePointerToHeader { $0.pointee.used = 0 }
        } else {
            buffer = nil
        }
    }

    /// Replaces every field called `name` with one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    public mutating func remove(name: String) {
        let key = HTTPHeaders.lowercase(name)
        var kept = HTTPHeaders()
        forEachField { n, v in
            if !Self.equal(n, key) { kept.append(name: n, value: v) }
        }
        self = kept
    }

    // MARK: Reading

    /// Calls `body` with every field's name and value bytes, in order. Valid only inside `body`.
    @inlinable
    public func forEachField(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try withBytes { try Self.forEachField(in: $0, body) }
    }

    /// Walks packed fields as `withBytes` presents them (for callers that need every field's
    /// pointers to stay valid together).
    @inlinable
    public static func forEachField(in packed: UnsafeRawBufferPointer,
                                    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        var i = 0
        while i < packed.count {
            let f = field(at: i, in: packed)
            try body(f.name, f.value)
            i = f.next
        }
    }

    /// The field starting at byte `offset` of the packed fields, and where the next one starts.
    ///
    /// By raw pointer: the buffer is only ever written by this type, so the lengths are trusted.
    /// Bounds-checked slices (`packed[a..<b]`) made a field ~120 instructions, which every header
    /// lookup paid for each field it skipped.
    @inlinable @inline(__always)
    static func field(at offset: Int, in packed: UnsafeRawBufferPointer)
        -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, next: Int) {
        let base = packed.baseAddress.unsafelyUnwrapped + offset
        let n = Int(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
        let v = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        return (UnsafeRawBufferPointer(start: base + prefix, count: n),
                UnsafeRawBufferPointer(start: base + prefix + n, count: v),
                offset + prefix + n + v)
    }

    /// Runs `body` with the value bytes of the first field called `name` (pass a lower-case
    /// name), or returns nil when there is none. No `String` is made.
    @inlinable
    public func withFirstValue<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        try name.withUTF8Bytes { k in
            try withBytes { raw -> R? in
                var i = 0
                while i < raw.count {
                    let f = Self.field(at: i, in: raw)
                    if Self.equal(f.name, UnsafeRawBufferPointer(k)) { return try body(f.value) }
                    i = f.next
                }
                return nil
            }
        }
    }

    /// The first value of `name` (pass a lower-case name).
    @inlinable
    public subscript(name: String) -> String? {
        withFirstValue(name) { HTTPHeaders.string($0) }
    }

    /// All values of `name` (pass a lower-case name).
    public func values(_ name: String) -> [String] {
        var out: [String] = []
        name.withUTF8Bytes { k in
            forEachField { n, v in
                if Self.equal(n, UnsafeRawBufferPointer(k)) { out.append(Self.string(v)) }
            }
        }
        return out
    }

    public func contains(_ name: String) -> Bool { withFirstValue(name) { _ in true } ?? false }

    /// The packed fields (see the type's comment), valid only inside `body`.
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let buffer else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try buffer.withUnsafeMutablePointers { h, e in
            try body(UnsafeRawBufferPointer(start: e, count: h.pointee.used))
        }
    }

    public func makeIterator() -> Iterator { Iterator(headers: self) }

    /// Decodes one field at a time; a header list is usually read this way only by encoders of
    /// responses built in code and by tests.
    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var offset = 0

        public mutating func next() -> Element? {
            headers.withBytes { raw in
                guard offset < raw.count else { return nil }
                let f = HTTPHeaders.field(at: offset, in: raw)
                offset = f.next
                return (HTTPHeaders.string(f.name), HTTPHeaders.string(f.value))
            }
        }
    }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.count == b.count && a.withBytes { x in b.withBytes { y in equal(x, y) } }
    }

    // MARK: Helpers

    /// A field's bytes as a `String` (invalid UTF-8, possible in HTTP/1.1 obs-text, becomes U+FFFD).
    @inlinable
    public static func string(_ b: UnsafeRawBufferPointer) -> String {
        String(decoding: b, as: UTF8.self)
    }

    @inlinable @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmpBytes(a, b))
    }

    @inlinable @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: String) -> Bool {
        b.withUTF8Bytes { equal(a, UnsafeRawBufferPointer($0)) }
    }

    @inlinable @inline(__always)
    static func memcmpBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// ASCII lower-casing without allocating when the name is already lower-case.
    public static func lowercase(_ s: String) -> String {
        var needs = false
        for b in s.utf8 where b >= 65 && b <= 90 { needs = true; break }
        return needs ? s.lowercased() : s
    }
}

/// The bytes behind an `HTTPHeaders`: one allocation holding the used and allocated sizes and
/// the packed fields. `Array<UInt8>` was the first choice; its generic `append(contentsOf:)` cost
/// ~60 instructions per call, four calls per field, which made a field cost more than the strings
/// it replaced.
@usableFromInline
final class HTTPHeaderBuffer: ManagedBuffer<HTTPHeaderBuffer.Extent, UInt8> {
    @usableFromInline
    struct Extent {
        @usableFromInline var used: Int
        @usableFromInline var capacity: Int
    }

    /// The sizes, read through a pointer: the `header` property would be a class property access
    /// with a dynamic exclusivity check (~75 instructions per field appended).
    @inline(__always)
    var extent: Extent { withUnsafeMutablePointerToHeader { $0.pointee } }

    /// Bytes still free.
    @inline(__always)
    var room: Int { withUnsafeMutablePointerToHeader { $0.pointee.capacity - $0.pointee.used } }

    static func make(capacity: Int) -> HTTPHeaderBuffer {
        unsafeDowncast(HTTPHeaderBuffer.create(minimumCapacity: capacity) { _ in Extent(used: 0, capacity: capacity) },
                       to: HTTPHeaderBuffer.self)
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }
}

extension HTTPHeaders: CustomStringConvertible {
    public var description: String {
        "[" + map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
