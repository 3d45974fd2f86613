/// Decides where each value of a plan lives (constant memory, caller input, returned output,
/// arena offset or string table) and hands out the matching `Slot`s.
struct SlotLayout {
    let graph: Graph
    let env: [String: ValueInfo]
    var arenaOffsets: [String: Int] = [:]
    private(set) var constants: [Tensor] = []
    private(set) var constantStrings: [(slot: Int, values: [String])] = []
    private(set) var stringSlotCount = 0
    private var inputIndex: [String: Int] = [:]
    private var outputIndex: [String: Int] = [:]
    private var stringSlots: [String: Int] = [:]
    private var cache: [String: Slot] = [:]
    /// View outputs sharing another value's arena memory.
    private var aliases: [String: String] = [:]

    init(graph: Graph, env: [String: ValueInfo]) {
        self.graph = graph
        self.env = env
    }

    mutating func inputSlot(_ name: String, index: Int) -> Slot {
        inputIndex[name] = index
        return slot(name)
    }

    mutating func outputSlot(_ name: String, index: Int) -> Slot {
        outputIndex[name] = index
        return slot(name)
    }

    /// The value whose memory `name` uses (itself unless it is a view).
    func root(_ name: String) -> String { aliases[name] ?? name }

    mutating func alias(_ name: String, to root: String) { aliases[name] = root }

    /// True for values that need their own arena memory: computed, numeric, not a graph input or
    /// output, not a view of another value.
    func needsArena(_ name: String) -> Bool {
        guard aliases[name] == nil, let info = env[name] else { return false }
        return info.constant == nil && inputIndex[name] == nil && outputIndex[name] == nil && info.type != .string
    }

    mutating func slot(_ name: String) -> Slot {
        if let cached = cache[name] { return cached }
        let info = env[name]!
        let location: Location
        if info.type == .string {
            let index = stringSlotCount
            stringSlotCount += 1
            stringSlots[name] = index
            if let constant = info.constant { constantStrings.append((index, constant.stringValues)) }
            location = .strings(index)
        } else if let constant = info.constant {
            constants.append(constant)
            location = .constant(constant.storage!.pointer)
        } else if let i = inputIndex[name] {
            location = .input(i)
        } else if let k = outputIndex[name] {
            location = .output(k)
        } else {
            location = .arena(arenaOffsets[root(name)] ?? 0)
        }
        let slot = Slot(type: info.type, shape: info.shape, location: location)
        cache[name] = slot
        return slot
    }

    /// A slot for an output the graph does not name, at its planned arena offset.
    mutating func anonymousSlot(_ info: ValueInfo, key: String) -> Slot {
        if info.type == .string {
            let index = stringSlotCount
            stringSlotCount += 1
            return Slot(type: .string, shape: info.shape, location: .strings(index))
        }
        return Slot(type: info.type, shape: info.shape, location: .arena(arenaOffsets[key] ?? 0))
    }
}
