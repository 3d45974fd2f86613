#if canImport(Glibc)
import Glibc
#endif
import CSwitchyardLinux

/// One accepted TCP connection, confined to the event loop that accepted (or was handed) it.
///
/// Reads go through the loop's shared buffer straight to the handler. Writes are queued as whole
/// byte arrays (no copy) and sent with `writev`; partial writes and EAGAIN keep the rest queued and
/// arm EPOLLOUT. Backpressure: when more than `highWatermark` bytes wait to be sent, the
/// connection stops reading (EPOLLIN off) so a client that does not read its responses cannot make
/// the server buffer without bound; reading resumes below `lowWatermark`.
public final class Connection: Selectable {
    public let fd: Int32
    public let loop: EventLoop
    public let remoteAddress: SocketAddress?
    public var handler: (any ConnectionHandler)?
    /// When the connection was accepted (loop clock), for diagnostics and timeouts.
    public let acceptedAt: UInt64

    public var highWatermark = 1 << 20
    public var lowWatermark = 256 << 10

    private var outbound: [[UInt8]] = []
    private var outboundHead = 0          // index of the first unsent array
    private var outboundOffset = 0        // bytes of outbound[outboundHead] already sent
    public private(set) var pendingBytes = 0

    private var interest: UInt32
    private var readPausedByHandler = false
    private var readPausedByBackpressure = false
    private var closeAfterFlush = false
    public private(set) var isClosed = false
    /// The same fact as `isClosed`, readable from any thread: response writers carry it so that
    /// offloaded work can see that its client has gone before it starts.
    public let liveness = ConnectionLiveness()
    private var readEOF = false
    let onClose: (Connection) -> Void
    /// Identifies the server that accepted it (several servers can share a loop group).
    let serverID: ObjectIdentifier

    init(fd: Int32, loop: EventLoop, remoteAddress: SocketAddress?, serverID: ObjectIdentifier, onClose: @escaping (Connection) -> Void) {
        self.serverID = serverID
        self.fd = fd
        self.loop = loop
        self.remoteAddress = remoteAddress
        self.acceptedAt = loop.now
        self.interest = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        self.onClose = onClose
    }

    func register() throws(SystemError) {
        try loop.register(fd, events: interest, self)
    }

    // MARK: writing

    /// Queues `bytes` for sending; call `flush()` (or return from a read callback, which flushes).
    public func write(_ bytes: [UInt8]) {
        guard !isClosed, !bytes.isEmpty else { return }
        outbound.append(bytes)
        pendingBytes += bytes.count
        if pendingBytes > highWatermark && !readPausedByBackpressure {
            readPausedByBackpressure = true
            updateInterest()
        }
    }

    private var flushDeferred = false

    /// Sends everything queued: at the end of the loop's current batch when called while the loop
    /// is handling events (see `EventLoop.deferFlush`), otherwise now.
    public func flush() {
        guard !isClosed else { return }
        if loop.isDispatching {
            if !flushDeferred {
                flushDeferred = true
                loop.deferFlush(self)
            }
            return
        }
        flushNow()
    }

    func performDeferredFlush() {
        flushDeferred = false
        flushNow()
    }

    /// Tries to send everything queued now.
    private func flushNow() {
        guard !isClosed else { return }
        guard pendingBytes > 0 else {
            if closeAfterFlush { close() }
            return
        }
        do {
            try writeQueued()
        } catch {
            close()
            return
        }
        if pendingBytes == 0 && closeAfterFlush { close() }
    }

