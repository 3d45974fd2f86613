/// What the statistics engine needs to know about one experiment.
public struct ExperimentStatsConfig: Sendable, Codable, Equatable {
    public var name: String
    /// Variant names; `controlIndex` names the baseline every treatment is compared with.
    public var variants: [String]
    public var controlIndex: Int
    /// Configured traffic weights (any scale), one per variant; changed later with `setWeights`.
    public var weights: [Double]
    public var metrics: [MetricConfig]
    /// Class labels of a classifier's output, for the label distribution (the gateway passes the index).
    public var labels: [String]
    public var alpha: Double
    /// Expected total sample size the mSPRT mixture is tuned for (STATISTICS.md B.5.3).
    public var nStar: Double
    public var srmThreshold: Double
    public var latency: LatencyHistogramConfig
    /// Prior of the Bayesian summaries, on the relative-lift scale (flat by default).
    public var prior: GaussianPrior
    /// How many distinct outcome event ids are remembered for de-duplication (memory 16 B each).
    public var dedupCapacity: Int

    public init(name: String, variants: [String], controlIndex: Int = 0, weights: [Double]? = nil,
                metrics: [MetricConfig] = [], labels: [String] = [], alpha: Double = 0.05,
                nStar: Double = MixtureSPRT.defaultNStar, srmThreshold: Double = SampleRatio.defaultThreshold,
                latency: LatencyHistogramConfig = LatencyHistogramConfig(), prior: GaussianPrior = .flat,
                dedupCapacity: Int = 1 << 18) {
        self.name = name
        self.variants = variants
        self.controlIndex = controlIndex
        self.weights = weights ?? Array(repeating: 1, count: variants.count)
        self.metrics = metrics
        self.labels = labels
        self.alpha = alpha
        self.nStar = nStar
        self.srmThreshold = srmThreshold
        self.latency = latency
        self.prior = prior
        self.dedupCapacity = dedupCapacity
    }

    public func validate() throws(StatsError) {
        guard variants.count >= 2 else { throw .invalidConfig("experiment '\(name)' needs at least 2 variants") }
        guard Set(variants).count == variants.count else { throw .invalidConfig("variant names must be unique") }
        guard variants.indices.contains(controlIndex) else {
            throw .invalidConfig("controlIndex \(controlIndex) is out of range 0..<\(variants.count)")
        }
        try Self.validate(weights: weights, variants: variants.count)
        guard Set(metrics.map(\.name)).count == metrics.count else { throw .invalidConfig("metric names must be unique") }
        for m in metrics {
            if let mde = m.minimumDetectableEffect, !(mde > 0 && mde.isFinite) {
                throw .invalidConfig("metric '\(m.name)': minimumDetectableEffect must be > 0")
            }
            guard m.power > 0 && m.power < 1 else { throw .invalidConfig("metric '\(m.name)': power must be in (0, 1)") }
        }
        guard alpha > 0 && alpha < 0.5 else { throw .invalidConfig("alpha must be in (0, 0.5), got \(alpha)") }
        guard nStar >= 1 && nStar.isFinite else { throw .invalidConfig("nStar must be ≥ 1, got \(nStar)") }
        guard srmThreshold > 0 && srmThreshold < 1 else { throw .invalidConfig("srmThreshold must be in (0, 1)") }
        guard dedupCapacity >= 2 && dedupCapacity <= 1 << 26 else { throw .invalidConfig("dedupCapacity must be 2…2^26") }
        if let v = prior.variance, !(v > 0) { throw .invalidConfig("prior variance must be > 0") }
        try latency.validate()
    }

    static func validate(weights: [Double], variants: Int) throws(StatsError) {
        guard weights.count == variants else {
            throw .invalidWeights("\(weights.count) weights for \(variants) variants")
        }
        guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw .invalidWeights("weights must be finite and ≥ 0") }
        guard weights.contains(where: { $0 > 0 }) else { throw .invalidWeights("at least one weight must be > 0") }
    }
}

/// One outcome metric reported by the application.
public struct MetricConfig: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case binary, continuous }

    /// For binary metrics: what a trial is.
    public enum Denominator: String, Sendable, Codable {
        /// Trials are the variant's requests (assignments); events with value 1 are successes.
        /// Use when the application reports only conversions.
        case exposures
        /// Every event is a trial with value 0 or 1. Use when the application reports both.
        case events
    }

    public var name: String
    public var kind: Kind
    public var denominator: Denominator
    public var higherIsBetter: Bool
    /// Relative minimum detectable effect (e.g. 0.02 = 2 %) for the sample-size estimate.
    public var minimumDetectableEffect: Double?
    public var power: Double

    public init(name: String, kind: Kind, denominator: Denominator = .exposures, higherIsBetter: Bool = true,
                minimumDetectableEffect: Double? = nil, power: Double = 0.8) {
        self.name = name
        self.kind = kind
        self.denominator = denominator
        self.higherIsBetter = higherIsBetter
        self.minimumDetectableEffect = minimumDetectableEffect
        self.power = power
    }
}

/// How a request ended, for the error counters.
public enum RequestOutcome: UInt8, Sendable, Codable, CaseIterable {
    case success
    /// 4xx: the caller's fault; not counted in the error rate the canary gates read.
    case clientError
    /// 5xx other than timeouts.
    case serverError
    case timeout
}
