import Foundation
@testable import SwitchyardRuntime
import Testing

@Suite struct MLOpTests {
    let x = try! Tensor(shape: [3, 2], values: [Float(1), 2, -1, 0.5, 0, -3])

    @Test func linearClassifierSoftmaxAndLabels() throws {
        var t = OpTester("LinearClassifier", domain: "ai.onnx.ml", opset: 1)
        t.outputs = ["label", "scores"]
        t.attributes = ["coefficients": .floats([1, 0, 0, 1, -1, -1]), "intercepts": .floats([0, 0.5, 0]),
                        "classlabels_ints": .ints([10, 20, 30]), "post_transform": .string("SOFTMAX")]
        t.input("X", x)
        let out = try t.run(outputTypes: [.int64, .float32])
        var want: [Float] = [], labels: [Int64] = []
        for r in 0..<3 {
            let a = x.f[r * 2], b = x.f[r * 2 + 1]
            let s = [a, b + 0.5, -a - b]
            labels.append([10, 20, 30][s.firstIndex(of: s.max()!)!])
            let e = s.map { expf($0 - s.max()!) }
            want += e.map { $0 / e.reduce(0, +) }
        }
        #expect(out[0].i64 == labels)
        expectClose(out[1].f, want)
    }

    @Test func linearClassifierBinaryStringsHasTwoColumns() throws {
        var t = OpTester("LinearClassifier", domain: "ai.onnx.ml", opset: 1)
        t.outputs = ["label", "scores"]
        t.attributes = ["coefficients": .floats([1, -1]), "intercepts": .floats([0.25]), "classlabels_strings": .strings(["no", "yes"])]
        t.input("X", x)
        let out = try t.run(outputTypes: [.string, .float32])
        #expect(out[0].strings == ["no", "no", "yes"])  // scores −0.75, −1.25, 3.25
        #expect(out[1].shape == [3, 2])
        expectClose(out[1].f, [1.75, -0.75, 2.25, -1.25, -2.25, 3.25])
    }

    @Test func linearRegressorScalerNormalizerBinarizer() throws {
        var lr = OpTester("LinearRegressor", domain: "ai.onnx.ml", opset: 1)
        lr.attributes = ["coefficients": .floats([2, 3]), "intercepts": .floats([1])]
        lr.input("X", x)
        expectClose(try lr.run()[0].f, [9, 0.5, -8])
        var sc = OpTester("Scaler", domain: "ai.onnx.ml", opset: 1)
        sc.attributes = ["offset": .floats([1, 0]), "scale": .floats([2, 0.5])]
        sc.input("X", x)
        expectClose(try sc.run()[0].f, [0, 1, -4, 0.25, -2, -1.5])
        let cases: [(String, [Float])] = [("L1", [1 / 3, 2 / 3]), ("L2", [1 / Float(5).squareRoot(), 2 / Float(5).squareRoot()]), ("MAX", [0.5, 1])]
        for (norm, want) in cases {
            var n = OpTester("Normalizer", domain: "ai.onnx.ml", opset: 1)
            n.attributes["norm"] = .string(norm)
            n.input("X", x)
            expectClose(Array(try n.run()[0].f.prefix(2)), want)
        }
        var b = OpTester("Binarizer", domain: "ai.onnx.ml", opset: 1)
        b.attributes["threshold"] = .float(0.5)
        b.input("X", x)
        #expect(try b.run()[0].f == [1, 1, 0, 0, 0, 0])
    }

    @Test func arrayFeatureExtractorImputerOneHot() throws {
        var afe = OpTester("ArrayFeatureExtractor", domain: "ai.onnx.ml", opset: 1)
        afe.input("X", try Tensor(shape: [4], values: [Int64(7), 8, 9, 10]))
        afe.input("I", try Tensor(shape: [2], values: [Int64(3), 0]))
        let a = try afe.run()[0]
        #expect(a.shape == [1, 2] && a.i64 == [10, 7])
        var imp = OpTester("Imputer", domain: "ai.onnx.ml", opset: 1)
        imp.attributes = ["imputed_value_floats": .floats([5, 6]), "replaced_value_float": .float(.nan)]
        imp.input("X", try Tensor(shape: [2, 2], values: [Float.nan, 1, 2, .nan]))
        #expect(try imp.run()[0].f == [5, 1, 2, 6])
        var oh = OpTester("OneHotEncoder", domain: "ai.onnx.ml", opset: 1)
        oh.attributes = ["cats_strings": .strings(["a", "b", "c"])]
        oh.input("X", try Tensor(shape: [3], strings: ["c", "z", "a"]))
        let o = try oh.run(outputTypes: [.float32])[0]
        #expect(o.shape == [3, 3] && o.f == [0, 0, 1, 0, 0, 0, 1, 0, 0])
        var strict = oh
        strict.attributes["zeros"] = .int(0)
        #expect(throws: InferenceError.self) { try strict.run(outputTypes: [.float32]) }
    }

