/// Re-indents JSON text without parsing it into values, so `--json` shows exactly what the
/// gateway sent: the same key order and the same digits of every number (a round trip through
/// `JSONSerialization` would reorder keys and could re-round doubles).
public enum JSONPretty {
    /// Two-space indentation, one member per line, `"key": value`; empty containers stay `{}` / `[]`.
    /// Text that is not balanced JSON is returned unchanged.
    public static func format(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2)
        var depth = 0
        var i = 0
        func newline(_ level: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        func nextSignificant(after index: Int) -> UInt8? {
            var j = index + 1
            while j < input.count, isSpace(input[j]) { j += 1 }
            return j < input.count ? input[j] : nil
        }
        while i < input.count {
            let c = input[i]
            switch c {
            case UInt8(ascii: "\""):
                // Copy the string verbatim, escapes included.
                out.append(c)
                i += 1
                while i < input.count {
                    let s = input[i]
                    out.append(s)
                    if s == UInt8(ascii: "\\"), i + 1 < input.count {
                        out.append(input[i + 1])
                        i += 2
                        continue
                    }
                    i += 1
                    if s == UInt8(ascii: "\"") { break }
                }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                out.append(c)
                if nextSignificant(after: i) == close {
                    // Empty container: keep it on one line.
                    while i + 1 < input.count, input[i + 1] != close { i += 1 }
                    out.append(close)
                    i += 2
                    continue
                }
                depth += 1
                newline(depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { return String(decoding: input, as: UTF8.self) }
                newline(depth)
                out.append(c)
            case UInt8(ascii: ","):
                out.append(c)
                newline(depth)
            case UInt8(ascii: ":"):
                out.append(contentsOf: [c, UInt8(ascii: " ")])
            default:
                if !isSpace(c) { out.append(c) }
            }
            i += 1
        }
        guard depth == 0 else { return String(decoding: input, as: UTF8.self) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")
    }
}
