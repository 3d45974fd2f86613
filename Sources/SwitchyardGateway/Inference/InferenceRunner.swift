import SwitchyardKServe
import SwitchyardServer
import SwitchyardTransport

/// Runs a decoded inference request on a resolved model version, inline on the event loop or on
/// the offload pool, and records Triton statistics.
///
/// Inline or offload is decided per request from the model's measured cost per row: a model that
/// answers in a few microseconds is cheaper to run where the request already is than to hop to
/// another thread and back (an eventfd round trip and two context switches), while a large batch
/// or a heavy model must not hold up the other connections of the loop.
public struct InferenceRunner: Sendable {
    public let offload: OffloadPool
    /// Requests whose estimated cost is at or below this run on the loop.
    public let inlineThresholdNanos: UInt64

    public init(offload: OffloadPool, inlineThresholdNanos: UInt64) {
        self.offload = offload
        self.inlineThresholdNanos = inlineThresholdNanos
    }

    /// The outcome handed to `completion`: outputs and phase timings, or the failure.
    public struct Outcome: Sendable {
        public var result: Result<[InferTensor], KServeError>
        public var inferNanos: UInt64
        public var startedAt: UInt64
        /// When the model returned (monotonic nanoseconds).
        public var finishedAt: UInt64 { startedAt &+ inferNanos }
    }

    /// Estimated cost of a request: rows (first dimension of the first input, 1 for scalars) × per-row cost.
    func estimatedCost(_ request: InferRequest, model: any ServableModel) -> UInt64 {
        let rows = UInt64(max(1, request.inputs.first?.shape.first ?? 1))
        return rows &* model.nanosPerRow
    }

    /// The failure of a queued request whose client left before it ran.
    public static let clientGone = KServeError(.cancelled, "the client closed the connection or cancelled the request before it ran")

    /// `clientGone` once nobody will read `writer`'s response, nil while the client still waits:
    /// the `skipIf` check every protocol starts from.
    public static func gone(_ writer: ResponseWriter) -> KServeError? { writer.isAbandoned ? clientGone : nil }

    /// Runs `request` here and now if it is cheap enough to run on the loop; nil otherwise.
    /// Callers answer an inline outcome directly, so the common case builds no completion closure.
    ///
    /// `now` is the caller's clock reading just taken (the end of decoding): the run starts from
    /// it, and the caller takes `finishedAt` as the start of encoding. A clock read costs ~30 ns
    /// here (vDSO, TSC); the phases of an inline request are back to back, so sharing the
    /// readings at their boundaries saves two of the six a request took, with the same figures.
    public func runInline(_ request: InferRequest, on served: ModelRepository.Served, now: UInt64) -> Outcome? {
        guard estimatedCost(request, model: served.model) <= inlineThresholdNanos else { return nil }
        return Self.execute(served.model, request.inputs, request.outputs?.map(\.name), startedAt: now)
    }

    /// Runs `request` on the offload pool; `completion` runs on `loop` (also when the pool is full,
    /// with an "overloaded" failure).
    ///
    /// `reason` is asked when the job reaches a worker: if it names one (the client has gone — its
    /// connection closed, or it reset the HTTP/2 stream — or a gRPC deadline has passed while the
    /// request waited in the queue), the model is not run and that failure is the outcome. Without
    /// this, clients that send heavy requests and hang up, cancel or time out could keep every
    /// worker busy computing answers nobody reads.
    public func offload(_ request: InferRequest, on served: ModelRepository.Served, loop: EventLoop,
                        skipIf reason: @escaping @Sendable () -> KServeError? = { nil },
                        completion: @escaping @Sendable (Outcome) -> Void) {
        let model = served.model
        let names = request.outputs?.map(\.name)
        let inputs = request.inputs
        let submitted = offload.submit(returningTo: loop, {
            if let skipped = reason() {
                return Outcome(result: .failure(skipped), inferNanos: 0, startedAt: monotonicNanos())
            }
            return Self.execute(model, inputs, names)
        }, completion: completion)
        if !submitted {
            completion(Outcome(result: .failure(KServeError(.unavailable, "server overloaded: \(offload.maxPending) inference requests already queued")),
                               inferNanos: 0, startedAt: monotonicNanos()))
        }
    }

    static func execute(_ model: any ServableModel, _ inputs: [InferTensor], _ outputs: [String]?,
                        startedAt: UInt64 = monotonicNanos()) -> Outcome {
        let t0 = startedAt
        let result: Result<[InferTensor], KServeError>
        do throws(KServeError) {
            result = .success(try model.infer(inputs: inputs, outputs: outputs))
        } catch {
            result = .failure(error)
        }
        return Outcome(result: result, inferNanos: monotonicNanos() &- t0, startedAt: t0)
    }
}
