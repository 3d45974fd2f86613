/// Runs a plan: binds the caller's inputs, allocates the returned outputs, runs every step on a
/// pooled frame.
enum Executor {
    static func run(_ plan: ExecutionPlan, graph: Graph, inputs: borrowing [Tensor]) throws(InferenceError) -> [Tensor] {
        let frame = plan.takeFrame()
        defer { plan.returnFrame(frame) }
        for (i, slot) in plan.inputSlots.enumerated() {
            if case .strings(let s) = slot.location {
                frame.strings[s] = inputs[i].stringValues
            } else {
                frame.inputPointers[i] = inputs[i].storage!.pointer
            }
        }
        var storages: [RawStorage?] = []
        storages.reserveCapacity(plan.outputs.count)
        for (k, binding) in plan.outputs.enumerated() {
            if case .direct(let slot) = binding, slot.type != .string {
                let storage = RawStorage(uninitializedByteCount: slot.count * slot.type.byteWidth)
                frame.outputPointers[k] = storage.pointer
                storages.append(storage)
            } else {
                storages.append(nil)
            }
        }
        for step in plan.steps {
            do {
                try step.op.run(step.args, frame)
            } catch {
                let node = graph.nodes[step.nodeIndex]
                throw InferenceError(.executionFailed, "node '\(node.name)' (\(node.qualifiedOpType)) failed: \(error.message)")
            }
        }
        var results: [Tensor] = []
        results.reserveCapacity(plan.outputs.count)
        for (k, binding) in plan.outputs.enumerated() {
            switch binding {
            case .direct(let slot):
                if let storage = storages[k] {
                    results.append(Tensor(elementType: slot.type, shape: slot.shape, storage: storage))
                } else {
                    results.append(try! Tensor(shape: slot.shape, strings: frame.stringValues(slot)))
                }
            case .copy(let slot, let type, let shape):
                if type == .string {
                    results.append(try! Tensor(shape: shape, strings: frame.stringValues(slot)))
                } else {
                    let bytes = slot.count * type.byteWidth
                    let storage = RawStorage(copying: frame.raw(slot), byteCount: bytes)
                    results.append(Tensor(elementType: type, shape: shape, storage: storage))
                }
            }
        }
        return results
    }
}