    private func writeQueued() throws(SystemError) {
        let maxIOV = EventLoop.iovecScratchCount
        let iovp = loop.iovecScratch
        while pendingBytes > 0 {
            // Build the iovec array from the queue. The arrays are kept alive by `outbound` for the
            // duration of the call: we never mutate `outbound` before writev returns.
            var count = 0
            var i = outboundHead
            while i < outbound.count && count < maxIOV {
                let skip = i == outboundHead ? outboundOffset : 0
                outbound[i].withUnsafeBytes { raw in
                    iovp[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + skip),
                                        iov_len: raw.count - skip)
                }
                count += 1
                i += 1
            }
            let result = try Sys.writev(fd, iovp, Int32(count))
            switch result {
            case .wouldBlock:
                setWantWrite(true)
                return
            case .processed(let n):
                consume(n)
                if n == 0 { setWantWrite(true); return }
            }
        }
        setWantWrite(false)
    }

    private func consume(_ n: Int) {
        var left = n
        pendingBytes -= n
        while left > 0 {
            let avail = outbound[outboundHead].count - outboundOffset
            if left >= avail {
                left -= avail
                outboundHead += 1
                outboundOffset = 0
            } else {
                outboundOffset += left
                left = 0
            }
        }
        if outboundHead == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            outboundHead = 0
        } else if outboundHead > 32 {
            outbound.removeFirst(outboundHead)
            outboundHead = 0
        }
        if readPausedByBackpressure && pendingBytes <= lowWatermark {
            readPausedByBackpressure = false
            updateInterest()
            handler?.connectionDidDrain(self)
        }
    }

    private var wantWrite = false
    private func setWantWrite(_ on: Bool) {
        guard on != wantWrite else { return }
        wantWrite = on
        updateInterest()
    }

    // MARK: reading control

    /// Stops reading from the socket (a handler with too much work queued for this peer).
    public func pauseReading() {
        guard !readPausedByHandler else { return }
        readPausedByHandler = true
        updateInterest()
    }

    public func resumeReading() {
        guard readPausedByHandler else { return }
        readPausedByHandler = false
        updateInterest()
    }

    public var isReadingPaused: Bool { readPausedByHandler || readPausedByBackpressure }

    private func updateInterest() {
        guard !isClosed else { return }
        var ev: UInt32 = 0
        if !readPausedByHandler && !readPausedByBackpressure && !readEOF { ev |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if wantWrite { ev |= EPOLLOUT.rawValue }
        guard ev != interest else { return }
        interest = ev
        do { try loop.modify(fd, events: ev) } catch { close() }
    }

    // MARK: closing

    /// Closes now, or once everything queued has been written.
    public func close(afterFlush: Bool = false) {
        guard !isClosed else { return }
        if afterFlush && pendingBytes > 0 {
            closeAfterFlush = true
            // Stop reading: nothing more from this peer will be answered.
            readPausedByHandler = true
            updateInterest()
            return
        }
        isClosed = true
        liveness.markClosed()
        loop.deregister(fd)
        Sys.close(fd)
        outbound.removeAll()
        pendingBytes = 0
        let h = handler
        handler = nil
        h?.connectionDidClose(self)
        onClose(self)
    }

    // MARK: Selectable

    func handleEvents(_ events: UInt32) {
        if events & EPOLLERR.rawValue != 0 {
            close()
            return
        }
        if events & EPOLLHUP.rawValue != 0 && isReadingPaused {
            // Both directions are gone and we are not reading: nothing can be delivered any more.
            close()
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            flushNow()
            if isClosed { return }
            if pendingBytes == 0 {
                handler?.connectionDidDrain(self)
                // What the handler queued on drain (more HTTP/2 frames) goes out with this batch.
                if pendingBytes > 0 { flush() }
            }
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readAvailable()
        }
    }

    private func readAvailable() {
        guard !isClosed, !readEOF else { return }
        let buffer = loop.readBuffer
        let result: IOResult
        do { result = try Sys.read(fd, buffer) } catch {
            close()  // ECONNRESET and friends: the peer is gone
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            readEOF = true
            updateInterest()
            if let h = handler { h.connectionDidReadEOF(self) } else { close() }
        case .processed(let n):
            handler?.connectionDidRead(self, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        if !isClosed { flush() }
    }

    func tick(now: UInt64) {
        handler?.connectionTick(self, now: now)
    }
}
