import SwitchyardCore

/// A parameter value: the protocol allows string, number or boolean (gRPC's InferParameter adds
/// the int64/uint64/double distinction, which JSON numbers are mapped onto when decoded).
public enum InferParameterValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)

    public var description: String {
        switch self {
        case .bool(let v): return String(v)
        case .int64(let v): return String(v)
        case .uint64(let v): return String(v)
        case .double(let v): return String(v)
        case .string(let v): return JSONText.quoted(v)
        }
    }

    /// The value as a boolean when it is one.
    public var boolValue: Bool? { if case .bool(let v) = self { return v } else { return nil } }

    /// The value as an integer when it is an integer (of either signedness) that fits Int64.
    public var int64Value: Int64? {
        switch self {
        case .int64(let v): return v
        case .uint64(let v): return v <= UInt64(Int64.max) ? Int64(v) : nil
        default: return nil
        }
    }

    public var stringValue: String? { if case .string(let v) = self { return v } else { return nil } }
}

/// An ordered parameter map. Order is kept (rather than using a Dictionary) so that parameters
/// pass through the gateway in the client's order and encoded documents are deterministic.
public struct InferParameters: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: InferParameterValue
        public init(name: String, value: InferParameterValue) { self.name = name; self.value = value }
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, InferParameterValue)...) {
        for (k, v) in elements { self[k] = v }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// Reads, replaces (keeping position), appends, or with nil removes a parameter.
    public subscript(name: String) -> InferParameterValue? {
        get { entries.first(where: { $0.name == name })?.value }
        set {
            let index = entries.firstIndex(where: { $0.name == name })
            switch (index, newValue) {
            case (let i?, let v?): entries[i].value = v
            case (let i?, nil): entries.remove(at: i)
            case (nil, let v?): entries.append(Entry(name: name, value: v))
            case (nil, nil): break
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
