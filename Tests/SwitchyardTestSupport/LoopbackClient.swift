#if canImport(Glibc)
import Glibc
#endif
import SwitchyardTransport

/// A blocking TCP client for tests: connect, send raw bytes, receive with a timeout. Raw bytes are
/// how tests reach what real clients never send (slow heads, broken framing, half-closes).
public final class LoopbackClient {
    public let fd: Int32

    public init(port: Int, host: String = "127.0.0.1") throws {
        let address = try SocketAddress(host: host, port: port)
        fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket failed") }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc: Int32
        switch address {
        case .v4(var a): rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        case .v6(var a): rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        guard rc == 0 else { close(fd); throw TestError("connect failed: errno \(errno)") }
    }

    deinit { close(fd) }

    public func send(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestError("send failed: errno \(errno)") }
            off += n
        }
    }

    public func send(_ s: String) throws { try send(Array(s.utf8)) }

    /// Reads until `count` bytes arrived, EOF, or the 5 s receive timeout.
    public func receive(count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while out.count < count {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - out.count), 0) }
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    /// Reads until the peer closes (or the timeout); returns what arrived.
    public func receiveUntilClose() -> [UInt8] { receive(count: Int.max) }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Makes the close at deinit a reset (SO_LINGER 0), as a client that crashes or gives up does.
    public func resetOnClose() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }
}

public struct TestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
