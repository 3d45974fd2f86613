#if canImport(Glibc)
import Glibc
#endif
import CSwitchyardLinux
import Synchronization
import SwitchyardCore

/// Anything registered with a loop's epoll instance.
protocol Selectable: AnyObject {
    /// Called on the loop thread with the ready events (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP…).
    func handleEvents(_ events: UInt32)
    /// Called every loop tick (timeouts); `now` is the loop's monotonic clock.
    func tick(now: UInt64)
}

/// One thread, one epoll instance, the connections it owns.
///
/// Everything a loop owns (its connections, their codecs and buffers) is touched only on its
/// thread; other threads talk to it exclusively through `execute`, which queues a closure and wakes
/// the loop through an eventfd. This is why the class can be `@unchecked Sendable`: the only state
/// reachable from other threads is the task queue (behind a Mutex) and immutable fields.
public final class EventLoop: @unchecked Sendable {
    public let index: Int
    let epfd: Int32
    private let wakeFD: Int32
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private var thread: pthread_t?
    private let threadID = Atomic<UInt>(0)
    private let runningFlag = Atomic<Bool>(false)
    /// True from `start()` on: from then, loop state may only be touched on the loop thread.
    var isRunning: Bool { runningFlag.load(ordering: .acquiring) }

    /// fd-indexed registrations; fds are small integers so an array beats a dictionary.
    private var registered: [(any Selectable)?] = []
    private(set) var registeredCount = 0
    /// Scratch buffer every read on this loop goes through; handlers copy what they keep.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Scratch iovec array for `writev` (connections of this loop build their gather list here).
    let iovecScratch: UnsafeMutablePointer<iovec>
    static let iovecScratchCount = 64
    /// True while the loop hands out the events of one `epoll_wait` (and the tasks queued with
    /// them): connections then defer their socket writes to the end of the batch.
    private(set) var isDispatching = false
    /// Connections that asked to flush during the current batch, in order.
    private var pendingFlushes: [Connection] = []
    /// The loop's clock, refreshed after every epoll_wait; cheap to read on the hot path.
    public private(set) var now: UInt64 = Sys.monotonicNanos()
    let tickIntervalNanos: UInt64
    private var nextTick: UInt64 = 0
    /// Called after each tick on the loop thread (server-level housekeeping, e.g. the Date header cache).
    public var onTick: (() -> Void)?

    init(index: Int, readBufferSize: Int = 64 * 1024, tickInterval: Duration = .milliseconds(250)) throws(SystemError) {
        self.index = index
        self.epfd = try Sys.epollCreate()
        self.wakeFD = try Sys.eventfdCreate()
        self.readBuffer = .allocate(byteCount: readBufferSize, alignment: 64)
        self.iovecScratch = .allocate(capacity: EventLoop.iovecScratchCount)
        self.iovecScratch.initialize(repeating: iovec(), count: EventLoop.iovecScratchCount)
        self.tickIntervalNanos = tickInterval.clampedNanoseconds
        try Sys.epollControl(epfd, EPOLL_CTL_ADD, wakeFD, events: EPOLLIN.rawValue, data: UInt64(wakeFD))
    }

    deinit {
        Sys.close(wakeFD)
        Sys.close(epfd)
        readBuffer.deallocate()
        iovecScratch.deallocate()
    }

    /// True when called on this loop's thread.
    public var inEventLoop: Bool {
        let id = threadID.load(ordering: .relaxed)
        return id != 0 && pthread_equal(pthread_self(), pthread_t(id)) != 0
    }

