import Foundation

/// The admin API's bearer tokens, each with a name that the audit log records as "who".
///
/// Sources, first match wins (see `switchyard serve --help`): a tokens file with one
/// `name token` pair per line (`#` comments), the `SWITCHYARD_ADMIN_TOKEN` environment variable
/// (named `env`), or a token generated into the state directory (named `admin`).
public struct AdminTokens: Sendable {
    public struct Entry: Sendable {
        public let name: String
        let secret: [UInt8]
    }

    public let entries: [Entry]

    public init(_ pairs: [(name: String, token: String)]) {
        entries = pairs.map { Entry(name: $0.name, secret: Array($0.token.utf8)) }
    }

    /// Parses a tokens file; the error names the line.
    public static func parse(file text: String) throws(AdminTokensError) -> AdminTokens {
        var pairs: [(String, String)] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 else { throw AdminTokensError("line \(number + 1): expected `name token`") }
            guard fields[1].utf8.count >= 16 else { throw AdminTokensError("line \(number + 1): token of '\(fields[0])' is shorter than 16 characters") }
            pairs.append((String(fields[0]), String(fields[1])))
        }
        guard !pairs.isEmpty else { throw AdminTokensError("no tokens in the file") }
        return AdminTokens(pairs)
    }

    /// The name of the token an `Authorization` header presents, or nil. Compares in constant
    /// time per token so that response timing does not reveal how much of a guess was right.
    public func authenticate(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let prefix = "bearer "
        guard authorization.count > prefix.count, authorization.prefix(prefix.count).lowercased() == prefix else { return nil }
        let presented = Array(authorization.utf8.dropFirst(prefix.utf8.count))
        var match: String?
        for entry in entries where Self.constantTimeEqual(entry.secret, presented) { match = match ?? entry.name }
        return match
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}

public struct AdminTokensError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
