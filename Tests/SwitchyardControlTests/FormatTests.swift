import Foundation
import Testing
import SwitchyardControl
import SwitchyardStats

@Suite struct FormatTests {
    @Test func numbersKeepFourSignificantDigitsWithoutNoise() {
        #expect(Format.number(0.123456) == "0.1235")
        #expect(Format.number(12.0) == "12")
        #expect(Format.number(1234.5678) == "1235")
        #expect(Format.number(-0.00012346) == "-0.0001235")
        #expect(Format.number(3.2e-6, digits: 3) == "3.2e-06")
        #expect(Format.number(2.5e10) == "2.5e+10")
        #expect(Format.number(-0.0) == "0")
        #expect(Format.number(nil) == "—")
        #expect(Format.number(.infinity) == "∞")
    }

    @Test func signsPercentagesAndIntervals() {
        #expect(Format.signed(0.06) == "+0.06")
        #expect(Format.signed(-0.06) == "-0.06")
        #expect(Format.signed(0) == "0")
        #expect(Format.percent(0.9) == "90%")
        #expect(Format.percent(0.12345, decimals: 2) == "12.35%")
        #expect(Format.signedPercent(0.6) == "+60%")
        #expect(Format.signedPercent(-0.0004) == "0%")
        #expect(Format.interval(Interval(lower: -0.01, upper: 0.0234)) == "[-0.01, +0.0234]")
        #expect(Format.percentInterval(Interval(lower: 0.352, upper: 0.848)) == "[+35.2%, +84.8%]")
        #expect(Format.withInterval("+0.06", Format.interval(nil)) == "+0.06")
    }

    @Test func sharesNeverRoundAShortfallAway() {
        #expect(Format.share(9_999, of: 10_000) == "99.99%")
        #expect(Format.share(99_999, of: 100_000) == ">99.99%")
        #expect(Format.share(1, of: 1_000_000) == "<0.01%")
        #expect(Format.share(10, of: 10) == "100%")
        #expect(Format.share(0, of: 10) == "0%")
        #expect(Format.share(0, of: 0) == "—")
        #expect(Format.share(999, of: 1000, decimals: 0) == ">99%")
        #expect(Format.share(1, of: 1000, decimals: 0) == "<1%")
    }

    @Test func pValuesDownToUnderflow() {
        #expect(Format.pValue(PValue(value: 0.04567)) == "0.046")
        #expect(Format.pValue(PValue(value: 0.00042)) == "4.2e-04")
        // Below double precision the value is 0 but log10 keeps the magnitude.
        #expect(Format.pValue(PValue(logP: -1500)) == "1e-652")
        #expect(Format.pValue(PValue(logP: -.infinity)) == "0")
        #expect(Format.pValue(nil as PValue?) == "—")
    }

    @Test func timestampsAreUTCISO8601() {
        #expect(Format.timestamp(0) == "1970-01-01T00:00:00Z")
        #expect(Format.timestamp(1_795_341_600) == "2026-11-22T10:00:00Z")
        #expect(Format.timestamp(951_825_600.9) == "2000-02-29T12:00:00Z")
        #expect(Format.timestamp(-1) == "1969-12-31T23:59:59Z")
        #expect(Format.timestamp(4_102_444_800) == "2100-01-01T00:00:00Z")
        // Agrees with Foundation over a spread of instants.
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for t in stride(from: -2_000_000_000.0, through: 5_000_000_000, by: 86_399 * 997.5) {
            #expect(Format.timestamp(t) == formatter.string(from: Date(timeIntervalSince1970: t.rounded(.down))))
        }
        #expect(Format.timestamp(.nan) == "—")
    }

    @Test func durationsAndMilliseconds() {
        #expect(Format.duration(30) == "30s")
        #expect(Format.duration(2.5) == "2.5s")
        #expect(Format.duration(90) == "1m30s")
        #expect(Format.duration(3_600) == "1h")
        #expect(Format.milliseconds(0.4123) == "0.412")
        #expect(Format.milliseconds(12.345) == "12.35")
        #expect(Format.milliseconds(1530.4) == "1530")
        #expect(Format.milliseconds(nil) == "—")
    }
}

@Suite struct TextTableTests {
    @Test func alignsTextLeftAndNumbersRight() {
        var table = TextTable([.init("NAME"), .init("COUNT", .right), .init("NOTE")])
        table.add("a", "1", "first")
        table.add("longer-name", "12345", "")
        table.add("b", "22", "last", details: ["+ a detail line"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == [
            "NAME         COUNT  NOTE",
            "a                1  first",
            "longer-name  12345",
            "b               22  last",
            "    + a detail line",
        ])
    }

    @Test func colourDoesNotMoveColumns() {
        var table = TextTable([.init("VERDICT"), .init("P", .right)])
        table.add([.init("improvement", .good), .init("0.001")])
        table.add([.init("no", .bad), .init("0.5")])
        let plain = table.render(.plain)
        let coloured = table.render(.color)
        #expect(coloured.contains("\u{1B}[32mimprovement\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1mVERDICT\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) == plain)
    }

    @Test func widthCountsUnicodeScalars() {
        var table = TextTable([.init("A"), .init("B")])
        table.add("χ² — α", "x")
        table.add("abcdef", "y")
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines[1].unicodeScalars.count == lines[2].unicodeScalars.count)
    }
}
