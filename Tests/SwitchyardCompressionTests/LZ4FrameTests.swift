import Foundation
import Testing
@testable import SwitchyardCompression

@Suite struct LZ4FrameTests {
    /// Tensor-like bytes: floats with repeats (compressible) and a little noise.
    static func sample(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
        var state = seed
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Float(Int(state >> 60)) * 0.25   // 16 distinct values
            withUnsafeBytes(of: v) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }

    @Test func roundTripsEverySizeClass() throws {
        for n in [0, 1, 15, 4096, 65_535, 65_536, 65_537, 1 << 20] {
            let bytes = Self.sample(n, seed: UInt64(n))
            let frame = LZ4Frame.compress(bytes)
            #expect(try LZ4Frame.decompress(frame, limit: n) == bytes, "size \(n)")
        }
    }

    @Test func compressibleTensorsShrink() {
        let bytes = Self.sample(1 << 20)
        #expect(LZ4Frame.compress(bytes).count < bytes.count / 2)
    }

    @Test func concatenatedFramesDecodeAsOneBody() throws {
        let a = Self.sample(1000, seed: 1), b = Self.sample(70_000, seed: 2)
        #expect(try LZ4Frame.decompress(LZ4Frame.compress(a) + LZ4Frame.compress(b), limit: 1 << 20) == a + b)
    }

    @Test func theLimitIsEnforcedWhileDecoding() {
        let bytes = [UInt8](repeating: 0, count: 4 << 20)   // 4 MiB of zeros: a frame of a few KiB
        let frame = LZ4Frame.compress(bytes)
        #expect(frame.count < 64 * 1024)
        #expect(throws: LZ4Frame.DecodeError.tooLarge(limit: 1 << 20)) { try LZ4Frame.decompress(frame, limit: 1 << 20) }
        #expect(throws: Never.self) { try LZ4Frame.decompress(frame, limit: 4 << 20) }
    }

    @Test func truncatedAndCorruptInputIsRefused() {
        let frame = LZ4Frame.compress(Self.sample(100_000))
        #expect(throws: LZ4Frame.DecodeError.truncated) { try LZ4Frame.decompress(Array(frame.prefix(frame.count - 9)), limit: 1 << 20) }
        #expect(throws: LZ4Frame.DecodeError.truncated) { try LZ4Frame.decompress([], limit: 1 << 20) }
        do {
            _ = try LZ4Frame.decompress(Array("not an lz4 frame".utf8), limit: 1 << 20)
            Issue.record("garbage was accepted")
        } catch {
            guard case .malformed(let reason) = error else { Issue.record("\(error)"); return }
            #expect(!reason.isEmpty)
        }
        // A flipped byte in the data fails the content checksum (or the block decoder).
        var damaged = frame
        damaged[damaged.count / 2] ^= 0x55
        #expect(throws: (any Error).self) { try LZ4Frame.decompress(damaged, limit: 1 << 20) }
    }

    /// Frames interoperate with Debian's `lz4` command in both directions.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/lz4")))
    func interoperatesWithTheLZ4Command() throws {
        let bytes = Self.sample(300_000)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lz4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain"), ours = dir.appendingPathComponent("ours.lz4")
        let theirs = dir.appendingPathComponent("theirs.lz4"), back = dir.appendingPathComponent("back")
        try Data(bytes).write(to: plain)
        try Data(LZ4Frame.compress(bytes)).write(to: ours)
        #expect(try lz4(["-d", "-q", "-f", ours.path, back.path]) == 0)
        #expect(try [UInt8](Data(contentsOf: back)) == bytes)
        #expect(try lz4(["-q", "-f", plain.path, theirs.path]) == 0)
        #expect(try LZ4Frame.decompress([UInt8](Data(contentsOf: theirs)), limit: bytes.count) == bytes)
    }

    private func lz4(_ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
