/// Per-variant request telemetry: counts, error classes, latency histogram and model-output
/// summaries. Cumulative since the experiment started (or the last reset); subtract an earlier
/// value with `subtracting(_:)` for a "since the last evaluation" window.
public struct VariantTelemetry: Sendable, Equatable {
    public internal(set) var requests: UInt64 = 0
    public internal(set) var clientErrors: UInt64 = 0
    public internal(set) var serverErrors: UInt64 = 0
    public internal(set) var timeouts: UInt64 = 0
    public internal(set) var latency: LatencyDistribution
    /// Moments of the configured score output.
    public internal(set) var score = Moments()
    /// Count per configured label (same order as `ExperimentStatsConfig.labels`).
    public internal(set) var labels: [UInt64]

    init(latency config: LatencyHistogramConfig, labels: Int) {
        latency = LatencyDistribution(config: config)
        self.labels = Array(repeating: 0, count: labels)
    }

    /// Errors the gateway or model is responsible for (server errors and timeouts).
    public var serverSideErrors: UInt64 { serverErrors + timeouts }

    /// Server-side error rate: (server errors + timeouts)/requests; nil without requests.
    public var errorRate: Double? { requests == 0 ? nil : Double(serverSideErrors) / Double(requests) }

    @inline(__always)
    mutating func record(latencyNanos: UInt64, outcome: RequestOutcome, score s: Double?, label: Int?) {
        requests &+= 1
        switch outcome {
        case .success: break
        case .clientError: clientErrors &+= 1
        case .serverError: serverErrors &+= 1
        case .timeout: timeouts &+= 1
        }
        latency.record(latencyNanos)
        if let s { score.add(s) }
        if let label { labels[label] &+= 1 }
    }

    public mutating func merge(_ other: VariantTelemetry) {
        requests += other.requests
        clientErrors += other.clientErrors
        serverErrors += other.serverErrors
        timeouts += other.timeouts
        latency.merge(other.latency)
        score.merge(other.score)
        for i in labels.indices where i < other.labels.count { labels[i] += other.labels[i] }
    }

    /// What was recorded after `earlier`, a previous read of the same variant.
    public func subtracting(_ earlier: VariantTelemetry) -> VariantTelemetry {
        var d = self
        d.requests = requests &- Swift.min(earlier.requests, requests)
        d.clientErrors = clientErrors &- Swift.min(earlier.clientErrors, clientErrors)
        d.serverErrors = serverErrors &- Swift.min(earlier.serverErrors, serverErrors)
        d.timeouts = timeouts &- Swift.min(earlier.timeouts, timeouts)
        d.latency = latency.subtracting(earlier.latency)
        d.score = score.subtracting(earlier.score)
        for i in labels.indices where i < earlier.labels.count { d.labels[i] = labels[i] &- Swift.min(earlier.labels[i], labels[i]) }
        return d
    }

    /// The numbers the canary gates read, with latencies in milliseconds.
    public func summary(name: String) -> VariantSummary {
        summary(name: name, ranks: LatencyRankIndex(latency))
    }

    /// The summary from an index of this variant's latency built by the caller (shared with
    /// the other latency figures of a results document).
    func summary(name: String, ranks: LatencyRankIndex) -> VariantSummary {
        let q = ranks.quantiles([0.5, 0.9, 0.99, 0.999])
        return VariantSummary(
            variant: name, requests: requests, clientErrors: clientErrors, serverErrors: serverErrors,
            timeouts: timeouts, errorRate: errorRate,
            latencyMs: q.map { LatencySummary(p50: $0[0] / 1e6, p90: $0[1] / 1e6, p99: $0[2] / 1e6, p999: $0[3] / 1e6,
                                              mean: (ranks.meanNanos ?? 0) / 1e6,
                                              max: Double(latency.maxNanos ?? 0) / 1e6) },
            scoreCount: score.count, scoreMean: score.count > 0 ? score.mean : nil,
            labelCounts: labels)
    }
}

/// Latency quantiles in milliseconds.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var mean: Double
    public var max: Double
}

/// One variant's request summary, as served in the results document and read by canary gates.
public struct VariantSummary: Sendable, Equatable, Codable {
    public var variant: String
    public var requests: UInt64
    public var clientErrors: UInt64
    public var serverErrors: UInt64
    public var timeouts: UInt64
    /// (server errors + timeouts)/requests.
    public var errorRate: Double?
    /// nil before the first request.
    public var latencyMs: LatencySummary?
    public var scoreCount: UInt64
    public var scoreMean: Double?
    /// Counts per configured label, in configuration order.
    public var labelCounts: [UInt64]
}
