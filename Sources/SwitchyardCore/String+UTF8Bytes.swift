extension String {
    /// Calls `body` with the string's UTF-8 bytes: in place when it is stored contiguously (native
    /// and small strings — every string the gateway parses or builds), from a copy only for
    /// bridged ones. Strings only: for a `Substring` the contiguous-storage path goes through
    /// `Slice`'s unspecialized generic code (~100 instructions), and `withUTF8` on a copy is cheaper.
    ///
    /// Why not `withUTF8`: it is `mutating`, so a caller holding a `let` must first copy the string
    /// into a `var`, which costs a retain and a release. Those are atomic operations (~20 cycles
    /// each on these machines, where an ordinary instruction costs a fraction of one), and the
    /// request path writes a dozen strings per response this way.
    @inlinable
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
