/// An immutable, compiled view of one configuration revision. Event loops hold a reference for
/// the duration of a request; a new revision is a new object, never a mutation.
public final class RoutingSnapshot: Sendable {
    /// The store revision this snapshot was built from (0 for "no configuration yet").
    public let revision: Int
    public let config: RoutingConfig
    public let experiments: [String: CompiledExperiment]
    /// Signs assignment tokens; nil when the configuration has no `tokens` section.
    public let tokenSigner: AssignmentTokenSigner?

    /// Validates and compiles `config`.
    public init(revision: Int, config: RoutingConfig) throws(ConfigError) {
        try ConfigValidator.check(config)
        self.revision = revision
        self.config = config
        var compiled: [String: CompiledExperiment] = [:]
        for (index, experiment) in config.experiments.enumerated() {
            do {
                compiled[experiment.name] = try CompiledExperiment(experiment)
            } catch {
                throw ConfigError([ConfigIssue(path: "experiments[\(index)]", message: "cannot compile: \(error)")])
            }
        }
        experiments = compiled
        tokenSigner = config.tokens.map(AssignmentTokenSigner.init)
    }

    /// A snapshot with no experiments (before the first configuration is loaded).
    public static let empty: RoutingSnapshot = {
        do { return try RoutingSnapshot(revision: 0, config: RoutingConfig()) } catch { fatalError("empty config is valid: \(error)") }
    }()

    public func experiment(named name: String) -> CompiledExperiment? { experiments[name] }
}
