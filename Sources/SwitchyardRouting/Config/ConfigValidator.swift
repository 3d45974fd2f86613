/// Semantic validation of a parsed (or programmatically built) configuration. Each rule names
/// the field path; positions come from the parser when the configuration came from text.
public enum ConfigValidator {
    /// Validates a whole configuration; throws every issue found.
    public static func check(_ config: RoutingConfig) throws(ConfigError) {
        var issues = IssueCollector()
        validate(config, into: &issues)
        if !issues.issues.isEmpty { throw ConfigError(issues.issues) }
    }

    static func validate(_ config: RoutingConfig, into issues: inout IssueCollector) {
        if let tokens = config.tokens { validate(tokens, into: &issues) }
        var seen: Set<String> = []
        for (index, experiment) in config.experiments.enumerated() {
            let path = "experiments[\(index)]"
            if !seen.insert(experiment.name).inserted {
                issues.add("\(path).name", "duplicate experiment name \"\(experiment.name)\"")
            }
            validate(experiment, path: path, into: &issues)
        }
    }

    /// Names appear in URLs, headers, tokens and metric labels: keep them to a safe alphabet.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128 && name.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    private static let nameRule = "must be 1-128 characters of A-Z a-z 0-9 . _ -"

    static func validate(_ tokens: TokenConfig, into issues: inout IssueCollector) {
        var ids: Set<String> = []
        for (path, key) in [("tokens", tokens.current)] + tokens.previous.enumerated().map({ ("tokens.previous[\($0)]", $1) }) {
            if !isValidName(key.keyID) { issues.add("\(path).key_id", nameRule) }
            if !ids.insert(key.keyID).inserted { issues.add("\(path).key_id", "duplicate key id \"\(key.keyID)\"") }
            if key.secret.utf8.count < 16 { issues.add("\(path).secret", "must be at least 16 bytes") }
        }
    }

    static func validate(_ e: ExperimentConfig, path: String, into issues: inout IssueCollector) {
        func at(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }
        if !isValidName(e.name) { issues.add(at("name"), nameRule) }
        if let sticky = e.sticky, sticky.name.isEmpty { issues.add(at("sticky.\(sticky.source.rawValue)"), "must not be empty") }
        if e.variants.count < 2 { issues.add(at("variants"), "needs at least two variants, found \(e.variants.count)") }
        var names: Set<String> = []
        var total = 0.0
        for (i, v) in e.variants.enumerated() {
            let vp = at("variants[\(i)]")
            if !isValidName(v.name) { issues.add("\(vp).name", nameRule) }
            if !names.insert(v.name).inserted { issues.add("\(vp).name", "duplicate variant name \"\(v.name)\"") }
            if v.model.isEmpty { issues.add("\(vp).model", "must not be empty") }
            if v.version < 1 { issues.add("\(vp).version", "must be ≥ 1, found \(v.version)") }
            if !(v.weight >= 0) || !v.weight.isFinite {
                issues.add("\(vp).weight", "must be ≥ 0, found \(v.weight)")
            } else {
                total += v.weight
            }
            if let fault = v.fault { validate(fault, path: "\(vp).fault", into: &issues) }
        }
        if e.variants.count >= 2 && total <= 0 { issues.add(at("variants"), "weights must not all be 0") }
        let controls = e.variants.indices.filter { e.variants[$0].control }
        if controls.count > 1 {
            issues.add(at("variants[\(controls[1])].control"), "only one variant may be the control")
        }
        for (i, rule) in e.overrides.enumerated() {
            let rp = at("overrides[\(i)]")
            if rule.header.isEmpty { issues.add("\(rp).header", "must not be empty") }
            if !names.contains(rule.variant) { issues.add("\(rp).variant", "no variant named \"\(rule.variant)\"") }
            switch rule.match {
            case .exact: break
            case .prefix where rule.value.isEmpty: issues.add("\(rp).prefix", "must not be empty")
            case .prefix: break
            case .regex:
                do { _ = try CompiledOverride.compile(rule.value) } catch {
                    issues.add("\(rp).regex", "is not a valid regular expression: \(error)")
                }
            }
        }
        var shadowNames: Set<String> = []
        for (i, s) in e.shadow.enumerated() {
            let sp = at("shadow[\(i)]")
            if !shadowNames.insert(s.name).inserted { issues.add("\(sp).name", "duplicate shadow name \"\(s.name)\"") }
            if s.model.isEmpty { issues.add("\(sp).model", "must not be empty") }
            if s.version < 1 { issues.add("\(sp).version", "must be ≥ 1, found \(s.version)") }
            if !(0...100).contains(s.percent) { issues.add("\(sp).percent", "must be between 0 and 100, found \(s.percent)") }
            if !(s.tolerance.absolute >= 0) { issues.add("\(sp).tolerance.absolute", "must be ≥ 0") }
            if !(s.tolerance.relative >= 0) { issues.add("\(sp).tolerance.relative", "must be ≥ 0") }
        }
        var metricNames: Set<String> = []
        for (i, m) in e.metrics.enumerated() {
            let mp = at("metrics[\(i)]")
            if !isValidName(m.name) { issues.add("\(mp).name", nameRule) }
            if !metricNames.insert(m.name).inserted { issues.add("\(mp).name", "duplicate metric name \"\(m.name)\"") }
            if let score = m.score, score.isEmpty { issues.add("\(mp).score", "must not be empty") }
            if let mde = m.minimumDetectableEffect, !(mde > 0 && mde < 10) {
                issues.add("\(mp).minimum_detectable_effect", "must be a relative effect > 0 (0.02 = 2 %), found \(mde)")
            }
        }
        if let labels = e.labels {
            if labels.output.isEmpty { issues.add(at("labels.output"), "must not be empty") }
            if labels.classes.isEmpty { issues.add(at("labels.classes"), "must list at least one class") }
            if Set(labels.classes).count != labels.classes.count { issues.add(at("labels.classes"), "must not repeat a class") }
            if labels.classes.count > 1000 { issues.add(at("labels.classes"), "at most 1000 classes, found \(labels.classes.count)") }
        }
        if let canary = e.canary {
            validate(canary, experiment: e, metrics: metricNames, path: at("canary"), into: &issues)
        }
    }

