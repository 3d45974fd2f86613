@testable import SwitchyardRuntime
import Testing

/// MaxPool / AveragePool over padded, strided, dilated and ceil-mode windows, every output
/// against a plain one-output-at-a-time reference with a bounds check per tap.
@Suite struct PoolGeometryTests {
    struct Geometry: Sendable, CustomStringConvertible {
        var kernel: (Int, Int), strides: (Int, Int), dilations: (Int, Int), pads: [Int], ceil: Bool, includePad: Bool
        var description: String { "k\(kernel) s\(strides) d\(dilations) p\(pads) ceil \(ceil) incl \(includePad)" }
    }

    static let geometries: [Geometry] = [
        Geometry(kernel: (2, 2), strides: (1, 1), dilations: (1, 1), pads: [0, 0, 1, 1], ceil: false, includePad: false),
        Geometry(kernel: (3, 3), strides: (2, 2), dilations: (1, 1), pads: [0, 0, 0, 0], ceil: true, includePad: false),
        Geometry(kernel: (3, 2), strides: (1, 3), dilations: (2, 1), pads: [1, 2, 0, 1], ceil: false, includePad: true),
        Geometry(kernel: (2, 3), strides: (2, 1), dilations: (1, 2), pads: [2, 1, 2, 2], ceil: true, includePad: true),
        Geometry(kernel: (3, 3), strides: (1, 1), dilations: (1, 1), pads: [1, 1, 1, 1], ceil: false, includePad: false),
    ]

    /// The reference: every tap checked against the image; the include-pad divisor counts the
    /// taps inside the padded image (onnxruntime's rule).
    static func reference(_ x: [Float], h: Int, w: Int, planes: Int, outH: Int, outW: Int, g: Geometry, max isMax: Bool) -> [Float] {
        var out: [Float] = []
        for p in 0..<planes {
            for oy in 0..<outH {
                for ox in 0..<outW {
                    var best = -Float.infinity, sum: Float = 0, n = 0, padded = 0
                    for kh in 0..<g.kernel.0 {
                        for kw in 0..<g.kernel.1 {
                            let iy = oy * g.strides.0 - g.pads[0] + kh * g.dilations.0
                            let ix = ox * g.strides.1 - g.pads[1] + kw * g.dilations.1
                            if iy < h + g.pads[2], ix < w + g.pads[3] { padded += 1 }
                            guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                            let v = x[(p * h + iy) * w + ix]
                            best = max(best, v)
                            sum += v
                            n += 1
                        }
                    }
                    out.append(isMax ? best : sum / Float(max(g.includePad ? padded : n, 1)))
                }
            }
        }
        return out
    }

    /// 3 channels × batch 2 = 6 planes takes the row-run path, 5 × 2 = 10 the channels-last one.
    @Test(arguments: geometries, [3, 5])
    func everyOutputMatchesTheReference(g: Geometry, channels: Int) throws {
        let (h, w) = (7, 9)
        let x = floats([2, channels, h, w], seed: 77)
        for op in ["MaxPool", "AveragePool"] {
            var t = OpTester(op)
            t.attributes = ["kernel_shape": .ints([g.kernel.0, g.kernel.1]), "strides": .ints([g.strides.0, g.strides.1]),
                            "dilations": .ints([g.dilations.0, g.dilations.1]), "pads": .ints(g.pads),
                            "ceil_mode": .int(g.ceil ? 1 : 0)]
            if op == "AveragePool" { t.attributes["count_include_pad"] = .int(g.includePad ? 1 : 0) }
            t.opset = 19  // dilations on AveragePool
            t.input("X", x)
            let y = try t.run()[0]
            #expect(y.shape.count == 4)
            let want = Self.reference(x.f, h: h, w: w, planes: 2 * channels, outH: y.shape[2], outW: y.shape[3], g: g, max: op == "MaxPool")
            #expect(y.f.count == want.count)
            // Windows wholly in the padding give -inf for MaxPool on both sides: compare exactly first.
            for (i, (got, w)) in zip(y.f, want).enumerated() where !(got == w || abs(got - w) <= 1e-6 + 1e-6 * abs(w)) {
                Issue.record("\(op) output \(i): got \(got), expected \(w)")
                break
            }
        }
    }
}
