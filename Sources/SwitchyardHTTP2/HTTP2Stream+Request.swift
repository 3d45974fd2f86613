import SwitchyardCore

/// Request assembly from decoded header fields and DATA chunks.
///
/// nghttp2's HTTP messaging checks run before any field reaches us (RFC 9113 §8.2-8.3: lower-case
/// names, no connection-specific fields, required and unique pseudo-headers, pseudo-headers first,
/// `content-length` matching the DATA received); a violating stream is reset with PROTOCOL_ERROR by
/// the library. What is left here is copying the decoder's bytes into the request's header list
/// (no `String` per field; see `HTTPHeaders`) and enforcing our own limits.
extension HTTP2Stream {
    /// Records one header field of the request head or of its trailers.
    func addField(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, maxHeaderListSize: Int) {
        if headerListTooLarge { return }
        headerListSize += name.count + value.count + 32
        if headerListSize > maxHeaderListSize {
            // Keep decoding (HPACK state must stay in sync) but stop storing; the stream is
            // answered with 431 once the header block ends.
            headerListTooLarge = true
            headers = HTTPHeaders()
            trailers = nil
            return
        }
        if receivingTrailers {
            if trailers == nil { trailers = HTTPHeaders() }
            trailers?.append(name: name, value: value)
            return
        }
        if name.first == UInt8(ascii: ":") {
            addPseudoHeader(name: name, value: value)
            return
        }
        // Most requests carry a handful of short fields: one allocation instead of regrowth.
        if headers.isEmpty { headers.reserveCapacity(fields: 8, bytes: 256) }
        if HTTPCommonText.equals(name, "host") {
            hasHost = true
        } else if HTTPCommonText.equals(name, "content-length") {
            contentLength = HTTPCommonText.decimal(value)
        }
        headers.append(name: name, value: value)
    }

    private func addPseudoHeader(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        if HTTPCommonText.equals(name, ":method") {
            method = HTTPMethod(bytes: value)
        } else if HTTPCommonText.equals(name, ":path") {
            path = String(decoding: value, as: UTF8.self)
        } else if HTTPCommonText.equals(name, ":authority") {
            authority = String(decoding: value, as: UTF8.self)
        }
        // :scheme (validated by nghttp2) and :protocol carry nothing the gateway routes on.
    }

    /// Appends a DATA chunk. Returns false (and drops what was buffered) when the body would
    /// exceed `maxBodyBytes`; the caller then answers 413.
    func appendBody(_ chunk: UnsafeRawBufferPointer, maxBodyBytes: Int) -> Bool {
        if body.count + chunk.count > maxBodyBytes {
            body = []
            return false
        }
        if body.isEmpty, let declared = contentLength, declared <= maxBodyBytes {
            // One allocation for the whole body when the client declared its size, capped so that
            // a client cannot make us reserve megabytes per stream before sending them.
            body.reserveCapacity(min(declared, HTTP2Stream.maxUpfrontBodyReservation))
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// The assembled request. Moves the body out (the stream keeps no second reference, so the
    /// application owns a uniquely referenced array).
    func takeRequest() -> HTTPRequest {
        // Take the list out first: appending to a copy that `headers` still shares would copy it.
        var fields = HTTPHeaders()
        swap(&fields, &headers)
        if !hasHost, let authority {
            fields.addLowercased(name: "host", value: authority)
        }
        // CONNECT carries no :path; its target is the authority (RFC 9113 §8.5).
        let target = path ?? authority ?? ""
        let head = HTTPRequestHead(method: method ?? HTTPMethod(""), target: target, version: .http2, headers: fields)
        let request = HTTPRequest(head: head, body: body, trailers: trailers)
        body = []
        trailers = nil
        return request
    }

    /// Bodies declared larger than this grow by doubling past it.
    static let maxUpfrontBodyReservation = 1 << 20
}
