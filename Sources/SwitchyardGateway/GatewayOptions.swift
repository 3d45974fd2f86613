/// Gateway-level settings (the transport's are in `ServerConfiguration`).
public struct GatewayOptions: Sendable {
    /// Requests estimated to cost at most this many nanoseconds run on the event loop.
    public var inlineThresholdNanos: UInt64 = 50_000
    /// Offloaded inference requests allowed in flight before new ones get 503 / UNAVAILABLE.
    public var maxQueuedInferences: Int = 1024
    /// Largest gRPC message accepted (gRPC's customary default is 4 MiB; tensors need more).
    public var maxGRPCMessageBytes: Int = 64 * 1024 * 1024
    /// Largest REST body once decoded from `Content-Encoding: lz4` (the transport bounds what is
    /// received; this bounds what a small compressed body may expand to).
    public var maxDecodedBodyBytes: Int = 64 * 1024 * 1024
    /// Threads that run shadow requests (at idle priority) and how many may wait before new ones are dropped.
    public var shadowThreads: Int = 1
    public var maxQueuedShadows: Int = 256
    public var serverName = "switchyard"
    public var serverVersion = "0.1.0"

    public init() {}
}
