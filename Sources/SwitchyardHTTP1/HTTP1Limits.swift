import SwitchyardCore

/// Size limits the HTTP/1.1 request parser enforces while bytes arrive, so that a client can never make
/// the server buffer more than `maxHeaderBytes` of head or `maxBodyBytes` of body per request.
public struct HTTP1Limits: Sendable {
    /// Request line plus header fields, line endings included (also bounds the chunked trailer
    /// section). Beyond it the parser fails with 431, even while the head is still incomplete.
    public var maxHeaderBytes: Int
    /// Decoded body bytes. A larger `Content-Length` fails with 413 at head time; a chunked body fails
    /// with 413 as soon as a chunk would take the running total past it.
    public var maxBodyBytes: Int

    public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 64 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

/// What the parser hands the server, in wire order.
public enum HTTP1ParseEvent: Sendable {
    /// The head of a request carrying `Expect: 100-continue` whose body has not arrived yet: the
    /// server writes "HTTP/1.1 100 Continue\r\n\r\n" (or rejects it). The complete request follows later as `.request`.
    case expectContinue(HTTPRequestHead)
    /// A complete request (head + whole body, de-chunked). keepAlive follows HTTP/1.0 / 1.1 rules and `Connection`.
    case request(HTTPRequest, keepAlive: Bool)
}

/// Why a request was rejected: the status the server answers with (then closes) and a message naming
/// exactly what was wrong, suitable for the `{"error": ...}` body and for logs.
public struct HTTP1ParseError: Error, Sendable, Equatable {
    /// 400 malformed, 413 body too large, 417 unsupported expectation, 431 head too large,
    /// 501 unknown transfer-coding, 505 unsupported version.
    public var status: HTTPStatus
    public var message: String

    public init(status: HTTPStatus, message: String) {
        self.status = status
        self.message = message
    }

    static func badRequest(_ message: String) -> HTTP1ParseError {
        HTTP1ParseError(status: .badRequest, message: message)
    }

    static func headTooLarge(_ limit: Int) -> HTTP1ParseError {
        HTTP1ParseError(status: .headerFieldsTooLarge,
                        message: "request head exceeds the limit of \(limit) bytes")
    }

    static func invalidCharacter(_ byte: UInt8, in place: String) -> HTTP1ParseError {
        badRequest("invalid character \(HTTP1ByteClass.hex(byte)) in \(place)")
    }
}
