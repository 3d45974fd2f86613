import Foundation
import SwitchyardKernels

/// The score post-transforms of the ai.onnx.ml classifiers and regressors, with onnxruntime's
/// numerics (its logistic, softmax, softmax-zero and probit approximations), since expected
/// outputs come from there.
enum PostTransform: String, Sendable {
    case none = "NONE", softmax = "SOFTMAX", logistic = "LOGISTIC", softmaxZero = "SOFTMAX_ZERO", probit = "PROBIT"

    static func read(_ node: Node) throws(ModelError) -> PostTransform {
        let raw = try node.choice("post_transform", default: "NONE", allowed: ["NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO", "PROBIT"])
        return PostTransform(rawValue: raw)!
    }

    /// Transforms one row of `count` scores in place.
    func apply(_ s: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .none: break
        case .logistic: for i in 0..<count { s[i] = Self.logistic(s[i]) }
        case .probit: for i in 0..<count { s[i] = Self.probit(s[i]) }
        case .softmax: softmaxRowSIMD(s, s, count: count)
        case .softmaxZero:
            // Zero scores stay (near) zero: they mark classes no tree voted for.
            var m = -Float.greatestFiniteMagnitude
            for i in 0..<count { m = max(m, s[i]) }
            let expNegMax = fastExp(-m)
            var sum: Float = 0
            for i in 0..<count {
                if s[i] > 0.0000001 || s[i] < -0.0000001 { s[i] = fastExp(s[i] - m); sum += s[i] } else { s[i] *= expNegMax }
            }
            for i in 0..<count { s[i] /= sum }
        }
    }

    /// onnxruntime's form (exp of −|v|, mirrored for negative scores), with the vectorisable exp.
    @inline(__always)
    static func logistic(_ v: Float) -> Float {
        let e = 1 / (1 + fastExp(-abs(v)))
        return v < 0 ? 1 - e : e
    }

    /// `√2 · erfinv(2v − 1)` with the Winitzki approximation onnxruntime uses.
    static func probit(_ v: Float) -> Float {
        var x = v * 2 - 1
        let sign: Float = x < 0 ? -1 : 1
        x = (1 - x) * (1 + x)
        let l = logf(x)
        let a = 2 / (3.14159 * 0.147) + 0.5 * l
        let b = 1 / 0.147 * l
        return 1.41421356 * sign * (-a + (a * a - b).squareRoot()).squareRoot()
    }
}

/// Reads an ML op's numeric input (FP32, FP64, INT64, INT32) as floats: `[N, F]` or `[F]`.
enum FeatureInput {
    static let types: [ElementType] = [.float32, .float64, .int64, .int32]

    static func rowsAndFeatures(_ x: ValueInfo) throws(OpError) -> (Int, Int) {
        try Check.type(x, types, "input X")
        switch x.rank {
        case 1: return (1, x.shape[0])
        case 2: return (x.shape[0], x.shape[1])
        default: throw OpError("input X must be 1-D or 2-D [batch, features], got \(x.shape)")
        }
    }

    @inline(__always)
    static func value(_ x: Slot, _ i: Int, _ frame: Frame) -> Float {
        switch x.type {
        case .float32: frame.pointer(x, Float.self)[i]
        case .float64: Float(frame.pointer(x, Double.self)[i])
        case .int64: Float(frame.pointer(x, Int64.self)[i])
        default: Float(frame.pointer(x, Int32.self)[i])
        }
    }
}
