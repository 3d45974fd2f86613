import CLZ4

/// LZ4 frames (the format of the `lz4` command and of `Content-Encoding: lz4`) through Debian's
/// liblz4: the one file of the project that calls it.
///
/// Why LZ4 on the data plane: tensors are large and compress well (repeated values, small
/// integers, zero padding), and LZ4 decodes at gigabytes a second, so a client on a slow link
/// can send a compressed body for about the cost of copying it once on our side.
public enum LZ4Frame {
    /// Why a body could not be decoded.
    public enum DecodeError: Error, Equatable, Sendable {
        /// Not an LZ4 frame, or corrupted: liblz4's own reason.
        case malformed(String)
        /// The input ends inside a frame.
        case truncated
        /// The decoded bytes would exceed the limit the caller set.
        case tooLarge(limit: Int)
    }

    /// `bytes` as one LZ4 frame (default compression level, content size and checksum recorded so
    /// the receiver can verify what it decodes).
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var prefs = LZ4F_preferences_t()
        prefs.frameInfo.contentSize = UInt64(bytes.count)
        prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        let bound = LZ4F_compressFrameBound(bytes.count, &prefs)
        var out = [UInt8](repeating: 0, count: bound)
        let written = out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                LZ4F_compressFrame(dst.baseAddress, bound, src.baseAddress, bytes.count, &prefs)
            }
        }
        // Compressing into a buffer of the documented bound cannot fail (liblz4's contract).
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressFrame: \(String(cString: LZ4F_getErrorName(written)))")
        out.removeLast(bound - written)
        return out
    }

    /// The bytes of one or more concatenated LZ4 frames (as `lz4` writes and reads them), refusing
    /// to produce more than `limit` bytes: a few kilobytes of input can claim gigabytes of output,
    /// so the limit is checked as the output grows, not after.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(DecodeError) -> [UInt8] {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else { throw .malformed("cannot create a decompression context") }
        defer { LZ4F_freeDecompressionContext(context) }

        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(bytes.count * 4, 64 * 1024)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var consumed = 0
        var hint = 0   // liblz4's "bytes expected next"; 0 once a frame is complete
        // One call per step: feeds the rest of the input (none once it is all in, to drain what
        // the context still holds) and takes up to a chunk of output.
        while true {
            var inSize = bytes.count - consumed
            var outSize = chunk.count
            hint = chunk.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    LZ4F_decompress(context, dst.baseAddress, &outSize, src.baseAddress.map { $0 + consumed }, &inSize, nil)
                }
            }
            if LZ4F_isError(hint) != 0 { throw .malformed(String(cString: LZ4F_getErrorName(hint))) }
            guard out.count + outSize <= limit else { throw .tooLarge(limit: limit) }
            out.append(contentsOf: chunk[0..<outSize])
            consumed += inSize
            // Done when everything is in and the last frame is complete; stuck (a frame cut
            // short) when a step neither took input nor gave output.
            if (consumed == bytes.count && hint == 0) || (inSize == 0 && outSize == 0) { break }
        }
        if hint != 0 || bytes.isEmpty { throw .truncated }
        return out
    }
}
