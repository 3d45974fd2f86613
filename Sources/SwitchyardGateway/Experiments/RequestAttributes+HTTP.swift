import SwitchyardCore
import SwitchyardRouting

/// Routing reads requests through closures (``RequestAttributes``); these build them from the
/// gateway's own HTTP types. Cookies and query parameters are parsed only when a sticky rule asks.
extension RequestAttributes {
    init(headers: HTTPHeaders, target: String?, requestID: String) {
        self.init(header: { headers[$0] },
                  cookie: { name in headers["cookie"].flatMap { Self.cookie(named: name, in: $0) } },
                  query: { name in target.flatMap { Self.query(named: name, in: $0) } },
                  requestID: requestID)
    }

    /// The value of cookie `name` in a `Cookie` header (`a=1; b=2`, RFC 6265 §5.4); quotes removed.
    static func cookie(named name: String, in header: String) -> String? {
        for pair in header.split(separator: ";") {
            let trimmed = pair.drop { $0 == " " || $0 == "\t" }
            guard let eq = trimmed.firstIndex(of: "="), trimmed[..<eq] == name else { continue }
            var value = trimmed[trimmed.index(after: eq)...]
            while value.last == " " || value.last == "\t" { value = value.dropLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }

    /// The percent-decoded value of query parameter `name` in a request target (`+` is a space).
    static func query(named name: String, in target: String) -> String? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = percentDecode(parts[0]), key == name else { continue }
            return parts.count > 1 ? percentDecode(parts[1]) : ""
        }
        return nil
    }

    static func percentDecode(_ text: Substring) -> String? { PercentEncoding.decode(text, plusAsSpace: true) }
}
