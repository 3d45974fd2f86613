/// A tree ensemble flattened for evaluation: every node in one contiguous array (tree after tree,
/// children addressed by absolute index), leaf weights in a second array. A branch node is 24
/// bytes, so a whole forest of a few thousand nodes stays in L1/L2 while a batch runs through it.
struct TreeLayout: Sendable {
    enum Mode: UInt8, Sendable { case leq, lt, gte, gt, eq, neq, leaf }

    struct FlatNode: Sendable {
        var threshold: Double
        var feature: Int32
        /// Branch: index of the true child. Leaf: first weight index.
        var trueIndex: Int32
        /// Branch: index of the false child. Leaf: number of weights.
        var falseIndex: Int32
        var mode: Mode
        var missingTracksTrue: Bool
    }

    /// A node as the branchless descent sees it: a leaf points to itself on both sides (and
    /// compares feature 0, whose value does not matter), so a walk of exactly the tree's depth
    /// ends on the leaf whichever way it went, with a conditional move instead of a branch per
    /// level. Scikit-learn's trees are shallow and often complete, so the extra steps on shorter
    /// paths cost less than the mispredicted branches they replace.
    struct DescentNode: Sendable {
        var threshold: Double
        var feature: Int32
        var trueIndex: Int32
        var falseIndex: Int32
    }

    struct Weight: Sendable {
        var target: Int32
        var value: Double
    }

    let nodes: [FlatNode]
    let weights: [Weight]
    let roots: [Int32]
    let maxFeature: Int
    /// True when every branch is BRANCH_LEQ without missing-value tracking (what scikit-learn
    /// converters emit): evaluation then skips the mode switch.
    let allLessOrEqual: Bool
    /// `nodes` for the branchless all-LEQ descent, and each tree's depth (edges, root to deepest
    /// leaf), in `roots` order.
    let descent: [DescentNode]
    let depths: [Int32]
    /// True when every leaf carries exactly one weight, for target 0 (gradient-boosted regressors
    /// and the like). The descent then keeps that weight in a leaf's (otherwise unused)
    /// `threshold`, so a sum over trees reads it with the leaf index it already has.
    let singleTargetLeaves: Bool

    static let modeNames: [String: Mode] = ["BRANCH_LEQ": .leq, "BRANCH_LT": .lt, "BRANCH_GTE": .gte, "BRANCH_GT": .gt,
                                            "BRANCH_EQ": .eq, "BRANCH_NEQ": .neq, "LEAF": .leaf]

