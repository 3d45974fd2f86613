import SwiftProtobuf
import SwitchyardCore

/// Helpers that turn gRPC unary calls into and out of the shared HTTP vocabulary, so the
/// gateway's HTTP/2 handler stays free of framing and status details.
public enum GRPCMessaging {
    /// True for `application/grpc` and its `+proto` / `;params` variants. Other content types
    /// get HTTP 415 (gRPC spec: not a gRPC request).
    public static func isGRPCContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        return value == "application/grpc" || value.hasPrefix("application/grpc+proto") || value.hasPrefix("application/grpc;")
    }

    /// Decodes the single framed message of a unary request body. A malformed protobuf is
    /// INVALID_ARGUMENT with protobuf's reason.
    public static func decodeRequest<M: SwiftProtobuf.Message>(_ type: M.Type, body: [UInt8],
                                                               maxMessageSize: Int) throws(GRPCStatus) -> M {
        let bytes = try GRPCFraming.singleMessage(in: body, maxMessageSize: maxMessageSize)
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw GRPCStatus(.invalidArgument, "malformed \(M.protoMessageName) message: \(error)")
        }
    }

    /// The `grpc-timeout` of a request, nil when absent.
    public static func timeout(_ headers: HTTPHeaders) throws(GRPCStatus) -> Duration? {
        guard let value = headers["grpc-timeout"] else { return nil }
        return try GRPCTimeout.parse(value)
    }

    /// A successful unary response: one framed message, then `grpc-status: 0` trailers.
    public static func response(_ message: some SwiftProtobuf.Message) -> HTTPResponse {
        let bytes: [UInt8]
        do {
            bytes = try message.serializedBytes()
        } catch {
            return failure(GRPCStatus(.internal, "failed to serialize \(type(of: message).protoMessageName): \(error)"))
        }
        return response(framed: GRPCFraming.frame(bytes))
    }

    /// A successful call whose message is already framed (`GRPCInferResponseEncoder`).
    public static func response(framed: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: grpcHeaders, body: framed, trailers: okTrailers)
    }

    // Every successful call answers with the same fields: built once (copying is one retain).
    private static let grpcHeaders: HTTPHeaders = ["content-type": "application/grpc"]
    private static let okTrailers = GRPCStatus.ok.trailers

    /// A failed call as a Trailers-Only response: HTTP 200 whose only header block carries
    /// `grpc-status` and `grpc-message` (gRPC errors never use HTTP error statuses).
    public static func failure(_ status: GRPCStatus) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/grpc")
        for (name, value) in status.trailers { headers.add(name: name, value: value) }
        return HTTPResponse(status: .ok, headers: headers, body: [], trailers: nil)
    }
}

extension KServeError {
    /// The REST error response: the kind's status and `{"error": "<message>"}`.
    public var httpResponse: HTTPResponse { HTTPResponse.json(httpStatus, jsonBody) }
}
