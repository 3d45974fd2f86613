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
        reserveHeaders()
        if HTTPCommonText.equals(name, "host") {
            if hostFromAuthority {
                // The client sent its own Host: it is kept instead (the authority stays the target
                // of a CONNECT).
                displacedAuthority = headers["host"]
                headers.remove(name: "host")
                hostFromAuthority = false
            }
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
            // Becomes the `host` field at once (pseudo-headers precede the other fields, so it is
            // the first one): no String is made for it.
            reserveHeaders()
            headers.append(name: "host", value: value)
            hostFromAuthority = true
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
        // Move every part out (swap): a copy would retain what the stream then releases.
        var fields = HTTPHeaders()
        swap(&fields, &headers)
        var requestBody: [UInt8] = []
        swap(&requestBody, &body)
        var requestTrailers: HTTPHeaders?
        swap(&requestTrailers, &trailers)
        // CONNECT carries no :path; its target is the authority (RFC 9113 §8.5).
        let target = path ?? (hostFromAuthority ? fields["host"] : displacedAuthority) ?? ""
        return HTTPRequest(head: HTTPRequestHead(method: method ?? HTTPMethod(""), target: target, version: .http2,
                                                 headers: fields),
                           body: requestBody, trailers: requestTrailers)
    }

    /// Most requests carry a handful of short fields: one allocation instead of regrowth.
    @inline(__always)
    private func reserveHeaders() {
        if headers.isEmpty { headers.reserveCapacity(fields: 8, bytes: 256) }
    }

    /// Bodies declared larger than this grow by doubling past it.
    static let maxUpfrontBodyReservation = 1 << 20
}
