import SwitchyardCore
import SwitchyardHTTP1

struct Field: Equatable, CustomStringConvertible {
    var name: String
    var value: String
    var description: String { "\(name): \(value)" }
}

/// A request as the tests compare it (HTTPRequest itself is not Equatable).
struct ParsedRequest: Equatable {
    var method: String
    var target: String
    var version: String
    var headers: [Field]
    var body: [UInt8]
    var keepAlive: Bool
    /// Whether an `.expectContinue` carrying this request's head came right before it.
    var precededByExpectContinue: Bool
}

/// Everything observable from feeding one byte sequence: the requests, the error that ended parsing,
/// and whether (and with which buffered bytes) the parser paused for an h2c upgrade.
struct ParseOutcome: Equatable {
    var requests: [ParsedRequest] = []
    var error: HTTP1ParseError?
    var paused = false
    var leftover: [UInt8] = []

    /// The same outcome with `.expectContinue` flags cleared (they depend on how bytes are split).
    var ignoringExpectContinue: ParseOutcome {
        var copy = self
        for i in copy.requests.indices { copy.requests[i].precededByExpectContinue = false }
        return copy
    }
}

/// Where, in a byte-at-a-time run, each request's head and whole request were complete: the number
/// of bytes fed when its `.expectContinue` (if any) and its `.request` came out.
struct EventPositions {
    var headEnds: [Int?] = []
    var requestEnds: [Int] = []
}

/// The mini "drip-feed verifier": feeds the same bytes in different pieces and records the outcome,
/// checking on the way that every `.expectContinue` is followed by the request with the same head.
enum DripFeedVerifier {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    /// Feeds `bytes` in consecutive pieces ending at `cuts` (the last piece ends at bytes.count).
    static func run(_ bytes: [UInt8], cuts: [Int], limits: HTTP1Limits) throws(Violation) -> ParseOutcome {
        var positions = EventPositions()
        return try run(bytes, cuts: cuts, limits: limits, positions: &positions)
    }

    static func run(_ bytes: [UInt8], cuts: [Int], limits: HTTP1Limits,
                    positions: inout EventPositions) throws(Violation) -> ParseOutcome {
        var parser = HTTP1RequestParser(limits: limits)
        var outcome = ParseOutcome()
        var pendingExpect: HTTPRequestHead?
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            var events: [HTTP1ParseEvent] = []
            var failure: HTTP1ParseError?
            bytes.withUnsafeBytes { raw in
                do throws(HTTP1ParseError) {
                    try parser.feed(UnsafeRawBufferPointer(rebasing: raw[start..<end]), into: &events)
                } catch {
                    failure = error
                }
            }
            start = end
            for event in events {
                switch event {
                case .expectContinue(let head):
                    if pendingExpect != nil { throw Violation(description: "two .expectContinue without a request between") }
                    pendingExpect = head
                    positions.headEnds.append(end)
                case .request(let request, let keepAlive):
                    var flagged = false
                    if let head = pendingExpect {
                        guard head.target == request.head.target, head.method == request.head.method,
                              head.headers == request.head.headers else {
                            throw Violation(description: ".expectContinue head differs from the request that followed")
                        }
                        flagged = true
                        pendingExpect = nil
                    } else {
                        positions.headEnds.append(nil)
                    }
                    positions.requestEnds.append(end)
                    outcome.requests.append(ParsedRequest(
                        method: request.method.rawValue, target: request.head.target,
                        version: request.head.version.description,
                        headers: request.headers.map { Field(name: $0.name, value: $0.value) },
                        body: request.body, keepAlive: keepAlive, precededByExpectContinue: flagged))
                }
            }
            if let failure {
                outcome.error = failure
                // A dead parser stays dead.
                var more: [HTTP1ParseEvent] = []
                let again: HTTP1ParseError? = [UInt8(71)].withUnsafeBytes { raw in
                    do throws(HTTP1ParseError) { try parser.feed(raw, into: &more); return nil } catch { return error }
                }
                if again != failure || !more.isEmpty { throw Violation(description: "parser accepted input after failing") }
                return outcome
            }
        }
        if parser.isPausedForUpgrade {
            outcome.paused = true
            outcome.leftover = parser.takeBufferedBytes()
        }
        return outcome
    }

    static func whole(_ bytes: [UInt8], limits: HTTP1Limits) throws(Violation) -> ParseOutcome {
        try run(bytes, cuts: [], limits: limits)
    }

    static func byteAtATime(_ bytes: [UInt8], limits: HTTP1Limits,
                            positions: inout EventPositions) throws(Violation) -> ParseOutcome {
        try run(bytes, cuts: Array(0..<bytes.count), limits: limits, positions: &positions)
    }

    static func split(_ bytes: [UInt8], at k: Int, limits: HTTP1Limits) throws(Violation) -> ParseOutcome {
        try run(bytes, cuts: [k], limits: limits)
    }
}
