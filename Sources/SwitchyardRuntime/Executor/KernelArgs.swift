/// Where a value lives during one run. Decided once per plan, so a kernel's pointer lookup is a
/// switch and an add.
enum Location: @unchecked Sendable {  // pointers into plan-owned, immutable constants
    /// Plan-owned constant memory (initializer or folded value), never written.
    case constant(UnsafeMutableRawPointer)
    /// Offset into the frame's arena.
    case arena(Int)
    /// The caller's input tensor number `i` (read only).
    case input(Int)
    /// The output tensor number `i`, allocated per call and returned to the caller.
    case output(Int)
    /// STRING values live in the frame's string table at this index.
    case strings(Int)
}

/// A value as a kernel sees it: element type, concrete shape, location. Plain data (see `Dims`):
/// copying one is a `memcpy`, with no atomics and no value-witness calls.
struct Slot: @unchecked Sendable {
    let type: ElementType
    let shape: Dims
    let location: Location
    /// Element count, computed once at plan time: kernels ask for it on every call.
    let count: Int

    init(type: ElementType, shape: [Int], location: Location) {
        self.type = type
        self.shape = Dims(shape)
        self.location = location
        self.count = shape.reduce(1, *)
    }

    var rank: Int { shape.count }
}

/// The operands of one step: input slots (`nil` for an omitted optional input), output slots and
/// the arena offset of the step's scratch memory.
struct KernelArgs: Sendable {
    let inputs: [Slot?]
    let outputs: [Slot]
    let scratchOffset: Int
    let scratchBytes: Int

    func input(_ i: Int) -> Slot {
        inputs[i]!  // the planner only passes nil where the op's inference accepted nil
    }

    func optionalInput(_ i: Int) -> Slot? { i < inputs.count ? inputs[i] : nil }
}

/// Per-run memory: the arena, the caller's input pointers, the output buffers and the string
/// table. Owned by one thread at a time (taken from and returned to a plan's pool).
///
/// The pointer tables are fixed-size manual buffers rather than `var` arrays: a kernel reads them
/// on every operand lookup, and a class's `var` property pays a dynamic exclusivity check (a
/// thread-local access-set update) on each access — measured as a visible share of a tiny
/// model's call.
final class Frame: @unchecked Sendable {
    let arena: UnsafeMutableRawPointer
    let arenaBytes: Int
    let inputPointers: UnsafeMutablePointer<UnsafeMutableRawPointer>
    let outputPointers: UnsafeMutablePointer<UnsafeMutableRawPointer>
    /// The storage behind each numeric output of the last run. The returned tensors share it; when
    /// the caller has dropped them again (the storage is uniquely referenced from here), the next
    /// run writes into it instead of allocating.
    let outputStorage: UnsafeMutablePointer<RawStorage?>
    let inputCount: Int
    let outputCount: Int
    var strings: [[String]]

    init(arenaBytes: Int, inputCount: Int, outputCount: Int, stringSlots: Int) {
        self.arenaBytes = arenaBytes
        self.inputCount = inputCount
        self.outputCount = outputCount
        arena = UnsafeMutableRawPointer.allocate(byteCount: max(arenaBytes, 64), alignment: 64)
        inputPointers = .allocate(capacity: max(inputCount, 1))
        inputPointers.initialize(repeating: arena, count: max(inputCount, 1))
        outputPointers = .allocate(capacity: max(outputCount, 1))
        outputPointers.initialize(repeating: arena, count: max(outputCount, 1))
        outputStorage = .allocate(capacity: max(outputCount, 1))
        outputStorage.initialize(repeating: nil, count: max(outputCount, 1))
        strings = Array(repeating: [], count: stringSlots)
    }

    deinit {
        outputStorage.deinitialize(count: max(outputCount, 1))
        outputStorage.deallocate()
        inputPointers.deallocate()
        outputPointers.deallocate()
        arena.deallocate()
    }

    /// Points output `k` at `byteCount` bytes the caller may keep: last run's buffer when nobody
    /// else holds it any more, a fresh one otherwise. Returns the storage for the output tensor.
    @inline(__always)
    func bindOutput(_ k: Int, byteCount: Int) -> RawStorage {
        if !isKnownUniquelyReferenced(&outputStorage[k]) {
            outputStorage[k] = RawStorage(uninitializedByteCount: byteCount)
        }
        let storage = outputStorage[k].unsafelyUnwrapped
        outputPointers[k] = storage.pointer
        return storage
    }

    @inline(__always)
    func raw(_ slot: Slot) -> UnsafeMutableRawPointer {
        switch slot.location {
        case .constant(let p): p
        case .arena(let offset): arena + offset
        case .input(let i): inputPointers[i]
        case .output(let i): outputPointers[i]
        case .strings: preconditionFailure("STRING slot has no raw memory")
        }
    }

    @inline(__always)
    func pointer<T>(_ slot: Slot, _ type: T.Type = T.self) -> UnsafeMutablePointer<T> {
        raw(slot).assumingMemoryBound(to: T.self)
    }

    @inline(__always)
    func buffer<T>(_ slot: Slot, _ type: T.Type = T.self) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: pointer(slot, T.self), count: slot.count)
    }

    func scratch(_ args: KernelArgs) -> UnsafeMutableRawPointer { arena + args.scratchOffset }

    func stringValues(_ slot: Slot) -> [String] {
        guard case .strings(let i) = slot.location else { preconditionFailure("not a STRING slot") }
        return strings[i]
    }

    func setStrings(_ slot: Slot, _ values: [String]) {
        guard case .strings(let i) = slot.location else { preconditionFailure("not a STRING slot") }
        strings[i] = values
    }
}
