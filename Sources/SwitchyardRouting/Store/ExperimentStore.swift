/// The numbered, audited, reversible history of the routing configuration.
///
/// A value type with no locks and no clock: the gateway keeps one in a Mutex, calls a mutating
/// method with a ``ChangeContext``, and on success publishes ``snapshot`` to its ``SnapshotBox``
/// and persists ``encoded()``. A change that does not validate throws and leaves the store — and
/// so the serving snapshot — exactly as it was.
///
/// Every accepted operator change gets the next revision number, even one that only pauses a
/// canary, so the audit log and the revisions line up. Canary evaluations create a revision only
/// when they change weights (advance, promote, roll back). While a canary is running it owns its
/// experiment's weights: `set-weights` is refused until it is paused or aborted, and replacing the
/// experiment re-applies the canary's current step on top of the new body.
public struct ExperimentStore: Sendable {
    public static let defaultHistoryLimit = 100
    public static let auditLimit = 1000

    public private(set) var snapshot: RoutingSnapshot
    public private(set) var canaries: [String: CanaryState]
    /// Oldest first; the last one is the current revision.
    public private(set) var revisions: [RevisionRecord]
    public private(set) var auditLog: [AuditEntry]
    /// SHA-256 (hex) of the configuration file the current lineage started from; see ``startUp``.
    public internal(set) var baseFileHash: String?
    public let historyLimit: Int

    public var revision: Int { snapshot.revision }
    public var config: RoutingConfig { snapshot.config }

    /// A store whose revision 1 is `initial`; canaries in it start at `context.at`.
    public init(initial: RoutingConfig, by context: ChangeContext, fileHash: String? = nil,
                historyLimit: Int = ExperimentStore.defaultHistoryLimit) throws(StoreError) {
        snapshot = .empty
        canaries = [:]
        revisions = []
        auditLog = []
        baseFileHash = fileHash
        self.historyLimit = max(1, historyLimit)
        let (config, states) = try reconcile(initial, now: context.at)
        try commit(config, canaries: states, action: "initial configuration", context: context)
    }

    /// Internal: a store rebuilt from persisted parts (see StorePersistence.swift).
    init(snapshot: RoutingSnapshot, canaries: [String: CanaryState], revisions: [RevisionRecord], auditLog: [AuditEntry],
         baseFileHash: String?, historyLimit: Int) {
        self.snapshot = snapshot
        self.canaries = canaries
        self.revisions = revisions
        self.auditLog = auditLog
        self.baseFileHash = baseFileHash
        self.historyLimit = historyLimit
    }

    /// Validates and applies one change; returns the revision it produced.
    @discardableResult
    public mutating func apply(_ change: ConfigChange, by context: ChangeContext) throws(StoreError) -> RevisionRecord {
        var config = self.config
        var states = canaries
        switch change {
        case .replaceAll(let new):
            (config, states) = try reconcile(new, now: context.at)
        case .putExperiment(let experiment):
            if let index = config.experiments.firstIndex(where: { $0.name == experiment.name }) {
                config.experiments[index] = experiment
            } else {
                config.experiments.append(experiment)
            }
            (config, states) = try reconcile(config, now: context.at)
        case .deleteExperiment(let name):
            guard let index = config.experiments.firstIndex(where: { $0.name == name }) else { throw .unknownExperiment(name) }
            config.experiments.remove(at: index)
            states[name] = nil
        case .setWeights(let name, let weights):
            guard let index = config.experiments.firstIndex(where: { $0.name == name }) else { throw .unknownExperiment(name) }
            if states[name]?.status == .running { throw .canaryRunning(name) }
            for (variant, weight) in weights {
                guard let v = config.experiments[index].variants.firstIndex(where: { $0.name == variant }) else {
                    throw .unknownVariant(experiment: name, variant: variant)
                }
                config.experiments[index].variants[v].weight = weight
            }
        case .canary(let name, let command):
            guard let index = config.experiments.firstIndex(where: { $0.name == name }) else { throw .unknownExperiment(name) }
            let experiment = config.experiments[index]
            guard let canary = experiment.canary else { throw .noCanary(name) }
            let actions: [CanaryAction]
            if let state = states[name] {
                do {
                    let result = try CanaryController.apply(command, to: state, canary: canary, now: context.at, reason: context.why)
                    states[name] = result.0
                    actions = result.1
                } catch {
                    throw .canary(error)
                }
            } else if command == .restart {
                let started = CanaryController.start(experiment: experiment, canary: canary, now: context.at)
                states[name] = started.0
                actions = started.1
            } else {
                throw .canary(CanaryError("experiment \"\(name)\" has no canary state to \(command.rawValue)"))
            }
            config = Self.applying(actions, to: config, experiment: name)
        }
        return try commit(config, canaries: states, action: change.summary, context: context)
    }

    /// Makes revision `number`'s configuration current again, as a new revision. Canaries that
    /// were running come back paused: the operator resumes or restarts them deliberately.
    @discardableResult
    public mutating func rollback(to number: Int, by context: ChangeContext) throws(StoreError) -> RevisionRecord {
        guard let target = revisions.first(where: { $0.number == number }) else {
            throw .revisionNotRetained(requested: number, oldest: revisions.first?.number ?? 0, newest: revision)
        }
        var states: [String: CanaryState] = [:]
        for (name, state) in canaries where target.config.experiment(named: name)?.canary != nil {
            var kept = state
            if kept.status == .running {
                kept.status = .paused
                kept.append(at: context.at, from: state.weight, status: .paused,
                            reason: "paused by rollback to revision \(number)", gates: [])
            }
            states[name] = kept
        }
        return try commit(target.config, canaries: states, action: "rollback to revision \(number)", context: context)
    }

