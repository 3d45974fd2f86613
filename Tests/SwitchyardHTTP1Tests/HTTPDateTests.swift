import SwitchyardHTTP1
import Testing

@Suite struct HTTPDateTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),   // RFC 9110's example
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),   // 2000 is a leap year (divisible by 400)
        (951_868_800, "Wed, 01 Mar 2000 00:00:00 GMT"),
        (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
        (4_107_456_000, "Sun, 28 Feb 2100 00:00:00 GMT"), // 2100 is not
        (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
        (1_700_000_000, "Tue, 14 Nov 2023 22:13:20 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func knownDates(_ seconds: Int, _ expected: String) {
        #expect(HTTPDate.format(unixSeconds: seconds) == expected)
    }

    /// Every day from 1970 to 2200 against a naive calendar walk (a different algorithm, so an
    /// error in the era arithmetic cannot hide).
    @Test func everyDayAgainstCalendarWalk() {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        var day = 0
        for year in 1970..<2200 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            for (m, length) in lengths.enumerated() {
                for d in 1...length {
                    let dd = d < 10 ? "0\(d)" : "\(d)"
                    let expected = "\(weekdays[day % 7]), \(dd) \(months[m]) \(year) 23:59:59 GMT"
                    let got = HTTPDate.format(unixSeconds: day * 86_400 + 86_399)
                    if got != expected {
                        Issue.record("day \(day): \(got) != \(expected)")
                        return
                    }
                    day += 1
                }
            }
        }
        #expect(day == 84_006)
    }
}
