import Dispatch
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

    @Test func shutdownRefusesNewWork() {
        let pool = IdlePriorityPool(name: "test-stop", threads: 2, maxPending: 8)
        pool.shutdown()
        #expect(!pool.submit {})
    }
}