    static func validate(_ fault: FaultConfig, path: String, into issues: inout IssueCollector) {
        if let abort = fault.abort {
            if !(0...100).contains(abort.percent) { issues.add("\(path).abort.percent", "must be between 0 and 100, found \(abort.percent)") }
            if !(200...599).contains(abort.status) { issues.add("\(path).abort.status", "must be an HTTP status 200-599, found \(abort.status)") }
        }
        if let delay = fault.delay {
            if !(0...100).contains(delay.percent) { issues.add("\(path).delay.percent", "must be between 0 and 100, found \(delay.percent)") }
            if !(0...3600).contains(delay.seconds) { issues.add("\(path).delay.duration", "must be between 0 and 1h, found \(delay.seconds)s") }
        }
    }

    static func validate(_ c: CanaryConfig, experiment e: ExperimentConfig, metrics: Set<String>, path: String,
                         into issues: inout IssueCollector) {
        if let index = e.variants.firstIndex(where: { $0.name == c.variant }) {
            if index == e.controlIndex { issues.add("\(path).variant", "must not be the control variant \"\(c.variant)\"") }
        } else {
            issues.add("\(path).variant", "no variant named \"\(c.variant)\"")
        }
        if c.steps.isEmpty { issues.add("\(path).steps", "must list at least one step") }
        for (i, step) in c.steps.enumerated() {
            if !(step > 0 && step <= 100) { issues.add("\(path).steps[\(i)]", "must be in (0, 100], found \(step)") }
            if i > 0 && !(step > c.steps[i - 1]) {
                issues.add("\(path).steps[\(i)]", "steps must increase strictly, found \(c.steps[i - 1]) then \(step)")
            }
        }
        if !(c.intervalSeconds >= 1) { issues.add("\(path).interval", "must be at least 1s, found \(c.intervalSeconds)s") }
        let g = c.gates
        if g.minRequests < 1 { issues.add("\(path).gates.min_requests", "must be ≥ 1, found \(g.minRequests)") }
        if let d = g.maxErrorRateDelta, !(d >= 0 && d <= 1) {
            issues.add("\(path).gates.max_error_rate_delta", "must be between 0 and 1, found \(d)")
        }
        if let r = g.maxP50LatencyRatio, !(r > 0) { issues.add("\(path).gates.max_p50_latency_ratio", "must be > 0, found \(r)") }
        if let r = g.maxP99LatencyRatio, !(r > 0) { issues.add("\(path).gates.max_p99_latency_ratio", "must be > 0, found \(r)") }
        if let s = g.significance {
            if !metrics.contains(s.metric) {
                issues.add("\(path).gates.significance.metric", "no metric named \"\(s.metric)\" in this experiment's metrics")
            }
            if !(s.alpha > 0 && s.alpha < 1) { issues.add("\(path).gates.significance.alpha", "must be in (0, 1), found \(s.alpha)") }
        }
    }
}
