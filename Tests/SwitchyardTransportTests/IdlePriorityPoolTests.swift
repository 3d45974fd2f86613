import Dispatch
import Foundation
import Synchronization
import Testing
@testable import SwitchyardTransport

@Suite struct IdlePriorityPoolTests {
    @Test func runsQueuedJobsAndRefusesBeyondTheBound() {
        let pool = IdlePriorityPool(name: "test", threads: 1, maxPending: 3)
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let ran = Atomic<Int>(0)
        // The first job holds the only worker until the gate opens.
        #expect(pool.submit { started.signal(); gate.wait(); ran.wrappingAdd(1, ordering: .relaxed) })
        started.wait()
        #expect(pool.submit { ran.wrappingAdd(1, ordering: .relaxed) })
        #expect(pool.submit { ran.wrappingAdd(1, ordering: .relaxed) })
        // Three outstanding (one running, two queued): the fourth is refused and counted.
        #expect(!pool.submit { ran.wrappingAdd(1, ordering: .relaxed) })
        #expect(pool.rejectedCount == 1)
        #expect(pool.pendingCount == 3)
        gate.signal()
        let done = DispatchSemaphore(value: 0)
        while !pool.submit({ done.signal() }) {}
        done.wait()
        #expect(ran.load(ordering: .relaxed) == 3)
    }

    /// With nothing to do the workers stop polling (no wake-ups on an idle gateway), and the first
    /// job after that wakes them.
    @Test func idleWorkersParkAndTheNextJobWakesThem() {
        let pool = IdlePriorityPool(name: "test-park", threads: 2, maxPending: 8)
        defer { pool.shutdown() }
        // Both workers park after `pollsBeforeParking` empty polls (~0.1 s; generous deadline for
        // a loaded machine: they run at SCHED_IDLE).
        let deadline = DispatchTime.now() + 30
        while pool.parkedCount < 2 && DispatchTime.now() < deadline { usleep(10_000) }
        #expect(pool.parkedCount == 2)
        let polls = pool.idlePollCount
        usleep(50_000)
        #expect(pool.idlePollCount == polls, "a parked worker polled")
        let ran = DispatchSemaphore(value: 0)
        #expect(pool.submit { ran.signal() })
        #expect(ran.wait(timeout: .now() + 30) == .success)
    }

    @Test func shutdownRefusesNewWork() {
        let pool = IdlePriorityPool(name: "test-stop", threads: 2, maxPending: 8)
        pool.shutdown()
        #expect(!pool.submit {})
    }

    /// An event loop must never wait for a lock an idle-priority worker may hold: with the queue's
    /// lock busy, `submit` gives up at once (the job is refused and counted) instead of blocking.
    @Test func submitDoesNotWaitForABusyLock() {
        let pool = IdlePriorityPool(name: "test-busy", threads: 1, maxPending: 8)
        defer { pool.shutdown() }
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), answered = DispatchSemaphore(value: 0)
        let unlocked = DispatchSemaphore(value: 0)
        let accepted = Atomic<Bool>(true)
        Thread.detachNewThread { pool.holdingQueueLock { locked.signal(); release.wait() }; unlocked.signal() }
        locked.wait()
        Thread.detachNewThread { accepted.store(pool.submit {}, ordering: .relaxed); answered.signal() }
        // With a blocking lock this times out: the holder only lets go after the answer.
        let result = answered.wait(timeout: .now() + 5)
        release.signal()
        #expect(result == .success)
        let wasAccepted = accepted.load(ordering: .relaxed)
        #expect(!wasAccepted)
        #expect(pool.rejectedCount == 1)
        if result != .success { answered.wait() }
        unlocked.wait()
        // Accepted again once the lock is free. The worker's own polling takes the lock too, and
        // at SCHED_IDLE on a busy machine (the parallel test run) it can be preempted while holding
        // it for many milliseconds: retry for up to 5 s rather than a fixed number of spins.
        var again = false
        let deadline = DispatchTime.now() + 5
        while !again && DispatchTime.now() < deadline {
            again = pool.submit {}
            if !again { usleep(1000) }
        }
        #expect(again)
    }

    /// What a finished job captured is freed by the next `submit` on its lane, on the submitting
    /// (event loop) thread: memory an event loop allocated is never freed on the idle-priority
    /// worker, whose preemption inside glibc's arena lock would stall the loop, nor by another loop.
    @Test func finishedJobsAreFreedOnTheSubmittingThread() {
        let pool = IdlePriorityPool(name: "test-free", threads: 1, lanes: 2, maxPending: 8)
        defer { pool.shutdown() }
        let freedOn = FreedOn()
        let ran = DispatchSemaphore(value: 0)
        do {
            let captured = FreeRecorder(freedOn)
            let accepted = pool.submit(lane: 1) { captured.touch(); ran.signal() }
            #expect(accepted)
        }
        ran.wait()
        for _ in 0..<5000 where pool.retiredBatchCount == 0 { usleep(200) }
        #expect(pool.retiredBatchCount == 1)
        #expect(freedOn.name.withLock { $0 } == nil, "not freed by the worker")
        // A submit may find the lock busy (the worker polls it) and then frees nothing: retry.
        func submitUntilAccepted(lane: Int) -> Bool {
            for _ in 0..<1000 where pool.submit(lane: lane, {}) { return true }
            return false
        }
        #expect(submitUntilAccepted(lane: 0))
        #expect(freedOn.name.withLock { $0 } == nil, "another lane does not free it")
        let submitter = Thread.current.name
        #expect(submitUntilAccepted(lane: 1))
        #expect(freedOn.name.withLock { $0 } == .some(submitter ?? ""))
    }
}

/// The name of the thread an object was freed on.
private final class FreedOn: Sendable {
    let name = Mutex<String?>(nil)
}

private final class FreeRecorder: Sendable {
    let freedOn: FreedOn
    init(_ freedOn: FreedOn) { self.freedOn = freedOn }
    func touch() {}
    deinit { freedOn.name.withLock { $0 = Thread.current.name ?? "" } }
}
