import SwitchyardRouting
import SwitchyardStats

/// What the admin API answers. Plain Codable values shared by the gateway (which encodes them)
/// and `switchyard ctl` (which decodes them), in camelCase JSON.

/// Any refused request.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var error: String
    public init(error: String) { self.error = error }
}

/// `GET /admin/experiments`.
public struct ExperimentList: Codable, Sendable, Equatable {
    /// The configuration revision the list was read from.
    public var revision: Int
    public var experiments: [ExperimentView]
    public init(revision: Int, experiments: [ExperimentView]) {
        self.revision = revision
        self.experiments = experiments
    }
}

/// One experiment: its policies as configured now, its canary's progress and its live counters.
public struct ExperimentView: Codable, Sendable, Equatable {
    public var name: String
    public var revision: Int
    public var variants: [VariantView]
    /// "header x-user-id", "cookie uid", "query user", or nil (per-request assignment).
    public var sticky: String?
    /// One line per rule, in evaluation order: "x-user-id prefix \"qa-\" → candidate".
    public var overrides: [String]
    public var shadows: [ShadowView]
    public var canary: CanaryView?
    public var metrics: [String]
    /// Request counters and latency per variant since the experiment's statistics started.
    public var counters: [VariantSummary]

    public init(name: String, revision: Int, variants: [VariantView], sticky: String?, overrides: [String],
                shadows: [ShadowView], canary: CanaryView?, metrics: [String], counters: [VariantSummary]) {
        self.name = name
        self.revision = revision
        self.variants = variants
        self.sticky = sticky
        self.overrides = overrides
        self.shadows = shadows
        self.canary = canary
        self.metrics = metrics
        self.counters = counters
    }
}

public struct VariantView: Codable, Sendable, Equatable {
    public var name: String
    public var model: String
    public var version: Int
    /// The configured weight and the resulting share of traffic in [0, 1].
    public var weight: Double
    public var share: Double
    public var control: Bool
    /// "abort 5% with 503; delay 10% by 0.2 s", or nil.
    public var fault: String?

    public init(name: String, model: String, version: Int, weight: Double, share: Double, control: Bool, fault: String?) {
        self.name = name
        self.model = model
        self.version = version
        self.weight = weight
        self.share = share
        self.control = control
        self.fault = fault
    }
}

public struct ShadowView: Codable, Sendable, Equatable {
    public var name: String
    public var model: String
    public var version: Int
    public var percent: Double
    public var sampling: String

    public init(name: String, model: String, version: Int, percent: Double, sampling: String) {
        self.name = name
        self.model = model
        self.version = version
        self.percent = percent
        self.sampling = sampling
    }
}

/// A canary's configuration and progress.
public struct CanaryView: Codable, Sendable, Equatable {
    public var candidate: String
    public var steps: [Double]
    public var intervalSeconds: Double
    /// nil until the canary has started (it starts when the experiment is applied).
    public var state: CanaryState?
    /// Unix seconds of the next evaluation while running.
    public var nextEvaluationAt: Double?

    public init(candidate: String, steps: [Double], intervalSeconds: Double, state: CanaryState?, nextEvaluationAt: Double?) {
        self.candidate = candidate
        self.steps = steps
        self.intervalSeconds = intervalSeconds
        self.state = state
        self.nextEvaluationAt = nextEvaluationAt
    }
}

/// `GET /admin/experiments/{name}/shadow`: output comparisons per shadow variant.
public struct ShadowReport: Codable, Sendable, Equatable {
    public var experiment: String
    public var shadows: [ShadowComparison]
    /// Shadow executions waiting or running now, and the bound beyond which new ones are dropped.
    public var queued: Int
    public var queueCapacity: Int

    public init(experiment: String, shadows: [ShadowComparison], queued: Int, queueCapacity: Int) {
        self.experiment = experiment
        self.shadows = shadows
        self.queued = queued
        self.queueCapacity = queueCapacity
    }
}

/// The answer to an accepted change.
public struct ChangeResult: Codable, Sendable, Equatable {
    /// The revision the change produced (nil when it produced none, e.g. pausing a canary).
    public var revision: Int?
    public var message: String

    public init(revision: Int?, message: String) {
        self.revision = revision
        self.message = message
    }
}

/// One retained revision (`GET /admin/revisions`).
public struct RevisionView: Codable, Sendable, Equatable {
    public var number: Int
    public var who: String
    /// Unix seconds.
    public var when: Double
    public var why: String
    public var action: String
    /// Field-level diff from the previous revision.
    public var what: String

    public init(number: Int, who: String, when: Double, why: String, action: String, what: String) {
        self.number = number
        self.who = who
        self.when = when
        self.why = why
        self.action = action
        self.what = what
    }
}

public struct RevisionList: Codable, Sendable, Equatable {
    public var current: Int
    /// Oldest first.
    public var revisions: [RevisionView]

    public init(current: Int, revisions: [RevisionView]) {
        self.current = current
        self.revisions = revisions
    }
}

public struct AuditList: Codable, Sendable, Equatable {
    /// Oldest first.
    public var entries: [AuditEntry]
    public init(entries: [AuditEntry]) { self.entries = entries }
}
