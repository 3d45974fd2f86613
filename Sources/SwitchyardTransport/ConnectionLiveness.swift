import Synchronization

/// Whether the peer still wants the answer to a request of a connection, readable from any thread.
/// The connection marks itself closed when it closes; a multiplexing protocol driver (HTTP/2)
/// marks single requests cancelled when the peer resets their streams. Work running off the loop
/// (an offloaded inference) asks before it starts.
public final class ConnectionLiveness: Sendable {
    private let closed = Atomic<Bool>(false)
    /// How many requests are in `cancelled`: lets the common case (nothing reset) answer with one
    /// atomic load and no lock.
    private let cancelledCount = Atomic<Int>(0)
    /// Tokens of requests the peer cancelled while their responses were still owed. An entry lives
    /// from the reset until the application completes that request (`requestCompleted`), which it
    /// does exactly once, so the set holds at most the connection's concurrent requests.
    private let cancelled = Mutex<Set<Int64>>([])

    public init() {}

    public var isClosed: Bool { closed.load(ordering: .relaxed) }

    func markClosed() { closed.store(true, ordering: .relaxed) }

    /// True once nobody will read the response to request `token`: the connection closed, or the
    /// peer cancelled that request alone.
    public func isAbandoned(token: Int64) -> Bool {
        if closed.load(ordering: .relaxed) { return true }
        if cancelledCount.load(ordering: .relaxed) == 0 { return false }
        return cancelled.withLock { $0.contains(token) }
    }

    /// The peer cancelled request `token` (HTTP/2 RST_STREAM) before it was answered.
    public func markCancelled(token: Int64) {
        cancelled.withLock { set in
            set.insert(token)
            cancelledCount.store(set.count, ordering: .relaxed)
        }
    }

    /// Request `token` has been completed by the application; forget any cancellation of it.
    /// Called on every completion, so the common case is a single atomic load.
    public func requestCompleted(token: Int64) {
        if cancelledCount.load(ordering: .relaxed) == 0 { return }
        cancelled.withLock { set in
            set.remove(token)
            cancelledCount.store(set.count, ordering: .relaxed)
        }
    }
}
