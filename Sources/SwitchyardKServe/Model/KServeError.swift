import SwitchyardCore

/// A protocol-level failure with the message the client will read. The kind decides the HTTP
/// status (Triton's mapping: INTERNAL→500, NOT_FOUND→404, UNAVAILABLE→503, UNSUPPORTED→501,
/// everything else→400) and the gRPC status code.
public struct KServeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The request is malformed or does not match the model: 400 / INVALID_ARGUMENT.
        case invalidArgument
        /// Unknown model or version: 404 / NOT_FOUND.
        case notFound
        /// Server or model not ready: 503 / UNAVAILABLE.
        case unavailable
        /// A feature this server does not implement: 501 / UNIMPLEMENTED.
        case unsupported
        /// Too large or over a limit: 413 / RESOURCE_EXHAUSTED.
        case resourceExhausted
        /// The deadline passed: 504 / DEADLINE_EXCEEDED.
        case deadlineExceeded
        /// The client went away: 499-style; reported as 400 over HTTP / CANCELLED over gRPC.
        case cancelled
        /// A bug or backend failure: 500 / INTERNAL.
        case `internal`
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func invalidArgument(_ message: String) -> KServeError { KServeError(.invalidArgument, message) }
    public static func notFound(_ message: String) -> KServeError { KServeError(.notFound, message) }
    public static func unavailable(_ message: String) -> KServeError { KServeError(.unavailable, message) }
    public static func unsupported(_ message: String) -> KServeError { KServeError(.unsupported, message) }
    public static func resourceExhausted(_ message: String) -> KServeError { KServeError(.resourceExhausted, message) }
    public static func internalError(_ message: String) -> KServeError { KServeError(.internal, message) }

    public var description: String { "\(httpStatus.code) \(message)" }

    public var httpStatus: HTTPStatus {
        switch kind {
        case .invalidArgument, .cancelled: return .badRequest
        case .notFound: return .notFound
        case .unavailable: return .serviceUnavailable
        case .unsupported: return .notImplemented
        case .resourceExhausted: return .payloadTooLarge
        case .deadlineExceeded: return .gatewayTimeout
        case .internal: return .internalServerError
        }
    }

    public var grpcCode: GRPCStatus.Code {
        switch kind {
        case .invalidArgument: return .invalidArgument
        case .notFound: return .notFound
        case .unavailable: return .unavailable
        case .unsupported: return .unimplemented
        case .resourceExhausted: return .resourceExhausted
        case .deadlineExceeded: return .deadlineExceeded
        case .cancelled: return .cancelled
        case .internal: return .internal
        }
    }

    /// The protocol's error body, `{"error":"<message>"}`.
    public var jsonBody: [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("error")
        w.string(message)
        w.endObject()
        return w.finish()
    }
}
