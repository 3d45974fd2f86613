import Foundation
import Synchronization

/// Optional work that must never delay the event loops or the inference pool — shadow traffic:
/// a bounded queue served by dedicated threads running at SCHED_IDLE.
///
/// Why not a Dispatch queue with a low QoS: on Linux, libdispatch's QoS classes do not change the
/// kernel's scheduling, so "background" threads compete with the event loops as equals. SCHED_IDLE
/// threads only get a CPU that nothing else wants; under full load shadows fall behind, the queue
/// fills, and further shadows are refused (counted by the caller) instead of slowing anyone down.
public final class IdlePriorityPool: Sendable {
    public let name: String
    public let maxPending: Int
    public let threadCount: Int
    private let state = Mutex(State())
    private let rejected = Atomic<Int>(0)
    private let idlePriority = Atomic<Bool>(false)

    private struct State: ~Copyable {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var running = 0
        var stopping = false
    }

    /// Starts `threads` worker threads.
    public init(name: String, threads: Int = 1, maxPending: Int = 256) {
        self.name = name
        self.maxPending = max(1, maxPending)
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "switchyard-\(name)-\(index)"
            thread.start()
        }
    }

    /// Whether the workers obtained SCHED_IDLE (false in containers that forbid it; the pool still
    /// bounds the work).
    public var runsAtIdlePriority: Bool { idlePriority.load(ordering: .relaxed) }

    /// Jobs queued or running.
    public var pendingCount: Int { state.withLock { $0.jobs.count - $0.head + $0.running } }
    /// Jobs refused because the queue was full, since start.
    public var rejectedCount: Int { rejected.load(ordering: .relaxed) }

    /// Queues `job`; false (running nothing) when `maxPending` jobs are already waiting or running.
    /// Takes the queue's lock and appends, nothing more: no wake-up is signalled (a futex wake per
    /// shadow would be a system call on the event loop for every sampled request); the workers
    /// poll the queue instead.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { s -> Bool in
            guard !s.stopping, s.jobs.count - s.head + s.running < maxPending else { return false }
            s.jobs.append(job)
            return true
        }
        if !accepted { rejected.wrappingAdd(1, ordering: .relaxed) }
        return accepted
    }

    /// Stops the workers once the queued jobs are done (shutdown; they notice within a poll interval).
    public func shutdown() {
        state.withLock { $0.stopping = true }
    }

    /// How long an idle worker sleeps before looking at the queue again. Shadows are not latency
    /// sensitive; a millisecond of delay costs nothing, and idle polling is 1000 wake-ups a
    /// second at idle priority.
    static let pollInterval: UInt32 = 1_000

    private func work() {
        do { try Sys.setIdlePriority(); idlePriority.store(true, ordering: .relaxed) } catch {}
        while true {
            let job = state.withLock { s -> (@Sendable () -> Void)?? in
                guard s.head < s.jobs.count else { return s.stopping ? .some(nil) : nil }
                let job = s.jobs[s.head]
                s.head += 1
                s.running += 1
                if s.head > 64 && s.head * 2 > s.jobs.count {
                    s.jobs.removeFirst(s.head)
                    s.head = 0
                }
                return .some(job)
            }
            switch job {
            case .none: usleep(Self.pollInterval)
            case .some(.none): return
            case .some(.some(let job)):
                job()
                state.withLock { $0.running -= 1 }
            }
        }
    }
}
