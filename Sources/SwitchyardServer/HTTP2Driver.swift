import Synchronization
import SwitchyardCore
import SwitchyardHTTP2
import SwitchyardTransport

/// Drives one HTTP/2 connection: socket bytes into the nghttp2 session, complete streams to the
/// responder, responses back into the session, and session output to the socket — pulled only
/// while the connection's write queue is below its high watermark (backpressure).
final class HTTP2Driver: ConnectionHandler, ResponseSink, HTTP2SessionDelegate {
    /// Strong on purpose: a response completed after the peer went away (offloaded inference) must
    /// still find the connection to see that it is closed. The connection owns this driver as its
    /// handler until `close()` clears it, which breaks the cycle.
    private let connection: Connection
    private let shared: ServerShared
    private let local: LoopLocal
    private var session: HTTP2ServerSession!
    /// True while nghttp2 is inside `receive`: output may not be pulled re-entrantly.
    private var receiving = false
    private var lastActivity: UInt64
    private var failed = false

    init?(connection: Connection, shared: ServerShared, local: LoopLocal, upgrade: (HTTPRequest, [UInt8])?) {
        self.connection = connection
        self.shared = shared
        self.local = local
        self.lastActivity = connection.loop.now
        // Fully initialized from here, so `deinit` runs (and balances this) even if init fails below.
        shared.liveDrivers.add(1, ordering: .relaxed)
        do {
            if let (request, payload) = upgrade {
                session = try HTTP2ServerSession(upgrading: request, settingsPayload: payload,
                                                 settings: shared.http2Settings, delegate: self,
                                                 allocator: local.http2Allocator)
            } else {
                session = try HTTP2ServerSession(settings: shared.http2Settings, delegate: self,
                                                 allocator: local.http2Allocator)
            }
        } catch {
            return nil
        }
    }

    deinit { shared.liveDrivers.subtract(1, ordering: .relaxed) }

    /// After an h2c upgrade: feed what the client sent after its HTTP/1.1 request (its preface).
    func start(buffered: [UInt8]) {
        if buffered.isEmpty {
            flushSession()
        } else {
            buffered.withUnsafeBytes { connectionDidRead(connection, $0) }
            connection.flush()
        }
    }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        guard !failed else { return }
        lastActivity = connection.loop.now
        receiving = true
        do {
            try session.receive(bytes)
        } catch {
            // nghttp2 queued a GOAWAY: send it, then close.
            failed = true
        }
        receiving = false
        flushSession()
        if failed { connection.close(afterFlush: true) }
    }

    /// Moves pending frames from nghttp2 to the connection while it is not backed up.
    private func flushSession() {
        guard !connection.isClosed else { return }
        while connection.pendingBytes < connection.highWatermark {
            var buffer: [UInt8] = []
            // Room for a batch of small responses (HEADERS + DATA frames) without regrowing.
            if session.wantsWrite { buffer.reserveCapacity(4096) }
            let more = session.flush(into: &buffer, limit: 64 * 1024)
            if !buffer.isEmpty { connection.write(buffer) }
            if !more || buffer.isEmpty { break }
        }
        if session.isFinished { connection.close(afterFlush: true) }
    }

    // MARK: HTTP2SessionDelegate

    func http2Session(_ session: HTTP2ServerSession, didReceive request: HTTPRequest, streamID: Int32) {
        let context = RequestContext(loop: connection.loop, remoteAddress: connection.remoteAddress,
                                     wireProtocol: .http2, receivedAt: connection.loop.now)
        shared.responder.respond(to: request, context: context, writer: ResponseWriter(sink: self, connection: connection, token: Int64(streamID)))
    }

    /// The client reset a stream it still awaited an answer on: its writer reports the request
    /// abandoned until the application completes it, so queued work for it is skipped.
    func http2Session(_ session: HTTP2ServerSession, streamCancelled streamID: Int32) {
        guard !connection.isClosed else { return }   // a closed connection abandons every request
        connection.liveness.markCancelled(token: Int64(streamID))
    }

    // MARK: ResponseSink

    func complete(token: Int64, response: consuming HTTPResponse) {
        connection.liveness.requestCompleted(token: token)
        guard !connection.isClosed else { return }
        session.respond(to: Int32(truncatingIfNeeded: token), with: response)
        lastActivity = connection.loop.now
        // Inside `receive` the output is pulled once it returns; otherwise pull it now.
        if !receiving {
            flushSession()
            connection.flush()
        }
    }

    // MARK: lifecycle

    func connectionDidDrain(_ connection: Connection) { flushSession() }

    func connectionDidReadEOF(_ connection: Connection) {
        connection.close(afterFlush: true)
    }

    func connectionShouldShutdown(_ connection: Connection) {
        session.startGracefulShutdown()
        flushSession()
        connection.flush()
    }

    func connectionTick(_ connection: Connection, now: UInt64) {
        if session.openStreamCount == 0 {
            if now &- lastActivity > shared.idleTimeoutNs {
                session.startGracefulShutdown()
                flushSession()
                connection.close(afterFlush: true)
            }
        } else if now &- lastActivity > shared.bodyTimeoutNs {
            // Streams open but the peer has been silent for the body timeout and we owe nothing
            // that is still being computed for longer than that either: give up on the connection.
            session.startGracefulShutdown()
            flushSession()
            connection.close(afterFlush: true)
        }
    }
}
