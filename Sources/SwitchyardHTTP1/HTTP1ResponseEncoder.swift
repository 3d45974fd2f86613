import SwitchyardCore

/// Serializes responses for HTTP/1.1 connections straight into the connection's output buffer.
///
/// The head is measured first and the buffer grown once, then every piece is copied into place, so
/// a response costs one capacity check and one copy per string instead of an `append` per piece.
public enum HTTP1ResponseEncoder {
    /// Appends "HTTP/1.1 <code> <reason>\r\n", the response's headers, `content-length` (from body.count,
    /// except 1xx/204/304), `connection: close` when !keepAlive (and `connection: keep-alive` for a keep-alive
    /// HTTP/1.0 client), `date: <date>` when given, a blank line, then the body unless `headOnly` (HEAD).
    /// Response trailers are dropped (not used over HTTP/1.1). Header names as stored (lower-case) are fine.
    ///
    /// Framing is the encoder's job: `content-length`, `transfer-encoding` and `connection` fields in
    /// the response are replaced by the ones above (and `date` when `date` is given), so a handler cannot
    /// produce a response whose framing disagrees with its body. Interim (1xx) responses are written with
    /// their headers untouched (a 101 carries its own `connection: upgrade`) and never carry a body.
    public static func encode(_ response: HTTPResponse, requestVersion: HTTPVersion, keepAlive: Bool,
                              headOnly: Bool, date: String?, into buffer: inout [UInt8]) {
        let code = response.status.code
        let interim = code >= 100 && code < 200
        let bodyAllowed = !interim && code != 204 && code != 304
        let connection: StaticString? = interim ? nil
            : (!keepAlive ? "connection: close\r\n" : (requestVersion == .http1_0 ? "connection: keep-alive\r\n" : nil))

        // Length first: most names have none of these lengths.
        @inline(__always)
        func kept(_ name: UnsafeRawBufferPointer) -> Bool {
            if interim { return true }
            switch name.count {
            case 4: return date == nil || !HTTPCommonText.equals(name, "date")
            case 10: return !HTTPCommonText.equals(name, "connection")
            case 14: return !HTTPCommonText.equals(name, "content-length")
            case 17: return !HTTPCommonText.equals(name, "transfer-encoding")
            default: return true
            }
        }

        // Measure.
        var size = 9 + decimalCount(code) + 1 + response.status.reason.utf8.count + 2 + 2
        response.headers.forEachField { name, value in
            if kept(name) { size += name.count + 2 + value.count + 2 }
        }
        if bodyAllowed { size += 16 + decimalCount(response.body.count) + 2 }
        if let connection { size += connection.utf8CodeUnitCount }
        if let date, !interim { size += 6 + date.utf8.count + 2 }
        let body = bodyAllowed && !headOnly ? response.body.count : 0

        // Write.
        let start = buffer.count
        buffer.reserveCapacity(start + size + body)
        buffer.append(contentsOf: repeatElement(0, count: size))
        buffer.withUnsafeMutableBytes { raw in
            var w = Writer(base: raw.baseAddress! + start)
            w.put("HTTP/1.1 ")
            w.putDecimal(code)
            w.put(" ")
            w.put(response.status.reason)
            w.put("\r\n")
            response.headers.forEachField { name, value in
                guard kept(name) else { return }
                w.put(name)
                w.put(": ")
                w.put(value)
                w.put("\r\n")
            }
            if bodyAllowed {
                w.put("content-length: ")
                w.putDecimal(response.body.count)
                w.put("\r\n")
            }
            if let connection { w.put(connection) }
            if let date, !interim {
                w.put("date: ")
                w.put(date)
                w.put("\r\n")
            }
            w.put("\r\n")
            precondition(w.offset == size, "response head measured \(size) bytes but wrote \(w.offset)")
        }
        if body > 0 { buffer.append(contentsOf: response.body) }
    }

    static func decimalCount(_ value: Int) -> Int {
        var n = max(value, 0)
        var digits = 1
        while n >= 10 { n /= 10; digits += 1 }
        return digits
    }

    /// Copies pieces into memory already sized for them.
    private struct Writer {
        let base: UnsafeMutableRawPointer
        var offset = 0

        init(base: UnsafeMutableRawPointer) { self.base = base }

        @inline(__always)
        mutating func put(_ s: StaticString) {
            (base + offset).copyMemory(from: s.utf8Start, byteCount: s.utf8CodeUnitCount)
            offset += s.utf8CodeUnitCount
        }

        @inline(__always)
        mutating func put(_ bytes: UnsafeRawBufferPointer) {
            if let from = bytes.baseAddress, bytes.count > 0 {
                (base + offset).copyMemory(from: from, byteCount: bytes.count)
            }
            offset += bytes.count
        }

        @inline(__always)
        mutating func put(_ s: String) {
            s.withUTF8Bytes { put(UnsafeRawBufferPointer($0)) }
        }

        @inline(__always)
        mutating func putDecimal(_ value: Int) {
            var n = max(value, 0)
            let count = HTTP1ResponseEncoder.decimalCount(n)
            var i = offset + count
            repeat {
                i -= 1
                base.storeBytes(of: 48 &+ UInt8(truncatingIfNeeded: n % 10), toByteOffset: i, as: UInt8.self)
                n /= 10
            } while n > 0
            offset += count
        }
    }
}
