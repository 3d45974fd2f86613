import Foundation

/// Durations in the configuration: `250ms`, `30s`, `5m`, `1h`, or a bare number of seconds.
enum DurationText {
    /// Seconds, or nil when the text is not a duration.
    static func seconds(from text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "5ms" must not be read as "5m" + "s": the ms case comes first and is exact.
            guard let value = Double(number), value.isFinite else { return nil }
            return value * scale
        }
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// A compact rendering: whole seconds as `30s`, sub-second as `250ms`, else plain seconds.
    static func render(_ seconds: Double) -> String {
        if seconds >= 1, seconds == seconds.rounded() { return "\(Int(seconds))s" }
        let ms = seconds * 1000
        if ms == ms.rounded() { return "\(Int(ms))ms" }
        return "\(seconds)s"
    }
}
