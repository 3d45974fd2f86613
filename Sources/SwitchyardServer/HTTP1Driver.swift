import Synchronization
import SwitchyardCore
import SwitchyardHTTP1
import SwitchyardHTTP2
import SwitchyardTransport

/// Drives one HTTP/1.1 connection: parser events in, responder calls out, responses written in
/// request order (pipelining), keep-alive, `Expect: 100-continue`, the `Upgrade: h2c` hand-over,
/// and the idle / header / body timeouts.
final class HTTP1Driver: ConnectionHandler, ResponseSink {
    /// One pipelined request awaiting (or holding) its response.
    private struct Slot {
        var token: Int64
        var response: HTTPResponse?
        var keepAlive: Bool
        var headOnly: Bool
        var version: HTTPVersion
        /// An interim "100 Continue" that must go out in order.
        var isContinue = false
    }

    /// Strong on purpose: a response completed after the peer went away (offloaded inference) must
    /// still find the connection to see that it is closed. The connection owns this driver as its
    /// handler until `close()` clears it, which breaks the cycle.
    private let connection: Connection
    private let shared: ServerShared
    private let local: LoopLocal
    private var parser: HTTP1RequestParser
    private var events: [HTTP1ParseEvent] = []
    private var slots: [Slot] = []
    private var slotHead = 0
    private var nextToken: Int64 = 0

    private var lastActivity: UInt64
    private var partialSince: UInt64 = 0
    private var lastRead: UInt64 = 0
    /// No further request will be read (error answered, `Connection: close`, EOF, shutdown).
    private var stopReading = false
    private var draining = false
    private var pendingUpgrade: HTTPRequest?

    init(connection: Connection, shared: ServerShared, local: LoopLocal) {
        self.connection = connection
        self.shared = shared
        self.local = local
        self.parser = HTTP1RequestParser(limits: shared.http1Limits)
        self.lastActivity = connection.loop.now
        shared.liveDrivers.add(1, ordering: .relaxed)
    }

    deinit { shared.liveDrivers.subtract(1, ordering: .relaxed) }

    private var inFlight: Int { slots.count - slotHead }

