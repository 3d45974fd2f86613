/// What a cell means, so that a terminal can show it (bold headers, green improvements, red
/// regressions) while pipes and tests get plain text.
public enum Emphasis: Sendable, Equatable {
    case none
    case header
    /// Something went well: a significant improvement, a passed gate, a promoted canary.
    case good
    /// Something went wrong: a regression, a failed gate, a rollback, an SRM mismatch.
    case bad
    /// Worth a look: paused canaries, "not yet", insufficient data.
    case warning
}

/// Plain text by default; ANSI colours only when the caller asks for them (`--color`).
public struct RenderStyle: Sendable, Equatable {
    public var ansi: Bool
    public init(ansi: Bool) { self.ansi = ansi }

    public static let plain = RenderStyle(ansi: false)
    public static let color = RenderStyle(ansi: true)

    public func apply(_ emphasis: Emphasis, to text: String) -> String {
        guard ansi, !text.isEmpty else { return text }
        let code: String
        switch emphasis {
        case .none: return text
        case .header: code = "1"
        case .good: code = "32"
        case .bad: code = "31"
        case .warning: code = "33"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
