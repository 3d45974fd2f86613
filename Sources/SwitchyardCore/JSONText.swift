/// Minimal JSON text helpers shared by every module that writes small JSON documents by hand
/// (error bodies, health answers). Tensor payloads have their own fast codec in SwitchyardKServe.
public enum JSONText {
    /// Appends `s` as a JSON string literal (quoted, escaped per RFC 8259).
    public static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        var plainStart = s.unicodeScalars.startIndex
        var i = plainStart
        let scalars = s.unicodeScalars
        while i != scalars.endIndex {
            let c = scalars[i]
            let esc: String?
            switch c {
            case "\"": esc = "\\\""
            case "\\": esc = "\\\\"
            case "\n": esc = "\\n"
            case "\r": esc = "\\r"
            case "\t": esc = "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    esc = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    esc = nil
                }
            }
            if let esc {
                out.unicodeScalars.append(contentsOf: scalars[plainStart..<i])
                out.append(esc)
                plainStart = scalars.index(after: i)
            }
            i = scalars.index(after: i)
        }
        out.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        out.append("\"")
    }

    public static func quoted(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }
}
