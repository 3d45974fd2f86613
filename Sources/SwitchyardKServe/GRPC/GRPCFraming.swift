import SwitchyardCore

/// gRPC's length-prefixed message framing (PROTOCOL-HTTP2.md): a 1-byte compressed flag, a
/// 4-byte big-endian length, then the message.
public enum GRPCFraming {
    public static let prefixLength = 5

    /// Frames one uncompressed message.
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        ByteArrays.make(count: prefixLength + message.count) { raw in
            let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            writePrefix(messageLength: message.count, to: out)
            message.withUnsafeBufferPointer { m in
                if let source = m.baseAddress { (out + prefixLength).update(from: source, count: m.count) }
            }
        }
    }

    /// Writes the 5-byte prefix of an uncompressed message at `out`.
    static func writePrefix(messageLength: Int, to out: UnsafeMutablePointer<UInt8>) {
        let n = UInt32(truncatingIfNeeded: messageLength)
        out[0] = 0
        out[1] = UInt8(truncatingIfNeeded: n >> 24)
        out[2] = UInt8(truncatingIfNeeded: n >> 16)
        out[3] = UInt8(truncatingIfNeeded: n >> 8)
        out[4] = UInt8(truncatingIfNeeded: n)
    }

    /// The message length a prefix starting at `bytes[i]` declares (big-endian, after the flag).
    static func declaredLength(_ bytes: [UInt8], at i: Int) -> Int {
        Int(bytes[i + 1]) << 24 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 8 | Int(bytes[i + 4])
    }

    /// Splits a complete unary request body into exactly one message.
    public static func singleMessage(in body: [UInt8], maxMessageSize: Int) throws(GRPCStatus) -> [UInt8] {
        // The usual body, exactly one uncompressed message within the limit, is one copy; every
        // other body goes through the deframer, which names the problem.
        if body.count >= prefixLength && body[0] == 0 {
            let length = declaredLength(body, at: 0)
            if length <= maxMessageSize && body.count - prefixLength == length {
                return body.withUnsafeBytes { ByteArrays.copy(UnsafeRawBufferPointer(rebasing: $0[prefixLength...])) }
            }
        }
        var decoder = GRPCFrameDecoder(maxMessageSize: maxMessageSize)
        decoder.append(body)
        guard let message = try decoder.nextMessage() else {
            if body.isEmpty { throw GRPCStatus(.invalidArgument, "request body has no gRPC message") }
            throw GRPCStatus(.invalidArgument, "request body ends inside a gRPC frame (\(body.count) bytes, frame incomplete)")
        }
        if decoder.bufferedByteCount > 0 {
            throw GRPCStatus(.invalidArgument, "unary call carries more than one gRPC message")
        }
        return message
    }
}

/// Incremental deframer: feed bytes as they arrive, take complete messages out.
public struct GRPCFrameDecoder: Sendable {
    public let maxMessageSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxMessageSize: Int = 4 * 1024 * 1024) { self.maxMessageSize = maxMessageSize }

    /// Bytes received but not yet returned as messages.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        // Drop consumed bytes once they are at least half the buffer, so a long stream of
        // messages that always leaves a partial frame behind does not grow the buffer forever.
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, nil when more bytes are needed. A compressed message is
    /// rejected with UNIMPLEMENTED (we advertise no `grpc-encoding`, so a client must not send
    /// one); a declared length above `maxMessageSize` with RESOURCE_EXHAUSTED, as gRPC does.
    public mutating func nextMessage() throws(GRPCStatus) -> [UInt8]? {
        guard buffer.count - start >= GRPCFraming.prefixLength else { return nil }
        let flag = buffer[start]
        let length = GRPCFraming.declaredLength(buffer, at: start)
        switch flag {
        case 0: break
        case 1: throw GRPCStatus(.unimplemented, "compressed gRPC messages are not supported (no grpc-encoding is accepted)")
        default: throw GRPCStatus(.internal, "invalid gRPC compressed-flag byte \(flag)")
        }
        guard length <= maxMessageSize else {
            throw GRPCStatus(.resourceExhausted, "gRPC message of \(length) bytes exceeds the limit of \(maxMessageSize) bytes")
        }
        guard buffer.count - start - GRPCFraming.prefixLength >= length else { return nil }
        let from = start + GRPCFraming.prefixLength
        let message = Array(buffer[from..<(from + length)])
        start = from + length
        if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        return message
    }
}
