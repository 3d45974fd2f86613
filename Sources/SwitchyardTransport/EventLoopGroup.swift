#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// A fixed set of event loops, each on its own thread.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let counter = Atomic<Int>(0)
    private let started = Atomic<Bool>(false)

    /// - Parameter count: number of loops; the default is one per core.
    public init(count: Int = EventLoopGroup.coreCount, tickInterval: Duration = .milliseconds(250)) throws(SystemError) {
        precondition(count > 0, "an event loop group needs at least one loop")
        var loops: [EventLoop] = []
        for i in 0..<count { loops.append(try EventLoop(index: i, tickInterval: tickInterval)) }
        self.loops = loops
    }

    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for l in loops { l.start() }
    }

    /// Round-robin choice, for hand-off accepting and for spreading client work.
    public func next() -> EventLoop {
        loops[counter.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Stops every loop and waits for its thread. Connections still open are abandoned: call
    /// `TCPServer.shutdownGracefully` first.
    public func stopAndJoin() {
        for l in loops { l.stop() }
        for l in loops { l.join() }
    }
}

extension EventLoop {
    /// Runs `body` on the loop and waits for it; runs inline when the loop has not started or when
    /// already on it. For set-up and shutdown, never for the request path.
    func runAndWait<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        if inEventLoop || !isRunning { return body() }
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        execute {
            let r = body()
            result.withLock { $0 = r }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
