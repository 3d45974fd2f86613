/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for the `date` header, formatted without Foundation
/// from a Unix time; the server caches it per second.
public enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(unixSeconds: Int) -> String {
        let days = floorDiv(unixSeconds, 86_400)
        let secondsOfDay = unixSeconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        // 1970-01-01 was a Thursday (index 4 with Sunday = 0).
        let weekday = ((days % 7) + 11) % 7

        var out = ""
        out.reserveCapacity(29)
        out += weekdays[weekday]
        out += ", "
        out += twoDigits(day)
        out += " "
        out += months[month - 1]
        out += " "
        out += year >= 0 && year < 10_000 ? fourDigits(year) : String(year)
        out += " "
        out += twoDigits(secondsOfDay / 3600)
        out += ":"
        out += twoDigits(secondsOfDay % 3600 / 60)
        out += ":"
        out += twoDigits(secondsOfDay % 60)
        out += " GMT"
        return out
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (the era-based algorithm of
    /// Howard Hinnant's `civil_from_days`, exact for every Int day count in range).
    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097                                        // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365  // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                  // [0, 365]
        let mp = (5 * doy + 2) / 153                                       // [0, 11], March-based
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func twoDigits(_ v: Int) -> String {
        v < 10 ? "0" + String(v) : String(v)
    }

    private static func fourDigits(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
