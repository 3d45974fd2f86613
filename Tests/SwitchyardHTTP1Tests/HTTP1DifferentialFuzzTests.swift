import SwitchyardHTTP1
import Testing

/// Deterministic mutation fuzzing: fixtures with random byte edits must never crash the parser, and
/// however the mutated bytes are split into feeds, the outcome (requests, error, pause) must be the
/// same. This cross-checks the incremental paths (partial lines, partial bodies, the internal buffer)
/// against the whole-buffer path on inputs nobody wrote by hand.
@Suite struct HTTP1DifferentialFuzzTests {
    /// SplitMix64: tiny, seedable, good enough to pick mutations reproducibly.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let interesting: [UInt8] = [13, 10, 58, 32, 9, 48, 57, 97, 65, 70, 59, 44, 0, 1, 0x7F, 0x80, 0xFF, 47, 42]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0...rng.below(3) {
            guard !bytes.isEmpty else { break }
            let at = rng.below(bytes.count)
            let byte = rng.below(4) == 0 ? UInt8(truncatingIfNeeded: rng.next()) : interesting[rng.below(interesting.count)]
            switch rng.below(3) {
            case 0: bytes[at] = byte
            case 1: bytes.insert(byte, at: at)
            default: bytes.remove(at: at)
            }
        }
        return bytes
    }

    @Test func mutatedFixturesParseTheSameWhicheverWayTheyAreSplit() throws {
        let fixtures = FixtureCase.all
        #expect(!fixtures.isEmpty)
        var rng = SplitMix64(state: 0x5EED_0001)
        var errors = 0
        var requests = 0
        for round in 0..<1_500 {
            let fixture = fixtures[round % fixtures.count]
            let bytes = HTTP1DifferentialFuzzTests.mutate(fixture.bytes, &rng)
            let whole = try DripFeedVerifier.whole(bytes, limits: fixture.limits)
            let drip = try DripFeedVerifier.run(bytes, cuts: Array(stride(from: 0, to: bytes.count, by: 1 + rng.below(3))),
                                                limits: fixture.limits)
            let k = rng.below(bytes.count + 1)
            let split = try DripFeedVerifier.split(bytes, at: k, limits: fixture.limits)
            #expect(drip.ignoringExpectContinue == whole, "round \(round) (\(fixture.name)): \(bytes)")
            #expect(split.ignoringExpectContinue == whole, "round \(round) (\(fixture.name)) split at \(k): \(bytes)")
            if drip.ignoringExpectContinue != whole || split.ignoringExpectContinue != whole { break }
            if whole.error != nil { errors += 1 }
            requests += whole.requests.count
        }
        // The mutations exercise both outcomes.
        #expect(errors > 100)
        #expect(requests > 100)
    }
}
