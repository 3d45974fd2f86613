import SwitchyardCore
import SwitchyardHTTP1
import SwitchyardTransport

/// The first handler of every connection: looks at the first bytes and hands over to HTTP/2 when
/// they are the client connection preface (h2c with prior knowledge, what gRPC clients send),
/// otherwise to HTTP/1.1.
final class ProtocolSniffer: ConnectionHandler {
    let shared: ServerShared
    let local: LoopLocal
    private var seen: [UInt8] = []

    init(shared: ServerShared, local: LoopLocal) {
        self.shared = shared
        self.local = local
    }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        if seen.isEmpty {
            // The common case: the decision is in the first read, no copy needed.
            switch HTTP2PrefaceDetector.classify(bytes) {
            case .http2: return handOver(connection, isHTTP2: true, bytes)
            case .http1: return handOver(connection, isHTTP2: false, bytes)
            case .needMoreBytes: seen.append(contentsOf: bytes)
            }
            return
        }
        seen.append(contentsOf: bytes)
        let verdict = seen.withUnsafeBytes { HTTP2PrefaceDetector.classify($0) }
        guard verdict != .needMoreBytes else { return }
        let buffered = seen
        seen = []
        buffered.withUnsafeBytes { handOver(connection, isHTTP2: verdict == .http2, $0) }
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
        // A connection that never sends enough to tell its protocol is a slow-header client.
        if now &- connection.acceptedAt > shared.headerTimeoutNs { connection.close() }
    }
}
