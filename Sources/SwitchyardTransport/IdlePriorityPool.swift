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
    public typealias Job = @Sendable () -> Void

    public let name: String
    public let maxPending: Int
    public let threadCount: Int
    /// Submitters that queue separately (one per event loop), so that each gets back, to free
    /// on its own thread, exactly the jobs it allocated (see `work`).
    public let laneCount: Int
    private let state: Mutex<State>
    /// Jobs taken by workers and not finished yet.
    private let running = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)
    private let idlePriority = Atomic<Bool>(false)
    /// Workers asleep on `wakeup` after a stretch with nothing to do (see `work`).
    private let parked = Atomic<Int>(0)
    private let wakeup = DispatchSemaphore(value: 0)
    /// Visits of the workers to an empty queue, since start (tests: a parked pool makes none).
    private let idlePolls = Atomic<Int>(0)

    private struct State: ~Copyable {
        /// Per lane, the jobs waiting in submission order.
        var queues: [[Job]]
        var queued = 0
        var stopping = false
        /// Per worker and lane (`worker * laneCount + lane`), a batch the worker has run and
        /// hands back to be freed by that lane's next `submit`. Allocated once, at full size:
        /// workers fill their slots in place.
        var retired: [[Job]?]
    }

    /// Starts `threads` worker threads serving `lanes` submitters.
    public init(name: String, threads: Int = 1, lanes: Int = 1, maxPending: Int = 256) {
        self.name = name
        self.maxPending = max(1, maxPending)
        threadCount = max(1, threads)
        laneCount = max(1, lanes)
        state = Mutex(State(queues: Array(repeating: [], count: max(1, lanes)),
                            retired: Array(repeating: nil, count: max(1, threads) * max(1, lanes))))
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.work(index) }
            thread.name = "switchyard-\(name)-\(index)"
            thread.start()
        }
    }

    /// Whether the workers obtained SCHED_IDLE (false in containers that forbid it; the pool still
    /// bounds the work).
    public var runsAtIdlePriority: Bool { idlePriority.load(ordering: .relaxed) }

    /// Jobs queued or running.
    public var pendingCount: Int { state.withLock { $0.queued } + running.load(ordering: .relaxed) }
    /// Jobs refused because the queue was full (or its lock busy), since start.
    public var rejectedCount: Int { rejected.load(ordering: .relaxed) }

    /// How many times `submit` tries the queue's lock before giving the job up; between tries it
    /// spins a little longer each time (a worker that is running leaves within a few hundred
    /// nanoseconds; one that was preempted will not, and the job is dropped after ~2 µs).
    static let lockAttempts = 6

    /// Queues `job` on `lane` (the submitting event loop's index); false (running nothing) when
    /// `maxPending` jobs are already waiting or running, or when the queue's lock stays busy for
    /// a few attempts. No wake-up is signalled (a futex wake per shadow would be a system call on
    /// the event loop for every sampled request); the workers poll the queue instead. Frees this
    /// lane's batches the workers have finished.
    ///
    /// Never waits for the lock: the workers run at SCHED_IDLE, so one preempted inside its
    /// critical section — by the very event loop now submitting, on the same CPU — gets the CPU
    /// back only when that loop blocks. Waiting would hand the loop's priority to idle work
    /// (measured with 100 % shadow at half load: ~600 futex waits a second per loop and the
    /// primary's p50 up 10–40 %). A busy lock costs a shadow, counted like a full queue.
    @discardableResult
    public func submit(lane: Int = 0, _ job: @escaping Job) -> Bool {
        let lane = lane % laneCount
        var drained: [[Job]] = []  // this lane's finished batches, freed when this returns: on this thread
        for attempt in 0..<Self.lockAttempts {
            if attempt > 0 { for _ in 0..<(16 << attempt) { _ = running.load(ordering: .relaxed) } }
            let outcome = state.withLockIfAvailable { s -> Bool in
                for worker in 0..<threadCount {
                    let slot = worker * laneCount + lane
                    if let batch = s.retired[slot] { drained.append(batch); s.retired[slot] = nil }
                }
                guard !s.stopping, s.queued + running.load(ordering: .relaxed) < maxPending else { return false }
                s.queues[lane].append(job)
                s.queued += 1
                return true
            }
            if let accepted = outcome {
                if !accepted { rejected.wrappingAdd(1, ordering: .relaxed) }
                // Only the first job after a quiet stretch finds a worker parked: one futex wake
                // then, none while shadows keep coming (the workers poll).
                if accepted && parked.load(ordering: .sequentiallyConsistent) > 0 { wakeup.signal() }
                return accepted
            }
        }
        rejected.wrappingAdd(1, ordering: .relaxed)
        return false
    }

    /// Stops the workers once the queued jobs are done (shutdown; they notice within a poll interval).
    public func shutdown() {
        state.withLock { $0.stopping = true }
        for _ in 0..<threadCount { wakeup.signal() }
    }

    /// Workers parked for lack of work (tests).
    var parkedCount: Int { parked.load(ordering: .relaxed) }
    /// Times a worker found the queue empty, since start (tests).
    var idlePollCount: Int { idlePolls.load(ordering: .relaxed) }

    /// Finished batches waiting for a `submit` to free them (tests).
    var retiredBatchCount: Int { state.withLock { $0.retired.reduce(0) { $0 + ($1 == nil ? 0 : 1) } } }

    /// Holds the queue's lock on the calling thread while `body` runs (tests: a busy lock).
    func holdingQueueLock(_ body: () -> Void) {
        state.withLock { _ in body() }
    }

    /// How long an idle worker sleeps before looking at the queue again. Shadows are not latency
    /// sensitive; a millisecond of delay costs nothing.
    static let pollInterval: UInt32 = 1_000

    /// Empty polls in a row after which a worker parks until a `submit` wakes it. Polling keeps
    /// the event loops free of system calls while shadows flow; parking keeps a gateway whose
    /// experiments have no shadows (or whose traffic stopped) from waking a thousand times a
    /// second per worker for nothing (measured before: 1,000 `clock_nanosleep` calls a second
    /// on an idle server).
    static let pollsBeforeParking = 100

    /// Jobs a worker takes per visit to the queue when it has company (alone, it takes a lane's
    /// whole queue: one short critical section per batch instead of one per job).
    static let sharedBatch = 8

    /// Worker `index`: takes one lane's jobs, runs them, and hands the batch back through its
    /// `retired` slot for that lane instead of letting it go.
    ///
    /// Why: the jobs and everything they capture (the request's tensors) were allocated by the
    /// lane's event loop, in that thread's glibc malloc arena. Freed on another thread, each free
    /// takes that arena's lock: a worker preempted while holding it (SCHED_IDLE: the loop itself
    /// preempts it) stalls the loop's next malloc until the loop blocks, and another loop
    /// freeing them contends with it. Measured with 100 % shadow at half load: ~1,200 futex
    /// waits a second on the loops' arena locks. The lane's next `submit` frees the batch on its
    /// own loop instead. A batch no submit has taken back within a poll interval (that lane's
    /// traffic stopped) is freed here after all: then its loop is not busy enough to be stalled.
    private func work(_ index: Int) {
        do { try Sys.setIdlePriority(); idlePriority.store(true, ordering: .relaxed) } catch {}
        let batch = threadCount == 1 ? Int.max : Self.sharedBatch
        var nextLane = 0
        var waitedForLoops = false
        var emptyPolls = 0
        while true {
            var unclaimed: [Job]? = nil
            var blockedByLoops = false  // work is queued, but only behind batches not taken back
            let taken = state.withLock { s -> (lane: Int, jobs: [Job])? in
                guard s.queued > 0 else { return s.stopping ? nil : (0, []) }
                for probe in 0..<laneCount {
                    let lane = (nextLane + probe) % laneCount
                    guard !s.queues[lane].isEmpty else { continue }
                    let slot = index * laneCount + lane
                    if s.retired[slot] != nil {
                        guard waitedForLoops || s.stopping else { continue }
                        swap(&unclaimed, &s.retired[slot])
                    }
                    var jobs: [Job] = []
                    if s.queues[lane].count <= batch {
                        swap(&jobs, &s.queues[lane])  // the lane's whole queue, without copying it
                    } else {
                        jobs = Array(s.queues[lane].prefix(batch))
                        s.queues[lane].removeFirst(batch)
                    }
                    s.queued -= jobs.count
                    running.wrappingAdd(jobs.count, ordering: .relaxed)
                    nextLane = lane + 1
                    return (lane, jobs)
                }
                blockedByLoops = true
                return (0, [])
            }
            if unclaimed != nil { unclaimed = nil }  // freed here, outside the lock
            guard let (lane, jobs) = taken else { return }
            if jobs.isEmpty {
                // Nothing to do, or work waiting behind unclaimed batches: the loops get one poll
                // interval to take them back.
                waitedForLoops = blockedByLoops
                if !blockedByLoops { idlePolls.wrappingAdd(1, ordering: .relaxed); emptyPolls += 1 }
                if emptyPolls >= Self.pollsBeforeParking {
                    park()
                    emptyPolls = 0
                } else {
                    usleep(Self.pollInterval)
                }
                continue
            }
            emptyPolls = 0
            waitedForLoops = false
            for job in jobs {
                job()
                running.wrappingSubtract(1, ordering: .relaxed)
            }
            // Moved into the slot: this thread keeps no reference that could be the last one.
            var handBack: [Job]? = consume jobs
            let slot = index * laneCount + lane
            state.withLock { s in
                if s.retired[slot] == nil { swap(&s.retired[slot], &handBack) }
            }
        }
    }

    /// Sleeps until a `submit` (or `shutdown`) signals, unless work arrived meanwhile. The count
    /// goes up before the queue is looked at, under its lock: a submitter that queued after
    /// that look sees the count and signals; one that queued before it is seen here.
    private func park() {
        parked.wrappingAdd(1, ordering: .sequentiallyConsistent)
        let idle = state.withLock { $0.queued == 0 && !$0.stopping }
        if idle { wakeup.wait() }
        parked.wrappingSubtract(1, ordering: .sequentiallyConsistent)
    }
}
