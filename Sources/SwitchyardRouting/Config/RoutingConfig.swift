/// The declarative routing configuration: what the YAML file (or an admin API body) says, after
/// parsing and before compilation into a ``RoutingSnapshot``.
///
/// These are plain values so that the ``ExperimentStore`` can diff, persist and roll them back.
/// The schema, with every field and its default, is ``RoutingConfig/exampleYAML`` (a commented
/// example that the tests parse, so it cannot drift from the parser).
public struct RoutingConfig: Sendable, Equatable {
    public var repository: String?
    public var tokens: TokenConfig?
    public var experiments: [ExperimentConfig]

    public init(repository: String? = nil, tokens: TokenConfig? = nil, experiments: [ExperimentConfig] = []) {
        self.repository = repository
        self.tokens = tokens
        self.experiments = experiments
    }

    /// The experiment with this name, if any.
    public func experiment(named name: String) -> ExperimentConfig? {
        experiments.first { $0.name == name }
    }
}

/// One experiment: an endpoint name and its variants and policies.
public struct ExperimentConfig: Sendable, Equatable {
    public var name: String
    public var salt: String?
    public var sticky: StickyConfig?
    public var variants: [VariantConfig]
    public var overrides: [OverrideRule]
    public var shadow: [ShadowConfig]
    public var canary: CanaryConfig?
    public var metrics: [MetricConfig]
    /// For classifiers: the output whose value is counted per class (the label distribution).
    public var labels: LabelConfig?

    public init(name: String, salt: String? = nil, sticky: StickyConfig? = nil, variants: [VariantConfig],
                overrides: [OverrideRule] = [], shadow: [ShadowConfig] = [], canary: CanaryConfig? = nil,
                metrics: [MetricConfig] = [], labels: LabelConfig? = nil) {
        self.labels = labels
        self.name = name
        self.salt = salt
        self.sticky = sticky
        self.variants = variants
        self.overrides = overrides
        self.shadow = shadow
        self.canary = canary
        self.metrics = metrics
    }

    /// The salt actually used for hashing: the configured one or the experiment name.
    public var effectiveSalt: String { salt ?? name }

    /// Index of the control: the variant marked `control: true`, else the first.
    public var controlIndex: Int { variants.firstIndex { $0.control } ?? 0 }
}

public struct VariantConfig: Sendable, Equatable {
    public var name: String
    public var model: String
    public var version: Int
    /// Relative weight (any non-negative scale; shares are weight / sum of weights).
    public var weight: Double
    public var control: Bool
    public var fault: FaultConfig?

    public init(name: String, model: String, version: Int, weight: Double, control: Bool = false,
                fault: FaultConfig? = nil) {
        self.name = name
        self.model = model
        self.version = version
        self.weight = weight
        self.control = control
        self.fault = fault
    }
}

/// Where the unit key comes from.
public enum UnitKeySource: String, Sendable, Equatable, CaseIterable {
    case header, cookie, query
}

public struct StickyConfig: Sendable, Equatable {
    public var source: UnitKeySource
    /// Header names are stored lower-cased (SwitchyardCore's HTTPHeaders lower-cases names).
    public var name: String

    public init(source: UnitKeySource, name: String) {
        self.source = source
        self.name = source == .header ? name.lowercased() : name
    }
}

public enum MatchKind: String, Sendable, Equatable, CaseIterable {
    /// The header value equals `value`.
    case exact = "value"
    /// The header value starts with `value`.
    case prefix
    /// The whole header value matches the regular expression (as Envoy's `safe_regex`).
    case regex
}

public struct OverrideRule: Sendable, Equatable {
    public var header: String
    public var match: MatchKind
    public var value: String
    public var variant: String

    public init(header: String, match: MatchKind, value: String, variant: String) {
        self.header = header.lowercased()
        self.match = match
        self.value = value
        self.variant = variant
    }
}

public enum ShadowSampling: String, Sendable, Equatable, CaseIterable {
    /// Sampled from a stable hash of the unit key (or request id): the same unit is always or never shadowed.
    case deterministic
    /// Sampled from the per-request random value.
    case random
}

public struct Tolerance: Sendable, Equatable {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double = 1e-5, relative: Double = 1e-4) {
        self.absolute = absolute
        self.relative = relative
    }

    /// numpy.isclose semantics: |a - b| <= absolute + relative * |a| (a is the primary's value).
    public func accepts(primary a: Double, shadow b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return abs(a - b) <= absolute + relative * abs(a)
    }
}

public struct ShadowConfig: Sendable, Equatable {
    /// Label for reports; default "model:version".
    public var name: String
    public var model: String
    public var version: Int
    public var percent: Double
    public var sampling: ShadowSampling
    public var tolerance: Tolerance

    public init(name: String? = nil, model: String, version: Int, percent: Double,
                sampling: ShadowSampling = .deterministic, tolerance: Tolerance = Tolerance()) {
        self.name = name ?? "\(model):\(version)"
        self.model = model
        self.version = version
        self.percent = percent
        self.sampling = sampling
        self.tolerance = tolerance
    }
}

public struct FaultConfig: Sendable, Equatable {
    public struct Abort: Sendable, Equatable {
        public var percent: Double
        public var status: Int
        public init(percent: Double, status: Int) { self.percent = percent; self.status = status }
    }
    public struct Delay: Sendable, Equatable {
        public var percent: Double
        public var seconds: Double
        public init(percent: Double, seconds: Double) { self.percent = percent; self.seconds = seconds }
    }
    public var abort: Abort?
    public var delay: Delay?

    public init(abort: Abort? = nil, delay: Delay? = nil) {
        self.abort = abort
        self.delay = delay
    }
}

public enum MetricKind: String, Sendable, Equatable, CaseIterable {
    case binary, continuous
}

public struct MetricConfig: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    /// Optional model output whose value is recorded as this metric for every response.
    public var score: String?
    /// Whether larger values are better (verdicts and chance to beat control follow it).
    public var higherIsBetter: Bool
    /// Relative minimum detectable effect (0.02 = 2 %) for the sample-size estimate.
    public var minimumDetectableEffect: Double?

    public init(name: String, kind: MetricKind, score: String? = nil, higherIsBetter: Bool = true,
                minimumDetectableEffect: Double? = nil) {
        self.name = name
        self.kind = kind
        self.score = score
        self.higherIsBetter = higherIsBetter
        self.minimumDetectableEffect = minimumDetectableEffect
    }
}

/// A classifier's label output and its classes, in the order the distribution is reported.
/// A response's label is the first element of `output` (its first row), matched against the
/// classes by its text (`"2"` for an INT64 label 2, the string itself for a string label).
public struct LabelConfig: Sendable, Equatable {
    public var output: String
    public var classes: [String]

    public init(output: String, classes: [String]) {
        self.output = output
        self.classes = classes
    }
}

public struct TokenKey: Sendable, Equatable {
    public var keyID: String
    public var secret: String
    public init(keyID: String, secret: String) { self.keyID = keyID; self.secret = secret }
}

public struct TokenConfig: Sendable, Equatable {
    /// The key new tokens are signed with.
    public var current: TokenKey
    /// Older keys that `verify` still accepts, so that a key can be rotated without breaking outcomes in flight.
    public var previous: [TokenKey]

    public init(current: TokenKey, previous: [TokenKey] = []) {
        self.current = current
        self.previous = previous
    }
}
