import Synchronization

/// Online statistics of one experiment: the request path records into per-loop shards, outcome
/// events are de-duplicated and recorded, and reads merge everything into results.
///
/// Threading: `recordRequest` and `recordOutcome` take the caller's event-loop index
/// (0..<loops) and touch only that loop's shard (see `RecorderShard` for why a per-shard mutex).
/// Outcome de-duplication needs one experiment-wide set, behind its own mutex: outcome events are
/// not on the inference path. Reads (`state`, `results`, `snapshot`) may come from any thread.
public final class ExperimentRecorder: Sendable {
    public let config: ExperimentStatsConfig
    let shards: [RecorderShard]
    let dedup: Mutex<EventDeduplicator>
    /// Weight periods, SRM ledger and the running always-valid quantities; taken before any shard
    /// lock by every path that needs both (no lock-order inversion).
    let control: Mutex<ControlState>

    struct ControlState: Sendable {
        var srm: SRMLedger
        /// Running mSPRT state per (metric × variants + variant) × {absolute, relative}.
        var sequential: [SequentialState]
    }

    /// - Parameters:
    ///   - loops: number of event loops that will record (each gets a shard).
    ///   - startedAt: caller time (e.g. Unix seconds) at which the configured weights took effect.
    public init(config: ExperimentStatsConfig, loops: Int, startedAt: Double = 0) throws(StatsError) {
        try config.validate()
        guard loops >= 1 && loops <= 1024 else { throw .invalidConfig("loops must be 1…1024, got \(loops)") }
        self.config = config
        shards = (0..<loops).map { _ in RecorderShard(config: config) }
        dedup = Mutex(EventDeduplicator(capacity: config.dedupCapacity))
        control = Mutex(ControlState(
            srm: SRMLedger(weights: config.weights, startedAt: startedAt),
            sequential: Array(repeating: SequentialState(), count: 2 * config.metrics.count * config.variants.count)))
    }

    public var loopCount: Int { shards.count }

    /// Largest accepted |value| of an outcome or covariate. Squared deviations must stay finite
    /// in M2 = Σ(y − ȳ)² for up to 2⁶⁴ events (and in the variance products of the tests): with
    /// |y| ≤ 1e100 they are ≤ 4e200 each. Beyond ~1e154 a single square overflows, the variance
    /// becomes ∞ and every comparison of the metric is lost for good.
    public static let maximumMagnitude = 1e100

    public func variantIndex(named name: String) throws(StatsError) -> Int {
        guard let i = config.variants.firstIndex(of: name) else { throw .unknownVariant(name) }
        return i
    }

    public func metricIndex(named name: String) throws(StatsError) -> Int {
        guard let i = config.metrics.firstIndex(where: { $0.name == name }) else { throw .unknownMetric(name) }
        return i
    }

    public func labelIndex(named name: String) -> Int? { config.labels.firstIndex(of: name) }

    /// Records one routed request: an assignment to `variant` (for SRM), its outcome class,
    /// latency and optional model-output summary. Takes only the loop's own shard lock and
    /// allocates nothing.
    @inline(__always)
    public func recordRequest(loop: Int, variant: Int, latencyNanos: UInt64, outcome: RequestOutcome = .success,
                              score: Double? = nil, label: Int? = nil) throws(StatsError) {
        guard loop >= 0 && loop < shards.count else { throw .loopOutOfRange(loop: loop, loops: shards.count) }
        guard variant >= 0 && variant < config.variants.count else {
            throw .variantOutOfRange(index: variant, variants: config.variants.count)
        }
        if let label, label < 0 || label >= config.labels.count {
            throw .labelOutOfRange(index: label, labels: config.labels.count)
        }
        let s = score.flatMap { $0.isFinite ? $0 : nil }
        shards[loop].state.withLock { state in
            state.variants[variant].record(latencyNanos: latencyNanos, outcome: outcome, score: s, label: label)
            state.periodUnits[variant] &+= 1
        }
    }

    /// Records an outcome event for `metric` in `variant`. Returns false (and records nothing)
    /// when `eventID` was already seen (see `EventDeduplicator` for the memory bound).
    /// Binary metrics take values 0 or 1; continuous ones any finite value of magnitude at most
    /// `maximumMagnitude` (1e100); `covariate` (same bound) is the
    /// unit's pre-period value for CUPED (continuous metrics only).
    @discardableResult
    public func recordOutcome(loop: Int, variant: Int, metric: Int, value: Double, eventID: String?,
                              covariate: Double? = nil) throws(StatsError) -> Bool {
        guard loop >= 0 && loop < shards.count else { throw .loopOutOfRange(loop: loop, loops: shards.count) }
        guard variant >= 0 && variant < config.variants.count else {
            throw .variantOutOfRange(index: variant, variants: config.variants.count)
        }
        try checkOutcome(metric: metric, value: value, covariate: covariate)
        if let eventID {
            let fp = EventDeduplicator.fingerprint(metric: metric, eventID: eventID)
            guard dedup.withLock({ $0.insert(fp) }) else { return false }
        }
        let index = metric * config.variants.count + variant
        shards[loop].state.withLock { $0.metrics[index].record(value: value, covariate: covariate) }
        return true
    }

