import Synchronization

/// The one place event loops read the current routing snapshot from.
///
/// A snapshot is an immutable object, so publishing is swapping one reference: a reader gets
/// either the old or the new snapshot, never a mixture. The Mutex guards only the reference
/// (retain + pointer copy, tens of nanoseconds), so readers never wait on a config build —
/// compilation happens before ``publish(_:)`` is called.
public final class SnapshotBox: Sendable {
    private let current: Mutex<RoutingSnapshot>

    public init(_ initial: RoutingSnapshot = .empty) {
        current = Mutex(initial)
    }

    /// The snapshot to use for one request. Keep the returned reference for the whole request so
    /// that every decision about it comes from one revision.
    public var snapshot: RoutingSnapshot {
        current.withLock { $0 }
    }

    /// Replaces the snapshot. A snapshot with a lower revision than the current one is ignored, so
    /// that two publishers racing cannot move the data path backwards; returns whether it was taken.
    @discardableResult
    public func publish(_ snapshot: RoutingSnapshot) -> Bool {
        current.withLock { stored in
            guard snapshot.revision >= stored.revision else { return false }
            stored = snapshot
            return true
        }
    }
}
