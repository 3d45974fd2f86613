/// A position in the source text, 1-based (as Yams reports it).
public struct SourcePosition: Sendable, Equatable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "line \(line), column \(column)" }
}

/// One thing wrong with a configuration: the field path (`experiments[0].variants[1].weight`),
/// what is wrong, and where in the text when the configuration came from text.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var position: SourcePosition?

    public init(path: String, message: String, position: SourcePosition? = nil) {
        self.path = path
        self.message = message
        self.position = position
    }

    public var description: String {
        let location = position.map { " (\($0))" } ?? ""
        return "\(path.isEmpty ? "<document>" : path): \(message)\(location)"
    }
}

/// A configuration was refused. Carries every issue found, not just the first, so that one
/// round of editing can fix them all.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) { self.issues = issues }

    public var description: String {
        "invalid configuration: " + issues.map(\.description).joined(separator: "; ")
    }
}

/// Collects issues and the text position of every field path seen while parsing, so that the
/// semantic validator (which runs on values, not on YAML nodes) can still point at a line.
struct IssueCollector {
    private(set) var issues: [ConfigIssue] = []
    var positions: [String: SourcePosition] = [:]

    mutating func add(_ path: String, _ message: String) {
        issues.append(ConfigIssue(path: path, message: message, position: position(of: path)))
    }

    /// The position of `path`, or of its nearest recorded ancestor.
    func position(of path: String) -> SourcePosition? {
        var candidate = Substring(path)
        while true {
            if let found = positions[String(candidate)] { return found }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else {
                return candidate.isEmpty ? nil : positions[""]
            }
            candidate = candidate[..<cut]
        }
    }
}
