import Dispatch
import Synchronization
import Testing
@testable import SwitchyardTransport
import SwitchyardTestSupport

/// Echoes, flushes inside the read callback, and records how many bytes were still queued right
/// after that flush (the loop defers it to the end of the epoll batch).
final class QueuedProbe: Sendable {
    let bytes = Atomic<Int>(-1)
}

final class DeferredEchoHandler: ConnectionHandler {
    let probe: QueuedProbe
    init(_ probe: QueuedProbe) { self.probe = probe }
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        connection.write(Array(bytes))
        connection.flush()
        probe.bytes.store(connection.pendingBytes, ordering: .relaxed)
    }
}

/// Answers from another thread: the reply hops back with `execute` and is flushed from a task.
final class OffLoopEchoHandler: ConnectionHandler {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        let reply = Array(bytes)
        let bound = LoopBound(connection, loop: connection.loop)
        DispatchQueue.global().async {
            bound.loop.execute {
                bound.value.write(reply)
                bound.value.flush()
            }
        }
    }
}

@Suite(.serialized) struct DeferredFlushTests {
    @Test func flushInsideABatchIsDeferredAndStillDelivered() throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.stopAndJoin() }
        let queued = QueuedProbe()
        let server = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "127.0.0.1", port: 0))) { _ in
            DeferredEchoHandler(queued)
        }
        let clients = try (0..<4).map { _ in try LoopbackClient(port: server.localAddress.port) }
        for (i, c) in clients.enumerated() { try c.send("request \(i)") }
        for (i, c) in clients.enumerated() {
            #expect(c.receive(count: "request \(i)".utf8.count) == Array("request \(i)".utf8))
        }
        // The flush called from the read callback left the bytes queued: they went out after the batch.
        #expect(queued.bytes.load(ordering: .relaxed) == "request 3".utf8.count)
        server.shutdownGracefully(deadline: .seconds(1))
    }

    @Test func flushFromAQueuedTaskIsDelivered() throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.stopAndJoin() }
        let server = try TCPServer(group: group, configuration: .init(address: try SocketAddress(host: "127.0.0.1", port: 0))) { _ in
            OffLoopEchoHandler()
        }
        let c = try LoopbackClient(port: server.localAddress.port)
        for i in 0..<20 {
            let msg = "message \(i)"
            try c.send(msg)
            #expect(c.receive(count: msg.utf8.count) == Array(msg.utf8))
        }
        server.shutdownGracefully(deadline: .seconds(1))
    }
}
