import SwitchyardRouting
import SwitchyardStats
import Synchronization

/// The live statistics of one experiment: the statistics engine's recorder (per-loop shards)
/// and the shadow comparisons, plus the name → index maps the request path needs.
///
/// One object lives as long as the experiment keeps the same variants and metrics: revisions that
/// only change weights, overrides, shadows or the canary keep it (the weight change opens a new
/// SRM period instead). A change of the variant set or of the metrics starts a new one, because
/// numbers gathered for other arms cannot be compared with the new ones.
public final class ExperimentStats: Sendable {
    public let name: String
    public let recorder: ExperimentRecorder
    /// Variant name → recorder index.
    let variantIndex: [String: Int]
    /// Metrics fed from a model output on every response: (recorder metric index, output name).
    let scoreMetrics: [(metric: Int, output: String)]
    /// The output whose first value feeds the variant's score summary (the first `score` metric's).
    let scoreOutput: String?
    /// The classifier output counted per class, and the classes.
    let labels: LabelConfig?
    /// Shadow comparisons by shadow name. Shadows run on the shadow pool's threads, never on the
    /// event loops, so one lock per experiment is not on any request's path.
    let shadows: Mutex<[String: ShadowComparison]>

    init(experiment: ExperimentConfig, loops: Int, now: Double) throws(StatsError) {
        name = experiment.name
        let config = Self.statsConfig(experiment)
        recorder = try ExperimentRecorder(config: config, loops: loops, startedAt: now)
        variantIndex = Dictionary(experiment.variants.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        scoreMetrics = experiment.metrics.enumerated().compactMap { index, metric in
            metric.score.map { (index, $0) }
        }
        scoreOutput = experiment.metrics.lazy.compactMap(\.score).first
        labels = experiment.labels
        shadows = Mutex([:])
    }

    /// The statistics engine's view of an experiment's configuration. Binary metrics count every
    /// routed request of a variant as an exposure, so applications report only conversions.
    static func statsConfig(_ experiment: ExperimentConfig) -> ExperimentStatsConfig {
        ExperimentStatsConfig(
            name: experiment.name,
            variants: experiment.variants.map(\.name),
            controlIndex: experiment.controlIndex,
            weights: normalisedWeights(experiment),
            metrics: experiment.metrics.map { metric in
                SwitchyardStats.MetricConfig(name: metric.name, kind: metric.kind == .binary ? .binary : .continuous,
                                             denominator: metric.score == nil ? .exposures : .events,
                                             higherIsBetter: metric.higherIsBetter,
                                             minimumDetectableEffect: metric.minimumDetectableEffect)
            },
            labels: experiment.labels?.classes ?? [])
    }

    /// The recorder needs at least one positive weight; a configuration may set all to 0 only
    /// transiently, which the validator refuses, so this only guards against a zero total.
    static func normalisedWeights(_ experiment: ExperimentConfig) -> [Double] {
        let weights = experiment.variants.map(\.weight)
        return weights.contains { $0 > 0 } ? weights : Array(repeating: 1, count: weights.count)
    }

    /// Whether this object can keep recording for `experiment` (same arms, same metrics).
    func isCompatible(with experiment: ExperimentConfig) -> Bool {
        Self.statsConfig(experiment).sameShape(as: recorder.config)
    }

    /// Records one shadow outcome.
    func recordShadow(_ name: String, _ body: (inout ShadowComparison) -> Void) {
        shadows.withLock { all in
            var comparison = all[name] ?? ShadowComparison(shadow: name)
            body(&comparison)
            all[name] = comparison
        }
    }

    /// Shadow comparisons, in the order the experiment lists its shadows (then any no longer configured).
    func shadowComparisons(order: [String]) -> [ShadowComparison] {
        let all = shadows.withLock { $0 }
        var result = order.map { all[$0] ?? ShadowComparison(shadow: $0) }
        result += all.keys.filter { !order.contains($0) }.sorted().compactMap { all[$0] }
        return result
    }
}

extension ExperimentStatsConfig {
    /// Same variants, control, metrics and labels: recorded numbers stay comparable. Weights may differ.
    func sameShape(as other: ExperimentStatsConfig) -> Bool {
        variants == other.variants && controlIndex == other.controlIndex && metrics == other.metrics
            && labels == other.labels
    }
}
