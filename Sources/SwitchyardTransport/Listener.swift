#if canImport(Glibc)
import Glibc
#endif
import CSwitchyardLinux

/// A listening socket registered on one loop.
///
/// With `SO_REUSEPORT` every loop owns a listener on the same port and the kernel spreads new
/// connections; in hand-off mode one listener accepts and `onAccept` passes the descriptor to a
/// loop chosen round-robin.
final class Listener: Selectable {
    let fd: Int32
    let loop: EventLoop
    /// Set once, on the loop, before the listener is registered.
    var onAccept: (Int32, SocketAddress?) -> Void = { fd, _ in Sys.close(fd) }
    private(set) var isClosed = false

    init(fd: Int32, loop: EventLoop) {
        self.fd = fd
        self.loop = loop
    }

    /// Creates, binds and listens. `reusePort` must be the same for all sockets sharing a port.
    static func makeSocket(address: SocketAddress, reusePort: Bool, backlog: Int32) throws(SystemError) -> Int32 {
        let fd = try Sys.socket(domain: address.family, type: Int32(SOCK_STREAM.rawValue))
        do {
            try Sys.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try Sys.setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            // "::" listens on IPv4 too (dual stack); a specific v6 address stays v6-only by the kernel's rules.
            if case .v6 = address { try Sys.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, address.host == "::" ? 0 : 1) }
            try Sys.bind(fd, address)
            try Sys.listen(fd, backlog: backlog)
        } catch {
            Sys.close(fd)
            throw error
        }
        return fd
    }

    func handleEvents(_ events: UInt32) {
        // Accept a bounded batch per wake-up so one busy listener cannot starve the loop's connections.
        for _ in 0..<64 {
            guard !isClosed else { return }
            do {
                guard let (cfd, peer) = try Sys.accept(fd) else { return }
                onAccept(cfd, peer)
            } catch {
                // EMFILE/ENFILE: out of descriptors. Stop this batch; the loop retries on the next
                // wake-up (level-triggered), and existing connections keep being served.
                return
            }
        }
    }

    func tick(now: UInt64) {}

    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(fd)
        Sys.close(fd)
    }
}
