import Crypto
import Foundation

/// A readable, line-per-field difference between two configurations, for the audit log.
///
/// Both sides are rendered to canonical JSON and flattened to `path: value` leaves; lists of
/// named things (experiments, variants, shadows, metrics) are keyed by name rather than index, so
/// inserting a variant shows as one added variant, not as every later variant "changed".
/// Secrets are never written into the diff.
public enum ConfigDiff {
    public static func lines(from old: RoutingConfig, to new: RoutingConfig) -> [String] {
        let before = flatten(ConfigRenderer.json(old))
        let after = flatten(ConfigRenderer.json(new))
        var lines: [String] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case let (a?, b?) where a != b: lines.append("~ \(key): \(redact(key, a)) → \(redact(key, b))")
            case let (nil, b?): lines.append("+ \(key): \(redact(key, b))")
            case let (a?, nil): lines.append("- \(key): \(redact(key, a))")
            default: break
            }
        }
        return lines
    }

    public static func text(from old: RoutingConfig, to new: RoutingConfig) -> String {
        let lines = lines(from: old, to: new)
        return lines.isEmpty ? "(no change)" : lines.joined(separator: "\n")
    }

    static func flatten(_ json: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [:] }
        var leaves: [String: String] = [:]
        walk(object, path: "", into: &leaves)
        return leaves
    }

    private static func walk(_ value: Any, path: String, into leaves: inout [String: String]) {
        switch value {
        case let dictionary as [String: Any]:
            for (key, child) in dictionary {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if key == "secret" {
                    leaves[childPath] = fingerprint(child)
                } else {
                    walk(child, path: childPath, into: &leaves)
                }
            }
        case let array as [Any]:
            let named = array.compactMap { ($0 as? [String: Any])?["name"] as? String }
            let byName = named.count == array.count && Set(named).count == named.count
            if array.isEmpty { leaves[path] = "[]" }
            for (index, child) in array.enumerated() {
                if byName, let name = (child as? [String: Any])?["name"] as? String {
                    var rest = child as! [String: Any]
                    rest["name"] = nil
                    walk(rest, path: "\(path)[\(name)]", into: &leaves)
                    if rest.isEmpty { leaves["\(path)[\(name)]"] = "{}" }
                } else {
                    walk(child, path: "\(path)[\(index)]", into: &leaves)
                }
            }
        case let number as NSNumber where String(cString: number.objCType) == "c":
            // JSONSerialization returns booleans as NSNumber with the `char` type code.
            leaves[path] = number.boolValue ? "true" : "false"
        case let number as NSNumber:
            leaves[path] = number.stringValue
        case let text as String:
            leaves[path] = "\"\(text)\""
        default:
            leaves[path] = "null"
        }
    }

    /// A secret's digest, only ever compared, never printed (see ``redact(_:_:)``).
    private static func fingerprint(_ value: Any) -> String {
        let text = (value as? String) ?? ""
        return SHA256.hash(data: Array(text.utf8)).map { String($0, radix: 16) }.joined()
    }

    private static func redact(_ key: String, _ value: String) -> String {
        key.hasSuffix(".secret") ? "<redacted>" : value
    }
}
