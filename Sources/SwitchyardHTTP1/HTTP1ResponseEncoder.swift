import SwitchyardCore

/// Serializes responses for HTTP/1.1 connections straight into the connection's output buffer.
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
        buffer.reserveCapacity(buffer.count + 128 + (bodyAllowed && !headOnly ? response.body.count : 0))

        append("HTTP/1.1 ", to: &buffer)
        appendDecimal(code, to: &buffer)
        buffer.append(HTTP1ByteClass.sp)
        append(response.status.reason, to: &buffer)
        appendCRLF(&buffer)

        for (name, value) in response.headers {
            if !interim {
                if name == "content-length" || name == "transfer-encoding" || name == "connection" { continue }
                if date != nil && name == "date" { continue }
            }
            append(name, to: &buffer)
            buffer.append(HTTP1ByteClass.colon)
            buffer.append(HTTP1ByteClass.sp)
            append(value, to: &buffer)
            appendCRLF(&buffer)
        }
        if !interim {
            if bodyAllowed {
                append("content-length: ", to: &buffer)
                appendDecimal(response.body.count, to: &buffer)
                appendCRLF(&buffer)
            }
            if !keepAlive {
                append("connection: close\r\n", to: &buffer)
            } else if requestVersion == .http1_0 {
                append("connection: keep-alive\r\n", to: &buffer)
            }
            if let date {
                append("date: ", to: &buffer)
                append(date, to: &buffer)
                appendCRLF(&buffer)
            }
        }
        appendCRLF(&buffer)
        if bodyAllowed && !headOnly {
            buffer.append(contentsOf: response.body)
        }
    }

    @inline(__always)
    private static func append(_ s: String, to buffer: inout [UInt8]) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func appendCRLF(_ buffer: inout [UInt8]) {
        buffer.append(HTTP1ByteClass.cr)
        buffer.append(HTTP1ByteClass.lf)
    }

    /// Decimal digits of a non-negative integer without creating a String.
    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(48 &+ UInt8(truncatingIfNeeded: max(value, 0)))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[19 - count] = 48 &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
                count += 1
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }
}
