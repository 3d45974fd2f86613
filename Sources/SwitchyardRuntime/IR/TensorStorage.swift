/// Immutable-after-construction raw storage behind a `Tensor`: cache-line (64-byte) aligned from
/// `RawStorage.cacheLineThreshold` bytes up, malloc's 16-byte alignment below.
///
/// Kernels load with `loadUnaligned`, so alignment is only about cache lines, which matters for
/// large tensors. For small ones an aligned allocation goes through `posix_memalign`, ~650
/// instructions against ~150 for `malloc` (callgrind): a tenth of running the `mlp` fixture at
/// batch 1, for the one input tensor a request allocates.
///
/// A class so that copying a `Tensor` value never copies its data; it is written only by the code
/// that creates it (before the tensor is handed out), which is what makes `@unchecked Sendable`
/// sound.
final class RawStorage: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    static let cacheLineThreshold = 4096

    private static func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer.allocate(byteCount: Swift.max(byteCount, 1),
                                         alignment: byteCount >= cacheLineThreshold ? 64 : 16)
    }

    /// Allocates `byteCount` bytes for a kernel to fill completely (outputs, copies).
    init(uninitializedByteCount byteCount: Int) {
        self.byteCount = byteCount
        pointer = Self.allocate(byteCount)
    }

    /// Allocates `byteCount` zeroed bytes (at least one, so the pointer is always valid).
    init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = Self.allocate(byteCount)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: Swift.max(byteCount, 1))
    }

    /// Allocates and copies `byteCount` bytes from `source`.
    init(copying source: UnsafeRawPointer, byteCount: Int) {
        self.byteCount = byteCount
        pointer = Self.allocate(byteCount)
        if byteCount > 0 { pointer.copyMemory(from: source, byteCount: byteCount) }
    }

    deinit { pointer.deallocate() }
}
