/// A change an operator (admin API, CLI) or the canary controller asks the store to make.
public enum ConfigChange: Sendable, Equatable {
    /// Replace the whole configuration (a reloaded file, `PUT /admin/config`).
    case replaceAll(RoutingConfig)
    /// Create the experiment, or replace the one with the same name.
    case putExperiment(ExperimentConfig)
    case deleteExperiment(String)
    /// Set some variants' weights; variants not named keep theirs.
    case setWeights(experiment: String, weights: [String: Double])
    case canary(experiment: String, command: CanaryCommand)

    /// Short label for the audit log.
    public var summary: String {
        switch self {
        case .replaceAll: return "replace configuration"
        case .putExperiment(let e): return "put experiment \(e.name)"
        case .deleteExperiment(let name): return "delete experiment \(name)"
        case .setWeights(let name, let weights):
            let list = weights.sorted { $0.key < $1.key }.map { "\($0.key)=\(CanaryGatesEvaluator.fixed($0.value, 3))" }
            return "set weights of \(name): \(list.joined(separator: ", "))"
        case .canary(let name, let command): return "canary \(command.rawValue) on \(name)"
        }
    }
}

/// Who asks for a change, when and why (all passed in: the store reads no clock).
public struct ChangeContext: Sendable, Equatable {
    /// The admin token's name, `config-file`, or `canary` for the controller.
    public var who: String
    public var why: String
    /// Unix seconds.
    public var at: Double

    public init(who: String, why: String = "", at: Double) {
        self.who = who
        self.why = why
        self.at = at
    }
}

/// One line of the audit log.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// The revision this change produced; nil for changes that did not produce one (a canary
    /// pause, or a refused change is not logged at all).
    public var revision: Int?
    public var who: String
    public var when: Double
    public var why: String
    /// The change's summary.
    public var action: String
    /// Field-level diff (``ConfigDiff``), or the canary transition.
    public var what: String
}

/// A numbered configuration the store can roll back to.
public struct RevisionRecord: Sendable, Equatable {
    public var number: Int
    public var config: RoutingConfig
    public var audit: AuditEntry
}

public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(ConfigError)
    case unknownExperiment(String)
    case unknownVariant(experiment: String, variant: String)
    case noCanary(String)
    case canaryRunning(String)
    case canary(CanaryError)
    case revisionNotRetained(requested: Int, oldest: Int, newest: Int)
    case corruptState(String)

    public var description: String {
        switch self {
        case .invalid(let error): return error.description
        case .unknownExperiment(let name): return "no experiment named \"\(name)\""
        case .unknownVariant(let e, let v): return "experiment \"\(e)\" has no variant named \"\(v)\""
        case .noCanary(let name): return "experiment \"\(name)\" has no canary"
        case .canaryRunning(let name):
            return "experiment \"\(name)\" has a running canary that owns its weights; pause or abort it first"
        case .canary(let error): return error.description
        case .revisionNotRetained(let requested, let oldest, let newest):
            return "revision \(requested) is not retained (history holds \(oldest)...\(newest))"
        case .corruptState(let why): return "stored routing state is unreadable: \(why)"
        }
    }
}

/// What ``ExperimentStore/startUp(fileText:persisted:now:historyLimit:)`` decided.
public enum StartUpDecision: Sendable, Equatable {
    /// No stored state: the file became revision 1.
    case fresh
    /// The file is the one the stored lineage started from: continued from the last stored revision.
    case continued
    /// The file changed since the stored lineage began: it became a new revision on top of the history.
    case fileChanged
    /// No file was given: continued from the stored state.
    case stateOnly
    /// The file did not validate; continued from the stored state (log the error loudly).
    case fileRejected(ConfigError)
}
