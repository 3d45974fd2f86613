import Foundation

/// Renders configurations in the schema's own shape (snake_case keys, `sticky: {header: …}`,
/// overrides as `{header, value|prefix|regex, variant}`), so that what the admin API shows, what
/// the store persists and what a person writes in the YAML file are one format, and
/// ``ConfigParser`` reads all of them back. Defaults that were not set stay absent.
public enum ConfigRenderer {
    /// Canonical JSON: sorted keys, so equal configurations render to equal bytes.
    public static func json(_ config: RoutingConfig, pretty: Bool = false) -> String {
        render(config, pretty: pretty)
    }

    public static func json(_ experiment: ExperimentConfig, pretty: Bool = false) -> String {
        render(experiment, pretty: pretty)
    }

    private static func render(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        // Every value in the model is finite (validated), so encoding cannot fail; keep a visible
        // message rather than a crash if that invariant is ever broken.
        guard let data = try? encoder.encode(value) else { return "{\"error\": \"configuration could not be rendered\"}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Keys are spelled as in the schema.
private struct SchemaKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private extension KeyedEncodingContainer where K == SchemaKey {
    mutating func put<T: Encodable>(_ value: T?, _ key: String) throws {
        if let value { try encode(value, forKey: SchemaKey(key)) }
    }
    mutating func putList<T: Encodable>(_ value: [T], _ key: String) throws {
        if !value.isEmpty { try encode(value, forKey: SchemaKey(key)) }
    }
}

extension RoutingConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(repository, "repository")
        try c.put(tokens, "tokens")
        try c.encode(experiments, forKey: SchemaKey("experiments"))
    }
}

extension TokenKey: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(keyID, "key_id")
        try c.put(secret, "secret")
    }
}

extension TokenConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(current.keyID, "key_id")
        try c.put(current.secret, "secret")
        try c.putList(previous, "previous")
    }
}

extension ExperimentConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(name, "name")
        try c.put(salt, "salt")
        if let sticky { try c.encode([sticky.source.rawValue: sticky.name], forKey: SchemaKey("sticky")) }
        try c.encode(variants, forKey: SchemaKey("variants"))
        try c.putList(overrides, "overrides")
        try c.putList(shadow, "shadow")
        try c.put(canary, "canary")
        try c.putList(metrics, "metrics")
        try c.put(labels, "labels")
    }
}

extension VariantConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(name, "name")
        try c.put(model, "model")
        try c.put(version, "version")
        try c.put(weight, "weight")
        if control { try c.put(true, "control") }
        try c.put(fault, "fault")
    }
}

extension FaultConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        if let abort { try c.encode(["percent": abort.percent, "status": Double(abort.status)], forKey: SchemaKey("abort")) }
        if let delay { try c.encode(["percent": delay.percent, "duration": delay.seconds], forKey: SchemaKey("delay")) }
    }
}

extension OverrideRule: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(header, "header")
        try c.put(value, match.rawValue)
        try c.put(variant, "variant")
    }
}

extension ShadowConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(name, "name")
        try c.put(model, "model")
        try c.put(version, "version")
        try c.put(percent, "percent")
        try c.put(sampling.rawValue, "sampling")
        try c.encode(["absolute": tolerance.absolute, "relative": tolerance.relative], forKey: SchemaKey("tolerance"))
    }
}

extension CanaryConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(variant, "variant")
        try c.put(steps, "steps")
        try c.put(intervalSeconds, "interval")
        try c.put(rest.rawValue, "rest")
        try c.put(gates, "gates")
    }
}

extension CanaryGates: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(minRequests, "min_requests")
        try c.put(maxErrorRateDelta, "max_error_rate_delta")
        try c.put(maxP50LatencyRatio, "max_p50_latency_ratio")
        try c.put(maxP99LatencyRatio, "max_p99_latency_ratio")
        try c.put(significance, "significance")
    }
}

extension SignificanceGate: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(metric, "metric")
        try c.put(alpha, "alpha")
        try c.put(require.rawValue, "require")
        try c.put(direction.rawValue, "direction")
    }
}

extension MetricConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(name, "name")
        try c.put(kind.rawValue, "kind")
        try c.put(score, "score")
        if !higherIsBetter { try c.put(false, "higher_is_better") }
        try c.put(minimumDetectableEffect, "minimum_detectable_effect")
    }
}

extension LabelConfig: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SchemaKey.self)
        try c.put(output, "output")
        try c.encode(classes, forKey: SchemaKey("classes"))
    }
}
