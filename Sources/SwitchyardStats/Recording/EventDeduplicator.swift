/// Remembers recently seen outcome event ids in bounded memory.
///
/// Two generations of 64-bit fingerprints, each holding up to capacity/2 ids: when the current
/// generation fills, it becomes the previous one and the oldest generation is dropped. So an id is
/// always recognised as a duplicate if fewer than capacity/2 distinct ids arrived after it, and
/// memory never exceeds `capacity` fingerprints (≈16 bytes each in a Set). Fingerprints are
/// FNV-1a (deterministic across restarts, so the state can be persisted); two different ids
/// collide with probability ~2⁻⁶⁴ per pair.
struct EventDeduplicator: Sendable {
    let generationCapacity: Int
    private(set) var current: Set<UInt64>
    private(set) var previous: Set<UInt64>

    init(capacity: Int) {
        generationCapacity = Swift.max(1, capacity / 2)
        current = Set(minimumCapacity: generationCapacity)
        previous = Set(minimumCapacity: generationCapacity)
    }

    /// Inserts the fingerprint; false when it was already present.
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        if current.contains(fingerprint) || previous.contains(fingerprint) { return false }
        if current.count >= generationCapacity {
            swap(&current, &previous)
            current.removeAll(keepingCapacity: true)
        }
        current.insert(fingerprint)
        return true
    }

    /// The remembered fingerprints, oldest generation first, each sorted (snapshots are then
    /// byte-for-byte reproducible: Set order depends on the per-process hash seed).
    var generations: ([UInt64], [UInt64]) { (previous.sorted(), current.sorted()) }

    mutating func restore(previous p: [UInt64], current c: [UInt64]) {
        previous = Set(p.suffix(generationCapacity))
        current = Set(c.suffix(generationCapacity))
    }

    /// FNV-1a over the metric index and the id's UTF-8 bytes.
    static func fingerprint(metric: Int, eventID: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        var m = UInt64(truncatingIfNeeded: metric)
        for _ in 0..<8 {
            h = (h ^ (m & 0xff)) &* prime
            m >>= 8
        }
        for byte in eventID.utf8 { h = (h ^ UInt64(byte)) &* prime }
        return h
    }
}
