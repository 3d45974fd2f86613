/// ai.onnx.ml TreeEnsembleClassifier and TreeEnsembleRegressor over a flat `TreeLayout`.
///
/// Evaluation runs tree by tree over the whole batch (the tree's nodes stay hot in cache), adding
/// leaf weights into a per-row score buffer in the arena; then base values, aggregation and the
/// post-transform, following onnxruntime (including its binary-classifier conventions).
struct TreeEnsemble: Operator {
    enum Aggregate: String, Sendable { case sum = "SUM", average = "AVERAGE", min = "MIN", max = "MAX" }

    let layout: TreeLayout
    let targets: Int
    let aggregate: Aggregate
    let baseValues: [Double]
    let transform: PostTransform
    /// Classifier only.
    let intLabels: [Int64]
    let stringLabels: [String]
    let isClassifier: Bool
    /// Binary classifier whose weights all go to one class (onnxruntime's "binary case").
    let binarySingleClass: Bool
    let weightsAllPositive: Bool

    static let classifierSpec = OpSpec("TreeEnsembleClassifier", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        try TreeEnsemble(node: node, classifier: true)
    }

    static let regressorSpec = OpSpec("TreeEnsembleRegressor", domain: "ai.onnx.ml", since: 1, through: 5) { node, _ throws(ModelError) in
        try TreeEnsemble(node: node, classifier: false)
    }

    init(node: Node, classifier: Bool) throws(ModelError) {
        let prefix = classifier ? "class" : "target"
        let values = try Self.doubles(node, "nodes_values")
        let weights = try Self.doubles(node, "\(prefix)_weights")
        layout = try TreeLayout(node: node, prefix: prefix, values: values, leafWeights: weights)
        baseValues = try Self.doubles(node, "base_values")
        transform = try PostTransform.read(node)
        isClassifier = classifier
        if classifier {
            intLabels = try node.ints("classlabels_int64s", default: []).map { Int64($0) }
            stringLabels = try node.strings("classlabels_strings", default: [])
            guard intLabels.isEmpty != stringLabels.isEmpty else {
                throw .node(node, .invalidAttribute, "exactly one of classlabels_int64s and classlabels_strings is required")
            }
            targets = max(intLabels.count, stringLabels.count)
            aggregate = .sum
            let classIDs = Set(layout.weights.map(\.target))
            binarySingleClass = targets == 2 && classIDs.count == 1
            weightsAllPositive = layout.weights.allSatisfy { $0.value >= 0 }
        } else {
            intLabels = []
            stringLabels = []
            targets = try node.int("n_targets", default: 1)
            aggregate = Aggregate(rawValue: try node.choice("aggregate_function", default: "SUM", allowed: ["SUM", "AVERAGE", "MIN", "MAX"]))!
            binarySingleClass = false
            weightsAllPositive = true
        }
        guard targets > 0 else { throw .node(node, .invalidAttribute, "the ensemble has no targets/classes") }
        if let bad = layout.weights.first(where: { Int($0.target) >= targets }) {
            throw .node(node, .invalidAttribute, "a leaf weight targets \(bad.target), but there are only \(targets) \(classifier ? "classes" : "targets")")
        }
        guard baseValues.isEmpty || baseValues.count == targets || (binarySingleClass && baseValues.count == 1) else {
            throw .node(node, .invalidAttribute, "base_values has \(baseValues.count) values for \(targets) \(classifier ? "classes" : "targets")")
        }
    }

    /// Reads a float list attribute or its `_as_tensor` double variant (ml opset 3).
    private static func doubles(_ node: Node, _ name: String) throws(ModelError) -> [Double] {
        if let t = try node.tensor("\(name)_as_tensor") {
            if let d = t.scalars(as: Double.self) { return d }
            if let f = t.scalars(as: Float.self) { return f.map(Double.init) }
            throw .node(node, .invalidAttribute, "\(name)_as_tensor must be FP32 or FP64")
        }
        return try node.floats(name, default: []).map(Double.init)
    }

