import Foundation
import SwitchyardKernels
@testable import SwitchyardRuntime
import Testing

@Suite struct NNOpTests {
    @Test(arguments: [
        // (pads, strides, dilations, group)
        ([1, 1, 1, 1], [1, 1], [1, 1], 1),
        ([0, 0, 0, 0], [2, 2], [1, 1], 1),
        ([2, 1, 0, 1], [1, 2], [2, 1], 1),
        ([1, 1, 1, 1], [1, 1], [1, 1], 2),
    ])
    func convMatchesDirectReference(pads: [Int], strides: [Int], dilations: [Int], group: Int) throws {
        let (n, c, h, w, m, kh, kw) = (2, 4, 7, 6, 6, 3, 2)
        let x = floats([n, c, h, w], seed: 21), wt = floats([m, c / group, kh, kw], seed: 22), b = floats([m], seed: 23)
        var t = OpTester("Conv")
        t.attributes = ["pads": .ints(pads), "strides": .ints(strides), "dilations": .ints(dilations), "group": .int(group),
                        "kernel_shape": .ints([kh, kw])]
        t.input("X", x); t.constant("W", wt); t.constant("B", b)
        let y = try t.run()[0]
        let outH = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0] + 1
        let outW = (w + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1] + 1
        #expect(y.shape == [n, m, outH, outW])
        let window = Window2D(kernelH: kh, kernelW: kw, strideH: strides[0], strideW: strides[1], dilationH: dilations[0],
                              dilationW: dilations[1], padTop: pads[0], padLeft: pads[1], inH: h, inW: w, outH: outH, outW: outW)
        var want = [Float](repeating: 0, count: y.count)
        let cg = c / group, mg = m / group, plane = outH * outW
        x.f.withUnsafeBufferPointer { px in wt.f.withUnsafeBufferPointer { pw in want.withUnsafeMutableBufferPointer { po in
            for i in 0..<n { for g in 0..<group {
                conv2DReference(px.baseAddress! + (i * c + g * cg) * h * w, channels: cg, weights: pw.baseAddress! + g * mg * cg * kh * kw,
                                outChannels: mg, window: window, output: po.baseAddress! + (i * m + g * mg) * plane)
            } }
        } } }
        for i in 0..<y.count { want[i] += b.f[(i / plane) % m] }
        expectClose(y.f, want, rtol: 1e-4, atol: 1e-5)
    }

    @Test func maxAndAveragePool() throws {
        let x = floats([1, 2, 5, 5], seed: 24)
        var mp = OpTester("MaxPool")
        mp.attributes = ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "ceil_mode": .int(1)]
        mp.input("X", x)
        let y = try mp.run()[0]
        #expect(y.shape == [1, 2, 3, 3])
        func at(_ c: Int, _ i: Int, _ j: Int) -> Float { x.f[c * 25 + i * 5 + j] }
        #expect(y.f[0] == max(at(0, 0, 0), at(0, 0, 1), at(0, 1, 0), at(0, 1, 1)))
        #expect(y.f[8] == at(0, 4, 4))  // ceil_mode: last window holds one element
        var ap = OpTester("AveragePool")
        ap.attributes = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(0)]
        ap.input("X", x)
        let a = try ap.run()[0]
        #expect(a.shape == [1, 2, 5, 5])
        expectClose([a.f[0]], [(at(0, 0, 0) + at(0, 0, 1) + at(0, 1, 0) + at(0, 1, 1)) / 4])
        var ai = OpTester("AveragePool")
        ai.attributes = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(1)]
        ai.input("X", x)
        expectClose([try ai.run()[0].f[0]], [(at(0, 0, 0) + at(0, 0, 1) + at(0, 1, 0) + at(0, 1, 1)) / 9])
        var gp = OpTester("GlobalAveragePool")
        gp.input("X", x)
        let g = try gp.run()[0]
        #expect(g.shape == [1, 2, 1, 1])
        expectClose(g.f, [x.f[0..<25].reduce(0, +) / 25, x.f[25..<50].reduce(0, +) / 25], rtol: 1e-5)
    }

    @Test func batchNormalizationInference() throws {
        let x = floats([2, 3, 2, 2], seed: 25)
        let scale = floats([3], seed: 26), bias = floats([3], seed: 27), mean = floats([3], seed: 28)
        let variance = floats([3], seed: 29, range: 0.5...2)
        var t = OpTester("BatchNormalization", opset: 15)
        t.attributes["epsilon"] = .float(1e-3)
        t.input("X", x); t.constant("s", scale); t.constant("b", bias); t.constant("m", mean); t.constant("v", variance)
        let want = (0..<24).map { i -> Float in
            let c = (i / 4) % 3
            return scale.f[c] * (x.f[i] - mean.f[c]) / (variance.f[c] + 1e-3).squareRoot() + bias.f[c]
        }
        expectClose(try t.run()[0].f, want, rtol: 1e-5, atol: 1e-6)
    }

    @Test func softmaxAxisSemanticsByOpset() throws {
        let x = floats([2, 2, 3], seed: 30)
        var modern = OpTester("Softmax", opset: 13)
        modern.input("X", x)
        let y = try modern.run()[0].f
        for row in 0..<4 {
            let v = x.f[row * 3..<row * 3 + 3], m = v.max()!
            let e = v.map { expf($0 - m) }, s = e.reduce(0, +)
            expectClose(Array(y[row * 3..<row * 3 + 3]), e.map { $0 / s })
        }
        var legacy = OpTester("LogSoftmax", opset: 11)  // coerced to [2, 6]
        legacy.input("X", x)
        let l = try legacy.run()[0].f
        for row in 0..<2 {
            let v = x.f[row * 6..<row * 6 + 6], m = v.max()!
            let lse = logf(v.map { expf($0 - m) }.reduce(0, +)) + m
            expectClose(Array(l[row * 6..<row * 6 + 6]), v.map { $0 - lse })
        }
    }
}
