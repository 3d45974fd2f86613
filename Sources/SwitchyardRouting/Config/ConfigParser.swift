import Yams

/// Reads the routing configuration from YAML (or JSON, which YAML 1.2 contains) text.
///
/// Parsing and validation report every problem at once, each with its field path and, where the
/// text has one, its line and column. A configuration returned from here has passed
/// ``ConfigValidator`` and compiles into a ``RoutingSnapshot`` without error.
public enum ConfigParser {
    /// Parses and validates a whole configuration document.
    public static func parse(_ text: String) throws(ConfigError) -> RoutingConfig {
        var issues = IssueCollector()
        let root = try compose(text)
        guard let reader = NodeReader(root, path: "", issues: &issues) else { throw ConfigError(issues.issues) }
        let config = readConfig(reader, issues: &issues)
        ConfigValidator.validate(config, into: &issues)
        if !issues.issues.isEmpty { throw ConfigError(issues.issues) }
        return config
    }

    /// Parses and validates one experiment (the body of an admin create/replace request). The
    /// paths in errors are relative to the experiment (`variants[1].weight`).
    public static func parseExperiment(_ text: String) throws(ConfigError) -> ExperimentConfig {
        var issues = IssueCollector()
        let root = try compose(text)
        guard let reader = NodeReader(root, path: "", issues: &issues) else { throw ConfigError(issues.issues) }
        let experiment = readExperiment(reader, issues: &issues)
        if let experiment { ConfigValidator.validate(experiment, path: "", into: &issues) }
        guard let experiment, issues.issues.isEmpty else { throw ConfigError(issues.issues) }
        return experiment
    }