    func inferOutputs(_ inputs: [ValueInfo?]) throws(OpError) -> [ValueInfo] {
        let x = try Check.input(inputs, 0)
        let (rows, features) = try FeatureInput.rowsAndFeatures(x)
        guard layout.maxFeature < features else {
            throw OpError("the trees read feature \(layout.maxFeature), the input has \(features) features")
        }
        guard isClassifier else { return [ValueInfo(type: .float32, shape: [rows, targets])] }
        return [ValueInfo(type: stringLabels.isEmpty ? .int64 : .string, shape: [rows]),
                ValueInfo(type: .float32, shape: [rows, targets])]
    }

    func scratchBytes(_ inputs: [ValueInfo?], _ outputs: [ValueInfo]) -> Int {
        guard let x = inputs[0] else { return 0 }
        let rows = x.rank == 1 ? 1 : x.shape[0]
        // Input as doubles + scores + a has-score flag per score (for MIN/MAX).
        return x.count * 8 + rows * targets * 8 + rows * targets
    }

    func run(_ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let x = args.input(0)
        let rows = x.rank == 1 ? 1 : x.shape[0], features = x.rank == 1 ? x.shape[0] : x.shape[1]
        let base = frame.scratch(args)
        let input = base.assumingMemoryBound(to: Double.self)
        switch x.type {
        case .float32: let p = frame.pointer(x, Float.self); for i in 0..<x.count { input[i] = Double(p[i]) }
        case .float64: input.update(from: frame.pointer(x, Double.self), count: x.count)
        case .int64: let p = frame.pointer(x, Int64.self); for i in 0..<x.count { input[i] = Double(p[i]) }
        default: let p = frame.pointer(x, Int32.self); for i in 0..<x.count { input[i] = Double(p[i]) }
        }
        let scores = (base + x.count * 8).assumingMemoryBound(to: Double.self)
        let seen = (base + x.count * 8 + rows * targets * 8).assumingMemoryBound(to: Bool.self)
        accumulate(rows: rows, features: features, input: input, scores: scores, seen: seen)
        if isClassifier {
            try finishClassifier(rows: rows, scores: scores, args, frame)
        } else {
            finishRegressor(rows: rows, scores: scores, seen: seen, out: frame.pointer(args.outputs[0], Float.self))
        }
    }

    private func accumulate(rows: Int, features: Int, input: UnsafePointer<Double>, scores: UnsafeMutablePointer<Double>,
                            seen: UnsafeMutablePointer<Bool>) {
        scores.update(repeating: 0, count: rows * targets)
        seen.update(repeating: false, count: rows * targets)
        layout.weights.withUnsafeBufferPointer { weights in
            layout.nodes.withUnsafeBufferPointer { nodes in
              layout.descent.withUnsafeBufferPointer { descent in
                let base = nodes.baseAddress!
                // The branchless walk compares feature 0 at leaves: only when rows have one.
                let fast = layout.allLessOrEqual && features > 0
                let roots = layout.roots, depths = layout.depths
                let scalarSum = layout.singleTargetLeaves && targets == 1 && (aggregate == .sum || aggregate == .average)
                // Four trees at a time (independent descents overlap), then the remainder.
                var t = 0
                if fast {
                    while t + 4 <= roots.count {
                        let depth = max(max(depths[t], depths[t + 1]), max(depths[t + 2], depths[t + 3]))
                        if scalarSum {
                            // One target, one weight per leaf: one add per four trees, so the
                            // chain of dependent score updates is a quarter as long.
                            for r in 0..<rows {
                                let (a, b, c, d) = TreeLayout.leavesLEQ4Branchless(
                                    descent.baseAddress!, roots[t], roots[t + 1], roots[t + 2], roots[t + 3],
                                    depth: depth, row: input + r * features)
                                scores[r] += (descent[a].threshold + descent[b].threshold) + (descent[c].threshold + descent[d].threshold)
                            }
                            t += 4
                            continue
                        }
                        for r in 0..<rows {
                            let (a, b, c, d) = TreeLayout.leavesLEQ4Branchless(
                                descent.baseAddress!, roots[t], roots[t + 1], roots[t + 2], roots[t + 3],
                                depth: depth, row: input + r * features)
                            let s = scores + r * targets, f = seen + r * targets
                            add(nodes[a], weights, s, f); add(nodes[b], weights, s, f)
                            add(nodes[c], weights, s, f); add(nodes[d], weights, s, f)
                        }
                        t += 4
                    }
                }
                for root in roots[t...] {
                    for r in 0..<rows {
                        let row = input + r * features
                        let leaf = nodes[fast ? TreeLayout.leafLEQ(base, from: root, row: row) : TreeLayout.leaf(base, from: root, row: row)]
                        add(leaf, weights, scores + r * targets, seen + r * targets)
                    }
                }
              }
            }
        }
    }