    /// Builds the layout from the ONNX attribute arrays (nodes keyed by (tree id, node id); the
    /// `*_as_tensor` double variants are accepted by the caller and passed in as `values`).
    init(node: Node, prefix: String, values: [Double], leafWeights: [Double]) throws(ModelError) {
        let treeIDs = try node.ints("nodes_treeids"), nodeIDs = try node.ints("nodes_nodeids")
        let features = try node.ints("nodes_featureids"), modes = try node.strings("nodes_modes")
        let trueIDs = try node.ints("nodes_truenodeids"), falseIDs = try node.ints("nodes_falsenodeids")
        let missing = try node.ints("nodes_missing_value_tracks_true", default: [])
        let n = treeIDs.count
        guard [nodeIDs.count, features.count, modes.count, trueIDs.count, falseIDs.count, values.count].allSatisfy({ $0 == n }),
              missing.isEmpty || missing.count == n else {
            throw .node(node, .invalidAttribute, "the nodes_* attributes have different lengths")
        }
        var index: [Int: [Int: Int32]] = [:]  // tree → node id → flat index
        var roots: [Int32] = []
        var flat: [FlatNode] = []
        flat.reserveCapacity(n)
        for i in 0..<n {
            guard let mode = Self.modeNames[modes[i]] else {
                throw .node(node, .invalidAttribute, "node mode '\(modes[i])' is not supported (supported: \(Self.modeNames.keys.sorted().joined(separator: ", ")))")
            }
            if index[treeIDs[i]] == nil { index[treeIDs[i]] = [:]; roots.append(Int32(i)) }
            guard index[treeIDs[i]]![nodeIDs[i]] == nil else {
                throw .node(node, .invalidAttribute, "tree \(treeIDs[i]) has node id \(nodeIDs[i]) twice")
            }
            index[treeIDs[i]]![nodeIDs[i]] = Int32(i)
            guard mode == .leaf || features[i] >= 0 else { throw .node(node, .invalidAttribute, "negative feature id") }
            flat.append(FlatNode(threshold: values[i], feature: Int32(features[i]), trueIndex: -1, falseIndex: -1,
                                 mode: mode, missingTracksTrue: !missing.isEmpty && missing[i] != 0))
        }
        // Resolve children to flat indices (and root = the node with id 0, or the first listed).
        for i in 0..<n where flat[i].mode != .leaf {
            guard let t = index[treeIDs[i]]?[trueIDs[i]], let f = index[treeIDs[i]]?[falseIDs[i]] else {
                throw .node(node, .invalidAttribute, "tree \(treeIDs[i]) node \(nodeIDs[i]) points to a missing child")
            }
            flat[i].trueIndex = t
            flat[i].falseIndex = f
        }
        roots = roots.map { r in index[treeIDs[Int(r)]]?[0] ?? r }

        // Leaf weights, grouped per leaf.
        let wTrees = try node.ints("\(prefix)_treeids"), wNodes = try node.ints("\(prefix)_nodeids"), wIDs = try node.ints("\(prefix)_ids")
        guard wTrees.count == wNodes.count, wNodes.count == wIDs.count, wIDs.count == leafWeights.count else {
            throw .node(node, .invalidAttribute, "the \(prefix)_* attributes have different lengths")
        }
        var perLeaf: [Int32: [Weight]] = [:]
        for j in 0..<wTrees.count {
            guard let leaf = index[wTrees[j]]?[wNodes[j]] else {
                throw .node(node, .invalidAttribute, "weight \(j) refers to missing tree \(wTrees[j]) node \(wNodes[j])")
            }
            guard wIDs[j] >= 0 else { throw .node(node, .invalidAttribute, "negative target/class id") }
            perLeaf[leaf, default: []].append(Weight(target: Int32(wIDs[j]), value: leafWeights[j]))
        }
        var weights: [Weight] = []
        for i in 0..<n where flat[i].mode == .leaf {
            let list = perLeaf[Int32(i)] ?? []
            flat[i].trueIndex = Int32(weights.count)
            flat[i].falseIndex = Int32(list.count)
            weights.append(contentsOf: list)
        }
        self.nodes = flat
        self.weights = weights
        self.roots = roots
        self.maxFeature = flat.filter { $0.mode != .leaf }.map { Int($0.feature) }.max() ?? -1
        self.allLessOrEqual = flat.allSatisfy { $0.mode == .leaf || ($0.mode == .leq && !$0.missingTracksTrue) }
        depths = try Self.checkAcyclic(flat, roots: roots, node)
        let single = flat.allSatisfy { $0.mode != .leaf || ($0.falseIndex == 1 && weights[Int($0.trueIndex)].target == 0) }
        singleTargetLeaves = single
        descent = flat.enumerated().map { i, n in
            n.mode == .leaf ? DescentNode(threshold: single ? weights[Int(n.trueIndex)].value : 0, feature: 0,
                                          trueIndex: Int32(i), falseIndex: Int32(i))
                            : DescentNode(threshold: n.threshold, feature: n.feature, trueIndex: n.trueIndex, falseIndex: n.falseIndex)
        }
    }

    /// Rejects child links that loop (a corrupt file would otherwise hang evaluation) and returns
    /// each tree's depth: the longest path, in edges, from its root to a leaf (relaxed per root,
    /// so trees that share nodes are still measured exactly — the branchless walk relies on it).
    private static func checkAcyclic(_ nodes: [FlatNode], roots: [Int32], _ node: Node) throws(ModelError) -> [Int32] {
        var depth = [Int](repeating: -1, count: nodes.count)
        var owner = [Int](repeating: -1, count: nodes.count)
        var depths: [Int32] = []
        for (r, root) in roots.enumerated() {
            var deepest = 0
            var stack: [(Int, Int)] = [(Int(root), 0)]
            while let (i, d) = stack.popLast() {
                guard d <= nodes.count else { throw .node(node, .invalidAttribute, "a tree's child links form a cycle") }
                if owner[i] == r && depth[i] >= d { continue }
                owner[i] = r
                depth[i] = d
                if nodes[i].mode == .leaf {
                    deepest = max(deepest, d)
                } else {
                    stack.append((Int(nodes[i].trueIndex), d + 1))
                    stack.append((Int(nodes[i].falseIndex), d + 1))
                }
            }
            depths.append(Int32(deepest))
        }
        return depths
    }

