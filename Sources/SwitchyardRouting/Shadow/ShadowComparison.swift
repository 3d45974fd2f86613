/// Agreement figures for one output tensor between the primary and one shadow variant,
/// accumulated over many requests in constant memory and mergeable across event loops.
public struct TensorAgreement: Sendable, Equatable, Codable {
    /// Requests in which both sides produced this output with the same family and element count.
    public var comparedRequests: Int = 0
    /// Requests where the shadow lacked the output, had another type family or element count.
    public var mismatchedRequests: Int = 0
    /// Elements compared.
    public var elements: Int = 0
    /// Elements equal (exact families) or within tolerance (floats).
    public var agreeingElements: Int = 0
    /// Float outputs only: the largest |primary − shadow| and |primary − shadow| / |primary| seen.
    /// The relative difference skips elements whose primary value is 0.
    public var maxAbsDiff: Double = 0
    public var maxRelDiff: Double = 0
    /// Float outputs with a class axis: rows whose arg-max agrees, out of rows compared.
    public var argmaxRows: Int = 0
    public var argmaxAgreeing: Int = 0

    public init() {}

    /// Share of elements equal or within tolerance; nil before any element.
    public var agreement: Double? { elements > 0 ? Double(agreeingElements) / Double(elements) : nil }
    public var argmaxAgreement: Double? { argmaxRows > 0 ? Double(argmaxAgreeing) / Double(argmaxRows) : nil }

    public mutating func merge(_ other: TensorAgreement) {
        comparedRequests += other.comparedRequests
        mismatchedRequests += other.mismatchedRequests
        elements += other.elements
        agreeingElements += other.agreeingElements
        maxAbsDiff = Swift.max(maxAbsDiff, other.maxAbsDiff)
        maxRelDiff = Swift.max(maxRelDiff, other.maxRelDiff)
        argmaxRows += other.argmaxRows
        argmaxAgreeing += other.argmaxAgreeing
    }

    /// Compares one primary tensor with the shadow's tensor of the same name (nil = missing).
    mutating func record(primary: TensorView, shadow: TensorView?, tolerance: Tolerance) {
        guard let shadow, shadow.values.family == primary.values.family,
              shadow.values.count == primary.values.count else {
            mismatchedRequests += 1
            return
        }
        comparedRequests += 1
        elements += primary.values.count
        switch (primary.values, shadow.values) {
        case let (.int64(a), .int64(b)): agreeingElements += zip(a, b).count { $0 == $1 }
        case let (.bool(a), .bool(b)): agreeingElements += zip(a, b).count { $0 == $1 }
        case let (.string(a), .string(b)): agreeingElements += zip(a, b).count { $0 == $1 }
        default:
            guard let a = primary.values.doubles, let b = shadow.values.doubles else { return }
            recordFloats(a, b, tolerance: tolerance)
            if primary.shape == shadow.shape, let layout = primary.classRows {
                for row in 0..<layout.rows {
                    let range = row * layout.classes..<(row + 1) * layout.classes
                    argmaxRows += 1
                    if TensorAgreement.argmax(a[range]) == TensorAgreement.argmax(b[range]) { argmaxAgreeing += 1 }
                }
            }
        }
    }

    private mutating func recordFloats(_ a: [Double], _ b: [Double], tolerance: Tolerance) {
        for (x, y) in zip(a, b) {
            if tolerance.accepts(primary: x, shadow: y) { agreeingElements += 1 }
            if x.isNaN || y.isNaN || x.isInfinite || y.isInfinite {
                // Same non-finite value: no difference. Otherwise the difference is unbounded.
                if !(x == y || (x.isNaN && y.isNaN)) { maxAbsDiff = .infinity; maxRelDiff = .infinity }
                continue
            }
            let diff = abs(x - y)
            maxAbsDiff = Swift.max(maxAbsDiff, diff)
            if x != 0 { maxRelDiff = Swift.max(maxRelDiff, diff / abs(x)) }
        }
    }

    /// Index of the largest value, first on ties; NaN never wins.
    static func argmax(_ values: ArraySlice<Double>) -> Int? {
        var best: Int?
        var bestValue = -Double.infinity
        for (offset, value) in values.enumerated() where !value.isNaN {
            if best == nil || value > bestValue { best = offset; bestValue = value }
        }
        return best
    }
}

/// Everything known about one shadow variant: per-output agreement, failures and latency.
public struct ShadowComparison: Sendable, Equatable, Codable {
    public var shadow: String
    /// Shadow runs compared (both sides succeeded).
    public var comparisons: Int = 0
    /// Shadow runs that failed while the primary succeeded.
    public var shadowErrors: Int = 0
    /// Shadow runs dropped before running (queue full); counted by the gateway via ``recordDropped()``.
    public var dropped: Int = 0
    /// Outputs by name.
    public var outputs: [String: TensorAgreement] = [:]
    /// Outputs the shadow produced that the primary did not.
    public var extraOutputs: Int = 0
    public var latency = LatencySummary()

    public init(shadow: String) { self.shadow = shadow }

    /// Records one request where both the primary and the shadow answered.
    public mutating func record(primary: [TensorView], shadow shadowOutputs: [TensorView], tolerance: Tolerance,
                                shadowLatencyNs: UInt64) {
        comparisons += 1
        latency.record(shadowLatencyNs)
        let byName = Dictionary(shadowOutputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for output in primary {
            outputs[output.name, default: TensorAgreement()].record(primary: output, shadow: byName[output.name],
                                                                     tolerance: tolerance)
        }
        let primaryNames = Set(primary.map(\.name))
        extraOutputs += byName.keys.count { !primaryNames.contains($0) }
    }

    public mutating func recordShadowError(latencyNs: UInt64?) {
        shadowErrors += 1
        if let latencyNs { latency.record(latencyNs) }
    }

    public mutating func recordDropped() { dropped += 1 }

    public mutating func merge(_ other: ShadowComparison) {
        comparisons += other.comparisons
        shadowErrors += other.shadowErrors
        dropped += other.dropped
        extraOutputs += other.extraOutputs
        for (name, agreement) in other.outputs { outputs[name, default: TensorAgreement()].merge(agreement) }
        latency.merge(other.latency)
    }
}
