import Foundation

/// Turns a `DecodingError` into one line that names the JSON path, so that a version mismatch
/// between `switchyard ctl` and the gateway reads as "experiments[0].canary.state.status: …"
/// rather than a dump of coding keys.
enum DecodingProblem {
    static func describe(_ error: DecodingError, data: Data) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type) — \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): missing \(type) value"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing field"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let start = String(decoding: data.prefix(80), as: UTF8.self)
                return "not JSON (starts with \"\(start)\")"
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "<document>" }
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}
