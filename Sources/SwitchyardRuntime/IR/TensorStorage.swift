/// Immutable-after-construction, 64-byte aligned raw storage behind a `Tensor`.
///
/// A class so that copying a `Tensor` value never copies its data; it is written only by the code
/// that creates it (before the tensor is handed out), which is what makes `@unchecked Sendable`
/// sound.
final class RawStorage: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    /// Allocates `byteCount` bytes for a kernel to fill completely (outputs, copies).
    init(uninitializedByteCount byteCount: Int) {
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
    }

    /// Allocates `byteCount` zeroed bytes (at least one, so the pointer is always valid).
    init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(byteCount, 1))
    }

    /// Allocates and copies `byteCount` bytes from `source`.
    init(copying source: UnsafeRawPointer, byteCount: Int) {
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1), alignment: 64)
        if byteCount > 0 { pointer.copyMemory(from: source, byteCount: byteCount) }
    }

    deinit { pointer.deallocate() }
}
