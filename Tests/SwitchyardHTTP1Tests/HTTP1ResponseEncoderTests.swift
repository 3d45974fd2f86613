import SwitchyardCore
import SwitchyardHTTP1
import Testing

@Suite struct HTTP1ResponseEncoderTests {
    private func encode(_ response: HTTPResponse, version: HTTPVersion = .http1_1, keepAlive: Bool = true,
                        headOnly: Bool = false, date: String? = nil) -> String {
        var buffer: [UInt8] = []
        HTTP1ResponseEncoder.encode(response, requestVersion: version, keepAlive: keepAlive,
                                    headOnly: headOnly, date: date, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func jsonResponse() {
        let response = HTTPResponse.json(.ok, #"{"live":true}"#)
        #expect(encode(response, date: "Sun, 06 Nov 1994 08:49:37 GMT") ==
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 13\r\n"
            + "date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n{\"live\":true}")
    }

    @Test func headKeepsContentLengthWithoutBody() {
        let response = HTTPResponse.json(.ok, #"{"name":"mlp"}"#)
        #expect(encode(response, headOnly: true) ==
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 14\r\n\r\n")
    }

    @Test func noContentHasNoContentLength() {
        #expect(encode(HTTPResponse(status: .noContent)) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(encode(HTTPResponse(status: HTTPStatus(304, "Not Modified"), body: Array("x".utf8)))
            == "HTTP/1.1 304 Not Modified\r\n\r\n")
    }

    @Test func connectionClose() {
        let response = HTTPResponse.error(.badRequest, "missing Host header")
        #expect(encode(response, keepAlive: false) ==
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 31\r\n"
            + "connection: close\r\n\r\n{\"error\":\"missing Host header\"}")
    }

    @Test func http10Client() {
        let response = HTTPResponse(status: .ok, body: Array("ok".utf8))
        #expect(encode(response, version: .http1_0, keepAlive: true) ==
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok")
        #expect(encode(response, version: .http1_0, keepAlive: false) ==
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
    }

    @Test func framingHeadersFromTheHandlerAreReplaced() {
        let response = HTTPResponse(status: HTTPStatus(201),
                                    headers: ["Content-Length": "999", "Connection": "keep-alive",
                                              "Transfer-Encoding": "chunked", "X-Model": "mlp", "date": "old"],
                                    body: Array("abc".utf8), trailers: ["grpc-status": "0"])
        #expect(encode(response, keepAlive: false, date: "Thu, 01 Jan 1970 00:00:00 GMT") ==
            "HTTP/1.1 201 Created\r\nx-model: mlp\r\ncontent-length: 3\r\nconnection: close\r\n"
            + "date: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\nabc")
        // Without a date argument the handler's own date stays.
        #expect(encode(HTTPResponse(status: .ok, headers: ["date": "old"])) ==
            "HTTP/1.1 200 OK\r\ndate: old\r\ncontent-length: 0\r\n\r\n")
    }

    @Test func interimResponsesKeepTheirHeaders() {
        let response = HTTPResponse(status: .switchingProtocols, headers: ["connection": "Upgrade", "upgrade": "h2c"])
        #expect(encode(response) == "HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: h2c\r\n\r\n")
        #expect(encode(HTTPResponse(status: .continue)) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test func appendsToExistingBytesAndLargeLengths() {
        var buffer = Array("previous".utf8)
        let body = [UInt8](repeating: 65, count: 1_234_567)
        HTTP1ResponseEncoder.encode(HTTPResponse(status: .ok, body: body), requestVersion: .http1_1,
                                    keepAlive: true, headOnly: false, date: nil, into: &buffer)
        let head = "previousHTTP/1.1 200 OK\r\ncontent-length: 1234567\r\n\r\n"
        #expect(Array(buffer.prefix(head.utf8.count)) == Array(head.utf8))
        #expect(buffer.count == head.utf8.count + body.count)
        #expect(buffer.suffix(body.count).allSatisfy { $0 == 65 })
    }
}
