/// Every way a caller can hand the statistics engine bad input; each case names what was wrong.
public enum StatsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfig(String)
    case loopOutOfRange(loop: Int, loops: Int)
    case unknownVariant(String)
    case variantOutOfRange(index: Int, variants: Int)
    case unknownMetric(String)
    case metricOutOfRange(index: Int, metrics: Int)
    case labelOutOfRange(index: Int, labels: Int)
    case invalidValue(metric: String, value: Double, reason: String)
    case covariateNotSupported(metric: String)
    case invalidWeights(String)
    case corruptSnapshot(String)
    case snapshotMismatch(String)

    public var description: String {
        switch self {
        case .invalidConfig(let m): return "invalid experiment statistics config: \(m)"
        case .loopOutOfRange(let l, let n): return "event loop index \(l) is out of range 0..<\(n)"
        case .unknownVariant(let v): return "unknown variant '\(v)'"
        case .variantOutOfRange(let i, let n): return "variant index \(i) is out of range 0..<\(n)"
        case .unknownMetric(let m): return "unknown metric '\(m)'"
        case .metricOutOfRange(let i, let n): return "metric index \(i) is out of range 0..<\(n)"
        case .labelOutOfRange(let i, let n): return "label index \(i) is out of range 0..<\(n)"
        case .invalidValue(let m, let v, let r): return "invalid value \(v) for metric '\(m)': \(r)"
        case .covariateNotSupported(let m): return "metric '\(m)' is binary; covariates (CUPED) apply to continuous metrics only"
        case .invalidWeights(let m): return "invalid weights: \(m)"
        case .corruptSnapshot(let m): return "corrupt statistics snapshot: \(m)"
        case .snapshotMismatch(let m): return "statistics snapshot does not match the experiment: \(m)"
        }
    }
}
