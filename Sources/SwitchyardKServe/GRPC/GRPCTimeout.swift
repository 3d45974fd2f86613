/// The `grpc-timeout` request header: 1–8 ASCII digits and a unit, H (hours), M (minutes),
/// S (seconds), m (milliseconds), u (microseconds) or n (nanoseconds) (gRPC PROTOCOL-HTTP2.md).
public enum GRPCTimeout {
    /// Parses the header; a malformed value is a typed error (servers answer INTERNAL or ignore
    /// it; the gateway decides — we report it precisely).
    public static func parse(_ value: some StringProtocol) throws(GRPCStatus) -> Duration {
        let bytes = Array(value.utf8)
        guard bytes.count >= 2, bytes.count <= 9 else {
            throw GRPCStatus(.invalidArgument, "grpc-timeout '\(value)' must be 1 to 8 digits followed by a unit")
        }
        var amount: Int64 = 0
        for b in bytes.dropLast() {
            guard b >= 0x30 && b <= 0x39 else {
                throw GRPCStatus(.invalidArgument, "grpc-timeout '\(value)' must be 1 to 8 digits followed by a unit")
            }
            amount = amount * 10 + Int64(b - 0x30)
        }
        switch bytes.last! {
        case UInt8(ascii: "H"): return .seconds(amount * 3600)
        case UInt8(ascii: "M"): return .seconds(amount * 60)
        case UInt8(ascii: "S"): return .seconds(amount)
        case UInt8(ascii: "m"): return .milliseconds(amount)
        case UInt8(ascii: "u"): return .microseconds(amount)
        case UInt8(ascii: "n"): return .nanoseconds(amount)
        default:
            throw GRPCStatus(.invalidArgument, "grpc-timeout '\(value)' has an unknown unit (expected H, M, S, m, u or n)")
        }
    }

    /// Formats a duration as a header value using the finest unit that fits in 8 digits
    /// (for clients and proxies forwarding a deadline); non-positive durations become "0n".
    public static func format(_ d: Duration) -> String {
        let (s, atto) = d.components
        if s < 0 || (s == 0 && atto <= 0) { return "0n" }
        let ns = s.multipliedReportingOverflow(by: 1_000_000_000)
        let totalNs = ns.overflow ? Int64.max : ns.partialValue.addingReportingOverflow(atto / 1_000_000_000).partialValue
        let units: [(Int64, String)] = [(1, "n"), (1_000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"), (3_600_000_000_000, "H")]
        for (scale, unit) in units {
            let v = (totalNs + scale - 1) / scale
            if v < 100_000_000 { return "\(v)\(unit)" }
        }
        return "99999999H"
    }
}
