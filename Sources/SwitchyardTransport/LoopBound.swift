/// A value confined to one event loop that may be carried across threads but only *used* on its
/// loop (the swift-nio `NIOLoopBound` idea). This is how a `Connection` or a codec — classes that
/// are deliberately not thread-safe — travel inside a `@Sendable` closure that hops back to the loop.
public struct LoopBound<Value>: @unchecked Sendable {
    private let _value: Value
    public let loop: EventLoop

    public init(_ value: Value, loop: EventLoop) {
        self._value = value
        self.loop = loop
    }

    /// The value; traps in debug builds when read off its loop.
    public var value: Value {
        assert(loop.inEventLoop || !loop.isRunning, "LoopBound value used off its event loop")
        return _value
    }
}