    /// Runs the canary of `experiment` on the windows the gateway measured since
    /// `canaries[experiment].windowStart`. Returns the verdict and the revision if weights changed.
    public mutating func evaluateCanary(experiment name: String, now: Double, candidate: VariantWindow,
                                        control: VariantWindow, outcome: OutcomeSignificance? = nil)
        throws(StoreError) -> (verdict: CanaryVerdict, revision: RevisionRecord?) {
        guard let experiment = config.experiment(named: name) else { throw .unknownExperiment(name) }
        guard let canary = experiment.canary, let state = canaries[name] else { throw .noCanary(name) }
        let result = CanaryController.evaluate(state, canary: canary, now: now, candidate: candidate, control: control,
                                               outcome: outcome)
        guard !result.actions.isEmpty else {
            canaries[name] = result.state
            return (result.verdict, nil)
        }
        var states = canaries
        states[name] = result.state
        let config = Self.applying(result.actions, to: self.config, experiment: name)
        let why = result.state.history.last?.reason ?? result.verdict.rawValue
        let record = try commit(config, canaries: states, action: "canary \(result.verdict.rawValue) on \(name)",
                                context: ChangeContext(who: "canary", why: why, at: now))
        return (result.verdict, record)
    }

    /// Experiments whose running canary may be judged at `now`.
    public func canariesDue(now: Double) -> [String] {
        canaries.compactMap { name, state in
            guard state.status == .running, let canary = config.experiment(named: name)?.canary,
                  now >= state.nextEvaluationAt(interval: canary.intervalSeconds) else { return nil }
            return name
        }.sorted()
    }

    // MARK: - Internals

    @discardableResult
    mutating func commit(_ config: RoutingConfig, canaries states: [String: CanaryState], action: String,
                         context: ChangeContext) throws(StoreError) -> RevisionRecord {
        let next: RoutingSnapshot
        do {
            next = try RoutingSnapshot(revision: revision + 1, config: config)
        } catch {
            throw .invalid(error)
        }
        let entry = AuditEntry(revision: next.revision, who: context.who, when: context.at, why: context.why,
                               action: action, what: ConfigDiff.text(from: self.config, to: config))
        let record = RevisionRecord(number: next.revision, config: config, audit: entry)
        snapshot = next
        canaries = states
        revisions.append(record)
        if revisions.count > historyLimit { revisions.removeFirst(revisions.count - historyLimit) }
        auditLog.append(entry)
        if auditLog.count > Self.auditLimit { auditLog.removeFirst(auditLog.count - Self.auditLimit) }
        return record
    }

    /// Aligns canary states with a new configuration: starts canaries that are new (or whose
    /// candidate or variant set changed), keeps the others and re-applies the weights of those
    /// still in progress, aborts those whose section was removed, and drops those of deleted
    /// experiments. Validates first so that a bad body is reported with its own paths.
    func reconcile(_ proposed: RoutingConfig, now: Double) throws(StoreError) -> (RoutingConfig, [String: CanaryState]) {
        do { try ConfigValidator.check(proposed) } catch { throw .invalid(error) }
        var config = proposed
        var states: [String: CanaryState] = [:]
        for experiment in proposed.experiments {
            let name = experiment.name
            let old = canaries[name]
            guard let canary = experiment.canary else {
                if var state = old {
                    if !state.status.isFinished {
                        state.status = .aborted
                        state.append(at: now, from: state.weight, status: .aborted, reason: "canary section removed", gates: [])
                    }
                    states[name] = state
                }
                continue
            }
            let sameVariants = old.map { Set($0.baseWeights.keys) == Set(experiment.variants.map(\.name)) } ?? false
            if let state = old, state.candidate == canary.variant, sameVariants {
                states[name] = state
                if !state.status.isFinished {
                    let weights = CanaryController.weights(for: state.weight, state: state, rest: canary.rest)
                    config = Self.applying([.setWeights(weights)], to: config, experiment: name)
                }
            } else {
                let (state, actions) = CanaryController.start(experiment: experiment, canary: canary, now: now)
                states[name] = state
                config = Self.applying(actions, to: config, experiment: name)
            }
        }
        return (config, states)
    }

    /// The configuration after canary actions on one experiment.
    static func applying(_ actions: [CanaryAction], to config: RoutingConfig, experiment name: String) -> RoutingConfig {
        guard let index = config.experiments.firstIndex(where: { $0.name == name }) else { return config }
        var config = config
        for action in actions {
            switch action {
            case .setWeights(let weights):
                for v in config.experiments[index].variants.indices {
                    if let weight = weights[config.experiments[index].variants[v].name] {
                        config.experiments[index].variants[v].weight = weight
                    }
                }
            case .promote(let candidate):
                for v in config.experiments[index].variants.indices {
                    let isCandidate = config.experiments[index].variants[v].name == candidate
                    config.experiments[index].variants[v].weight = isCandidate ? 100 : 0
                    config.experiments[index].variants[v].control = isCandidate
                }
                // The candidate is now the control; a canary naming it would no longer validate.
                config.experiments[index].canary = nil
            }
        }
        return config
    }
}
