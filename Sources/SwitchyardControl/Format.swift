import Foundation
import SwitchyardStats

/// How figures are written in every table: one place, so the same number never looks different
/// in two views. Missing values (a test without enough data) are shown as "—", never as 0.
public enum Format {
    public static let missing = "—"

    /// Up to `digits` significant digits in positional notation (no exponent) for magnitudes in
    /// [1e-4, 1e9); scientific beyond. Never "-0".
    public static func number(_ x: Double?, digits: Int = 4) -> String {
        guard let x else { return missing }
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        guard magnitude >= 1e-4, magnitude < 1e9 else {
            // Scientific, with the mantissa's trailing zeros dropped: "3.2e-06", not "3.20e-06".
            let text = String(format: "%.\(max(digits - 1, 0))e", x)
            guard let e = text.firstIndex(of: "e") else { return text }
            return trimmed(String(text[..<e])) + String(text[e...])
        }
        let exponent = Int(log10(magnitude).rounded(.down))
        let decimals = max(0, digits - 1 - exponent)
        var text = String(format: "%.\(decimals)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A number with an explicit sign: lifts and differences read "+0.012" / "-0.003".
    public static func signed(_ x: Double?, digits: Int = 4) -> String {
        guard let x else { return missing }
        let text = number(x, digits: digits)
        return x > 0 && !text.hasPrefix("+") ? "+" + text : text
    }

    /// A fraction in [0, 1] as a percentage with up to `decimals` decimals ("12.5%", "100%").
    public static func percent(_ fraction: Double?, decimals: Int = 1) -> String {
        guard let fraction, fraction.isFinite else { return missing }
        return trimmed(String(format: "%.\(decimals)f", fraction * 100)) + "%"
    }

    /// `part / whole` as a percentage that never rounds a shortfall up to "100%" or a single
    /// hit down to "0%" (an agreement of 9999/10000 reads ">99.99%"); "—" when `whole` is 0.
    public static func share(_ part: Int, of whole: Int, decimals: Int = 2) -> String {
        guard whole > 0 else { return missing }
        let text = percent(Double(part) / Double(whole), decimals: decimals)
        let step = decimals == 0 ? "1" : "0." + String(repeating: "0", count: decimals - 1) + "1"
        let nearlyAll = decimals == 0 ? "99" : "99." + String(repeating: "9", count: decimals)
        if part < whole && text == "100%" { return ">" + nearlyAll + "%" }
        if part > 0 && text == "0%" { return "<" + step + "%" }
        return text
    }

    /// A relative change as a signed percentage ("+3.2%").
    public static func signedPercent(_ fraction: Double?, decimals: Int = 1) -> String {
        guard let fraction, fraction.isFinite else { return missing }
        let text = percent(fraction, decimals: decimals)
        return fraction > 0 && text != "0%" ? "+" + text : text
    }

    /// A weight as configured: "90", "33.33".
    public static func weight(_ w: Double) -> String {
        trimmed(String(format: "%.2f", w))
    }

    /// Milliseconds with a precision that suits the magnitude: "0.412", "12.3", "1530".
    public static func milliseconds(_ ms: Double?) -> String {
        guard let ms, ms.isFinite else { return missing }
        if ms >= 1000 { return String(format: "%.0f", ms) }
        if ms >= 100 { return String(format: "%.1f", ms) }
        if ms >= 10 { return String(format: "%.2f", ms) }
        return String(format: "%.3f", ms)
    }

    /// A p-value: three decimals down to 0.001, then scientific; an underflowed value is written
    /// from its log10 ("1e-412"), and a certain one as "0".
    public static func pValue(_ p: PValue?) -> String {
        guard let p else { return missing }
        if p.value >= 0.001 { return String(format: "%.3f", p.value) }
        if p.value > 0 { return String(format: "%.1e", p.value) }
        guard p.log10.isFinite else { return "0" }
        return "1e\(Int(p.log10.rounded(.down)))"
    }

    public static func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return missing }
        return pValue(PValue(value: p))
    }

    /// "[lower, upper]" with signs, for confidence intervals of differences.
    public static func interval(_ i: Interval?, digits: Int = 3) -> String {
        guard let i else { return missing }
        return "[\(signed(i.lower, digits: digits)), \(signed(i.upper, digits: digits))]"
    }

    /// "[lower, upper]" of relative changes, as signed percentages.
    public static func percentInterval(_ i: Interval?) -> String {
        guard let i else { return missing }
        return "[\(signedPercent(i.lower)), \(signedPercent(i.upper))]"
    }

    /// A value followed by its interval: "+0.012 [+0.004, +0.020]".
    public static func withInterval(_ value: String, _ interval: String) -> String {
        interval == missing ? value : "\(value) \(interval)"
    }

    /// Unix seconds as UTC ISO-8601 to the second ("2026-11-22T19:30:02Z"). Computed from the
    /// proleptic Gregorian calendar directly, so the output never depends on a locale.
    public static func timestamp(_ unixSeconds: Double?) -> String {
        guard let unixSeconds, unixSeconds.isFinite, abs(unixSeconds) < 1e13 else { return missing }
        let total = Int64(unixSeconds.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", year, month, day,
                      secondOfDay / 3_600, secondOfDay % 3_600 / 60, secondOfDay % 60)
    }

    /// A duration in seconds the way operators write them: "30s", "5m", "1h30m", "2.5s".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return missing }
        if seconds < 60 { return trimmed(String(format: "%.1f", seconds)) + "s" }
        let whole = Int(seconds.rounded())
        let h = whole / 3_600, m = whole % 3_600 / 60, s = whole % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 { out += "\(s)s" }
        return out
    }

    /// Drops a trailing ".0…" from a fixed-point rendering.
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = text
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }
}
