/// Family-wise and false-discovery corrections across variants × metrics (statsmodels
/// `multipletests`; STATISTICS.md B.8). Applied to always-valid p-values, Bonferroni and Holm keep
/// family-wise error control at any stopping time.
public enum MultipleTesting {
    /// p·m, capped at 1.
    public static func bonferroni(_ p: [Double]) -> [Double] {
        let m = Double(p.count)
        return p.map { Swift.min(1, $0 * m) }
    }

    /// Holm step-down: adj_(i) = max_{j≤i} min(1, (m−j+1)·p_(j)), returned in input order.
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = Swift.max(running, Swift.min(1, Double(m - rank) * p[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg step-up: adj_(i) = min_{j≥i} min(1, m·p_(j)/j), in input order.
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m - 1, through: 0, by: -1) {
            let index = order[rank]
            running = Swift.min(running, Swift.min(1, Double(m) * p[index] / Double(rank + 1)))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Rejections at level α for adjusted p-values.
    public static func reject(_ adjusted: [Double], alpha: Double) -> [Bool] { adjusted.map { $0 <= alpha } }
}
