import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SwitchyardTestSupport

/// A keep-alive HTTP/1.1 client over one loopback socket, for tests that send thousands of
/// requests (curl per request would dominate the test's time). Content-Length bodies only —
/// what the gateway always sends.
final class HTTPTestClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw TestError("not a JSON object: \(text)")
            }
            return object
        }
    }

    private let socket: LoopbackClient
    private var buffer: [UInt8] = []

    init(port: Int) throws { socket = try LoopbackClient(port: port) }

    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nhost: test\r\ncontent-length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try socket.send(Array(head.utf8) + body)
        return try readResponse()
    }

    func post(_ path: String, json: String, headers: [String: String] = [:]) throws -> Response {
        var h = headers
        h["content-type"] = "application/json"
        return try request("POST", path, headers: h, body: Array(json.utf8))
    }

    private func readResponse() throws -> Response {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            if let r = find(terminator) { headEnd = r } else { try fill() }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestError("bad status line in \(head)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let start = headEnd! + terminator.count
        while buffer.count < start + length { try fill() }
        let body = Array(buffer[start..<(start + length)])
        buffer.removeFirst(start + length)
        return Response(status: status, headers: headers, body: body)
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i] == needle[0] && Array(buffer[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw TestError("connection closed or timed out while reading a response") }
        buffer.append(contentsOf: chunk[0..<n])
    }
}
