import Dispatch
import SwitchyardCore
import SwitchyardKServe
import SwitchyardRouting
import SwitchyardStats
import SwitchyardTransport

/// One request routed by an experiment: the decision, where its numbers go, and what its
/// response must say (which variant answered, and the signed assignment token).
///
/// A class: it travels through several closures (completion, fault, shadows), and a struct of
/// this size would retain every string and array it holds at each capture (measured: about a
/// third of the routing overhead was reference counting before).
final class RoutedCall: Sendable {
    static let experimentHeader = "x-switchyard-experiment"
    static let variantHeader = "x-switchyard-variant"
    static let tokenHeader: StaticString = "x-switchyard-assignment"
    /// The fields whose values differ per response, for HTTP/2's header compression.
    static let perResponseFields = [tokenHeader.description]

    let assignment: Assignment
    /// The experiment as the loop that routed the request sees it (the loop's own copy: see
    /// `ExperimentsView.copyForLoop`). Holding it keeps the statistics alive without retaining
    /// the statistics object, which all loops share.
    let route: ExperimentRoute
    /// nil only if the experiment's statistics could not be created (logged at configuration time).
    var stats: ExperimentStats? { route.stats }
    /// The variant's index in the statistics recorder.
    var variantIndex: Int { route.statsIndex[variant.index] }
    /// The model version the variant routes to.
    var reference: ModelReference { route.references[variant.index] }
    /// What the assignment token is made from: it is signed when the response is written
    /// (`decorate`), straight into the header buffer.
    let signingKey: AssignmentTokenSigner.SigningKey
    /// The unit the token names: the unit key, or the request id for requests without one.
    let unit: String
    let issuedAt: Int64
    let loop: Int

    init(assignment: Assignment, route: ExperimentRoute, signingKey: AssignmentTokenSigner.SigningKey, unit: String,
         issuedAt: Int64, loop: Int) {
        self.assignment = assignment
        self.route = route
        self.signingKey = signingKey
        self.unit = unit
        self.issuedAt = issuedAt
        self.loop = loop
    }

    /// The assignment token as text (gRPC response parameters). The same value `decorate` writes
    /// into the response's header: the inputs and the issue time are fixed at routing. A caller
    /// that has made it passes it to `decorate` rather than have the token signed twice.
    var token: String {
        signingKey.sign(experiment: assignment.experiment, variant: variant.name, unit: unit, issuedAt: issuedAt)
    }

    var variant: CompiledVariant { assignment.variant }

    /// Response headers (REST) and initial metadata (gRPC). The token is signed straight into the
    /// header buffer, unless `signedToken` (the text of `token`, already made) is given.
    func decorate(_ response: consuming HTTPResponse, signedToken: String? = nil) -> HTTPResponse {
        var r = response
        // The experiment and variant fields are the variant's, packed when the view was built;
        // one growth, sized exactly, for them and the token (~100 bytes).
        let fixed = route.variantFields[variant.index]
        let experiment = assignment.experiment, variantName = variant.name
        let layout = signedToken == nil ? signingKey.layout(experiment: experiment, variant: variantName, unit: unit, issuedAt: issuedAt) : nil
        let length = signedToken?.utf8.count ?? layout!.length
        r.headers.reserveCapacity(fields: 1, bytes: fixed.packedByteCount + Self.tokenHeader.utf8CodeUnitCount + length)
        r.headers.append(contentsOf: fixed)
        r.headers.append(name: Self.tokenHeader, valueLength: length) { out in
            if let signedToken {
                signedToken.withUTF8Bytes { out.copyMemory(from: UnsafeRawBufferPointer($0)) }
            } else {
                let written = signingKey.write(experiment: experiment, variant: variantName, unit: unit, issuedAt: issuedAt,
                                               layout: layout!, into: out)
                assert(written == length, "token length \(written) differs from the \(length) bytes reserved")
            }
        }
        return r
    }

    /// The same facts as response parameters, for gRPC clients that only see the message
    /// (tritonclient's gRPC `InferResult` exposes no metadata). REST clients read the headers.
    func decorate(_ parameters: inout InferParameters, signedToken: String) {
        parameters["switchyard_experiment"] = .string(assignment.experiment)
        parameters["switchyard_variant"] = .string(variant.name)
        parameters["switchyard_assignment"] = .string(signedToken)
    }

