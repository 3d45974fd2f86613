/// Finds line endings for the line-oriented parts of HTTP/1.1 (the head, chunk-size lines, trailer
/// fields) and enforces a length budget on each line, also while the line is still incomplete, so
/// that a client trickling bytes without a line feed is cut off at the limit rather than buffered.
///
/// `scanned` remembers how far the partial line at the front of the unconsumed input was already
/// searched, so feeding one byte at a time costs O(n) in total rather than O(n²).
struct HTTP1LineScanner {
    var scanned = 0

    enum Result {
        /// The line occupies `start..<contentEnd` (without CRLF / LF); the next line starts at `next`.
        case line(contentEnd: Int, next: Int)
        case needMore
        /// The line (complete or not) would take more than the budget.
        case tooLong
    }

    /// `budget`: how many bytes this line may take, line ending included.
    @inline(__always)
    mutating func next(_ p: UnsafeRawBufferPointer, from start: Int, budget: Int) -> Result {
        let count = p.count
        let i = HTTP1Swar.firstLF(p, start + scanned, count)
        if i < count {
            scanned = 0
            if i + 1 - start > budget { return .tooLong }
            let contentEnd = i > start && p[i - 1] == HTTP1ByteClass.cr ? i - 1 : i
            return .line(contentEnd: contentEnd, next: i + 1)
        }
        scanned = count - start
        return scanned > budget ? .tooLong : .needMore
    }
}
