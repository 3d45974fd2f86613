import Yams

/// Typed access to a YAML mapping node that records an issue (with the node's line and column)
/// for every missing, mistyped or unknown field instead of stopping at the first one.
struct NodeReader {
    let path: String
    let pairs: [(key: String, value: Node)]
    let node: Node

    /// Reads `node` as a mapping; records an issue and returns nil otherwise.
    init?(_ node: Node, path: String, issues: inout IssueCollector) {
        issues.positions[path] = node.position
        guard let mapping = node.mapping else {
            issues.add(path, "must be a mapping (key: value), found \(node.kindName)")
            return nil
        }
        var pairs: [(key: String, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                issues.positions[path] = key.position
                issues.add(path, "keys must be plain strings")
                continue
            }
            let child = NodeReader.join(path, name)
            issues.positions[child] = value.position ?? key.position
            pairs.append((name, value))
        }
        self.path = path
        self.pairs = pairs
        self.node = node
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func childPath(_ key: String) -> String { NodeReader.join(path, key) }

    subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// Records an issue for every key not in `known` (catches typos such as `wieght`).
    func rejectUnknownKeys(_ known: Set<String>, issues: inout IssueCollector) {
        for pair in pairs where !known.contains(pair.key) {
            let expected = known.sorted().joined(separator: ", ")
            issues.add(childPath(pair.key), "unknown field (expected one of: \(expected))")
        }
    }

    func string(_ key: String, required: Bool = false, issues: inout IssueCollector) -> String? {
        guard let value = self[key] else {
            if required { issues.add(childPath(key), "is required") }
            return nil
        }
        guard let scalar = value.scalar else {
            issues.add(childPath(key), "must be a string, found \(value.kindName)")
            return nil
        }
        return scalar.string
    }

    func double(_ key: String, required: Bool = false, issues: inout IssueCollector) -> Double? {
        guard let value = self[key] else {
            if required { issues.add(childPath(key), "is required") }
            return nil
        }
        guard value.scalar != nil, let number = value.float, number.isFinite else {
            issues.add(childPath(key), "must be a finite number, found \(value.describedValue)")
            return nil
        }
        return number
    }

    func int(_ key: String, required: Bool = false, issues: inout IssueCollector) -> Int? {
        guard let value = self[key] else {
            if required { issues.add(childPath(key), "is required") }
            return nil
        }
        guard value.scalar != nil, let number = value.int else {
            issues.add(childPath(key), "must be an integer, found \(value.describedValue)")
            return nil
        }
        return number
    }

    func bool(_ key: String, issues: inout IssueCollector) -> Bool? {
        guard let value = self[key] else { return nil }
        guard value.scalar != nil, let flag = value.bool else {
            issues.add(childPath(key), "must be true or false, found \(value.describedValue)")
            return nil
        }
        return flag
    }

    /// A duration: `30s`, `250ms`, `5m`, `1h` or a number of seconds.
    func duration(_ key: String, issues: inout IssueCollector) -> Double? {
        guard let value = self[key] else { return nil }
        guard let text = value.scalar?.string, let seconds = DurationText.seconds(from: text) else {
            issues.add(childPath(key), "must be a duration such as 30s, 250ms, 5m or 1h, found \(value.describedValue)")
            return nil
        }
        return seconds
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type,
                                                         issues: inout IssueCollector) -> E? where E.RawValue == String {
        guard let text = string(key, issues: &issues) else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: " | ")
            issues.add(childPath(key), "must be one of \(allowed), found \"\(text)\"")
            return nil
        }
        return value
    }

    /// The elements of a sequence field with their paths (`key[i]`); a missing field is empty.
    func sequence(_ key: String, issues: inout IssueCollector) -> [(path: String, node: Node)] {
        guard let value = self[key] else { return [] }
        guard let sequence = value.sequence else {
            issues.add(childPath(key), "must be a list, found \(value.kindName)")
            return []
        }
        return sequence.enumerated().map { index, element in
            let elementPath = "\(childPath(key))[\(index)]"
            issues.positions[elementPath] = element.position
            return (elementPath, element)
        }
    }

    func mapping(_ key: String, issues: inout IssueCollector) -> NodeReader? {
        guard let value = self[key] else { return nil }
        return NodeReader(value, path: childPath(key), issues: &issues)
    }
}

extension Node {
    var position: SourcePosition? { mark.map { SourcePosition(line: $0.line, column: $0.column) } }

    var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    var describedValue: String {
        if let text = scalar?.string { return "\"\(text)\"" }
        return kindName
    }
}