    /// Adds one leaf's weights to a row's scores under the aggregate function.
    @inline(__always)
    private func add(_ leaf: TreeLayout.FlatNode, _ weights: UnsafeBufferPointer<TreeLayout.Weight>,
                     _ s: UnsafeMutablePointer<Double>, _ f: UnsafeMutablePointer<Bool>) {
        for w in Int(leaf.trueIndex)..<Int(leaf.trueIndex + leaf.falseIndex) {
            let t = Int(weights[w].target), v = weights[w].value
            switch aggregate {
            case .sum, .average: s[t] += v
            case .min: s[t] = f[t] ? Swift.min(s[t], v) : v
            case .max: s[t] = f[t] ? Swift.max(s[t], v) : v
            }
            f[t] = true
        }
    }

    private func finishRegressor(rows: Int, scores: UnsafeMutablePointer<Double>, seen: UnsafePointer<Bool>, out: UnsafeMutablePointer<Float>) {
        let trees = Double(layout.roots.count)
        for r in 0..<rows {
            let o = out + r * targets
            for t in 0..<targets {
                var v = scores[r * targets + t]
                if aggregate == .average { v /= trees }
                if !baseValues.isEmpty { v += baseValues[t] }
                o[t] = Float(v)
            }
            transform.apply(o, count: targets)
        }
    }

    private func finishClassifier(rows: Int, scores: UnsafeMutablePointer<Double>, _ args: KernelArgs, _ frame: Frame) throws(OpError) {
        let labels = args.outputs[0], z = frame.pointer(args.outputs[1], Float.self)
        var chosen = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            let s = scores + r * targets, o = z + r * targets
            if binarySingleClass {
                let cls = Int(layout.weights.first!.target)
                var v = s[cls]
                if !baseValues.isEmpty { v += baseValues[baseValues.count == 1 ? 0 : cls] }
                let f = Float(v)
                if weightsAllPositive {
                    chosen[r] = f > 0.5 ? 1 : 0
                    if transform == .probit { o[0] = PostTransform.probit(f); o[1] = 0 } else { o[0] = 1 - f; o[1] = f }
                } else {
                    chosen[r] = f > 0 ? 1 : 0
                    switch transform {
                    case .logistic: o[0] = PostTransform.logistic(-f); o[1] = PostTransform.logistic(f)
                    case .probit: o[0] = PostTransform.probit(f); o[1] = 0
                    default: o[0] = -f; o[1] = f
                    }
                }
                continue
            }
            for t in 0..<targets { o[t] = Float(s[t] + (baseValues.isEmpty ? 0 : baseValues[t])) }
            var best = 0
            for t in 1..<targets where o[t] > o[best] { best = t }
            chosen[r] = best
            transform.apply(o, count: targets)
        }
        if stringLabels.isEmpty {
            let out = frame.pointer(labels, Int64.self)
            for r in 0..<rows { out[r] = intLabels[chosen[r]] }
        } else {
            frame.setStrings(labels, chosen.map { stringLabels[$0] })
        }
    }
}