    private static func compose(_ text: String) throws(ConfigError) -> Node {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError([yamlIssue(error)])
        } catch {
            throw ConfigError([ConfigIssue(path: "", message: "not valid YAML: \(error)")])
        }
        guard let node else { throw ConfigError([ConfigIssue(path: "", message: "the document is empty")]) }
        return node
    }

    private static func yamlIssue(_ error: YamlError) -> ConfigIssue {
        func at(_ mark: Mark) -> SourcePosition { SourcePosition(line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return ConfigIssue(path: "", message: "not valid YAML: \(prefix)\(problem)", position: at(mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigIssue(path: "", message: "duplicated keys \(duplicates.joined(separator: ", ")) in a mapping",
                               position: at(context.mark))
        default:
            return ConfigIssue(path: "", message: "not valid YAML: \(error)")
        }
    }

    // MARK: - Readers, one per schema type

    static func readConfig(_ r: NodeReader, issues: inout IssueCollector) -> RoutingConfig {
        r.rejectUnknownKeys(["repository", "tokens", "experiments"], issues: &issues)
        var config = RoutingConfig()
        config.repository = r.string("repository", issues: &issues)
        if let tokens = r.mapping("tokens", issues: &issues) { config.tokens = readTokens(tokens, issues: &issues) }
        if !r.has("experiments") { issues.add(r.childPath("experiments"), "is required (a list of experiments)") }
        for (path, node) in r.sequence("experiments", issues: &issues) {
            guard let reader = NodeReader(node, path: path, issues: &issues),
                  let experiment = readExperiment(reader, issues: &issues) else { continue }
            config.experiments.append(experiment)
        }
        return config
    }

    static func readTokens(_ r: NodeReader, issues: inout IssueCollector) -> TokenConfig? {
        r.rejectUnknownKeys(["key_id", "secret", "previous"], issues: &issues)
        let current = readKey(r, issues: &issues)
        var previous: [TokenKey] = []
        for (path, node) in r.sequence("previous", issues: &issues) {
            guard let reader = NodeReader(node, path: path, issues: &issues) else { continue }
            reader.rejectUnknownKeys(["key_id", "secret"], issues: &issues)
            if let key = readKey(reader, issues: &issues) { previous.append(key) }
        }
        return current.map { TokenConfig(current: $0, previous: previous) }
    }

    private static func readKey(_ r: NodeReader, issues: inout IssueCollector) -> TokenKey? {
        let id = r.string("key_id", required: true, issues: &issues)
        let secret = r.string("secret", required: true, issues: &issues)
        guard let id, let secret else { return nil }
        return TokenKey(keyID: id, secret: secret)
    }

    static func readExperiment(_ r: NodeReader, issues: inout IssueCollector) -> ExperimentConfig? {
        r.rejectUnknownKeys(["name", "salt", "sticky", "variants", "overrides", "shadow", "canary", "metrics", "labels"],
                            issues: &issues)
        let name = r.string("name", required: true, issues: &issues)
        let salt = r.string("salt", issues: &issues)
        let sticky = r.mapping("sticky", issues: &issues).flatMap { readSticky($0, issues: &issues) }
        if !r.has("variants") { issues.add(r.childPath("variants"), "is required (two or more variants)") }
        let variants = r.sequence("variants", issues: &issues).compactMap { path, node in
            NodeReader(node, path: path, issues: &issues).flatMap { readVariant($0, issues: &issues) }
        }
        let overrides = r.sequence("overrides", issues: &issues).compactMap { path, node in
            NodeReader(node, path: path, issues: &issues).flatMap { readOverride($0, issues: &issues) }
        }
        let shadow = r.sequence("shadow", issues: &issues).compactMap { path, node in
            NodeReader(node, path: path, issues: &issues).flatMap { readShadow($0, issues: &issues) }
        }
        let canary = r.mapping("canary", issues: &issues).flatMap { readCanary($0, issues: &issues) }
        let metrics = r.sequence("metrics", issues: &issues).compactMap { path, node in
            NodeReader(node, path: path, issues: &issues).flatMap { readMetric($0, issues: &issues) }
        }
        let labels = r.mapping("labels", issues: &issues).flatMap { readLabels($0, issues: &issues) }
        guard let name else { return nil }
        return ExperimentConfig(name: name, salt: salt, sticky: sticky, variants: variants, overrides: overrides,
                                shadow: shadow, canary: canary, metrics: metrics, labels: labels)
    }

    static func readLabels(_ r: NodeReader, issues: inout IssueCollector) -> LabelConfig? {
        r.rejectUnknownKeys(["output", "classes"], issues: &issues)
        let output = r.string("output", required: true, issues: &issues)
        if !r.has("classes") { issues.add(r.childPath("classes"), "is required (the class labels, in report order)") }
        let classes = r.sequence("classes", issues: &issues).compactMap { path, node -> String? in
            guard let text = node.scalar?.string else {
                issues.add(path, "must be a label (text or number), found \(node.describedValue)")
                return nil
            }
            return text
        }
        guard let output else { return nil }
        return LabelConfig(output: output, classes: classes)
    }

    static func readSticky(_ r: NodeReader, issues: inout IssueCollector) -> StickyConfig? {
        r.rejectUnknownKeys(Set(UnitKeySource.allCases.map(\.rawValue)), issues: &issues)
        let given = UnitKeySource.allCases.filter { r.has($0.rawValue) }
        guard given.count == 1, let source = given.first else {
            issues.add(r.path, "must name exactly one unit key source: header, cookie or query")
            return nil
        }
        guard let name = r.string(source.rawValue, issues: &issues) else { return nil }
        return StickyConfig(source: source, name: name)
    }

    static func readVariant(_ r: NodeReader, issues: inout IssueCollector) -> VariantConfig? {
        r.rejectUnknownKeys(["name", "model", "version", "weight", "control", "fault"], issues: &issues)
        let name = r.string("name", required: true, issues: &issues)
        let model = r.string("model", required: true, issues: &issues)
        let version = r.int("version", required: true, issues: &issues)
        let weight = r.double("weight", required: true, issues: &issues)
        let control = r.bool("control", issues: &issues) ?? false
        let fault = r.mapping("fault", issues: &issues).map { readFault($0, issues: &issues) }
        guard let name, let model, let version, let weight else { return nil }
        return VariantConfig(name: name, model: model, version: version, weight: weight, control: control, fault: fault)
    }

    static func readFault(_ r: NodeReader, issues: inout IssueCollector) -> FaultConfig {
        r.rejectUnknownKeys(["abort", "delay"], issues: &issues)
        var fault = FaultConfig()
        if let abort = r.mapping("abort", issues: &issues) {
            abort.rejectUnknownKeys(["percent", "status"], issues: &issues)
            let percent = abort.double("percent", required: true, issues: &issues)
            let status = abort.int("status", required: true, issues: &issues)
            if let percent, let status { fault.abort = .init(percent: percent, status: status) }
        }
        if let delay = r.mapping("delay", issues: &issues) {
            delay.rejectUnknownKeys(["percent", "duration"], issues: &issues)
            let percent = delay.double("percent", required: true, issues: &issues)
            let seconds = delay.duration("duration", issues: &issues)
            if !delay.has("duration") { issues.add(delay.childPath("duration"), "is required") }
            if let percent, let seconds { fault.delay = .init(percent: percent, seconds: seconds) }
        }
        return fault
    }

    static func readOverride(_ r: NodeReader, issues: inout IssueCollector) -> OverrideRule? {
        let kinds = MatchKind.allCases.map(\.rawValue)
        r.rejectUnknownKeys(Set(["header", "variant"] + kinds), issues: &issues)
        let header = r.string("header", required: true, issues: &issues)
        let variant = r.string("variant", required: true, issues: &issues)
        let given = MatchKind.allCases.filter { r.has($0.rawValue) }
        guard given.count == 1, let kind = given.first else {
            issues.add(r.path, "must have exactly one of value (exact match), prefix or regex")
            return nil
        }
        guard let value = r.string(kind.rawValue, issues: &issues), let header, let variant else { return nil }
        return OverrideRule(header: header, match: kind, value: value, variant: variant)
    }

    static func readShadow(_ r: NodeReader, issues: inout IssueCollector) -> ShadowConfig? {
        r.rejectUnknownKeys(["name", "model", "version", "percent", "sampling", "tolerance"], issues: &issues)
        let name = r.string("name", issues: &issues)
        let model = r.string("model", required: true, issues: &issues)
        let version = r.int("version", required: true, issues: &issues)
        let percent = r.double("percent", issues: &issues) ?? 100
        let sampling = r.enumeration("sampling", ShadowSampling.self, issues: &issues) ?? .deterministic
        var tolerance = Tolerance()
        if let t = r.mapping("tolerance", issues: &issues) {
            t.rejectUnknownKeys(["absolute", "relative"], issues: &issues)
            tolerance.absolute = t.double("absolute", issues: &issues) ?? tolerance.absolute
            tolerance.relative = t.double("relative", issues: &issues) ?? tolerance.relative
        }
        guard let model, let version else { return nil }
        return ShadowConfig(name: name, model: model, version: version, percent: percent, sampling: sampling,
                            tolerance: tolerance)
    }

    static func readCanary(_ r: NodeReader, issues: inout IssueCollector) -> CanaryConfig? {
        r.rejectUnknownKeys(["variant", "steps", "interval", "rest", "gates"], issues: &issues)
        let variant = r.string("variant", required: true, issues: &issues)
        var canary = CanaryConfig(variant: variant ?? "")
        if r.has("steps") {
            canary.steps = r.sequence("steps", issues: &issues).compactMap { path, node in
                guard node.scalar != nil, let step = node.float, step.isFinite else {
                    issues.add(path, "must be a number (percent), found \(node.describedValue)")
                    return nil
                }
                return step
            }
        }
        canary.intervalSeconds = r.duration("interval", issues: &issues) ?? canary.intervalSeconds
        canary.rest = r.enumeration("rest", CanaryRest.self, issues: &issues) ?? canary.rest
        if let g = r.mapping("gates", issues: &issues) {
            g.rejectUnknownKeys(["min_requests", "max_error_rate_delta", "max_p50_latency_ratio",
                                 "max_p99_latency_ratio", "significance"], issues: &issues)
            canary.gates.minRequests = g.int("min_requests", issues: &issues) ?? canary.gates.minRequests
            canary.gates.maxErrorRateDelta = g.double("max_error_rate_delta", issues: &issues)
            canary.gates.maxP50LatencyRatio = g.double("max_p50_latency_ratio", issues: &issues)
            canary.gates.maxP99LatencyRatio = g.double("max_p99_latency_ratio", issues: &issues)
            if let s = g.mapping("significance", issues: &issues) {
                s.rejectUnknownKeys(["metric", "alpha", "require", "direction"], issues: &issues)
                let metric = s.string("metric", required: true, issues: &issues)
                var gate = SignificanceGate(metric: metric ?? "")
                gate.alpha = s.double("alpha", issues: &issues) ?? gate.alpha
                gate.require = s.enumeration("require", SignificanceRequirement.self, issues: &issues) ?? gate.require
                gate.direction = s.enumeration("direction", MetricDirection.self, issues: &issues) ?? gate.direction
                if metric != nil { canary.gates.significance = gate }
            }
        }
        return variant == nil ? nil : canary
    }

    static func readMetric(_ r: NodeReader, issues: inout IssueCollector) -> MetricConfig? {
        r.rejectUnknownKeys(["name", "kind", "score", "higher_is_better", "minimum_detectable_effect"], issues: &issues)
        let name = r.string("name", required: true, issues: &issues)
        let kind = r.enumeration("kind", MetricKind.self, issues: &issues)
        if !r.has("kind") { issues.add(r.childPath("kind"), "is required (binary | continuous)") }
        let score = r.string("score", issues: &issues)
        let higherIsBetter = r.bool("higher_is_better", issues: &issues) ?? true
        let mde = r.double("minimum_detectable_effect", issues: &issues)
        guard let name, let kind else { return nil }
        return MetricConfig(name: name, kind: kind, score: score, higherIsBetter: higherIsBetter, minimumDetectableEffect: mde)
    }
}