    // MARK: reading

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        guard !stopReading else { return }
        let now = connection.loop.now
        lastActivity = now
        lastRead = now
        let wasPartial = parser.hasPartialRequest
        var failure: HTTP1ParseError?
        do { try parser.feed(bytes, into: &events) } catch { failure = error }
        let handled = !events.isEmpty
        // Events are moved out one by one (reversed, then popped: `events` stays allocated for
        // the next read). Iterating would copy each request and destroy it again with the array:
        // two reference-count operations for each of its buffers, atomic ones (~20 cycles each).
        if events.count > 1 { events.reverse() }
        while let event = events.popLast() { handle(event, now: now, isLast: events.isEmpty) }
        if let failure {
            stopReading = true
            connection.pauseReading()
            enqueueReady(HTTPResponse.error(failure.status, failure.message), keepAlive: false, headOnly: false, version: .http1_1)
        } else if parser.hasPartialRequest && (!wasPartial || handled) {
            partialSince = now
        }
        if inFlight >= shared.configuration.maxPipelinedRequests { connection.pauseReading() }
        writeReadyResponses()
    }

    private func handle(_ event: consuming HTTP1ParseEvent, now: UInt64, isLast: Bool) {
        switch consume event {
        case .expectContinue:
            appendSlot(Slot(token: -1, response: HTTPResponse(status: .continue), keepAlive: true, headOnly: false,
                            version: .http1_1, isContinue: true))
        case .request(let request, let keepAlive):
            // The parser pauses right after an h2c upgrade request, so only the last event can be one.
            if isLast, parser.isPausedForUpgrade, isUpgradeRequest(request) {
                pendingUpgrade = request
                stopReading = true
                return
            }
            let token = nextToken
            nextToken += 1
            let keep = keepAlive && !draining
            appendSlot(Slot(token: token, response: nil, keepAlive: keep, headOnly: request.head.method == .HEAD,
                            version: request.head.version))
            if !keep { stopReading = true }
            let context = RequestContext(loop: connection.loop, remoteAddress: connection.remoteAddress,
                                         wireProtocol: .http1, receivedAt: now)
            shared.responder.respond(to: request, context: context, writer: ResponseWriter(sink: self, connection: connection, token: token))
        }
    }

    private func isUpgradeRequest(_ request: HTTPRequest) -> Bool {
        request.head.headers["upgrade"]?.lowercased() == "h2c" && request.head.headers["http2-settings"] != nil
    }

    private func appendSlot(_ slot: Slot) {
        slots.append(slot)
    }

    private func enqueueReady(_ response: HTTPResponse, keepAlive: Bool, headOnly: Bool, version: HTTPVersion) {
        appendSlot(Slot(token: -1, response: response, keepAlive: keepAlive, headOnly: headOnly, version: version))
    }

    // MARK: responses

    func complete(token: Int64, response: consuming HTTPResponse) {
        guard !connection.isClosed else { return }
        // Tokens are handed out in order, so the slot is found by a short scan from the head.
        var i = slotHead
        while i < slots.count && slots[i].token != token { i += 1 }
        if i < slots.count { slots[i].response = consume response }
        writeReadyResponses()
        connection.flush()
    }

    private func writeReadyResponses() {
        var wrote = false
        while slotHead < slots.count, slots[slotHead].response != nil {
            // The response is moved out of its slot, not copied (see `connectionDidRead`).
            let response = slots[slotHead].response.take()!
            let slot = slots[slotHead]
            slotHead += 1
            wrote = true
            if slot.isContinue {
                connection.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                continue
            }
            // While draining (shutdown, EOF) the response in hand is the last: say so.
            let keepAlive = slot.keepAlive && !(draining && slotHead == slots.count && !parser.hasPartialRequest)
            write(response, slot: slot, keepAlive: keepAlive)
            if !keepAlive {
                slots.removeAll()
                slotHead = 0
                connection.close(afterFlush: true)
                return
            }
        }
        if slotHead == slots.count {
            slots.removeAll(keepingCapacity: true)
            slotHead = 0
            if let upgrade = pendingUpgrade {
                pendingUpgrade = nil
                performUpgrade(upgrade)
                return
            }
            if draining && !parser.hasPartialRequest { connection.close(afterFlush: true); return }
        }
        if wrote && connection.isReadingPaused && !stopReading && inFlight < shared.configuration.maxPipelinedRequests {
            connection.resumeReading()
        }
        if wrote { lastActivity = connection.loop.now }
    }

    private func write(_ response: HTTPResponse, slot: Slot, keepAlive: Bool) {
        var out: [UInt8] = []
        // Small bodies go in the same buffer as the head (one iovec); large ones are queued as
        // their own array so a multi-megabyte tensor response is never copied.
        let inline = response.body.count <= 16 * 1024 || slot.headOnly
        out.reserveCapacity(256 + response.headers.count * 40 + (inline ? response.body.count : 0))
        HTTP1ResponseEncoder.encode(response, requestVersion: slot.version, keepAlive: keepAlive,
                                    headOnly: slot.headOnly || !inline, date: local.dates.current, into: &out)
        connection.write(out)
        if !inline { connection.write(response.body) }
    }

    // MARK: h2c upgrade

    private func performUpgrade(_ request: HTTPRequest) {
        guard let header = request.head.headers["http2-settings"],
              let payload = HTTP2ServerSession.decodeSettingsHeader(header) else {
            enqueueReady(.error(.badRequest, "invalid HTTP2-Settings header"), keepAlive: false, headOnly: false, version: request.head.version)
            writeReadyResponses()
            return
        }
        connection.write(Array("HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: h2c\r\n\r\n".utf8))
        let rest = parser.takeBufferedBytes()
        guard let driver = HTTP2Driver(connection: connection, shared: shared, local: local,
                                       upgrade: (request, payload)) else {
            connection.close(afterFlush: true)
            return
        }
        connection.handler = driver
        connection.resumeReading()
        driver.start(buffered: rest)
    }

    // MARK: lifecycle

    func connectionDidReadEOF(_ connection: Connection) {
        stopReading = true
        // A client may half-close after sending pipelined requests: answer them, then close.
        if inFlight == 0 { connection.close(afterFlush: true) } else { draining = true }
    }

    func connectionShouldShutdown(_ connection: Connection) {
        draining = true
        if inFlight == 0 && !parser.hasPartialRequest { connection.close(afterFlush: true) }
    }

    func connectionTick(_ connection: Connection, now: UInt64) {
        if parser.hasPartialRequest && !stopReading {
            if parser.isReadingHead {
                if now &- partialSince > shared.headerTimeoutNs { timeOut("request header timeout") }
            } else if now &- lastRead > shared.bodyTimeoutNs {
                timeOut("request body timeout")
            }
        } else if inFlight == 0 && now &- lastActivity > shared.idleTimeoutNs {
            connection.close()
        }
    }

    private func timeOut(_ message: String) {
        stopReading = true
        connection.pauseReading()
        enqueueReady(.error(.requestTimeout, message), keepAlive: false, headOnly: false, version: .http1_1)
        writeReadyResponses()
        connection.flush()
    }
}
