import Testing
@testable import SwitchyardRouting

@Suite struct StableHashTests {
    /// The reference vector of the SipHash paper (Appendix A): key 00 01 … 0f, message 00 01 … 0e.
    @Test func sipHashMatchesTheReferenceVector() {
        let hash = StableHash(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)
        #expect(hash.sipHash24(Array(0..<15)) == 0xa129_ca61_49be_45e5)
        // The first entries of the reference implementation's vectors.h (messages 00…, lengths 0 and 1).
        #expect(hash.sipHash24([]) == 0x726f_db47_dd0e_0e31)
        #expect(hash.sipHash24([0]) == 0x74f8_39c5_93dc_67fd)
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
