import SwitchyardCore

/// What the nghttp2 callbacks report, as plain Swift. Each method is called by one trampoline in
/// `NGHTTP2Session.swift`, synchronously from inside `nghttp2_session_mem_recv`/`mem_send`.
/// Delegate calls happen only after every table/stream mutation they depend on is complete, so a
/// delegate that calls `respond` from inside them never overlaps an access.
extension HTTP2ServerSession {
    /// A header block starts: a new request (HEADERS opening a stream) or the request's trailers.
    func beginHeaders(streamID: Int32, isTrailers: Bool) {
        if isTrailers {
            let stream = streams[streamID]
            stream?.receivingTrailers = true
            headerStream = stream.map(Unmanaged.passUnretained)
        } else {
            let stream: HTTP2Stream
            if let spare = spareStreams.popLast() {
                spare.id = streamID
                stream = spare
            } else {
                stream = HTTP2Stream(id: streamID)
            }
            streams.insert(stream)
            headerStream = Unmanaged.passUnretained(stream)
        }
    }

    func receivedField(streamID: Int32, name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let limit = Int(settings.maxHeaderListSize)
        if let cached = headerStream, cached._withUnsafeGuaranteedRef({ $0.id == streamID }) {
            cached._withUnsafeGuaranteedRef { stream in
                if !stream.rejected { stream.addField(name: name, value: value, maxHeaderListSize: limit) }
            }
        } else if let stream = streams[streamID], !stream.rejected {
            stream.addField(name: name, value: value, maxHeaderListSize: limit)
        }
    }

    /// A complete header block (HEADERS plus any CONTINUATION) was received and accepted.
    func headerBlockEnded(streamID: Int32, endStream: Bool) {
        headerStream = nil
        guard let stream = streams[streamID] else { return }
        if endStream { stream.remoteClosed = true }
        if stream.rejected || stream.delivered { return }
        if stream.headerListTooLarge {
            reject(stream, status: .headerFieldsTooLarge,
                   message: "request header fields exceed \(settings.maxHeaderListSize) bytes")
            return
        }
        if let declared = stream.contentLength, declared > settings.maxBodyBytes {
            reject(stream, status: .payloadTooLarge,
                   message: "request body of \(declared) bytes exceeds the limit of \(settings.maxBodyBytes) bytes")
            return
        }
        if endStream { deliver(stream) }
    }

    func receivedData(streamID: Int32, chunk: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], !stream.rejected, !stream.delivered else { return }
        if !stream.appendBody(chunk, maxBodyBytes: settings.maxBodyBytes) {
            reject(stream, status: .payloadTooLarge,
                   message: "request body exceeds the limit of \(settings.maxBodyBytes) bytes")
        }
    }

    /// A DATA frame with END_STREAM was received.
    func requestEnded(streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        stream.remoteClosed = true
        if !stream.rejected && !stream.delivered { deliver(stream) }
    }

    private func deliver(_ stream: HTTP2Stream) {
        stream.delivered = true
        let request = stream.takeRequest()
        delegate.http2Session(self, didReceive: request, streamID: stream.id)
    }

    /// The frame carrying our END_STREAM was serialized. If the client is still sending (we
    /// answered early: 413, 431), ask it to stop without error (RFC 9113 §8.1).
    func responseEnded(streamID: Int32) {
        guard let stream = streams[streamID] else { return }
        stream.responseComplete = true
        if !stream.remoteClosed { libraryResetStream(streamID, cancel: false) }
    }

    func streamClosed(streamID: Int32) {
        guard var stream = streams.remove(streamID) else { return }
        if headerStream?.toOpaque() == Unmanaged.passUnretained(stream).toOpaque() { headerStream = nil }
        if streamID == 1, pendingUpgradeRequest != nil {
            pendingUpgradeRequest = nil
            return
        }
        if stream.delivered && !stream.responseSubmitted {
            delegate.http2Session(self, streamCancelled: streamID)
        }
        // Kept for the next stream only when nothing else still refers to it.
        if spareStreams.count < Self.spareStreamLimit && isKnownUniquelyReferenced(&stream) {
            stream.recycle()
            spareStreams.append(stream)
        }
    }

    /// Serves the next slice of a response body; nil if the stream is unknown (nghttp2 then resets it).
    func readResponseBody(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer)
        -> (count: Int, finished: Bool, hasTrailers: Bool)? {
        guard let stream = streams[streamID] else { return nil }
        let (count, finished) = stream.readResponseBody(into: buffer)
        return (count, finished, stream.responseTrailers != nil)
    }

    /// The connection cannot continue: remember why, and tell the application that every
    /// delivered request still waiting for its response is abandoned.
    func failConnection(_ error: HTTP2Error) {
        connectionError = error
        pendingUpgradeRequest = nil
        headerStream = nil
        let abandoned = streams.values.filter { $0.delivered && !$0.responseSubmitted }.map(\.id).sorted()
        streams.removeAll()
        for id in abandoned {
            delegate.http2Session(self, streamCancelled: id)
        }
    }
}
