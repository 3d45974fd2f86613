/// A plain-text table with aligned columns: the one layout every `switchyard ctl` view uses.
///
/// Widths are measured in Unicode scalars of the plain text (the figures and names shown are
/// ASCII plus a few single-width symbols such as `α`, `χ²`, `—`), and styling is applied after
/// padding, so ANSI colour never disturbs the alignment. Numeric columns are right-aligned so
/// that digits line up; text columns are left-aligned. The last column is never padded, so no
/// line carries trailing blanks.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// One cell: its text and an optional emphasis the renderer turns into ANSI when asked.
    public struct Cell: Sendable, ExpressibleByStringLiteral {
        public var text: String
        public var emphasis: Emphasis
        public init(_ text: String, _ emphasis: Emphasis = .none) {
            self.text = text
            self.emphasis = emphasis
        }
        public init(stringLiteral value: String) { self.init(value) }
    }

    public var columns: [Column]
    private var rows: [(cells: [Cell], details: [String])] = []
    /// Spaces between columns.
    public var gap = 2
    /// Leading spaces on every line (for tables nested under a heading).
    public var indent = 0

    public init(_ columns: [Column]) { self.columns = columns }

    /// Adds a row; missing trailing cells are empty, extra cells are an error in the caller and dropped.
    public mutating func add(_ cells: [Cell], details: [String] = []) {
        var row = Array(cells.prefix(columns.count))
        while row.count < columns.count { row.append(Cell("")) }
        rows.append((row, details))
    }

    public mutating func add(_ texts: String..., details: [String] = []) {
        add(texts.map { Cell($0) }, details: details)
    }

    public var isEmpty: Bool { rows.isEmpty }

    /// The table as lines: a header, then one line per row followed by that row's detail lines
    /// (indented under the first column, e.g. an audit entry's diff).
    public func render(_ style: RenderStyle = .plain) -> String {
        var widths = columns.map { TextTable.width($0.title) }
        for row in rows {
            for (i, cell) in row.cells.enumerated() { widths[i] = max(widths[i], TextTable.width(cell.text)) }
        }
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        lines.append(margin + line(columns.map { Cell($0.title, .header) }, widths: widths, style: style))
        for row in rows {
            lines.append(margin + line(row.cells, widths: widths, style: style))
            for detail in row.details { lines.append(margin + "    " + detail) }
        }
        return lines.joined(separator: "\n")
    }

    private func line(_ cells: [Cell], widths: [Int], style: RenderStyle) -> String {
        var out = ""
        let separator = String(repeating: " ", count: gap)
        for (i, cell) in cells.enumerated() {
            let isLast = i == cells.count - 1
            let pad = String(repeating: " ", count: widths[i] - TextTable.width(cell.text))
            let styled = style.apply(cell.emphasis, to: cell.text)
            switch columns[i].alignment {
            case .left: out += isLast ? styled : styled + pad
            case .right: out += pad + styled
            }
            if !isLast { out += separator }
        }
        // A last column that is empty in this row leaves the separators of the previous ones.
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// Display width: one column per Unicode scalar, except combining marks (none are produced here).
    static func width(_ text: String) -> Int { text.unicodeScalars.count }
}
