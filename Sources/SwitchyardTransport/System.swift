#if canImport(Glibc)
import Glibc
#endif
import CSwitchyardLinux

/// Every syscall the gateway makes goes through here.
///
/// Why one file: `errno` must be read immediately after the call, before any ARC traffic or other
/// library call can overwrite it, and EINTR must be retried uniformly. Each wrapper returns either
/// the result or a `SystemError` carrying the errno and the call's name, so callers never touch
/// `errno` themselves (the swift-nio pattern).
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let errno: Int32
    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
    public var isWouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }
}

/// The outcome of a non-blocking read or write.
public enum IOResult: Equatable, Sendable {
    case processed(Int)
    case wouldBlock
}

enum Sys {
    @inline(never)
    static func check(_ call: StaticString, _ body: () -> Int32) throws(SystemError) -> Int32 {
        while true {
            let r = body()
            if r >= 0 { return r }
            let e = Glibc.errno
            if e == EINTR { continue }
            throw SystemError(call: "\(call)", errno: e)
        }
    }

    @inline(never)
    static func checkIO(_ call: StaticString, _ body: () -> Int) throws(SystemError) -> IOResult {
        while true {
            let r = body()
            if r >= 0 { return .processed(r) }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(call: "\(call)", errno: e)
        }
    }

    static func socket(domain: Int32, type: Int32) throws(SystemError) -> Int32 {
        try check("socket") { Glibc.socket(domain, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var v = value
        _ = try check("setsockopt") { setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) }
    }

    static func bind(_ fd: Int32, _ address: SocketAddress) throws(SystemError) {
        _ = try check("bind") { address.withSockAddr { Glibc.bind(fd, $0, $1) } }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(SystemError) {
        _ = try check("listen") { Glibc.listen(fd, backlog) }
    }

    /// Accepts one connection, non-blocking and close-on-exec; nil when none is pending.
    static func accept(_ fd: Int32) throws(SystemError) -> (Int32, SocketAddress?)? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let r = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(fd, $0, &len, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if r >= 0 { return (r, SocketAddress(storage: storage)) }
            let e = Glibc.errno
            switch e {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            // The peer gave up before we accepted: not an error of the listener.
            case ECONNABORTED, EPROTO: continue
            default: throw SystemError(call: "accept4", errno: e)
            }
        }
    }

    static func localAddress(_ fd: Int32) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try check("getsockname") {
            withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        }
        guard let a = SocketAddress(storage: storage) else { throw SystemError(call: "getsockname", errno: EAFNOSUPPORT) }
        return a
    }

    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult {
        try checkIO("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    static func writev(_ fd: Int32, _ iov: UnsafePointer<iovec>, _ count: Int32) throws(SystemError) -> IOResult {
        try checkIO("writev") { Glibc.writev(fd, iov, count) }
    }

    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> IOResult {
        try checkIO("write") { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    static func close(_ fd: Int32) {
        // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
        _ = Glibc.close(fd)
    }

    static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: epoll and eventfd

    static func epollCreate() throws(SystemError) -> Int32 {
        try check("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    static func epollControl(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) throws(SystemError) {
        var ev = epoll_event()
        ev.events = events
        ev.data.u64 = data
        _ = try check("epoll_ctl") { epoll_ctl(epfd, op, fd, &ev) }
    }

    static func epollWait(_ epfd: Int32, _ events: UnsafeMutablePointer<epoll_event>, _ max: Int32, timeoutMs: Int32) throws(SystemError) -> Int {
        while true {
            let r = epoll_wait(epfd, events, max, timeoutMs)
            if r >= 0 { return Int(r) }
            let e = Glibc.errno
            if e == EINTR { return 0 }
            throw SystemError(call: "epoll_wait", errno: e)
        }
    }

    static func eventfdCreate() throws(SystemError) -> Int32 {
        try check("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
    }

    static func eventfdSignal(_ fd: Int32) {
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the loop is already going to wake up.
        _ = withUnsafeBytes(of: &one) { Glibc.write(fd, $0.baseAddress, 8) }
    }

    static func eventfdDrain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { Glibc.read(fd, $0.baseAddress, 8) }
    }

    /// Monotonic clock in nanoseconds: timeouts and latency use it, never wall time.
    /// Moves the calling thread to SCHED_IDLE: it runs only when no other thread of normal
    /// priority wants the CPU (shadow traffic must never delay primary requests).
    static func setIdlePriority() throws(SystemError) {
        var param = sched_param()
        param.sched_priority = 0
        _ = try check("sched_setscheduler") { sched_setscheduler(0, CSWITCHYARD_SCHED_IDLE, &param) }
    }

    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// Monotonic nanoseconds, for code outside the transport that measures latency.
public func monotonicNanos() -> UInt64 { Sys.monotonicNanos() }
