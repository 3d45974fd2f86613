import CNghttp2
import Foundation
import Synchronization
import Testing

/// The per-loop allocator handed to nghttp2 (`block_pool.h`).
@Suite struct BlockPoolTests {
    private func withPool(_ body: (UnsafeMutableRawPointer) -> Void) {
        let pool = sy_block_pool_new()!
        sy_block_pool_bind(pool)
        body(UnsafeMutableRawPointer(pool))
        sy_block_pool_delete(pool)
    }

    private func cachedSmallBlocks(_ pool: UnsafeMutableRawPointer) -> UInt32 {
        pool.assumingMemoryBound(to: sy_block_pool.self).pointee.cached.0
    }

    @Test func freedBlocksAreReusedForTheSameSizeClass() {
        withPool { pool in
            let a = sy_pool_malloc(100, pool)!
            sy_pool_free(a, pool)
            let b = sy_pool_malloc(90, pool)!    // same class (≤ 112 bytes): the recycled block
            #expect(a == b)
            let c = sy_pool_malloc(300, pool)!   // another class: a fresh block
            #expect(c != b)
            sy_pool_free(b, pool)
            sy_pool_free(c, pool)
        }
    }

    @Test func sizeClassIsTheSmallestThatFits() {
        for size in 0...2_200 {
            let expected = (0..<UInt32(SY_POOL_CLASSES)).first { size <= sy_pool_class_bytes($0) } ?? UInt32(SY_POOL_LARGE)
            #expect(sy_pool_class_of(size) == expected, "size \(size)")
        }
        #expect(sy_pool_class_of(Int.max) == UInt32(SY_POOL_LARGE))
    }

    @Test func reallocKeepsContentsAcrossClassesAndForLargeBlocks() {
        withPool { pool in
            var p = sy_pool_malloc(40, pool)!
            for i in 0..<40 { p.storeBytes(of: UInt8(i), toByteOffset: i, as: UInt8.self) }
            for size in [48, 200, 1_500, 10_000, 100_000] {   // within a class, across classes, beyond them
                p = sy_pool_realloc(p, size, pool)!
                #expect((0..<40).allSatisfy { p.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
                #expect(Int(bitPattern: p) % 16 == 0)
                p.storeBytes(of: 0xAB, toByteOffset: size - 1, as: UInt8.self)   // the whole size is usable
            }
            #expect(sy_pool_realloc(p, 0, pool) == nil)   // realloc to 0 frees
            let fresh = sy_pool_realloc(nil, 64, pool)     // realloc of NULL allocates
            #expect(fresh != nil)
            sy_pool_free(fresh, pool)
            sy_pool_free(nil, pool)                        // free(NULL) is a no-op
        }
    }

    @Test func callocZeroesAndRefusesOverflow() {
        withPool { pool in
            let dirty = sy_pool_malloc(200, pool)!
            dirty.initializeMemory(as: UInt8.self, repeating: 0xFF, count: 200)
            sy_pool_free(dirty, pool)
            let clean = sy_pool_calloc(25, 8, pool)!      // reuses the dirty block, zeroed
            #expect(clean == dirty)
            #expect((0..<200).allSatisfy { clean.load(fromByteOffset: $0, as: UInt8.self) == 0 })
            sy_pool_free(clean, pool)
            #expect(sy_pool_calloc(Int.max, 16, pool) == nil)
            #expect(sy_pool_malloc(Int.max, pool) == nil)
        }
    }

    @Test func cacheIsBoundedPerClass() {
        withPool { pool in
            let blocks = (0..<Int(SY_POOL_KEEP) + 100).map { _ in sy_pool_malloc(32, pool)! }
            for b in blocks { sy_pool_free(b, pool) }
            #expect(cachedSmallBlocks(pool) == UInt32(SY_POOL_KEEP))   // the rest went back to malloc
        }
    }

    /// A session destroyed off its loop frees its blocks from another thread: they go to malloc's
    /// free, never onto the owner's lists (which only the owner touches, without locks).
    @Test func otherThreadsBypassTheFreeLists() {
        withPool { pool in
            let mine = sy_pool_malloc(32, pool)!
            sy_pool_free(mine, pool)
            #expect(cachedSmallBlocks(pool) == 1)
            let address = UInt(bitPattern: pool)
            let done = DispatchSemaphore(value: 0)
            let foreignAddress = Atomic<UInt>(0)
            let other = Thread {
                let pool = UnsafeMutableRawPointer(bitPattern: address)!
                let foreign = sy_pool_malloc(32, pool)!
                foreign.storeBytes(of: 7, as: Int.self)
                foreignAddress.store(UInt(bitPattern: foreign), ordering: .relaxed)
                sy_pool_free(foreign, pool)
                done.signal()
            }
            other.start()
            done.wait()
            #expect(foreignAddress.load(ordering: .relaxed) != UInt(bitPattern: mine))   // not the cached block
            #expect(cachedSmallBlocks(pool) == 1)
            #expect(sy_pool_malloc(32, pool) == mine)   // the owner still gets its cached block
            sy_pool_free(mine, pool)
        }
    }
}
