import Dispatch
import Synchronization

/// The bridge from an event loop to Dispatch for work that must not run on the loop.
///
/// Work runs on a concurrent Dispatch queue; its result hops back to the submitting connection's
/// loop through `EventLoop.execute` (an eventfd wake-up), so the connection is only ever touched on
/// its own thread. The pool is bounded: past `maxPending` outstanding jobs, `submit` refuses and
/// the caller answers "overloaded" (503 / RESOURCE_EXHAUSTED) instead of queueing without bound.
/// A second pool with a lower QoS keeps optional work (shadow traffic) from starving primary work.
public final class OffloadPool: Sendable {
    public let name: String
    public let maxPending: Int
    private let queue: DispatchQueue
    private let pending = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)

    public init(name: String, maxPending: Int = 1024, qos: DispatchQoS = .userInitiated) {
        self.name = name
        self.maxPending = maxPending
        self.queue = DispatchQueue(label: "switchyard.offload.\(name)", qos: qos, attributes: .concurrent)
    }

    /// Jobs submitted and not yet finished.
    public var pendingCount: Int { pending.load(ordering: .relaxed) }
    /// Jobs refused because the pool was full, since start.
    public var rejectedCount: Int { rejected.load(ordering: .relaxed) }

    /// Runs `work` off the loop and `completion` with its result back on `loop`.
    /// - Returns: false, running nothing, when `maxPending` jobs are already outstanding.
    @discardableResult
    public func submit<T: Sendable>(returningTo loop: EventLoop, _ work: @escaping @Sendable () -> T,
                                    completion: @escaping @Sendable (T) -> Void) -> Bool {
        guard reserve() else { return false }
        queue.async { [self] in
            let result = work()
            self.pending.wrappingAdd(-1, ordering: .relaxed)
            loop.execute { completion(result) }
        }
        return true
    }

    /// Runs `work` off the loop with no result to deliver (fire and forget, e.g. shadow requests).
    @discardableResult
    public func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        guard reserve() else { return false }
        queue.async { [self] in
            work()
            self.pending.wrappingAdd(-1, ordering: .relaxed)
        }
        return true
    }

    private func reserve() -> Bool {
        let before = pending.wrappingAdd(1, ordering: .relaxed).oldValue
        if before >= maxPending {
            pending.wrappingAdd(-1, ordering: .relaxed)
            rejected.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        return true
    }
}
