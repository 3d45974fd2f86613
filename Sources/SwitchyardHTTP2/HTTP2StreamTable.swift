/// The open streams of one connection, by stream id.
///
/// Why not `[Int32: HTTP2Stream]`: a request touches the table about six times (open, end of
/// headers, respond, body reads, end, close), and `Dictionary` hashes every key with SipHash; with
/// `h2load -m16` that was 4 % of an HTTP/2 request's CPU. Stream ids are distinct positive integers
/// chosen by the peer, so a Fibonacci hash into an open-addressed array (linear probing, deletion
/// by backward shift, so no tombstones) is enough: the table holds at most
/// SETTINGS_MAX_CONCURRENT_STREAMS entries plus the few being closed, and is kept at most half full.
struct HTTP2StreamTable {
    private var slots: [HTTP2Stream?]
    private var mask: Int
    private var shift: UInt32
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        shift = UInt32(32 - size.trailingZeroBitCount)
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func home(_ id: Int32) -> Int {
        Int((UInt32(bitPattern: id) &* 0x9E37_79B9) >> shift)
    }

    subscript(id: Int32) -> HTTP2Stream? {
        var i = home(id)
        while let stream = slots[i] {
            if stream.id == id { return stream }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `stream`, replacing a stream with the same id.
    mutating func insert(_ stream: HTTP2Stream) {
        if (count + 1) * 2 > slots.count { grow() }
        var i = home(stream.id)
        while let existing = slots[i] {
            if existing.id == stream.id { slots[i] = stream; return }
            i = (i + 1) & mask
        }
        slots[i] = stream
        count += 1
    }

    /// Removes and returns the stream with `id`, if present.
    @discardableResult
    mutating func remove(_ id: Int32) -> HTTP2Stream? {
        var i = home(id)
        while let stream = slots[i] {
            if stream.id == id {
                slots[i] = nil
                count -= 1
                closeGap(at: i)
                return stream
            }
            i = (i + 1) & mask
        }
        return nil
    }

    mutating func removeAll() {
        for i in slots.indices { slots[i] = nil }
        count = 0
    }

    /// Every stream, in no particular order.
    var values: [HTTP2Stream] { slots.compactMap { $0 } }

    /// Backward-shift deletion: moves later members of the probe run into the hole when their
    /// home position does not lie (cyclically) between the hole and their current slot.
    private mutating func closeGap(at start: Int) {
        var hole = start
        var j = (start + 1) & mask
        while let stream = slots[j] {
            let h = home(stream.id)
            let distanceToHole = (j - hole) & mask
            let distanceToHome = (j - h) & mask
            if distanceToHome >= distanceToHole {
                slots[hole] = stream
                slots[j] = nil
                hole = j
            }
            j = (j + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots.compactMap { $0 }
        let size = slots.count * 2
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        shift = UInt32(32 - size.trailingZeroBitCount)
        count = 0
        for stream in old { insert(stream) }
    }
}
