import SwitchyardCore
import SwitchyardKServe
import SwitchyardRouting
import SwitchyardServer
import SwitchyardTransport
import Synchronization
import Dispatch

/// State one event loop keeps for the gateway: the JSON decoder (simdjson parser buffers are
/// reused across requests and are not thread-safe), the experiments view it last routed with,
/// and its own random stream for routing decisions (no shared generator, no lock).
final class GatewayLoopState {
    /// Written on every request by its own loop only: padded apart from the other loops' objects
    /// created next to it (see `CacheLinePadding`).
    private let paddingBefore = CacheLinePadding()
    let decoder = KServeJSONDecoder()
    var experimentsView: ExperimentsView?
    private var randomState: UInt64
    private var requests: UInt64 = 0
    private let idPrefix: [UInt8]
    private let paddingAfter = CacheLinePadding()

    init(loop: Int) {
        var generator = SystemRandomNumberGenerator()
        randomState = generator.next()
        // Short enough that ids stay within Swift's 15-byte inline strings (no allocation) for
        // the first 36^8 requests of a loop.
        idPrefix = Array((String(generator.next() & 0xFFFF, radix: 16) + "-\(loop)-").utf8)
    }

    /// SplitMix64 over a per-loop counter: fast, statistically sound for routing draws, seeded
    /// from the system generator.
    func nextRandom() -> UInt64 {
        defer { randomState &+= 0x9E37_79B9_7F4A_7C15 }
        return SplitMix64.mix(randomState)
    }

    /// A request id for requests that bring none (the unit of non-sticky assignments).
    /// Written straight into the string's storage: `String(_:radix:)` plus a concatenation cost
    /// about 0.4 µs per routed request.
    func nextRequestID() -> String {
        requests &+= 1
        var n = requests, digits = 0
        while n > 0 { digits += 1; n /= 36 }
        return idPrefix.withUnsafeBufferPointer { prefix in
            String(unsafeUninitializedCapacity: prefix.count + digits) { out in
                _ = out.initialize(from: prefix)
                var n = requests
                for i in stride(from: prefix.count + digits - 1, through: prefix.count, by: -1) {
                    let d = UInt8(n % 36)
                    out[i] = d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "a") + d - 10
                    n /= 36
                }
                return prefix.count + digits
            }
        }
    }
}

/// The application behind the HTTP server: Open Inference Protocol v2 over REST (HTTP/1.1 and
/// h2c) and gRPC, served from a model repository.
public final class Gateway: HTTPResponder {
    public let repository: ModelRepository
    public let options: GatewayOptions
    /// Experiments routed on `/v2/models/{experiment}/infer`; nil serves models only.
    public let experiments: ExperimentService?
    let runner: InferenceRunner
    /// Shadow executions: SCHED_IDLE threads behind a bounded queue (full → the shadow is dropped and counted).
    public let shadowPool: IdlePriorityPool
    let loopStates: [LoopBound<GatewayLoopState>]
    let startupDone = Atomic<Bool>(false)
    let serverMetadata: ServerMetadata
    /// Repository operations (model compilation) run here, never on a loop.
    let adminPool = OffloadPool(name: "repository", maxPending: 16, qos: .utility)

    public init(repository: ModelRepository, group: EventLoopGroup, options: GatewayOptions = GatewayOptions(),
                experiments: ExperimentService? = nil) {
        self.repository = repository
        self.options = options
        self.experiments = experiments
        self.shadowPool = IdlePriorityPool(name: "shadow", threads: options.shadowThreads, lanes: group.loops.count,
                                           maxPending: options.maxQueuedShadows)
        self.runner = InferenceRunner(offload: OffloadPool(name: "inference", maxPending: options.maxQueuedInferences),
                                      inlineThresholdNanos: options.inlineThresholdNanos)
        self.loopStates = group.loops.map { LoopBound(GatewayLoopState(loop: $0.index), loop: $0) }
        self.serverMetadata = ServerMetadata(name: options.serverName, version: options.serverVersion,
                                             extensions: ["binary_tensor_data", "model_repository", "statistics"])
    }

    /// Marks start-up (initial model loading) as finished: `/v2/health/ready` turns true.
    public func markReady() { startupDone.store(true, ordering: .releasing) }
    public var isReady: Bool { startupDone.load(ordering: .acquiring) }

    func loopState(_ context: RequestContext) -> GatewayLoopState { loopStates[context.loop.index].value }

    /// The assignment token: a new value on every routed response.
    public var perResponseFieldNames: [String] { RoutedCall.perResponseFields }

    public func respond(to request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        // On the bytes: every request asks, and most have no gRPC content type to make a String of.
        let isGRPC = request.head.headers.withFirstValue("content-type") {
            HTTPCommonText.hasPrefix($0, "application/grpc")
        } ?? false
        if isGRPC {
            handleGRPC(request, context: context, writer: writer)
        } else {
            handleREST(request, context: context, writer: writer)
        }
    }
}

extension Gateway {
    /// Loads or unloads a model off the event loops (compiling a model takes milliseconds or more)
    /// and reports the outcome; REST and gRPC share it. Returns false when too many repository
    /// operations are already queued.
    func repositoryOperation(load: Bool, model name: String,
                             completion: @escaping @Sendable (KServeError?) -> Void) -> Bool {
        let repository = self.repository
        return adminPool.submit {
            do throws(KServeError) {
                if load { try repository.load(name) } else { try repository.unload(name) }
                completion(nil)
            } catch {
                completion(error)
            }
        }
    }
}
