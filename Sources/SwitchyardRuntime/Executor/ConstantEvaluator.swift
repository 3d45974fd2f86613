/// Runs one op at plan time on constant inputs (constant folding, `Shape`), producing tensors.
enum ConstantEvaluator {
    static func evaluate(_ op: any Operator, inputs: [ValueInfo?], outputs: [ValueInfo]) throws(OpError) -> [Tensor] {
        let scratch = op.scratchBytes(inputs, outputs)
        var stringCount = 0
        var keepAlive: [Tensor] = []
        var preload: [(Int, [String])] = []
        let inSlots: [Slot?] = inputs.map { info in
            guard let info else { return nil }
            if info.type == .string {
                defer { stringCount += 1 }
                preload.append((stringCount, info.constant?.stringValues ?? []))
                return Slot(type: .string, shape: info.shape, location: .strings(stringCount))
            }
            if let constant = info.constant {
                keepAlive.append(constant)
                return Slot(type: info.type, shape: info.shape, location: .constant(constant.storage!.pointer))
            }
            // Shape-only ops never read the data of a non-constant input.
            return Slot(type: info.type, shape: info.shape, location: .arena(0))
        }
        var storages: [RawStorage?] = []
        let outSlots: [Slot] = outputs.enumerated().map { j, info in
            if info.type == .string {
                defer { stringCount += 1 }
                storages.append(nil)
                return Slot(type: .string, shape: info.shape, location: .strings(stringCount))
            }
            storages.append(RawStorage(byteCount: info.count * info.type.byteWidth))
            return Slot(type: info.type, shape: info.shape, location: .output(j))
        }
        let frame = Frame(arenaBytes: scratch, inputCount: 0, outputCount: outputs.count, stringSlots: stringCount)
        for (i, values) in preload { frame.strings[i] = values }
        for (j, storage) in storages.enumerated() { if let storage { frame.outputPointers[j] = storage.pointer } }
        try op.run(KernelArgs(inputs: inSlots, outputs: outSlots, scratchOffset: 0, scratchBytes: scratch), frame)
        withExtendedLifetime(keepAlive) {}
        return outputs.enumerated().map { j, info in
            if let storage = storages[j] { return Tensor(elementType: info.type, shape: info.shape, storage: storage) }
            return try! Tensor(shape: info.shape, strings: frame.stringValues(outSlots[j]))
        }
    }
}
