import Testing
@testable import SwitchyardCore

@Suite struct HTTPHeadersTests {
    @Test func namesAreLowercasedAndLookedUp() {
        var h = HTTPHeaders()
        h.add(name: "Content-Type", value: "application/json")
        h.add(name: "X-Multi", value: "a")
        h.add(name: "x-multi", value: "b")
        #expect(h["content-type"] == "application/json")
        #expect(h.values("x-multi") == ["a", "b"])
        h.replaceOrAdd(name: "X-MULTI", value: "c")
        #expect(h.values("x-multi") == ["c"])
        #expect(h["missing"] == nil)
    }

    @Test func packedFieldsKeepOrderBytesAndCount() {
        var h = HTTPHeaders()
        let name = Array("User-Agent".utf8), value = Array("h2load nghttp2/1.52.0 \u{e9}".utf8)
        name.withUnsafeBytes { n in value.withUnsafeBytes { v in h.append(lowercasing: n, value: v) } }
        Array("x-empty".utf8).withUnsafeBytes { n in h.append(name: n, value: UnsafeRawBufferPointer(start: nil, count: 0)) }
        let long = String(repeating: "v", count: 70_000)   // past any 16-bit length
        h.addLowercased(name: "x-long", value: long)
        #expect(h.count == 3)
        #expect(h.map(\.name) == ["user-agent", "x-empty", "x-long"])
        #expect(h["user-agent"] == "h2load nghttp2/1.52.0 \u{e9}")
        #expect(h["x-empty"] == "")
        #expect(h["x-long"] == long)
        var seen: [(Int, Int)] = []
        h.forEachField { n, v in seen.append((n.count, v.count)) }
        #expect(seen.map(\.0) == [10, 7, 6] && seen.map(\.1) == [value.count, 0, 70_000])
        #expect(h.withFirstValue("x-long") { $0.count } == 70_000)
        #expect(h.withFirstValue("absent") { $0.count } == nil)
        #expect(h.contains("x-empty") && !h.contains("x-emptY"))
    }

    @Test func decimalValuesAreWrittenInPlace() {
        var h = HTTPHeaders()
        for v in [0, 7, 10, 200, 65_535, Int.max, -5] {
            Array("n".utf8).withUnsafeBytes { h.append(name: $0, decimal: v) }
        }
        #expect(h.values("n") == ["0", "7", "10", "200", "65535", String(Int.max), "0"])
    }

    @Test func valuesWrittenInPlaceFillTheirExactSpace() {
        var h: HTTPHeaders = ["content-type": "application/json"]
        let shared = h
        h.append(name: "x-token", valueLength: 5) { out in
            #expect(out.count == 5)
            for i in 0..<5 { out[i] = UInt8(ascii: "a") + UInt8(i) }
        }
        h.append(name: "x-empty", valueLength: 0) { out in #expect(out.isEmpty) }
        h.add(name: "after", value: "1")
        #expect(Array(h).map { "\($0.name)=\($0.value)" } == ["content-type=application/json", "x-token=abcde", "x-empty=", "after=1"])
        #expect(shared.count == 1, "a shared buffer is copied, not written")
    }

    @Test func copiesAreIndependent() {
        var a: HTTPHeaders = ["A": "1"]
        let b = a
        a.add(name: "b", value: "2")
        #expect(b.count == 1 && b["b"] == nil && a["b"] == "2")
        var c = a
        c.removeAll(keepingCapacity: true)   // shared buffer: must not be emptied in place
        #expect(c.isEmpty && a.count == 2 && a["a"] == "1")
        c.add(name: "z", value: "9")
        #expect(a["z"] == nil && c.map(\.name) == ["z"])
        var d = a
        d.remove(name: "A")
        #expect(d.map(\.name) == ["b"] && a.count == 2)
    }

    @Test func equalityComparesFieldsInOrder() {
        let a: HTTPHeaders = ["x": "1", "y": "2"]
        var b = HTTPHeaders()
        b.add(name: "X", value: "1")
        b.add(name: "y", value: "2")
        #expect(a == b)
        #expect(a != ["y": "2", "x": "1"])
        let joined: HTTPHeaders = ["ab": "c"]
        #expect(joined != ["a": "bc"])   // same text, split differently
        #expect(HTTPHeaders() == [:])
    }

    @Test func growthKeepsEarlierFields() {
        var h = HTTPHeaders()
        for i in 0..<300 { h.add(name: "h\(i)", value: String(repeating: "x", count: i)) }
        #expect(h.count == 300)
        #expect(h["h0"] == "" && h["h299"]?.count == 299 && h["h150"]?.count == 150)
        #expect(h.values("h7") == ["xxxxxxx"])
    }

    @Test func lookupComparesWholeNamesOfEqualLength() {
        // Same length as the key but different bytes, a prefix of it, one byte longer, then the
        // field itself twice: the pointer walk must skip the first three and take the first match.
        let h: HTTPHeaders = ["x-request-ie": "1", "x-request-i": "2", "x-request-idd": "3",
                              "x-request-id": "4", "x-request-id": "5"]
        #expect(h["x-request-id"] == "4")
        #expect(h["x-request-ie"] == "1" && h["x-request-idd"] == "3")
        #expect(h["x-request-if"] == nil && h["x"] == nil)
        #expect(HTTPHeaders()["x-request-id"] == nil)
        let empty: HTTPHeaders = ["": "v", "a": ""]
        #expect(empty[""] == "v" && empty["a"] == "")
    }

    @Test func appendingAnotherListCopiesItsFieldsInOrder() {
        let fixed: HTTPHeaders = ["x-a": "1", "x-b": "two"]
        var h: HTTPHeaders = ["content-type": "application/json"]
        let shared = h
        h.reserveCapacity(fields: 1, bytes: fixed.packedByteCount + 5)
        h.append(contentsOf: fixed)
        h.addLowercased(name: "x-c", value: "3")
        #expect(h.map(\.name) == ["content-type", "x-a", "x-b", "x-c"])
        #expect(h["x-b"] == "two" && h.count == 4)
        #expect(shared.count == 1 && shared["x-a"] == nil)   // the list it was copied from is untouched
        var empty = HTTPHeaders()
        empty.append(contentsOf: HTTPHeaders())
        #expect(empty.isEmpty && empty.packedByteCount == 0)
        empty.append(contentsOf: fixed)
        #expect(empty == fixed)
    }

    @Test func errorBodyIsEscapedJSON() {
        let r = HTTPResponse.error(.badRequest, "bad \"input\"\n\u{1}")
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"error":"bad \"input\"\n\u0001"}"#)
        #expect(r.headers["content-type"] == "application/json")
        #expect(r.status.code == 400)
    }

    @Test func requestTargetSplitsPathAndQuery() {
        let h = HTTPRequestHead(method: .GET, target: "/v2/models/a?x=1&y=2", version: .http1_1, headers: [:])
        #expect(h.path == "/v2/models/a")
        #expect(h.query == "x=1&y=2")
        let p = HTTPRequestHead(method: .GET, target: "/v2", version: .http1_1, headers: [:])
        #expect(p.query == nil)
    }
}
