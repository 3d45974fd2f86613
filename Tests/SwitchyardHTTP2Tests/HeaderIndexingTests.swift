import Testing
import SwitchyardCore
import SwitchyardHTTP2

/// How response fields with long, per-response values (assignment tokens) are HPACK-encoded:
/// never indexed, except the first value of each name on a connection, so that the later ones
/// refer to the name by index instead of spelling it out (RFC 7541 §6.2.3).
@Suite struct HeaderIndexingTests {
    /// The first byte of each representation that matters here (RFC 7541 §6.1–6.2).
    static let statusOK: UInt8 = 0x88               // indexed field 8, `:status: 200`
    static let incrementalNewName: UInt8 = 0x40     // literal with incremental indexing, new name
    static let neverIndexedNewName: UInt8 = 0x10    // literal never indexed, new name
    static let neverIndexedLongIndex: UInt8 = 0x1F  // literal never indexed, name index ≥ 15 (a dynamic entry)

    /// Sends one request per response and returns the HEADERS payload of each answer. The long
    /// field is the response's first field, so its representation starts right after `:status`.
    private func answers(_ responses: [HTTPResponse], settings: HTTP2Settings = HTTP2Settings()) throws -> (Harness, [Int32], [[UInt8]]) {
        let h = try Harness(settings: settings)
        var ids: [Int32] = []
        for response in responses {
            let id = h.client.request("GET", "/v2/models/m/infer")
            ids.append(id)
            try h.pump()
            h.server.respond(to: id, with: response)
            try h.pump()
        }
        let frames = Frame.parse(h.serverBytes)
        let blocks = ids.map { id in frames.first { $0.type == Frame.headers && $0.streamID == id }?.payload ?? [] }
        return (h, ids, blocks)
    }

    private func response(_ fields: [(String, String)]) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: HTTPHeaders(fields), body: Array("{}".utf8))
    }

    /// Distinct base64url-like values longer than the indexing limit (64), as tokens are.
    private func token(_ i: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return "sy2." + String((0..<70).map { alphabet[($0 * 7 + i * 13) % alphabet.count] })
    }

    @Test func laterLongValuesReferToTheNameIndexedOnce() throws {
        let (h, ids, blocks) = try answers((0..<4).map { response([("x-switchyard-assignment", token($0)), ("content-type", "application/json")]) })
        #expect(blocks.allSatisfy { $0.count > 2 && $0[0] == Self.statusOK })
        #expect(blocks[0][1] == Self.incrementalNewName)
        for block in blocks.dropFirst() {
            #expect(block[1] == Self.neverIndexedLongIndex)
        }
        // The later blocks no longer spell the 23-byte name (17 bytes Huffman-coded).
        #expect(blocks[2].count + 12 < blocks[0].count)
        // And the client reads every value back.
        for (i, id) in ids.enumerated() {
            #expect(h.client.stream(id).header("x-switchyard-assignment") == token(i))
            #expect(h.client.stream(id).header("content-type") == "application/json")
        }
    }

    @Test func shortValuesAreIndexedAsBefore() throws {
        let (_, _, blocks) = try answers((0..<3).map { _ in response([("x-switchyard-variant", "b")]) })
        #expect(blocks[0][1] == Self.incrementalNewName)
        // The whole field is in the table: one indexed byte (0x80 | index ≥ 62).
        #expect(blocks[1][1] & 0x80 != 0 && blocks[2][1] & 0x80 != 0)
    }

    /// Short per-response values (a compact token) are never indexed when their name is listed in
    /// the settings; unlisted, the same values are indexed (a table entry per response).
    @Test func listedNamesAreNeverIndexedWhateverTheirLength() throws {
        let short = (0..<4).map { String(token($0).prefix(40)) }
        var settings = HTTP2Settings()
        settings.neverIndexedNames = ["X-Switchyard-Assignment"]
        let (h, ids, blocks) = try answers(short.map { response([("x-switchyard-assignment", $0)]) }, settings: settings)
        #expect(blocks[0][1] == Self.incrementalNewName)
        for block in blocks.dropFirst() { #expect(block[1] == Self.neverIndexedLongIndex) }
        for (i, id) in ids.enumerated() { #expect(h.client.stream(id).header("x-switchyard-assignment") == short[i]) }
        let (_, _, unlisted) = try answers(short.map { response([("x-switchyard-assignment", $0)]) })
        for block in unlisted { #expect(block[1] & 0xC0 == 0x40, "literal with incremental indexing") }
    }

    @Test func onlyTheFirstFewLongNamesAreIndexed() throws {
        let names = (0..<6).map { "x-long-\($0)" }
        // Each name appears twice with a long value; only the first four names get an entry.
        let responses = names.flatMap { name in [response([(name, token(1))]), response([(name, token(2))])] }
        let (h, ids, blocks) = try answers(responses)
        for (n, name) in names.enumerated() {
            let first = blocks[2 * n][1], second = blocks[2 * n + 1][1]
            if n < 4 {
                #expect(first == Self.incrementalNewName, "\(name)")
                #expect(second == Self.neverIndexedLongIndex, "\(name)")
            } else {
                #expect(first == Self.neverIndexedNewName, "\(name)")
                #expect(second == Self.neverIndexedNewName, "\(name)")
            }
            #expect(h.client.stream(ids[2 * n + 1]).header(name) == token(2))
        }
    }
}
