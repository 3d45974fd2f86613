/// Runs a plan: binds the caller's inputs, binds the returned outputs, runs every step on a
/// pooled frame.
///
/// The steady state allocates only the returned array: output buffers are reused when the caller
/// has dropped the previous call's tensors (see `Frame.bindOutput`), and everything else was
/// decided at plan time. Loops read the plan's precomputed plain arrays by index, so a run does
/// not copy (and retain) slots or bindings.
enum Executor {
    static func run(_ plan: ExecutionPlan, graph: Graph, inputs: borrowing [Tensor]) throws(InferenceError) -> [Tensor] {
        var results: [Tensor] = []
        results.reserveCapacity(plan.directOutputBytes.count)
        try run(plan, graph: graph, inputs: inputs) { _, tensor in results.append(tensor) }
        return results
    }

    /// Runs and hands each output to `output` (its index, in graph-output order) instead of
    /// returning an array of them: a caller that converts the outputs as they come (the gateway's
    /// bridge) saves the array and a copy of each tensor.
    static func run(_ plan: ExecutionPlan, graph: Graph, inputs: borrowing [Tensor],
                    output: (Int, Tensor) -> Void) throws(InferenceError) {
        let frame = plan.takeFrame()
        defer { plan.returnFrame(frame) }
        let inputCount = plan.inputStringIndex.count
        for i in 0..<inputCount {
            let s = plan.inputStringIndex[i]
            if s >= 0 {
                frame.strings[s] = inputs[i].stringValues
            } else {
                frame.inputPointers[i] = inputs[i].storage.unsafelyUnwrapped.pointer
            }
        }
        let outputCount = plan.directOutputBytes.count
        for k in 0..<outputCount {
            let bytes = plan.directOutputBytes[k]
            if bytes >= 0 { _ = frame.bindOutput(k, byteCount: bytes) }
        }
        let steps = plan.stepRefs
        for i in 0..<steps.count {
            let failure = steps[i]._withUnsafeGuaranteedRef { step -> OpError? in
                do throws(OpError) { try step.op.run(step.args, frame) } catch { return error }
                return nil
            }
            if let failure {
                let node = graph.nodes[plan.steps[i].nodeIndex]
                throw InferenceError(.executionFailed, "node '\(node.name)' (\(node.qualifiedOpType)) failed: \(failure.message)")
            }
        }
        for k in 0..<outputCount {
            if plan.directOutputBytes[k] >= 0 {
                output(k, Tensor(elementType: plan.outputTypes[k], shape: plan.outputShapes[k],
                                 storage: frame.outputStorage[k].unsafelyUnwrapped))
            } else {
                output(k, slowOutput(plan, k, frame))
            }
        }
    }

    /// Outputs that are strings, or copies of constants, inputs or other outputs.
    private static func slowOutput(_ plan: ExecutionPlan, _ k: Int, _ frame: Frame) -> Tensor {
        switch plan.outputs[k] {
        case .direct(let slot):
            return try! Tensor(shape: slot.shape.array, strings: frame.stringValues(slot))
        case .copy(let slot, let type, let shape):
            if type == .string { return try! Tensor(shape: shape, strings: frame.stringValues(slot)) }
            let storage = RawStorage(copying: frame.raw(slot), byteCount: slot.count * type.byteWidth)
            return Tensor(elementType: type, shape: shape, storage: storage)
        }
    }
}
