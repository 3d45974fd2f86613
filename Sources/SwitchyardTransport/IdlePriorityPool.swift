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
    private let wakeUp = DispatchSemaphore(value: 0)
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
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { s -> Bool in
            guard !s.stopping, s.jobs.count - s.head + s.running < maxPending else { return false }
            s.jobs.append(job)
            return true
        }
        if accepted { wakeUp.signal() } else { rejected.wrappingAdd(1, ordering: .relaxed) }
        return accepted
    }

    /// Stops the workers once the queued jobs are done (shutdown). Every wake-up either runs one
    /// job or ends one worker, so one extra signal per worker ends them all.
    public func shutdown() {
        let first = state.withLock { s -> Bool in
            defer { s.stopping = true }
            return !s.stopping
        }
        guard first else { return }
        for _ in 0..<threadCount { wakeUp.signal() }
    }

    private func work() {
        do { try Sys.setIdlePriority(); idlePriority.store(true, ordering: .relaxed) } catch {}
        while true {
            wakeUp.wait()
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
            case .none: continue
            case .some(.none): return
            case .some(.some(let job)):
                job()
                state.withLock { $0.running -= 1 }
            }
        }
    }
}