    /// Records the request in the experiment's statistics (per-loop shard; no shared lock).
    /// `now`: a clock reading the caller has just taken, if any (one ~30 ns read less).
    func record(_ outcome: RequestOutcome, receivedAt: UInt64, outputs: [InferTensor]? = nil, now: UInt64 = monotonicNanos()) {
        guard let stats else { return }
        let latency = now &- receivedAt
        var score: Double?, label: Int?
        if let outputs {
            if let name = stats.scoreOutput, let tensor = outputs.first(where: { $0.name == name }) { score = TensorScalar.first(of: tensor) }
            if let labels = stats.labels, let tensor = outputs.first(where: { $0.name == labels.output }),
               let text = TensorScalar.firstText(of: tensor) {
                label = labels.classes.firstIndex(of: text)
            }
        }
        try? stats.recorder.recordRequest(loop: loop, variant: variantIndex, latencyNanos: latency, outcome: outcome,
                                          score: score, label: label)
        guard let outputs, !stats.scoreMetrics.isEmpty else { return }
        for (metric, output) in stats.scoreMetrics {
            guard let tensor = outputs.first(where: { $0.name == output }), let value = TensorScalar.first(of: tensor) else { continue }
            // A score that does not fit the metric (e.g. 0.7 for a binary metric) is not recorded.
            _ = try? stats.recorder.recordOutcome(loop: loop, variant: variantIndex, metric: metric, value: value, eventID: nil)
        }
    }

    /// How a failure counts in the error rates: the client's fault, a timeout, or the server's.
    static func outcome(of error: KServeError) -> RequestOutcome {
        switch error.kind {
        case .invalidArgument, .notFound, .unsupported, .resourceExhausted, .cancelled: return .clientError
        case .deadlineExceeded: return .timeout
        case .unavailable, .internal: return .serverError
        }
    }

    static func outcome(ofStatus code: Int) -> RequestOutcome {
        switch code {
        case 408, 504: return .timeout
        case 400..<500: return .clientError
        case 500...: return .serverError
        default: return .success
        }
    }

    /// Injects the variant's fault, if any (Istio semantics): the delay first, then either the
    /// abort or the real request. `proceed` and `abort` run on `loop`.
    func withFault(loop: EventLoop, proceed: @escaping @Sendable () -> Void, abort: @escaping @Sendable (Int) -> Void) {
        guard let fault = assignment.fault else { return proceed() }
        let next: @Sendable () -> Void = {
            if let status = fault.abortStatus { abort(status) } else { proceed() }
        }
        guard let delay = fault.delaySeconds, delay > 0 else { return next() }
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { loop.execute(next) }
    }

    static func faultMessage(_ status: Int, experiment: String, variant: String) -> String {
        "fault injected: abort with \(status) (experiment '\(experiment)', variant '\(variant)')"
    }
}

/// Reads the first element of a tensor (a score or label output), on every routed response
/// whose experiment asks for one: straight from the raw bytes, not through a copy of the tensor.
enum TensorScalar {
    static func first(of tensor: InferTensor) -> Double? {
        switch tensor.datatype {
        case .fp32: return load(Float.self, tensor).map(Double.init)
        case .fp64: return load(Double.self, tensor)
        case .int64: return load(Int64.self, tensor).map(Double.init)
        case .int32: return load(Int32.self, tensor).map(Double.init)
        case .bool: return load(UInt8.self, tensor).map { $0 != 0 ? 1 : 0 }
        default: return nil
        }
    }

    /// The first element as label text: integers in decimal, strings as they are.
    static func firstText(of tensor: InferTensor) -> String? {
        switch tensor.datatype {
        case .int64: return load(Int64.self, tensor).map { String($0) }
        case .int32: return load(Int32.self, tensor).map { String($0) }
        case .bytes: return tensor.elements?.first.map { String(decoding: $0, as: UTF8.self) }
        case .bool: return load(UInt8.self, tensor).map { $0 != 0 ? "true" : "false" }
        default: return first(of: tensor).map { String($0) }
        }
    }

    /// The first element of a raw (little-endian, as the protocol's tensors are) tensor.
    private static func load<T: FixedWidthInteger>(_ type: T.Type, _ tensor: InferTensor) -> T? {
        guard let raw = tensor.rawBytes, raw.count >= MemoryLayout<T>.size else { return nil }
        return raw.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
    }

    private static func load<T: BinaryFloatingPoint>(_ type: T.Type, _ tensor: InferTensor) -> T? {
        guard let raw = tensor.rawBytes, raw.count >= MemoryLayout<T>.size else { return nil }
        return raw.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}