    /// Runs `task` on the loop thread. Safe from any thread; from the loop itself it is queued
    /// behind the current event (never run re-entrantly).
    public func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            Sys.eventfdSignal(wakeFD)
        }
    }

    // MARK: registration (loop thread only)

    func register(_ fd: Int32, events: UInt32, _ object: any Selectable) throws(SystemError) {
        assert(inEventLoop || !isRunning)
        try Sys.epollControl(epfd, EPOLL_CTL_ADD, fd, events: events, data: UInt64(fd))
        let i = Int(fd)
        if i >= registered.count { registered.append(contentsOf: repeatElement(nil, count: i + 64 - registered.count)) }
        registered[i] = object
        registeredCount += 1
    }

    func modify(_ fd: Int32, events: UInt32) throws(SystemError) {
        try Sys.epollControl(epfd, EPOLL_CTL_MOD, fd, events: events, data: UInt64(fd))
    }

    /// Forgets `fd`; the caller closes it (closing removes it from epoll as well).
    func deregister(_ fd: Int32) {
        let i = Int(fd)
        guard i < registered.count, registered[i] != nil else { return }
        _ = try? Sys.epollControl(epfd, EPOLL_CTL_DEL, fd, events: 0, data: 0)
        registered[i] = nil
        registeredCount -= 1
    }

    /// Every registered object, for shutdown and diagnostics.
    func forEachRegistered(_ body: (any Selectable) -> Void) {
        for case let object? in registered { body(object) }
    }

    // MARK: running

    /// Starts the loop on a new thread.
    func start() {
        runningFlag.store(true, ordering: .releasing)
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { arg in
            let loop = Unmanaged<EventLoop>.fromOpaque(arg!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        precondition(rc == 0, "pthread_create failed: \(rc)")
        thread = t
    }

    /// Asks the loop to stop after the current iteration.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        Sys.eventfdSignal(wakeFD)
    }

    func join() {
        if let t = thread { pthread_join(t, nil); thread = nil }
    }

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        let maxEvents: Int32 = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(maxEvents))
        defer { events.deallocate() }
        nextTick = Sys.monotonicNanos() + tickIntervalNanos
        while !stopRequested.load(ordering: .acquiring) {
            let timeoutMs = Int32(clamping: nextTick > now ? (nextTick - now) / 1_000_000 + 1 : 0)
            let n: Int
            do { n = try Sys.epollWait(epfd, events, maxEvents, timeoutMs: timeoutMs) } catch {
                fatalError("\(error)")  // epoll_wait fails only on programming errors (EBADF, EINVAL)
            }
            now = Sys.monotonicNanos()
            isDispatching = true
            for i in 0..<n {
                let ev = events[i]
                let fd = Int32(truncatingIfNeeded: ev.data.u64)
                if fd == wakeFD {
                    Sys.eventfdDrain(wakeFD)
                    continue
                }
                if Int(fd) < registered.count, let object = registered[Int(fd)] {
                    object.handleEvents(ev.events)
                }
            }
            runTasks()
            isDispatching = false
            flushPending()
            if now >= nextTick {
                nextTick = now + tickIntervalNanos
                for case let object? in registered { object.tick(now: now) }
                onTick?()
            }
        }
        runTasks()
    }

    /// Queues `connection` to be flushed once the current batch has been handled.
    ///
    /// Why: answering a request wakes the client's thread. Writing each response the moment it is
    /// ready (read, compute, write, read, compute, write…) lets a fast client fall asleep between
    /// two of our writes, so nearly every response pays a cross-CPU wake-up (measured: 12 % of the
    /// server's CPU on the HTTP/1.1 health benchmark). Writing the batch's responses back to back
    /// wakes the client once per batch; the added latency is the batch's compute time.
    func deferFlush(_ connection: Connection) {
        pendingFlushes.append(connection)
    }

    private func flushPending() {
        guard !pendingFlushes.isEmpty else { return }
        var i = 0
        // A flush may close a connection whose handler queues more work; index, do not iterate.
        while i < pendingFlushes.count {
            pendingFlushes[i].performDeferredFlush()
            i += 1
        }
        pendingFlushes.removeAll(keepingCapacity: true)
    }

    private func runTasks() {
        // Clear the flag before taking the batch: a task queued after this point signals again.
        guard wakePending.exchange(false, ordering: .acquiringAndReleasing) else { return }
        while true {
            let batch = tasks.withLock { q -> [@Sendable () -> Void] in
                let b = q
                q.removeAll(keepingCapacity: true)
                return b
            }
            if batch.isEmpty { return }
            for task in batch { task() }
        }
    }
}
