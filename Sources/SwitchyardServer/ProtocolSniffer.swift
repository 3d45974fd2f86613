import SwitchyardCore
import SwitchyardTransport

/// The first handler of every connection: looks at the first bytes and hands over to HTTP/2 when
/// they are the client connection preface (h2c with prior knowledge), otherwise to HTTP/1.1.
final class ProtocolSniffer: ConnectionHandler {
    static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    let shared: ServerShared
    let local: LoopLocal
    private var seen: [UInt8] = []

    init(shared: ServerShared, local: LoopLocal) {
        self.shared = shared
        self.local = local
    }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        if seen.isEmpty, bytes.count >= Self.preface.count {
            // The common case: the decision is in the first read, no copy needed.
            handOver(connection, isHTTP2: Self.preface.withUnsafeBytes { p in memcmpPrefix(bytes, p) }, bytes)
            return
        }
        seen.append(contentsOf: bytes)
        let n = min(seen.count, Self.preface.count)
        if seen[0..<n].elementsEqual(Self.preface[0..<n]) && seen.count < Self.preface.count {
            return  // still a prefix of the preface: wait for more
        }
        let isHTTP2 = seen.count >= Self.preface.count && seen[0..<Self.preface.count].elementsEqual(Self.preface)
        let buffered = seen
        seen = []
        buffered.withUnsafeBytes { handOver(connection, isHTTP2: isHTTP2, $0) }
    }

    private func handOver(_ connection: Connection, isHTTP2: Bool, _ bytes: UnsafeRawBufferPointer) {
        let next: any ConnectionHandler
        if isHTTP2 {
            guard let driver = HTTP2Driver(connection: connection, shared: shared, local: local, upgrade: nil) else {
                connection.close()
                return
            }
            next = driver
        } else {
            next = HTTP1Driver(connection: connection, shared: shared, local: local)
        }
        connection.handler = next
        next.connectionDidRead(connection, bytes)
    }

    func connectionDidReadEOF(_ connection: Connection) { connection.close() }
    func connectionShouldShutdown(_ connection: Connection) { connection.close() }

    func connectionTick(_ connection: Connection, now: UInt64) {
        // A connection that never completes its first request head is a slow-header client.
        if now &- connection.acceptedAt > shared.headerTimeoutNs { connection.close() }
    }
}

@inline(__always)
private func memcmpPrefix(_ a: UnsafeRawBufferPointer, _ prefix: UnsafeRawBufferPointer) -> Bool {
    guard a.count >= prefix.count else { return false }
    for i in 0..<prefix.count where a[i] != prefix[i] { return false }
    return true
}
