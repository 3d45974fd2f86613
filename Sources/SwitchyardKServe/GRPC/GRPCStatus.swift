import SwitchyardCore

/// A gRPC call's final status, sent as the `grpc-status` and `grpc-message` trailers.
public struct GRPCStatus: Error, Sendable, Hashable, CustomStringConvertible {
    /// The canonical status codes (grpc/doc/statuscodes.md).
    public enum Code: Int, Sendable, Hashable, CaseIterable {
        case ok = 0
        case cancelled = 1
        case unknown = 2
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case alreadyExists = 6
        case permissionDenied = 7
        case resourceExhausted = 8
        case failedPrecondition = 9
        case aborted = 10
        case outOfRange = 11
        case unimplemented = 12
        case `internal` = 13
        case unavailable = 14
        case dataLoss = 15
        case unauthenticated = 16

        /// The code a gRPC client infers from an HTTP status when a response carries no
        /// `grpc-status` (grpc/doc/http-grpc-status-mapping.md); used when a proxy or the HTTP
        /// layer fails before gRPC handling (e.g. 413/431 from the transport).
        public init(httpStatus: Int) {
            switch httpStatus {
            case 200: self = .ok
            case 400: self = .internal
            case 401: self = .unauthenticated
            case 403: self = .permissionDenied
            case 404: self = .unimplemented
            case 429, 502, 503, 504: self = .unavailable
            default: self = .unknown
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    public init(_ error: KServeError) {
        self.init(error.grpcCode, error.message)
    }

    public static let ok = GRPCStatus(.ok)

    public var description: String { "\(code) (\(code.rawValue)): \(message)" }

    /// The trailers ending a call: `grpc-status`, and `grpc-message` when there is a message.
    public var trailers: HTTPHeaders {
        var h = HTTPHeaders()
        h.add(name: "grpc-status", value: String(code.rawValue))
        if !message.isEmpty { h.add(name: "grpc-message", value: Self.percentEncode(message)) }
        return h
    }

    /// Percent-encodes a status message as the gRPC spec says: bytes outside printable ASCII
    /// (0x20–0x7E) and `%` itself become `%XX` (upper-case hex) of the UTF-8 encoding.
    public static func percentEncode(_ message: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in message.utf8 {
            if b >= 0x20 && b <= 0x7E && b != 0x25 {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reverses `percentEncode`. Malformed escapes are kept literally, as the spec asks of
    /// receivers (never fail a call over its message).
    public static func percentDecode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
