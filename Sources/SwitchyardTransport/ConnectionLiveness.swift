import Synchronization

/// Whether a connection is still open, readable from any thread. The connection sets it when it
/// closes; work running off the loop (an offloaded inference) checks it before it starts.
public final class ConnectionLiveness: Sendable {
    private let closed = Atomic<Bool>(false)

    public init() {}

    public var isClosed: Bool { closed.load(ordering: .relaxed) }

    func markClosed() { closed.store(true, ordering: .relaxed) }
}
