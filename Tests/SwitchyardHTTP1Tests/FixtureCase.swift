import Foundation
import SwitchyardCore
import SwitchyardHTTP1
import Testing

/// One raw request fixture and its expected outcome, as listed in Fixtures/cases.json (written by
/// Fixtures/make_fixtures.py).
struct FixtureCase: Sendable, CustomTestStringConvertible {
    struct Limits: Decodable, Sendable {
        var maxHeaderBytes: Int
        var maxBodyBytes: Int
    }

    struct ExpectedRequest: Decodable, Sendable {
        var method: String
        var target: String
        var version: String
        var headerCount: Int
        var headers: [[String]]
        var body: String
        var keepAlive: Bool
        var expectContinue: Bool
    }

    struct ExpectedError: Decodable, Sendable {
        var status: Int
        var message: String
    }

    struct Entry: Decodable, Sendable {
        var file: String
        var limits: Limits?
        var requests: [ExpectedRequest]
        var error: ExpectedError?
        var paused: Bool?
        var leftoverHex: String?
    }

    var entry: Entry
    var bytes: [UInt8]

    var name: String { entry.file }
    var testDescription: String { entry.file }

    var limits: HTTP1Limits {
        guard let l = entry.limits else { return HTTP1Limits() }
        return HTTP1Limits(maxHeaderBytes: l.maxHeaderBytes, maxBodyBytes: l.maxBodyBytes)
    }

    var usesDefaultLimits: Bool { entry.limits == nil }
    var isClean: Bool { entry.error == nil && entry.paused != true }

    /// The outcome cases.json promises, with `.expectContinue` flags as a client that sends the head
    /// before the body sees them (`withExpectFlags`) or as a client that sends everything at once.
    func expectedOutcome(withExpectFlags: Bool) -> ParseOutcome {
        var outcome = ParseOutcome()
        for r in entry.requests {
            outcome.requests.append(ParsedRequest(
                method: r.method, target: r.target, version: r.version,
                headers: r.headers.map { Field(name: $0[0], value: $0[1]) },
                body: Array(r.body.utf8), keepAlive: r.keepAlive,
                precededByExpectContinue: withExpectFlags && r.expectContinue))
        }
        if let e = entry.error {
            outcome.error = HTTP1ParseError(status: HTTPStatus(e.status), message: e.message)
        }
        outcome.paused = entry.paused ?? false
        outcome.leftover = FixtureCase.bytes(fromHex: entry.leftoverHex ?? "")
        return outcome
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.utf8.makeIterator()
        while let hi = it.next(), let lo = it.next() {
            out.append(UInt8(String(decoding: [hi, lo], as: UTF8.self), radix: 16)!)
        }
        return out
    }

    static let fixturesURL: URL? = Bundle.module.url(forResource: "Fixtures", withExtension: nil)

    /// Every fixture, or an empty list when the resources cannot be read (a dedicated test fails then).
    static let all: [FixtureCase] = (try? load()) ?? []

    static func load() throws -> [FixtureCase] {
        guard let dir = fixturesURL else { throw CocoaError(.fileNoSuchFile) }
        struct File: Decodable { var cases: [Entry] }
        let list = try JSONDecoder().decode(File.self, from: Data(contentsOf: dir.appendingPathComponent("cases.json")))
        return try list.cases.map { entry in
            FixtureCase(entry: entry, bytes: [UInt8](try Data(contentsOf: dir.appendingPathComponent(entry.file))))
        }
    }
}
