/// Little-endian binary writer and bounds-checked reader for statistics snapshots. No I/O:
/// bytes in, bytes out (the gateway owns the files).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u64(_ v: UInt64) {
        var x = v
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }
    mutating func count(_ n: Int) { u64(UInt64(n)) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        count(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    mutating func u64s(_ vs: [UInt64]) { count(vs.count); for v in vs { u64(v) } }
    mutating func f64s(_ vs: [Double]) { count(vs.count); for v in vs { f64(v) } }

    /// FNV-1a 64 of `bytes` (the snapshot trailer; see `ExperimentRecorder.snapshot()`).
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}

struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func u8(_ what: String) throws(StatsError) -> UInt8 {
        guard offset < bytes.count else { throw .corruptSnapshot("truncated while reading \(what) at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u64(_ what: String) throws(StatsError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw .corruptSnapshot("truncated while reading \(what) at byte \(offset)") }
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = (v << 8) | UInt64(bytes[offset + i]) }
        offset += 8
        return v
    }

    mutating func f64(_ what: String) throws(StatsError) -> Double { Double(bitPattern: try u64(what)) }

    mutating func bool(_ what: String) throws(StatsError) -> Bool {
        switch try u8(what) {
        case 0: return false
        case 1: return true
        case let b: throw .corruptSnapshot("\(what): invalid boolean byte \(b)")
        }
    }

    /// A count, bounded by what the remaining bytes could hold (so corrupt input cannot make us
    /// allocate huge arrays).
    mutating func count(_ what: String, elementSize: Int) throws(StatsError) -> Int {
        let n = try u64(what)
        let remaining = UInt64(bytes.count - offset)
        guard n <= remaining / UInt64(Swift.max(elementSize, 1)) else {
            throw .corruptSnapshot("\(what): count \(n) exceeds the remaining \(remaining) bytes")
        }
        return Int(n)
    }

    mutating func string(_ what: String) throws(StatsError) -> String {
        let n = try count(what, elementSize: 1)
        let slice = bytes[offset..<(offset + n)]
        offset += n
        guard let s = String(validating: slice, as: UTF8.self) else { throw .corruptSnapshot("\(what): invalid UTF-8") }
        return s
    }

    mutating func u64s(_ what: String) throws(StatsError) -> [UInt64] {
        let n = try count(what, elementSize: 8)
        var out = [UInt64]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u64(what)) }
        return out
    }

    mutating func f64s(_ what: String) throws(StatsError) -> [Double] {
        try u64s(what).map { Double(bitPattern: $0) }
    }
}
