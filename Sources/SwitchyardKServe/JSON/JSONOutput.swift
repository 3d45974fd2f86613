import SwitchyardCore

/// The growable byte buffer the JSON writer fills: a raw allocation with a count, copied once
/// into the body array when the document is done.
///
/// Why not append to a `[UInt8]`: every `Array.append` re-checks uniqueness (a runtime call when
/// the array lives behind `inout`) and capacity, and the writer appends a byte or a few at a time.
/// On the `mlp` fixture's 240-byte infer answer, encoding took 1.9 µs of the request's CPU with
/// the array (perf); writing into raw memory and copying once makes that a fraction.
///
/// Noncopyable, so the allocation has exactly one owner and is freed by `deinit`.
struct JSONOutput: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(minimum: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ a: UInt8, _ b: UInt8) {
        if count + 2 > capacity { grow(minimum: count + 2) }
        base[count] = a
        base[count + 1] = b
        count += 2
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(minimum: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string's UTF-8 bytes as they are (callers escape first where JSON needs it).
    @inline(__always)
    mutating func append(utf8 text: String) {
        text.withUTF8Bytes { append($0) }
    }

    /// Room for up to `maximum` bytes at the end: `body` writes them and returns how many it wrote.
    @inline(__always)
    mutating func write(upTo maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if count + maximum > capacity { grow(minimum: count + maximum) }
        count += body(base + count)
    }

    /// The bytes, with room reserved for `extra` more (binary tensors appended after the JSON).
    consuming func finish(reservingExtra extra: Int = 0) -> [UInt8] {
        let n = count
        let source = base
        guard n + extra > 0 else { return [] }
        return ByteArrays.copy(source, count: n, reservingExtra: extra)
    }

    @inline(never)
    private mutating func grow(minimum: Int) {
        let newCapacity = max(capacity * 2, minimum)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
