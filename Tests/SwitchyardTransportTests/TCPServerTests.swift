#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import Testing
@testable import SwitchyardTransport
import SwitchyardTestSupport

/// Echoes every byte back; counts events for assertions.
final class EchoHandler: ConnectionHandler {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        connection.write(Array(bytes))
    }
}

/// Answers every read with `chunk` bytes, to overrun a peer that does not read.
final class FloodStats: Sendable {
    let maxPending = Atomic<Int>(0)
    let sawPause = Atomic<Bool>(false)
}

final class FloodHandler: ConnectionHandler {
    let chunk: Int
    let stats: FloodStats
    init(chunk: Int, stats: FloodStats) { self.chunk = chunk; self.stats = stats }
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        connection.write([UInt8](repeating: 0x61, count: chunk))
        _ = stats.maxPending.fetchMax(connection.pendingBytes)
        if connection.isReadingPaused { stats.sawPause.store(true, ordering: .relaxed) }
    }
}

extension Atomic where Value == Int {
    func fetchMax(_ v: Int) -> Int {
        var cur = load(ordering: .relaxed)
        while v > cur {
            let (ok, now) = compareExchange(expected: cur, desired: v, ordering: .relaxed)
            if ok { return v }
            cur = now
        }
        return cur
    }
}

@Suite(.serialized) struct TCPServerTests {
    @Test(arguments: AcceptMode.allCases)
    func echoesOverLoopback(mode: AcceptMode) throws {
        let group = try EventLoopGroup(count: 2)
        group.start()
        defer { group.stopAndJoin() }
        let server = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "127.0.0.1", port: 0), acceptMode: mode)) { _ in EchoHandler() }
        #expect(server.localAddress.port > 0)
        var clients: [LoopbackClient] = []
        for i in 0..<8 {
            let c = try LoopbackClient(port: server.localAddress.port)
            let msg = Array("hello \(i) ".utf8) + [UInt8](repeating: UInt8(i), count: 100_000)
            try c.send(msg)
            #expect(c.receive(count: msg.count) == msg)
            clients.append(c)
        }
        #expect(server.acceptedCount == 8)
        clients.removeAll()
        server.shutdownGracefully(deadline: .seconds(2))
        #expect(server.connectionCount == 0)
    }

    @Test func listensOnIPv6Loopback() throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.stopAndJoin() }
        let server = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "::1", port: 0))) { _ in EchoHandler() }
        let c = try LoopbackClient(port: server.localAddress.port, host: "::1")
        try c.send("v6")
        #expect(c.receive(count: 2) == Array("v6".utf8))
        server.shutdownGracefully(deadline: .seconds(1))
    }

    @Test func stopsReadingWhenPeerDoesNotRead() throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.stopAndJoin() }
        let stats = FloodStats()
        let chunk = 256 * 1024
        let server = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "127.0.0.1", port: 0))) { _ in
            FloodHandler(chunk: chunk, stats: stats)
        }
        let c = try LoopbackClient(port: server.localAddress.port)
        // 200 separate sends would ask for up to 50 MiB of output; the client reads none of it.
        for _ in 0..<200 { try c.send([0x78]); usleep(500) }
        usleep(100_000)
        let paused = stats.sawPause.load(ordering: .relaxed)
        let maxQueued = stats.maxPending.load(ordering: .relaxed)
        #expect(paused)
        // Bounded: once more than the 1 MiB high watermark is queued, no further read is processed.
        #expect(maxQueued <= 1_048_576 + chunk)
        // Reading everything drains the queue and the server resumes.
        let got = c.receive(count: 2 * 1_048_576)
        #expect(got.count == 2 * 1_048_576)
        server.shutdownGracefully(deadline: Duration.milliseconds(200))
    }

    @Test func offloadDeliversOnTheLoopAndRefusesWhenFull() throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.stopAndJoin() }
        let loop = group.loops[0]
        let pool = OffloadPool(name: "test", maxPending: 2)
        let done = DispatchSemaphore(value: 0)
        let onLoop = FloodStats()
        let gate = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            let ok = pool.submit(returningTo: loop, { gate.wait(); return 21 * 2 }, completion: { v in
                if loop.inEventLoop && v == 42 { onLoop.maxPending.wrappingAdd(1, ordering: .relaxed) }
                done.signal()
            })
            #expect(ok)
        }
        // Two jobs are outstanding: the third is refused, not queued.
        let accepted = pool.submit(returningTo: loop, { 0 }, completion: { _ in })
        #expect(!accepted)
        #expect(pool.rejectedCount == 1)
        gate.signal(); gate.signal()
        done.wait(); done.wait()
        let delivered = onLoop.maxPending.load(ordering: .relaxed)
        #expect(delivered == 2)
    }

    @Test func gracefulShutdownForceClosesAfterDeadline() throws {
        final class Stubborn: ConnectionHandler {
            func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {}
            func connectionShouldShutdown(_ connection: Connection) {}  // ignores the request
        }
        let group = try EventLoopGroup(count: 2)
        group.start()
        defer { group.stopAndJoin() }
        let server = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "127.0.0.1", port: 0))) { _ in Stubborn() }
        let c1 = try LoopbackClient(port: server.localAddress.port)
        let c2 = try LoopbackClient(port: server.localAddress.port)
        try c1.send("x"); try c2.send("y")
        while server.connectionCount < 2 { usleep(1000) }
        let forced = server.shutdownGracefully(deadline: .milliseconds(100))
        #expect(forced == 2)
        #expect(server.connectionCount == 0)
        #expect(c1.receiveUntilClose().isEmpty)
        // The listener is gone: new connections are refused.
        #expect(throws: (any Error).self) { _ = try LoopbackClient(port: server.localAddress.port) }
    }

    @Test func rejectsBadAddresses() {
        #expect(throws: AddressError.self) { _ = try SocketAddress(host: "not-an-ip", port: 80) }
        #expect(throws: AddressError.self) { _ = try SocketAddress(host: "127.0.0.1", port: 70000) }
        #expect(throws: SystemError.self) {
            let group = try EventLoopGroup(count: 1)
            let a = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "127.0.0.1", port: 0), acceptMode: .handoff)) { _ in EchoHandler() }
            // Same port, without SO_REUSEPORT on the first socket: EADDRINUSE.
            _ = try TCPServer(group: group, configuration: .init(address: a.localAddress, acceptMode: .handoff)) { _ in EchoHandler() }
        }
    }
}
