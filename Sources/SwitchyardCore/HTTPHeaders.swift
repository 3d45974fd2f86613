/// An ordered list of HTTP header fields.
///
/// Names are stored **lower-cased** (HTTP/2 requires it on the wire and HTTP/1.1 names are
/// case-insensitive), so lookups compare bytes without folding case. Codecs lower-case names as
/// they parse; code that builds headers may pass any case, `add` folds it.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public typealias Element = (name: String, value: String)
    @usableFromInline var fields: [Element]

    public init() { fields = [] }

    public init(_ pairs: [(String, String)]) {
        fields = []
        fields.reserveCapacity(pairs.count)
        for (n, v) in pairs { add(name: n, value: v) }
    }

    /// Reserves room for `n` fields (codecs that know the header count avoid regrowth).
    public mutating func reserveCapacity(_ n: Int) { fields.reserveCapacity(n) }

    /// Appends a field; `name` is lower-cased unless it already is.
    public mutating func add(name: String, value: String) {
        fields.append((HTTPHeaders.lowercase(name), value))
    }

    /// Appends a field whose name the caller guarantees is already lower-case (codec fast path).
    @inlinable
    public mutating func addLowercased(name: String, value: String) {
        fields.append((name, value))
    }

    /// Replaces every field called `name` with one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        let n = HTTPHeaders.lowercase(name)
        fields.removeAll { $0.name == n }
        fields.append((n, value))
    }

    public mutating func remove(name: String) {
        let n = HTTPHeaders.lowercase(name)
        fields.removeAll { $0.name == n }
    }

    /// The first value of `name` (pass a lower-case name).
    @inlinable
    public subscript(name: String) -> String? {
        for f in fields where f.name == name { return f.value }
        return nil
    }

    /// All values of `name` (pass a lower-case name).
    public func values(_ name: String) -> [String] {
        fields.compactMap { $0.name == name ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// ASCII lower-casing without allocating when the name is already lower-case.
    public static func lowercase(_ s: String) -> String {
        var needs = false
        for b in s.utf8 where b >= 65 && b <= 90 { needs = true; break }
        return needs ? s.lowercased() : s
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }
}
