import Foundation
import SwitchyardKernels

/// Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at `axis` (default 1) and
/// normalised over everything after it; from 13 on, over the single `axis` (default -1).
struct Softmax: Operator {
    let log: Bool
    let axis: Int
    let legacy: Bool

    static func spec(log: Bool) -> OpSpec {
        OpSpec(log ? "LogSoftmax" : "Softmax", since: 1) { node, ctx throws(ModelError) in
            let legacy = ctx.opset < 13
            return Softmax(log: log, axis: try node.int("axis", default: legacy ? 1 : -1), legacy: legacy)
        }
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        try Check.type(x, [.float32, .float64], "input")
        _ = try Check.axis(axis, rank: x.rank)
        return [ValueInfo(type: x.type, shape: x.shape)]
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0), y = args.outputs[0]
        let a = try Check.axis(axis, rank: x.rank)
        // View as [outer, length, inner].
        let outer = x.shape.prefix(a).reduce(1, *)
        let length = legacy ? x.shape.suffix(from: a).reduce(1, *) : (x.rank == 0 ? 1 : x.shape[a])
        let inner = legacy ? 1 : x.shape.suffix(from: a + 1).reduce(1, *)
        if x.type == .float32, !log, inner == 1 {
            // Contiguous rows: the vectorised kernel.
            let px = frame.pointer(x, Float.self), py = frame.pointer(y, Float.self)
            softmaxRowsSIMD(px, py, rows: outer, length: length)
        } else if x.type == .float32 {
            softmax(frame.pointer(x, Float.self), frame.pointer(y, Float.self), outer, length, inner)
        } else {
            softmax(frame.pointer(x, Double.self), frame.pointer(y, Double.self), outer, length, inner)
        }
    }

    private func softmax<T: BinaryFloatingPoint & ElementaryMath>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
                                                                 _ outer: Int, _ length: Int, _ inner: Int) {
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var maxValue = -T.infinity
                for j in 0..<length { maxValue = max(maxValue, x[base + j * inner]) }
                var sum: T = 0
                for j in 0..<length {
                    let e = T.exp(x[base + j * inner] - maxValue)
                    y[base + j * inner] = e
                    sum += e
                }
                if log {
                    let logSum = T.log(sum)
                    for j in 0..<length { y[base + j * inner] = x[base + j * inner] - maxValue - logSum }
                } else {
                    let scale = 1 / sum
                    for j in 0..<length { y[base + j * inner] *= scale }
                }
            }
        }
    }
}
