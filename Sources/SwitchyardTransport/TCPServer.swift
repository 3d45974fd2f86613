#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import CSwitchyardLinux

/// How new connections reach the loops.
public enum AcceptMode: String, Sendable, CaseIterable {
    /// Every loop has its own listening socket on the port (SO_REUSEPORT); the kernel balances.
    case reusePort = "reuseport"
    /// Loop 0 accepts and hands each connection to the next loop, round-robin.
    case handoff
}

/// A listening TCP server on an event-loop group: accepts connections and gives each one a
/// handler made by `childHandler` on the connection's own loop.
public final class TCPServer: Sendable {
    public struct Configuration: Sendable {
        public var address: SocketAddress
        public var acceptMode: AcceptMode
        public var backlog: Int32
        public init(address: SocketAddress, acceptMode: AcceptMode = .reusePort, backlog: Int32 = 1024) {
            self.address = address
            self.acceptMode = acceptMode
            self.backlog = backlog
        }
    }

    public let group: EventLoopGroup
    /// The bound address (port 0 in the configuration is resolved here).
    public let localAddress: SocketAddress
    private let listeners: [LoopBound<Listener>]
    private let openConnections = Atomic<Int>(0)
    private let acceptedTotal = Atomic<Int>(0)

    public init(group: EventLoopGroup, configuration: Configuration,
                childHandler: @escaping @Sendable (Connection) -> any ConnectionHandler) throws(SystemError) {
        self.group = group
        let loops = configuration.acceptMode == .reusePort ? group.loops : [group.loops[0]]
        var fds: [Int32] = []
        var bound = configuration.address
        do {
            for _ in loops {
                let fd = try Listener.makeSocket(address: bound, reusePort: configuration.acceptMode == .reusePort,
                                                 backlog: configuration.backlog)
                fds.append(fd)
                // The first socket resolves port 0; the others must share the actual port.
                if fds.count == 1 { bound = try Sys.localAddress(fd) }
            }
        } catch {
            for fd in fds { Sys.close(fd) }
            throw error
        }
        self.localAddress = bound
        self.listeners = zip(loops, fds).map { LoopBound(Listener(fd: $1, loop: $0), loop: $0) }
        // Now that `self` exists, wire the accept callbacks and register with each loop.
        let mode = configuration.acceptMode
        var failed = false
        for l in listeners {
            let ok = l.loop.runAndWait { [self] () -> Bool in
                let listener = l.value
                listener.onAccept = { [unowned self] cfd, peer in
                    self.accepted(fd: cfd, peer: peer, on: listener.loop, mode: mode, childHandler: childHandler)
                }
                return (try? listener.loop.register(listener.fd, events: EPOLLIN.rawValue, listener)) != nil
            }
            failed = failed || !ok
        }
        if failed {
            closeListeners()
            throw SystemError(call: "epoll_ctl", errno: EBADF)
        }
    }

    /// Connections open right now (all loops).
    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }
    public var acceptedCount: Int { acceptedTotal.load(ordering: .relaxed) }

    private func accepted(fd: Int32, peer: SocketAddress?, on loop: EventLoop, mode: AcceptMode,
                          childHandler: @escaping @Sendable (Connection) -> any ConnectionHandler) {
        _ = try? Sys.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        openConnections.wrappingAdd(1, ordering: .relaxed)
        acceptedTotal.wrappingAdd(1, ordering: .relaxed)
        let target = mode == .handoff ? group.next() : loop
        if target === loop {
            adopt(fd: fd, peer: peer, loop: loop, childHandler: childHandler)
        } else {
            let descriptor = fd
            target.execute { [self] in self.adopt(fd: descriptor, peer: peer, loop: target, childHandler: childHandler) }
        }
    }

    private func adopt(fd: Int32, peer: SocketAddress?, loop: EventLoop,
                       childHandler: @Sendable (Connection) -> any ConnectionHandler) {
        let c = Connection(fd: fd, loop: loop, remoteAddress: peer, serverID: ObjectIdentifier(self)) { [self] _ in
            self.openConnections.wrappingAdd(-1, ordering: .relaxed)
        }
        c.handler = childHandler(c)
        do { try c.register() } catch {
            c.handler = nil
            c.close()
        }
    }

    /// Stops accepting; open connections stay.
    public func closeListeners() {
        for l in listeners {
            l.loop.runAndWait { l.value.close() }
        }
    }

    /// Graceful shutdown: stop accepting, ask every connection to finish its in-flight requests
    /// (HTTP/1.1 closes after the current response, HTTP/2 sends GOAWAY), wait until all are closed
    /// or `deadline` has passed, then close what is left. Returns the number force-closed.
    @discardableResult
    public func shutdownGracefully(deadline: Duration) -> Int {
        closeListeners()
        let id = ObjectIdentifier(self)
        for loop in group.loops {
            loop.runAndWait {
                loop.forEachRegistered { obj in
                    if let c = obj as? Connection, c.serverID == id, let h = c.handler { h.connectionShouldShutdown(c) }
                }
            }
        }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while connectionCount > 0 && clock.now < end {
            usleep(5_000)
        }
        var forced = 0
        for loop in group.loops {
            forced += loop.runAndWait { () -> Int in
                var n = 0
                loop.forEachRegistered { obj in
                    if let c = obj as? Connection, c.serverID == id { c.close(); n += 1 }
                }
                return n
            }
        }
        return forced
    }
}
