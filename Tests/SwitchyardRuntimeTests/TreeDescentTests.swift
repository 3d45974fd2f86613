@testable import SwitchyardRuntime
import Testing

/// The branch-free all-LEQ tree walk against a plain per-node reference, on random trees of
/// uneven depth (groups of four trees walk to the deepest one's depth; the remainder walks alone).
@Suite struct TreeDescentTests {
    struct RandomForest {
        var treeIDs: [Int] = [], nodeIDs: [Int] = [], features: [Int] = [], modes: [String] = []
        var values: [Float] = [], trueIDs: [Int] = [], falseIDs: [Int] = []
        var leafTree: [Int] = [], leafNode: [Int] = [], leafWeight: [Float] = []
    }

    static func forest(trees: Int, features: Int, seed: UInt64) -> RandomForest {
        var state = seed | 1
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var f = RandomForest()
        for tree in 0..<trees {
            var nextID = 0
            func grow(depth: Int) -> Int {
                let id = nextID
                nextID += 1
                let index = f.treeIDs.count
                f.treeIDs.append(tree); f.nodeIDs.append(id)
                if depth == 0 || (depth < 4 && next(3) == 0) {
                    f.features.append(0); f.modes.append("LEAF"); f.values.append(0); f.trueIDs.append(0); f.falseIDs.append(0)
                    f.leafTree.append(tree); f.leafNode.append(id); f.leafWeight.append(Float(next(1000)) / 10)
                    return id
                }
                f.features.append(next(features)); f.modes.append("BRANCH_LEQ")
                f.values.append(Float(next(400)) / 100 - 2); f.trueIDs.append(0); f.falseIDs.append(0)
                let t = grow(depth: depth - 1), e = grow(depth: depth - 1)
                f.trueIDs[index] = t; f.falseIDs[index] = e
                return id
            }
            _ = grow(depth: 1 + next(6))
        }
        return f
    }

    /// Plain evaluation straight from the attribute arrays.
    static func reference(_ f: RandomForest, row: [Float]) -> Float {
        var sum: Float = 0
        for tree in Set(f.treeIDs) {
            var id = 0
            while true {
                let i = (0..<f.treeIDs.count).first { f.treeIDs[$0] == tree && f.nodeIDs[$0] == id }!
                if f.modes[i] == "LEAF" { break }
                id = row[f.features[i]] <= f.values[i] ? f.trueIDs[i] : f.falseIDs[i]
            }
            let w = (0..<f.leafTree.count).first { f.leafTree[$0] == tree && f.leafNode[$0] == id }!
            sum += f.leafWeight[w]
        }
        return sum
    }

    @Test(arguments: [(1, 11), (4, 12), (7, 13), (13, 14)])
    func branchlessWalkMatchesReference(trees: Int, seed: UInt64) throws {
        let f = Self.forest(trees: trees, features: 3, seed: seed)
        var t = OpTester("TreeEnsembleRegressor", domain: "ai.onnx.ml", opset: 3)
        t.attributes["nodes_treeids"] = .ints(f.treeIDs)
        t.attributes["nodes_nodeids"] = .ints(f.nodeIDs)
        t.attributes["nodes_featureids"] = .ints(f.features)
        t.attributes["nodes_modes"] = .strings(f.modes)
        t.attributes["nodes_values"] = .floats(f.values)
        t.attributes["nodes_truenodeids"] = .ints(f.trueIDs)
        t.attributes["nodes_falsenodeids"] = .ints(f.falseIDs)
        t.attributes["target_treeids"] = .ints(f.leafTree)
        t.attributes["target_nodeids"] = .ints(f.leafNode)
        t.attributes["target_ids"] = .ints([Int](repeating: 0, count: f.leafTree.count))
        t.attributes["target_weights"] = .floats(f.leafWeight)
        var x = floats([9, 3], seed: seed).f
        x[4] = .nan  // NaN compares false: the false branch, as in onnxruntime without missing tracking
        t.input("X", try Tensor(shape: [9, 3], values: x))
        let y = try t.run()[0]
        let want = (0..<9).map { r in Self.reference(f, row: Array(x[(r * 3)..<(r * 3 + 3)])) }
        expectClose(y.f, want, rtol: 1e-5, atol: 1e-4)
    }
}
