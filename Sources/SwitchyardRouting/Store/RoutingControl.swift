import Foundation
import Synchronization

/// The thread-safe owner the gateway holds: an ``ExperimentStore`` behind a Mutex plus the
/// ``SnapshotBox`` the event loops read.
///
/// Every mutation validates, applies, and publishes the new snapshot while holding the store's
/// lock, so snapshots reach the box in revision order and a refused change publishes nothing.
/// Each successful mutation returns the store's encoded state; the gateway writes it to its state
/// directory (write to a temporary file, fsync, rename) before answering the admin request.
public final class RoutingControl: Sendable {
    public let box: SnapshotBox
    private let store: Mutex<ExperimentStore>

    public init(_ store: ExperimentStore) {
        box = SnapshotBox(store.snapshot)
        self.store = Mutex(store)
    }

    /// A consistent copy of the store (for listing, history, audit and canary views).
    public var current: ExperimentStore { store.withLock { $0 } }

    public struct Committed: Sendable {
        public let revision: RevisionRecord?
        /// The state to persist.
        public let state: Data
    }

    public func apply(_ change: ConfigChange, by context: ChangeContext) throws(StoreError) -> Committed {
        try mutate { (s: inout ExperimentStore) throws(StoreError) in try s.apply(change, by: context) }
    }

    public func rollback(to revision: Int, by context: ChangeContext) throws(StoreError) -> Committed {
        try mutate { (s: inout ExperimentStore) throws(StoreError) in try s.rollback(to: revision, by: context) }
    }

    public func reloadFile(text: String, now: Double) throws(StoreError) -> Committed {
        try mutate { (s: inout ExperimentStore) throws(StoreError) in try s.reloadFile(text: text, now: now) }
    }

    /// Evaluates one canary. `state` is returned even for "not yet" (the last evaluation changed).
    public func evaluateCanary(experiment: String, now: Double, candidate: VariantWindow, control: VariantWindow,
                               outcome: OutcomeSignificance? = nil) throws(StoreError) -> (verdict: CanaryVerdict, committed: Committed) {
        var verdict = CanaryVerdict.skipped
        let committed = try mutate { (s: inout ExperimentStore) throws(StoreError) in
            let result = try s.evaluateCanary(experiment: experiment, now: now, candidate: candidate, control: control,
                                              outcome: outcome)
            verdict = result.verdict
            return result.revision
        }
        return (verdict, committed)
    }

    private func mutate(_ body: (inout ExperimentStore) throws(StoreError) -> RevisionRecord?) throws(StoreError) -> Committed {
        let outcome: Result<Committed, StoreError> = store.withLock { stored in
            var working = stored
            do throws(StoreError) {
                let record = try body(&working)
                let state = try working.encoded()
                stored = working
                box.publish(working.snapshot)
                return .success(Committed(revision: record, state: state))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
