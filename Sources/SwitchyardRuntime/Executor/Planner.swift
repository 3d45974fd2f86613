/// Compiles a loaded graph into an `ExecutionPlan` for concrete input shapes: infers every value's
/// shape, folds nodes whose inputs are all constant (or that only read shapes), places the
/// remaining intermediates into a shared arena by lifetime, and binds graph outputs.
enum Planner {
    struct Failure: Error {
        let node: Node?
        let message: String
    }

    /// Slots keep their shapes inline (`Dims`), up to `Dims.maxRank` dimensions.
    static func checkRank(_ shape: [Int], of value: String, node: Node?) throws(Failure) {
        guard shape.count > Dims.maxRank else { return }
        throw Failure(node: node, message: "value '\(value)' has rank \(shape.count) (shape \(shape)); "
                      + "this runtime supports tensors of rank up to \(Dims.maxRank), as TensorRT does")
    }

    static func plan(graph: Graph, operators: [any Operator], inputShapes: [[Int]]) throws(Failure) -> ExecutionPlan {
        // Local copies: activation fusion rewires node outputs and swaps operators for this plan.
        var graph = graph
        var operators = operators
        var env: [String: ValueInfo] = [:]
        for (name, tensor) in graph.initializers {
            try checkRank(tensor.shape, of: name, node: nil)
            env[name] = ValueInfo(type: tensor.elementType, shape: tensor.shape, constant: tensor)
        }
        for (i, input) in graph.inputs.enumerated() {
            try checkRank(inputShapes[i], of: input.name, node: nil)
            env[input.name] = ValueInfo(type: input.elementType, shape: inputShapes[i])
        }

        // 1. Shape inference and constant folding, in topological order.
        var pending: [(node: Int, inputs: [ValueInfo?], outputs: [ValueInfo])] = []
        for (index, node) in graph.nodes.enumerated() {
            let op = operators[index]
            var infos: [ValueInfo?] = []
            for name in node.inputs {
                if name.isEmpty { infos.append(nil); continue }
                guard let info = env[name] else {
                    throw Failure(node: node, message: "input '\(name)' is not produced by any node, initializer or graph input")
                }
                infos.append(info)
            }
            let outs: [ValueInfo]
            do { outs = try op.inferOutputs(infos) } catch { throw Failure(node: node, message: error.message) }
            for (j, out) in outs.enumerated() {
                try checkRank(out.shape, of: j < node.outputs.count ? node.outputs[j] : "output \(j)", node: node)
            }
            let foldable = op.dependsOnlyOnShapes || infos.allSatisfy { $0 == nil || $0!.constant != nil }
            if foldable {
                let values: [Tensor]
                do { values = try ConstantEvaluator.evaluate(op, inputs: infos, outputs: outs) }
                catch { throw Failure(node: node, message: error.message) }
                for (j, name) in node.outputs.enumerated() where !name.isEmpty && j < values.count {
                    env[name] = ValueInfo(type: outs[j].type, shape: outs[j].shape, constant: values[j])
                }
            } else {
                for (j, name) in node.outputs.enumerated() where !name.isEmpty {
                    guard j < outs.count else {
                        throw Failure(node: node, message: "the node declares \(node.outputs.count) outputs, the op produces \(outs.count)")
                    }
                    env[name] = outs[j]
                }
                pending.append((index, infos, outs))
            }
        }
        for output in graph.outputs where env[output.name] == nil {
            throw Failure(node: nil, message: "graph output '\(output.name)' is not produced by any node")
        }

        pending = fuseRelus(pending, graph: &graph, operators: &operators)

        // 2. Locations.
        var layout = SlotLayout(graph: graph, env: env)
        let inputSlots = graph.inputs.enumerated().map { i, input in layout.inputSlot(input.name, index: i) }
        var outputLocations: [String: Int] = [:]  // value → output index written directly
        var bindings: [OutputBinding?] = Array(repeating: nil, count: graph.outputs.count)
        let produced = Set(pending.flatMap { graph.nodes[$0.node].outputs })
        for (k, output) in graph.outputs.enumerated() {
            if produced.contains(output.name), outputLocations[output.name] == nil {
                outputLocations[output.name] = k
                let slot = layout.outputSlot(output.name, index: k)
                bindings[k] = .direct(slot)
            }
        }

        // Views (Reshape, Flatten, ...) of arena values share their input's memory: no copy.
        var skipped = Set<Int>()
        for (s, p) in pending.enumerated() where operators[p.node].isView {
            let node = graph.nodes[p.node]
            guard let input = node.inputs.first, !input.isEmpty, let output = node.outputs.first, !output.isEmpty,
                  layout.needsArena(layout.root(input)), layout.needsArena(output) else { continue }
            layout.alias(output, to: layout.root(input))
            skipped.insert(s)
        }

        // 3. Lifetimes of arena values and per-step scratch, then offsets (aliases extend their root's).
        var steps: [Step] = []
        var intervals: [ArenaAllocator.Interval] = []
        var lastUse: [String: Int] = [:]
        for (s, p) in pending.enumerated() {
            for name in graph.nodes[p.node].inputs where !name.isEmpty { lastUse[layout.root(name)] = s }
        }
        var firstDef: [String: Int] = [:]
        for (s, p) in pending.enumerated() {
            for name in graph.nodes[p.node].outputs where !name.isEmpty && firstDef[name] == nil { firstDef[name] = s }
        }
        for (name, def) in firstDef where layout.needsArena(name) {
            let info = env[name]!
            intervals.append(.init(key: name, start: def, end: max(lastUse[name] ?? def, def),
                                   bytes: info.count * info.type.byteWidth))
        }
        var scratchSizes: [Int] = []
        for (s, p) in pending.enumerated() {
            // Outputs the graph omits (empty names) still get written: give them a one-step lifetime.
            for (j, name) in graph.nodes[p.node].outputs.enumerated() where name.isEmpty && j < p.outputs.count {
                let info = p.outputs[j]
                intervals.append(.init(key: "#discard\(s).\(j)", start: s, end: s, bytes: info.count * info.type.byteWidth))
            }
            let bytes = operators[p.node].scratchBytes(p.inputs, p.outputs)
            scratchSizes.append(bytes)
            if bytes > 0 { intervals.append(.init(key: "#scratch\(s)", start: s, end: s, bytes: bytes)) }
        }
        let (offsets, arenaBytes) = ArenaAllocator.assign(intervals)
        layout.arenaOffsets = offsets

        for (s, p) in pending.enumerated() where !skipped.contains(s) {
            let node = graph.nodes[p.node]
            let ins = node.inputs.map { $0.isEmpty ? nil : layout.slot($0) }
            let outs = node.outputs.enumerated().map { j, name in
                name.isEmpty ? layout.anonymousSlot(p.outputs[j], key: "#discard\(s).\(j)") : layout.slot(name)
            }
            steps.append(Step(op: operators[p.node], nodeIndex: p.node,
                              args: KernelArgs(inputs: ins, outputs: outs, scratchOffset: offsets["#scratch\(s)"] ?? 0,
                                               scratchBytes: scratchSizes[s])))
        }
        // Outputs not written directly: constants, graph inputs, duplicates.
        for (k, output) in graph.outputs.enumerated() where bindings[k] == nil {
            let info = env[output.name]!
            bindings[k] = .copy(from: layout.slot(output.name), type: info.type, shape: info.shape)
        }
        return ExecutionPlan(inputShapes: inputShapes, steps: steps, arenaBytes: arenaBytes,
                             inputSlots: inputSlots, outputs: bindings.map { $0! },
                             stringSlotCount: layout.stringSlotCount, constantStrings: layout.constantStrings,
                             constants: layout.constants)
    }