    /// Index of the leaf that `row` reaches from `root` when every branch is `x <= threshold`.
    @inline(__always)
    static func leafLEQ(_ nodes: UnsafePointer<FlatNode>, from root: Int32, row: UnsafePointer<Double>) -> Int {
        var i = Int(root)
        while nodes[i].mode != .leaf {
            let n = nodes[i]
            i = Int(row[Int(n.feature)] <= n.threshold ? n.trueIndex : n.falseIndex)
        }
        return i
    }

    /// Leaves reached by four trees at once (all-LEQ ensembles). Each descent is a chain of
    /// dependent loads, so walking four independent trees interleaved hides most of the latency.
    @inline(__always)
    static func leavesLEQ4(_ nodes: UnsafePointer<FlatNode>, _ r0: Int32, _ r1: Int32, _ r2: Int32, _ r3: Int32,
                           row: UnsafePointer<Double>) -> (Int, Int, Int, Int) {
        var i0 = Int(r0), i1 = Int(r1), i2 = Int(r2), i3 = Int(r3)
        while true {
            let n0 = nodes[i0], n1 = nodes[i1], n2 = nodes[i2], n3 = nodes[i3]
            let l0 = n0.mode == .leaf, l1 = n1.mode == .leaf, l2 = n2.mode == .leaf, l3 = n3.mode == .leaf
            if l0 && l1 && l2 && l3 { return (i0, i1, i2, i3) }
            if !l0 { i0 = Int(row[Int(n0.feature)] <= n0.threshold ? n0.trueIndex : n0.falseIndex) }
            if !l1 { i1 = Int(row[Int(n1.feature)] <= n1.threshold ? n1.trueIndex : n1.falseIndex) }
            if !l2 { i2 = Int(row[Int(n2.feature)] <= n2.threshold ? n2.trueIndex : n2.falseIndex) }
            if !l3 { i3 = Int(row[Int(n3.feature)] <= n3.threshold ? n3.trueIndex : n3.falseIndex) }
        }
    }

    /// Leaves reached by four all-LEQ trees at once, branch-free: `depth` steps (the largest of
    /// the four trees' depths) of a compare and a conditional move each; see `DescentNode`.
    @inline(__always)
    static func leavesLEQ4Branchless(_ nodes: UnsafePointer<DescentNode>, _ r0: Int32, _ r1: Int32, _ r2: Int32, _ r3: Int32,
                                     depth: Int32, row: UnsafePointer<Double>) -> (Int, Int, Int, Int) {
        var i0 = Int(r0), i1 = Int(r1), i2 = Int(r2), i3 = Int(r3)
        var level: Int32 = 0
        while level < depth {
            let n0 = nodes[i0], n1 = nodes[i1], n2 = nodes[i2], n3 = nodes[i3]
            i0 = Int(row[Int(n0.feature)] <= n0.threshold ? n0.trueIndex : n0.falseIndex)
            i1 = Int(row[Int(n1.feature)] <= n1.threshold ? n1.trueIndex : n1.falseIndex)
            i2 = Int(row[Int(n2.feature)] <= n2.threshold ? n2.trueIndex : n2.falseIndex)
            i3 = Int(row[Int(n3.feature)] <= n3.threshold ? n3.trueIndex : n3.falseIndex)
            level += 1
        }
        return (i0, i1, i2, i3)
    }

    /// Index of the leaf that `row` reaches from `root`, for any node modes.
    @inline(__always)
    static func leaf(_ nodes: UnsafePointer<FlatNode>, from root: Int32, row: UnsafePointer<Double>) -> Int {
        var i = Int(root)
        while true {
            let n = nodes[i]
            if n.mode == .leaf { return i }  // leaves' feature ids are not validated: read no input
            let x = row[Int(n.feature)]
            let go: Bool
            switch n.mode {
            case .leq: go = x <= n.threshold
            case .lt: go = x < n.threshold
            case .gte: go = x >= n.threshold
            case .gt: go = x > n.threshold
            case .eq: go = x == n.threshold
            case .neq: go = x != n.threshold
            case .leaf: return i
            }
            i = Int((go || (n.missingTracksTrue && x.isNaN)) ? n.trueIndex : n.falseIndex)
        }
    }
}
