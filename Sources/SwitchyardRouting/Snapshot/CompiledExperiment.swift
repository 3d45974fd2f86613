/// An override rule ready to match: the regex compiled once, at snapshot build time.
public struct CompiledOverride: @unchecked Sendable {
    // `Regex` is immutable once built and matching does not mutate it; Swift 6.3 does not mark
    // `Regex<AnyRegexOutput>` Sendable, hence the unchecked conformance of this wrapper.
    public let rule: OverrideRule
    public let variantIndex: Int
    private let regex: Regex<AnyRegexOutput>?

    init(rule: OverrideRule, variantIndex: Int) throws {
        self.rule = rule
        self.variantIndex = variantIndex
        regex = rule.match == .regex ? try CompiledOverride.compile(rule.value) : nil
    }

    static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        try Regex(pattern)
    }

    /// Whether a header value satisfies this rule.
    public func matches(_ value: String) -> Bool {
        switch rule.match {
        case .exact: return value == rule.value
        case .prefix: return value.hasPrefix(rule.value)
        case .regex:
            guard let regex else { return false }
            return (try? regex.wholeMatch(in: value)) != nil
        }
    }
}

/// A variant as the data path needs it.
public struct CompiledVariant: Sendable, Equatable {
    public let index: Int
    public let name: String
    public let model: String
    public let version: Int
    public let weight: Double
    public let isControl: Bool
    public let fault: FaultConfig?
}

/// One experiment compiled for the data path: indices resolved, regexes built, salt hashed.
/// A class: routing passes it through several calls per request, and copying a struct of this many
/// arrays and strings retains each of them every time.
public final class CompiledExperiment: Sendable {
    public let config: ExperimentConfig
    public let name: String
    public let variants: [CompiledVariant]
    public let weights: [Double]
    public let totalWeight: Double
    public let controlIndex: Int
    public let overrides: [CompiledOverride]
    public let shadows: [ShadowConfig]
    public let hash: StableHash
    /// Per-variant and per-shadow seeds, `H(salt; "variant", name)` and `H(salt; "shadow", name)`:
    /// a unit's per-variant uniform is `mix(H(salt; key) ⊕ seed)`, so routing hashes the key once.
    public let variantSeeds: [UInt64]
    public let shadowSeeds: [UInt64]

    /// Builds from a validated experiment. Throws only if validation was skipped.
    init(_ config: ExperimentConfig) throws {
        self.config = config
        name = config.name
        let control = config.controlIndex
        variants = config.variants.enumerated().map { index, v in
            CompiledVariant(index: index, name: v.name, model: v.model, version: v.version, weight: v.weight,
                            isControl: index == control, fault: v.fault)
        }
        weights = config.variants.map(\.weight)
        totalWeight = weights.reduce(0, +)
        controlIndex = control
        let indexByName = Dictionary(config.variants.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        overrides = try config.overrides.map { rule in
            guard let index = indexByName[rule.variant] else { throw ConfigError([ConfigIssue(path: "overrides", message: "no variant named \"\(rule.variant)\"")]) }
            return try CompiledOverride(rule: rule, variantIndex: index)
        }
        shadows = config.shadow
        let hash = StableHash(salt: config.effectiveSalt)
        self.hash = hash
        variantSeeds = config.variants.map { hash.hash("variant", $0.name) }
        shadowSeeds = config.shadow.map { hash.hash("shadow", $0.name) }
    }

    /// The variant with this name.
    public func variant(named name: String) -> CompiledVariant? {
        variants.first { $0.name == name }
    }

    /// The variant's share of traffic in [0, 1].
    public func share(of index: Int) -> Double {
        totalWeight > 0 ? weights[index] / totalWeight : 0
    }
}
