import SwitchyardCore
import SwitchyardHTTP1
import Testing

/// Every fixture fed whole, one byte at a time, split in two at every byte boundary, and pipelined
/// behind the other fixtures: the outcome must match cases.json every time.
@Suite struct HTTP1FixtureTests {
    @Test func fixturesAreLoaded() throws {
        let cases = try FixtureCase.load()
        #expect(cases.count == FixtureCase.all.count)
        #expect(cases.count >= 50)
        for c in cases {
            #expect(!c.bytes.isEmpty, "\(c.name) is empty")
            for r in c.entry.requests { #expect(r.headerCount == r.headers.count, "\(c.name)") }
        }
    }

    @Test(arguments: FixtureCase.all)
    func whole(_ fixture: FixtureCase) throws {
        let outcome = try DripFeedVerifier.whole(fixture.bytes, limits: fixture.limits)
        #expect(outcome == fixture.expectedOutcome(withExpectFlags: false))
    }

    @Test(arguments: FixtureCase.all)
    func oneByteAtATime(_ fixture: FixtureCase) throws {
        var positions = EventPositions()
        let outcome = try DripFeedVerifier.byteAtATime(fixture.bytes, limits: fixture.limits, positions: &positions)
        #expect(outcome == fixture.expectedOutcome(withExpectFlags: true))
    }

    /// Two feeds, cut at every offset (including empty first and second feeds). `.expectContinue`
    /// must come out exactly when the first feed holds the whole head but not the whole body.
    @Test(arguments: FixtureCase.all)
    func splitAtEveryBoundary(_ fixture: FixtureCase) throws {
        var positions = EventPositions()
        let reference = try DripFeedVerifier.byteAtATime(fixture.bytes, limits: fixture.limits, positions: &positions)
        let expected = fixture.expectedOutcome(withExpectFlags: false)
        for k in 0...fixture.bytes.count {
            var outcome = try DripFeedVerifier.split(fixture.bytes, at: k, limits: fixture.limits)
            for (r, request) in outcome.requests.enumerated() where r < positions.requestEnds.count {
                let shouldExpect = positions.headEnds[r].map { k >= $0 && k < positions.requestEnds[r] } ?? false
                #expect(request.precededByExpectContinue == shouldExpect, "\(fixture.name) split at \(k), request \(r)")
                outcome.requests[r].precededByExpectContinue = false
            }
            #expect(outcome == expected, "\(fixture.name) split at \(k)")
            #expect(reference.ignoringExpectContinue == expected)
            if outcome != expected { break }
        }
    }

    /// All well-formed fixtures back to back in one buffer come out in order from one feed call.
    @Test func pipelinedInOneBuffer() throws {
        let clean = FixtureCase.all.filter { $0.isClean && $0.usesDefaultLimits }
        #expect(clean.count >= 15)
        let bytes = clean.flatMap(\.bytes)
        var expected = ParseOutcome()
        for c in clean { expected.requests += c.expectedOutcome(withExpectFlags: false).requests }
        #expect(try DripFeedVerifier.whole(bytes, limits: HTTP1Limits()) == expected)

        // The same stream one byte at a time and cut at every fixture boundary give the same requests.
        var positions = EventPositions()
        let drip = try DripFeedVerifier.byteAtATime(bytes, limits: HTTP1Limits(), positions: &positions)
        #expect(drip.ignoringExpectContinue == expected)
        var cuts: [Int] = []
        var offset = 0
        for c in clean { offset += c.bytes.count; cuts.append(offset - 1) }
        #expect(try DripFeedVerifier.run(bytes, cuts: cuts, limits: HTTP1Limits()).ignoringExpectContinue == expected)
    }

    /// Requests pipelined before a bad one are all delivered, then the error; before an upgrade
    /// request, they are delivered and the HTTP/2 bytes after it stay buffered.
    @Test func pipelinedBeforeErrorsAndUpgrade() throws {
        let clean = FixtureCase.all.filter { $0.isClean && $0.usesDefaultLimits }
        let prefix = clean.flatMap(\.bytes)
        let prefixRequests = clean.flatMap { $0.expectedOutcome(withExpectFlags: false).requests }
        let tails = FixtureCase.all.filter { !$0.isClean && $0.usesDefaultLimits }
        #expect(tails.count >= 20)
        for tail in tails {
            var expected = tail.expectedOutcome(withExpectFlags: false)
            expected.requests = prefixRequests + expected.requests
            let outcome = try DripFeedVerifier.whole(prefix + tail.bytes, limits: HTTP1Limits())
            #expect(outcome == expected, "\(tail.name) after \(clean.count) pipelined fixtures")
        }
    }
}
