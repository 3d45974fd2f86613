import SwitchyardCore

/// One client-initiated stream: the request as it is assembled, then the response as it is sent.
///
/// A class so that callbacks and the public API mutate it through a reference while it sits in
/// the session's table (no `inout` dictionary access that a re-entrant delegate call could overlap).
/// It lives from the request's first HEADERS until nghttp2 reports the stream closed.
final class HTTP2Stream {
    /// Set anew when a recycled stream is reused.
    var id: Int32

    // MARK: Request side
    var method: HTTPMethod?
    var path: String?
    var headers = HTTPHeaders()
    /// `headers` holds a `host` field made from `:authority` (the first field).
    var hostFromAuthority = false
    /// `:authority` when the client's own `host` field replaced it (kept for a CONNECT target).
    var displacedAuthority: String?
    /// Declared `content-length`, if any (nghttp2 checks it against the DATA actually received).
    var contentLength: Int?
    var trailers: HTTPHeaders?
    var body: [UInt8] = []
    /// Bytes counted against `maxHeaderListSize` (name + value + 32 per field, trailers included).
    var headerListSize = 0
    var headerListTooLarge = false
    /// The block being received is trailers (a HEADERS after the request head).
    var receivingTrailers = false
    /// END_STREAM received: the peer sends nothing more on this stream.
    var remoteClosed = false
    /// Handed to the delegate; from then on only `respond` or cancellation concern the application.
    var delivered = false
    /// Answered by the session itself (413, 431); the application never sees this stream.
    var rejected = false

    // MARK: Response side
    var responseSubmitted = false
    /// The frame carrying our END_STREAM has been serialized.
    var responseComplete = false
    var responseBody: [UInt8] = []
    var responseOffset = 0
    var responseTrailers: HTTPHeaders?

    init(id: Int32) { self.id = id }

    /// Makes a closed stream as `init(id: 0)` would, dropping what it still holds (a body cut
    /// short by a reset): the session keeps a few closed streams to reuse (an allocation and a
    /// deallocation less per request). Every stored property is listed; a test compares a recycled
    /// stream with a fresh one field by field.
    func recycle() {
        id = 0
        method = nil
        path = nil
        headers = HTTPHeaders()
        hostFromAuthority = false
        displacedAuthority = nil
        contentLength = nil
        trailers = nil
        body = []
        headerListSize = 0
        headerListTooLarge = false
        receivingTrailers = false
        remoteClosed = false
        delivered = false
        rejected = false
        responseSubmitted = false
        responseComplete = false
        responseBody = []
        responseOffset = 0
        responseTrailers = nil
    }

    var isHeadRequest: Bool { method == .HEAD }

    /// Copies the next slice of the response body into nghttp2's frame buffer. Returns the bytes
    /// copied and whether the body is exhausted (the buffer is released then: nothing re-reads it).
    func readResponseBody(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, finished: Bool) {
        let remaining = responseBody.count - responseOffset
        let n = min(remaining, buffer.count)
        if n > 0 {
            responseBody.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + responseOffset, byteCount: n)
            }
            responseOffset += n
        }
        let finished = responseOffset == responseBody.count
        if finished { responseBody = [] ; responseOffset = 0 }
        return (n, finished)
    }
}
