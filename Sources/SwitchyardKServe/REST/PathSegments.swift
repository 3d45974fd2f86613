import SwitchyardCore

/// Path segments as `KServeRoute.match` reads them.
protocol PathSegments {
    var count: Int { get }
    func isEmpty(_ i: Int) -> Bool
    func equals(_ i: Int, _ literal: StaticString) -> Bool
    func text(_ i: Int) -> String
}

/// Segments already percent-decoded into Strings (paths with escapes).
struct DecodedSegments: PathSegments {
    let segments: [String]
    var count: Int { segments.count }
    func isEmpty(_ i: Int) -> Bool { segments[i].isEmpty }
    func equals(_ i: Int, _ literal: StaticString) -> Bool {
        segments[i].withUTF8Bytes { HTTPCommonText.equals(UnsafeRawBufferPointer($0), literal) }
    }
    func text(_ i: Int) -> String { segments[i] }
}

/// Segments of an escape-free path as byte ranges into it, held on the stack.
struct RawSegments: PathSegments {
    static let capacity = 8
    let path: UnsafeBufferPointer<UInt8>
    let bounds: UnsafeMutableBufferPointer<Int>   // start, end of each segment
    let count: Int

    enum Scan<R> {
        case matched(R)
        /// The path (up to its query) has escapes or too many segments for the stack.
        case needsDecoding(UnsafeBufferPointer<UInt8>)
    }

    /// Splits `target` (after the leading '/') in one pass, up to a '?' or '#', and calls `body`
    /// with its segments (the empty one after a final '/' dropped).
    static func withSegments<R>(of target: UnsafeBufferPointer<UInt8>, _ body: (RawSegments) -> R) -> Scan<R> {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * capacity) { bounds -> Scan<R> in
            var n = 0, start = 0, end = target.count, escaped = false
            var i = 0
            while i < target.count {
                let c = target[i]
                if c == 0x2F {                                   // '/'
                    if n < capacity { bounds[2 * n] = start; bounds[2 * n + 1] = i }
                    n += 1
                    start = i + 1
                } else if c == 0x3F || c == 0x23 {               // '?' or '#'
                    end = i
                    break
                } else if c == 0x25 {                            // '%'
                    escaped = true
                }
                i += 1
            }
            if n < capacity { bounds[2 * n] = start; bounds[2 * n + 1] = end }
            n += 1
            let path = UnsafeBufferPointer(rebasing: target[..<end])
            if escaped || n > capacity { return .needsDecoding(path) }
            if n > 1 && bounds[2 * n - 1] == bounds[2 * n - 2] { n -= 1 }
            return .matched(body(RawSegments(path: path, bounds: bounds, count: n)))
        }
    }

    private func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: path[bounds[2 * i]..<bounds[2 * i + 1]])
    }

    func isEmpty(_ i: Int) -> Bool { bounds[2 * i] == bounds[2 * i + 1] }
    func equals(_ i: Int, _ literal: StaticString) -> Bool { HTTPCommonText.equals(UnsafeRawBufferPointer(bytes(i)), literal) }
    func text(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }

}
