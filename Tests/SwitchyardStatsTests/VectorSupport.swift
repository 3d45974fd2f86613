import Foundation
import SwitchyardStats

/// Loads `Fixtures/vectors.json` (a copy of the team's reference cases) and compares numbers with
/// the case's tolerance: |got − exp| ≤ abs + rel·|exp|; p-values below ~1e-290 compare log10.
struct VectorCase: @unchecked Sendable, CustomStringConvertible {
    let json: [String: Any]
    var id: String { json["id"] as? String ?? "?" }
    var kind: String { json["kind"] as? String ?? "?" }
    var inputs: [String: Any] { json["inputs"] as? [String: Any] ?? [:] }
    var expected: [String: Any] { json["expected"] as? [String: Any] ?? [:] }
    var status: String { expected["status"] as? String ?? "ok" }
    var relTol: Double { (json["tolerance"] as? [String: Any])?["rel"].flatMap(num) ?? 1e-9 }
    var absTol: Double { (json["tolerance"] as? [String: Any])?["abs"].flatMap(num) ?? 1e-12 }
    var description: String { id }

    static func all() throws -> [VectorCase] {
        let url = Bundle.module.url(forResource: "vectors", withExtension: "json", subdirectory: "Fixtures")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/vectors.json")
        let data = try Data(contentsOf: url)
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map(VectorCase.init(json:))
    }
}

/// A number from JSON, including the "NaN"/"Infinity"/"-Infinity" string encodings.
func num(_ any: Any) -> Double? {
    switch any {
    case let n as NSNumber: return n.doubleValue
    case let s as String:
        switch s {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(s)
        }
    default: return nil
    }
}

func dict(_ any: Any?) -> [String: Any] { any as? [String: Any] ?? [:] }
func nums(_ any: Any?) -> [Double] { (any as? [Any] ?? []).compactMap(num) }

/// Collects mismatches for one case so a failing case names every wrong field.
final class Checker {
    let c: VectorCase
    var failures: [String] = []
    var checked = 0
    init(_ c: VectorCase) { self.c = c }

    func close(_ got: Double, _ exp: Double, abs a: Double? = nil, rel r: Double? = nil) -> Bool {
        if exp.isNaN { return got.isNaN }
        if exp.isInfinite { return got == exp }
        return Swift.abs(got - exp) <= (a ?? c.absTol) + (r ?? c.relTol) * Swift.abs(exp)
    }

    /// Compares `got` with `expected[key]` (in `block`, default the case's expected) if present.
    func check(_ key: String, _ got: Double?, in block: [String: Any]? = nil, abs a: Double? = nil, rel r: Double? = nil) {
        let source = block ?? c.expected
        guard let raw = source[key], !(raw is NSNull), let exp = num(raw) else { return }
        checked += 1
        guard let got else { failures.append("\(key): missing, expected \(exp)"); return }
        if !close(got, exp, abs: a, rel: r) { failures.append("\(key): got \(got), expected \(exp)") }
    }

    /// A p-value: compares the value, or log10 when the expected value is below 1e-290.
    func checkP(_ key: String, _ got: PValue?, log10Key: String?, in block: [String: Any]? = nil) {
        let source = block ?? c.expected
        guard let got else { if source[key] != nil { failures.append("\(key): missing") }; return }
        let exp = source[key].flatMap(num)
        if let exp, exp >= 1e-290 { check(key, got.value, in: block) }
        if let log10Key { check(log10Key, got.log10, in: block) }
        else if let exp, exp < 1e-290, exp > 0 { check(key, got.value, in: block) }
    }

    func checkInterval(_ key: String, _ got: Interval?, in block: [String: Any]? = nil) {
        let source = block ?? c.expected
        let exp = nums(source[key])
        guard exp.count == 2 else { return }
        checked += 1
        guard let got else { failures.append("\(key): missing"); return }
        if !close(got.lower, exp[0]) || !close(got.upper, exp[1]) {
            failures.append("\(key): got [\(got.lower), \(got.upper)], expected \(exp)")
        }
    }

    func checkBool(_ key: String, _ got: Bool, in block: [String: Any]? = nil) {
        guard let exp = (block ?? c.expected)[key] as? Bool else { return }
        checked += 1
        if got != exp { failures.append("\(key): got \(got), expected \(exp)") }
    }

    func checkStatus(_ got: StatStatus, expected: String? = nil) {
        let exp = expected ?? c.status
        checked += 1
        if got.rawValue != exp { failures.append("status: got \(got.rawValue), expected \(exp)") }
    }
}

func moments(_ any: Any?) -> Moments {
    let d = dict(any)
    return Moments(count: UInt64(num(d["n"]!)!), mean: num(d["mean"]!)!, m2: num(d["m2"]!)!)
}

func counts(_ any: Any?) -> BinaryCounts {
    let d = dict(any)
    return BinaryCounts(successes: UInt64(num(d["successes"]!)!), trials: UInt64(num(d["trials"]!)!))
}
