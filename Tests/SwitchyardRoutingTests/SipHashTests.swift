import Testing
@testable import SwitchyardRouting

/// SipHash-2-4 against the reference implementation's `vectors.h` (veorq/SipHash): key 00 01 … 0f,
/// message 00 01 … (n−1) for length n.
@Suite struct SipHashTests {
    let sip = SipHash24(key: Array(UInt8(0)..<16))

    func message(_ n: Int) -> [UInt8] { (0..<n).map { UInt8($0) } }

    func hex128(_ n: Int) -> String {
        let words = message(n).withUnsafeBytes { sip.hash128($0) }
        let bytes = withUnsafeBytes(of: (words.low.littleEndian, words.high.littleEndian)) { Array($0) }
        return bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// `vectors_sip128`: every length up to 16 covers the empty tail, each tail length and the
    /// first full word; 63 crosses seven words and the longest tail.
    @Test(arguments: [
        (0, "a3817f04ba25a8e66df67214c7550293"), (1, "da87c1d86b99af44347659119b22fc45"),
        (2, "8177228da4a45dc7fca38bdef60affe4"), (3, "9c70b60c5267a94e5f33b6b02985ed51"),
        (4, "f88164c12d9c8faf7d0f6e7c7bcd5579"), (5, "1368875980776f8854527a07690e9627"),
        (6, "14eeca338b208613485ea0308fd7a15e"), (7, "a1f1ebbed8dbc153c0b84aa61ff08239"),
        (8, "3b62a9ba6258f5610f83e264f31497b4"), (9, "264499060ad9baabc47f8b02bb6d71ed"),
        (15, "5493e99933b0a8117e08ec0f97cfc3d9"), (16, "6ee2a4ca67b054bbfd3315bf85230577"),
        (31, "2939b0183223fafc1723de4f52c43d35"), (63, "5150d1772f50834a503e069a973fbd7c"),
    ])
    func hash128MatchesReferenceVectors(length: Int, expected: String) {
        #expect(hex128(length) == expected)
    }

    /// `vectors_sip64` and the paper's Appendix A (key 00…0f, message 00…0e).
    @Test func hash64MatchesReferenceVectors() {
        #expect(message(15).withUnsafeBytes { sip.hash64($0) } == 0xa129_ca61_49be_45e5)
        #expect(message(0).withUnsafeBytes { sip.hash64($0) } == 0x726f_db47_dd0e_0e31)
        #expect(message(1).withUnsafeBytes { sip.hash64($0) } == 0x74f8_39c5_93dc_67fd)
    }

    @Test func keyBytesAreReadLittleEndian() {
        #expect(sip == SipHash24(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908))
    }
}
