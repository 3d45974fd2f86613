/// Making a `[UInt8]` of a known size cheaply.
///
/// `Array(unsafeUninitializedCapacity:)` and `Array(repeating:count:)` allocate through a stdlib
/// function that is never specialized (`_allocateBufferUninitialized`); its generic metadata
/// lookup costs ~530 instructions a call (callgrind), more than encoding a small JSON answer's
/// numbers. `reserveCapacity` followed by `append(contentsOf:)` is specialized for `UInt8`.
public enum ByteArrays {
    /// Byte counts up to this are written on the stack first and appended (one short `memcpy`);
    /// larger ones are written in place, where the allocation's fixed cost no longer matters.
    public static let stagingLimit = 4096

    /// An array of exactly `count` bytes written by `body` (which must write all of them), with
    /// room for `extra` more.
    @inlinable
    public static func make(count: Int, reservingExtra extra: Int = 0,
                            _ body: (UnsafeMutableRawBufferPointer) -> Void) -> [UInt8] {
        if count > stagingLimit {
            return [UInt8](unsafeUninitializedCapacity: count + extra) { buffer, initialized in
                body(UnsafeMutableRawBufferPointer(start: buffer.baseAddress, count: count))
                initialized = count
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + extra)
        withUnsafeTemporaryAllocation(byteCount: max(count, 1), alignment: 16) { staging in
            let written = UnsafeMutableRawBufferPointer(rebasing: staging[..<count])
            body(written)
            bytes.append(contentsOf: UnsafeBufferPointer(start: written.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
        }
        return bytes
    }

    /// A copy of `count` bytes at `source`, with room for `extra` more.
    @inlinable
    public static func copy(_ source: UnsafeRawPointer, count: Int, reservingExtra extra: Int = 0) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + extra)
        // Typed: `append(contentsOf:)` of a raw buffer copies byte by byte, of a typed one it is a memcpy.
        bytes.append(contentsOf: UnsafeBufferPointer(start: source.assumingMemoryBound(to: UInt8.self), count: count))
        return bytes
    }

    /// A copy of `bytes` (empty for an empty or nil-based buffer).
    @inlinable
    public static func copy(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return [] }
        return copy(base, count: bytes.count)
    }
}
