import Testing
@testable import SwitchyardRouting

@Suite struct StableHashTests {
    /// StableHash is SipHash-2-4 (64-bit) with the given key (the paper's Appendix A vector).
    @Test func stableHashIsSipHash24() {
        let hash = StableHash(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)
        #expect(hash.sipHash24(Array(0..<15)) == 0xa129_ca61_49be_45e5)
        #expect(hash.hash(String(decoding: [0x61, 0x62], as: UTF8.self)) == hash.sipHash24([0x61, 0x62]))
    }

    @Test func unitIntervalIsOpen() {
        #expect(StableHash.openUnit(0) > 0)
        #expect(StableHash.openUnit(.max) < 1)
        #expect(StableHash.halfOpenUnit(0) == 0)
        #expect(StableHash.halfOpenUnit(.max) < 1)
    }

    @Test func partsAreSeparated() {
        let hash = StableHash(salt: "s")
        #expect(hash.hash("ab", "c") != hash.hash("a", "bc"))
    }

    @Test func splitMixStreamsDiffer() {
        #expect(SplitMix64.stream(42, 1) != SplitMix64.stream(42, 2))
        #expect(SplitMix64.stream(42, 1) == SplitMix64.stream(42, 1))
    }
}
