/// A complete response. `trailers` are sent as an HTTP/2 trailing HEADERS frame (gRPC status);
/// HTTP/1.1 has no use for them in this gateway and drops them.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var trailers: HTTPHeaders?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], trailers: HTTPHeaders? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }

    /// A JSON response; `json` must already be serialized.
    public static func json(_ status: HTTPStatus = .ok, _ json: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var h = headers
        h.addLowercased(name: "content-type", value: "application/json")
        return HTTPResponse(status: status, headers: h, body: json)
    }

    public static func json(_ status: HTTPStatus = .ok, _ json: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        .json(status, Array(json.utf8), headers: headers)
    }

    /// The error shape every surface of the gateway uses: `{"error": "<message>"}`.
    public static func error(_ status: HTTPStatus, _ message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var out = "{\"error\":"
        JSONText.appendQuoted(message, to: &out)
        out += "}"
        return .json(status, out, headers: headers)
    }
}