    /// Folds each FP32 Relu into the op producing its input when that op has a ReLU epilogue
    /// (`Operator.fusingRelu`) and the Relu is the value's only consumer (and the value is not a
    /// graph output): the producer writes the Relu's output directly and the Relu step goes.
    /// Saves a full pass over the activation (Conv → Relu, Gemm → Relu, MatMul → Add → Relu).
    private static func fuseRelus(_ pending: [(node: Int, inputs: [ValueInfo?], outputs: [ValueInfo])],
                                  graph: inout Graph, operators: inout [any Operator])
        -> [(node: Int, inputs: [ValueInfo?], outputs: [ValueInfo])] {
        var consumers: [String: Int] = [:]
        for node in graph.nodes { for name in node.inputs where !name.isEmpty { consumers[name, default: 0] += 1 } }
        let graphOutputs = Set(graph.outputs.map(\.name))
        var producer: [String: Int] = [:]  // value → index in `pending`
        for (s, p) in pending.enumerated() {
            for name in graph.nodes[p.node].outputs where !name.isEmpty { producer[name] = s }
        }
        var fused = Set<Int>()
        for (s, p) in pending.enumerated() {
            guard let relu = operators[p.node] as? UnaryMath, relu.kind == .relu, p.outputs.first?.type == .float32 else { continue }
            let node = graph.nodes[p.node]
            guard node.inputs.count == 1, node.outputs.count == 1, let value = node.inputs.first, !value.isEmpty,
                  let out = node.outputs.first, !out.isEmpty,
                  consumers[value] == 1, !graphOutputs.contains(value), let q = producer[value] else { continue }
            let source = pending[q]
            guard graph.nodes[source.node].outputs == [value], source.outputs.first?.type == .float32,
                  let withRelu = operators[source.node].fusingRelu() else { continue }
            operators[source.node] = withRelu
            graph.nodes[source.node].outputs = [out]
            producer[out] = q
            fused.insert(s)
        }
        return pending.enumerated().filter { !fused.contains($0.offset) }.map(\.element)
    }
}