    /// Whether an outcome value (and covariate) is acceptable for `metric`; throws the reason if
    /// not. `recordOutcome` checks the same; callers that must accept or refuse a whole batch
    /// before recording any of it check every event first.
    public func checkOutcome(metric: Int, value: Double, covariate: Double?) throws(StatsError) {
        guard metric >= 0 && metric < config.metrics.count else {
            throw .metricOutOfRange(index: metric, metrics: config.metrics.count)
        }
        let m = config.metrics[metric]
        guard value.isFinite else { throw .invalidValue(metric: m.name, value: value, reason: "not a finite number") }
        guard abs(value) <= Self.maximumMagnitude else {
            throw .invalidValue(metric: m.name, value: value, reason: "magnitude above 1e100 is not supported")
        }
        if m.kind == .binary {
            guard value == 0 || value == 1 else {
                throw .invalidValue(metric: m.name, value: value, reason: "a binary metric takes 0 or 1")
            }
            if covariate != nil { throw .covariateNotSupported(metric: m.name) }
        }
        if let covariate, !covariate.isFinite || abs(covariate) > Self.maximumMagnitude {
            throw .invalidValue(metric: m.name, value: covariate,
                                reason: "the covariate is not a finite number of magnitude at most 1e100")
        }
    }

    /// Starts a new period of constant weights (a ramp, a canary step, a manual change).
    public func setWeights(_ weights: [Double], at time: Double) throws(StatsError) {
        try ExperimentStatsConfig.validate(weights: weights, variants: config.variants.count)
        control.withLock { control in
            var units = [UInt64](repeating: 0, count: config.variants.count)
            for shard in shards {
                shard.state.withLock { s in
                    for v in units.indices { units[v] += s.periodUnits[v]; s.periodUnits[v] = 0 }
                }
            }
            control.srm.closePeriod(units: units, concentration: SampleRatio.defaultConcentration,
                                    newWeights: weights, at: time)
        }
    }

    /// The merged state of all shards.
    public func state() -> ExperimentState {
        control.withLock { mergedState(srm: $0.srm) }
    }

    /// Request telemetry only (cheaper than `state()` is not a goal: it is the same merge).
    public func telemetry() -> ExperimentTelemetry { state().telemetry }

    func mergedState(srm: SRMLedger) -> ExperimentState {
        let v = config.variants.count, mCount = config.metrics.count
        var variants = Array(repeating: VariantTelemetry(latency: config.latency, labels: config.labels.count), count: v)
        var metrics = Array(repeating: MetricArm(), count: v * mCount)
        var units = [UInt64](repeating: 0, count: v)
        for shard in shards {
            shard.state.withLock { s in
                for i in 0..<v {
                    variants[i].merge(s.variants[i])
                    units[i] += s.periodUnits[i]
                }
                for i in metrics.indices { metrics[i].merge(s.metrics[i]) }
            }
        }
        let byMetric = (0..<mCount).map { m in Array(metrics[(m * v)..<((m + 1) * v)]) }
        return ExperimentState(config: config, variants: variants, metrics: byMetric, periodUnits: units, srm: srm)
    }

    /// Computes the results document. This is a *look*: the always-valid p-values (running
    /// minimum) and confidence sequences (running intersection) are updated and persisted.
    public func results(computedAt: Double) -> ExperimentResults {
        control.withLock { control in
            let state = mergedState(srm: control.srm)
            return ResultsEngine.compute(state: state, sequential: &control.sequential,
                                         srmSequential: &control.srm.sequential, computedAt: computedAt)
        }
    }

    /// Forgets everything recorded (a new revision of the experiment); keeps the configuration.
    public func reset(at time: Double) {
        control.withLock { control in
            for shard in shards {
                shard.state.withLock { s in
                    for i in s.variants.indices {
                        s.variants[i] = VariantTelemetry(latency: config.latency, labels: config.labels.count)
                        s.periodUnits[i] = 0
                    }
                    for i in s.metrics.indices { s.metrics[i] = MetricArm() }
                }
            }
            control.srm = SRMLedger(weights: control.srm.weights, startedAt: time)
            control.sequential = Array(repeating: SequentialState(), count: control.sequential.count)
        }
        dedup.withLock { $0 = EventDeduplicator(capacity: config.dedupCapacity) }
    }
}
