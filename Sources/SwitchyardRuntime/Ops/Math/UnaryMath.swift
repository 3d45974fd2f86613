import Foundation
import SwitchyardKernels

/// The element-wise unary ops: activations (Relu, LeakyRelu, Sigmoid, Tanh) and math (Exp, Log,
/// Sqrt, Neg, Abs). One family file: they share shape logic and differ in one scalar function.
struct UnaryMath: Operator {
    enum Kind: String, Sendable, CaseIterable {
        case relu = "Relu", leakyRelu = "LeakyRelu", sigmoid = "Sigmoid", tanh = "Tanh"
        case exp = "Exp", log = "Log", sqrt = "Sqrt", neg = "Neg", abs = "Abs"
    }
    let kind: Kind
    let alpha: Float

    static func spec(_ kind: Kind) -> OpSpec {
        OpSpec(kind.rawValue, since: 6) { node, _ throws(ModelError) in
            UnaryMath(kind: kind, alpha: kind == .leakyRelu ? try node.float("alpha", default: 0.01) : 0)
        }
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let allowed: [ElementType] = (kind == .neg || kind == .abs || kind == .relu)
            ? [.float32, .float64, .int64, .int32] : [.float32, .float64]
        try Check.type(x, allowed, "input X")
        return [ValueInfo(type: x.type, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        switch x.type {
        case .float32:
            switch kind {
            case .relu: reluSIMD(frame.pointer(x, Float.self), frame.pointer(y, Float.self), count: x.count); return
            case .sigmoid: sigmoidSIMD(frame.pointer(x, Float.self), frame.pointer(y, Float.self), count: x.count); return
            case .exp: expSIMD(frame.pointer(x, Float.self), frame.pointer(y, Float.self), count: x.count); return
            default: break
            }
            apply(frame.pointer(x, Float.self), frame.pointer(y, Float.self), x.count)
        case .float64: apply(frame.pointer(x, Double.self), frame.pointer(y, Double.self), x.count)
        case .int64: applyInt(frame.pointer(x, Int64.self), frame.pointer(y, Int64.self), x.count)
        case .int32: applyInt(frame.pointer(x, Int32.self), frame.pointer(y, Int32.self), x.count)
        default: throw OpError("unsupported element type \(x.type)")
        }
    }

    private func apply<T: BinaryFloatingPoint & ElementaryMath>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
        let a = T(alpha)
        switch kind {
        case .relu: for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
        case .leakyRelu: for i in 0..<n { y[i] = x[i] >= 0 ? x[i] : a * x[i] }
        case .sigmoid:
            // FP64 (FP32 takes sigmoidSIMD). Split by sign so exp never overflows: 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) otherwise.
            for i in 0..<n {
                let v = x[i]
                if v >= 0 { y[i] = 1 / (1 + T.exp(-v)) } else { let e = T.exp(v); y[i] = e / (1 + e) }
            }
        case .tanh: for i in 0..<n { y[i] = T.tanh(x[i]) }
        case .exp: for i in 0..<n { y[i] = T.exp(x[i]) }
        case .log: for i in 0..<n { y[i] = T.log(x[i]) }
        case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
        case .neg: for i in 0..<n { y[i] = -x[i] }
        case .abs: for i in 0..<n { y[i] = Swift.abs(x[i]) }
        }
    }

    private func applyInt<T: FixedWidthInteger & SignedInteger>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
        switch kind {
        case .relu: for i in 0..<n { y[i] = Swift.max(x[i], 0) }
        case .neg: for i in 0..<n { y[i] = 0 &- x[i] }
        case .abs: for i in 0..<n { y[i] = x[i] < 0 ? 0 &- x[i] : x[i] }
        default: break  // excluded by inferOutputs
        }
    }
}

/// The transcendental functions the float kernels need, for Float and Double alike.
protocol ElementaryMath {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
}

extension Float: ElementaryMath {
    static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    static func log(_ x: Float) -> Float { Foundation.logf(x) }
    static func tanh(_ x: Float) -> Float { Foundation.tanhf(x) }
}

extension Double: ElementaryMath {
    static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    static func log(_ x: Double) -> Double { Foundation.log(x) }
    static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
}