    @Test func labelEncoderStringsAndInts() throws {
        var s = OpTester("LabelEncoder", domain: "ai.onnx.ml", opset: 2)
        s.attributes = ["keys_strings": .strings(["a", "b"]), "values_int64s": .ints([1, 2]), "default_int64": .int(-9)]
        s.input("X", try Tensor(shape: [3], strings: ["b", "x", "a"]))
        #expect(try s.run(outputTypes: [.int64])[0].i64 == [2, -9, 1])
        var i = OpTester("LabelEncoder", domain: "ai.onnx.ml", opset: 2)
        i.attributes = ["keys_int64s": .ints([0, 1]), "values_strings": .strings(["cat", "dog"])]
        i.input("X", try Tensor(shape: [3], values: [Int64(1), 0, 5]))
        #expect(try i.run(outputTypes: [.string])[0].strings == ["dog", "cat", "_Unused"])
    }

    /// Two trees over 2 features: tree 0 splits x0 ≤ 0.5, tree 1 splits x1 < 1 (NaN goes true).
    func trees(_ t: inout OpTester, prefix: String) {
        t.attributes["nodes_treeids"] = .ints([0, 0, 0, 1, 1, 1])
        t.attributes["nodes_nodeids"] = .ints([0, 1, 2, 0, 1, 2])
        t.attributes["nodes_featureids"] = .ints([0, 0, 0, 1, 0, 0])
        t.attributes["nodes_modes"] = .strings(["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LT", "LEAF", "LEAF"])
        t.attributes["nodes_values"] = .floats([0.5, 0, 0, 1, 0, 0])
        t.attributes["nodes_truenodeids"] = .ints([1, 0, 0, 1, 0, 0])
        t.attributes["nodes_falsenodeids"] = .ints([2, 0, 0, 2, 0, 0])
        t.attributes["nodes_missing_value_tracks_true"] = .ints([0, 0, 0, 1, 0, 0])
        t.attributes["\(prefix)_treeids"] = .ints([0, 0, 1, 1])
        t.attributes["\(prefix)_nodeids"] = .ints([1, 2, 1, 2])
        t.attributes["\(prefix)_ids"] = .ints([0, 1, 0, 1])
        t.attributes["\(prefix)_weights"] = .floats([1, 2, 10, 20])
    }

    @Test(arguments: [("SUM", [Float(12), 0, 21, 0]), ("AVERAGE", [6, 0, 10.5, 0]), ("MIN", [1, 0, 2, 0]), ("MAX", [10, 0, 20, 0])])
    func treeEnsembleRegressorAggregates(aggregate: String, firstTwoRowsTarget0: [Float]) throws {
        var t = OpTester("TreeEnsembleRegressor", domain: "ai.onnx.ml", opset: 3)
        trees(&t, prefix: "target")
        t.attributes["n_targets"] = .int(2)
        t.attributes["aggregate_function"] = .string(aggregate)
        // Row 0: x0 ≤ .5 (leaf 1 → t0 += 1), x1 = NaN → true (t0 += 10). Row 1: both false → t1.
        t.input("X", try Tensor(shape: [2, 2], values: [Float(0), .nan, 1, 5]))
        let y = try t.run()[0]
        #expect(y.shape == [2, 2])
        let want: [Float] = aggregate == "SUM" ? [11, 0, 0, 22] : aggregate == "AVERAGE" ? [5.5, 0, 0, 11]
            : aggregate == "MIN" ? [1, 0, 0, 2] : [10, 0, 0, 20]
        expectClose(y.f, want)
        _ = firstTwoRowsTarget0
    }

    @Test func treeEnsembleClassifierBaseValuesAndSoftmax() throws {
        var t = OpTester("TreeEnsembleClassifier", domain: "ai.onnx.ml", opset: 3)
        trees(&t, prefix: "class")
        t.outputs = ["label", "probabilities"]
        t.attributes["classlabels_int64s"] = .ints([4, 7])
        t.attributes["base_values"] = .floats([0.5, -0.5])
        t.attributes["post_transform"] = .string("SOFTMAX")
        t.input("X", try Tensor(shape: [2, 2], values: [Float(0), .nan, 1, 5]))
        let out = try t.run(outputTypes: [.int64, .float32])
        #expect(out[0].i64 == [4, 7])
        func softmax(_ a: Float, _ b: Float) -> [Float] { let m = max(a, b); let e = [expf(a - m), expf(b - m)]; return e.map { $0 / (e[0] + e[1]) } }
        expectClose(out[1].f, softmax(11.5, -0.5) + softmax(0.5, 21.5))
    }

    @Test func treeEnsembleRejectsUnknownModeAtLoad() throws {
        var t = OpTester("TreeEnsembleRegressor", domain: "ai.onnx.ml", opset: 3)
        trees(&t, prefix: "target")
        t.attributes["nodes_modes"] = .strings(["BRANCH_WEIRD", "LEAF", "LEAF", "BRANCH_LT", "LEAF", "LEAF"])
        t.input("X", floats([1, 2]))
        #expect { try t.load() } throws: { error in
            (error as? ModelError)?.description.contains("BRANCH_WEIRD") == true
        }
    }
}
