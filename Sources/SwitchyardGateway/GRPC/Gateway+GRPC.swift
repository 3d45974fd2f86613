import SwiftProtobuf
import SwitchyardCore
import SwitchyardKServe
import SwitchyardServer
import SwitchyardTransport
import SwitchyardRouting
import SwitchyardStats

/// `inference.GRPCInferenceService` over the same HTTP/2 transport: unary calls only, each a
/// single length-prefixed message in and out, with `grpc-status` / `grpc-message` trailers.
extension Gateway {
    func handleGRPC(_ request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        guard context.wireProtocol == .http2 else {
            // gRPC needs HTTP/2 trailers; over HTTP/1.1 answer plainly.
            return writer.complete(.error(.unsupportedMediaType, "gRPC requires HTTP/2"))
        }
        let method: GRPCMethod
        switch GRPCMethod.resolve(path: request.head.path) {
        case .success(let m): method = m
        case .failure(let status): return writer.complete(Self.grpcFailure(status))
        }
        if let enc = request.head.headers["grpc-encoding"], enc != "identity" {
            return writer.complete(Self.grpcFailure(GRPCStatus(.unimplemented, "grpc-encoding '\(enc)' is not supported (identity only)")))
        }
        let deadline: UInt64?
        do throws(GRPCStatus) {
            deadline = try GRPCMessaging.timeout(request.head.headers).map { context.receivedAt &+ $0.clampedNanoseconds }
        } catch { return writer.complete(Self.grpcFailure(error)) }
        let message: [UInt8]
        do throws(GRPCStatus) {
            message = try GRPCFraming.singleMessage(in: request.body, maxMessageSize: options.maxGRPCMessageBytes)
        } catch { return writer.complete(Self.grpcFailure(error)) }
        let reply = GRPCReply(writer: writer, deadline: deadline, routed: nil)
        do {
            try dispatch(method, message, headers: request.head.headers, context: context, reply: reply)
        } catch let status as GRPCStatus {
            reply.fail(status)
        } catch let error as KServeError {
            reply.fail(GRPCStatus(error))
        } catch {
            // SwiftProtobuf decoding errors: the message is not a valid request of this method.
            reply.fail(GRPCStatus(.invalidArgument, "cannot decode \(method.rawValue) request: \(error)"))
        }
    }

    private func dispatch(_ method: GRPCMethod, _ bytes: [UInt8], headers: HTTPHeaders, context: RequestContext,
                          reply: GRPCReply) throws {
        switch method {
        case .serverLive:
            _ = try Inference_ServerLiveRequest(serializedBytes: bytes)
            var r = Inference_ServerLiveResponse(); r.live = true
            reply.send(r)
        case .serverReady:
            _ = try Inference_ServerReadyRequest(serializedBytes: bytes)
            var r = Inference_ServerReadyResponse(); r.ready = isReady
            reply.send(r)
        case .modelReady:
            let q = try Inference_ModelReadyRequest(serializedBytes: bytes)
            guard let ready = repository.isReady(q.modelReference) else {
                throw KServeError.notFound("unknown model '\(q.name)'" + (q.version.isEmpty ? "" : " version '\(q.version)'"))
            }
            var r = Inference_ModelReadyResponse(); r.ready = ready
            reply.send(r)
        case .serverMetadata:
            _ = try Inference_ServerMetadataRequest(serializedBytes: bytes)
            reply.send(Inference_ServerMetadataResponse(serverMetadata))
        case .modelMetadata:
            let q = try Inference_ModelMetadataRequest(serializedBytes: bytes)
            reply.send(Inference_ModelMetadataResponse(try repository.metadata(q.modelReference)))
        case .modelStatistics:
            let q = try Inference_ModelStatisticsRequest(serializedBytes: bytes)
            reply.send(Inference_ModelStatisticsResponse(try repository.statistics(q.modelReference)))
        case .repositoryIndex:
            let q = try Inference_RepositoryIndexRequest(serializedBytes: bytes)
            reply.send(Inference_RepositoryIndexResponse(repository.index(readyOnly: q.ready)))
        case .repositoryModelLoad, .repositoryModelUnload:
            let load = method == .repositoryModelLoad
            let name = load ? try Inference_RepositoryModelLoadRequest(serializedBytes: bytes).modelName
                            : try Inference_RepositoryModelUnloadRequest(serializedBytes: bytes).modelName
            let accepted = repositoryOperation(load: load, model: name) { error in
                if let error { return reply.fail(GRPCStatus(error)) }
                if load { reply.send(Inference_RepositoryModelLoadResponse()) } else { reply.send(Inference_RepositoryModelUnloadResponse()) }
            }
            if !accepted { throw GRPCStatus(.resourceExhausted, "too many repository operations in progress") }
        case .modelInfer:
            // The common shape (raw tensors, no parameters) is read directly; everything else, and
            // every malformed request, goes through swift-protobuf as before (see the decoder).
            let message: InferMessage
            if let call = bytes.withUnsafeBytes({ GRPCInferRequestDecoder.decode($0) }) {
                message = .decoded(call)
            } else {
                message = .library(try Inference_ModelInferRequest(serializedBytes: bytes))
            }
            // An experiment's name without a version is routed to a variant; the metadata of the
            // response (and its parameters) say which one answered.
            let model = message.model
            let routed = model.version == nil
                ? route(experiment: model.name, headers: headers, target: nil, context: context) : nil
            guard let routed else { return try infer(message, context: context, reply: reply, routed: nil) }
            let routedReply = GRPCReply(writer: reply.writer, deadline: reply.deadline, routed: routed)
            do {
                try infer(message, context: context, reply: routedReply, routed: routed)
            } catch let error as KServeError {
                routed.record(RoutedCall.outcome(of: error), receivedAt: context.receivedAt)
                routedReply.fail(GRPCStatus(error))
            } catch {
                routed.record(.clientError, receivedAt: context.receivedAt)
                routedReply.fail(GRPCStatus(.invalidArgument, "cannot decode ModelInfer request: \(error)"))
            }
        }
    }

    /// A ModelInfer request as decoded: directly into the common representation, or as the
    /// library's message, converted only after the model is resolved.
    private enum InferMessage {
        case decoded(GRPCInferCall)
        case library(Inference_ModelInferRequest)

        var model: ModelReference {
            switch self {
            case .decoded(let call): call.model
            case .library(let m): ModelReference(name: m.modelName, version: m.modelVersion.isEmpty ? nil : m.modelVersion)
            }
        }

        func request() throws(KServeError) -> InferRequest {
            switch self {
            case .decoded(let call): call.request
            case .library(let m): try m.inferCall().request
            }
        }
    }

    private func infer(_ message: InferMessage, context: RequestContext, reply: GRPCReply,
                       routed: RoutedCall?) throws {
        // The model is resolved before the tensors are checked: an unknown model is NOT_FOUND
        // whatever the inputs look like (as Triton answers).
        let served = try routed.map { call throws(KServeError) in try resolveVariant(call) }
            ?? repository.resolve(message.model)
        let request = try message.request()
        guard let routed, routed.assignment.fault != nil else {
            return execute(request, on: served, context: context, reply: reply, routed: routed)
        }
        routed.withFault(loop: context.loop, proceed: { [self] in
            execute(request, on: served, context: context, reply: reply, routed: routed)
        }, abort: { status in
            routed.record(RoutedCall.outcome(ofStatus: status), receivedAt: context.receivedAt)
            reply.fail(GRPCStatus(GRPCStatus.Code(httpStatus: status),
                                  RoutedCall.faultMessage(status, experiment: routed.assignment.experiment, variant: routed.variant.name)))
        })
    }

    private func execute(_ request: InferRequest, on served: ModelRepository.Served, context: RequestContext, reply: GRPCReply,
                         routed: RoutedCall?) {
        let t0 = monotonicNanos()
        // Inline outcomes are answered directly, as REST does: no completion closure to allocate.
        if let outcome = runner.runInline(request, on: served, now: t0) {
            return answer(outcome, request, on: served, context: context, reply: reply, routed: routed, decoded: t0,
                          answering: outcome.finishedAt)
        }
        runner.offload(request, on: served, loop: context.loop, skipIf: { reply.reasonToSkip(now: monotonicNanos()) }) { [self] outcome in
            answer(outcome, request, on: served, context: context, reply: reply, routed: routed, decoded: t0,
                   answering: monotonicNanos())
        }
    }

    /// Encodes and sends the answer to an executed ModelInfer call, and records it.
    private func answer(_ outcome: InferenceRunner.Outcome, _ request: InferRequest, on served: ModelRepository.Served,
                        context: RequestContext, reply: GRPCReply, routed: RoutedCall?, decoded t0: UInt64, answering t1: UInt64) {
        switch outcome.result {
        case .failure(let error):
            served.stats.recordFailure(loop: context.loop.index, total: t1 &- context.receivedAt)
            routed?.record(RoutedCall.outcome(of: error), receivedAt: context.receivedAt)
            reply.fail(GRPCStatus(error))
        case .success(let outputs):
            var response = InferResponse(modelName: served.model.name, modelVersion: served.model.version,
                                         id: request.id, outputs: outputs)
            // One signature for the response parameter and the metadata field.
            let token = routed?.token
            if let routed, let token { routed.decorate(&response.parameters, signedToken: token) }
            routed?.record(.success, receivedAt: context.receivedAt, outputs: outputs)
            reply.send(framed: GRPCInferResponseEncoder.framed(response), signedToken: token)
            let t2 = monotonicNanos()
            served.stats.recordSuccess(loop: context.loop.index, batch: Int(request.inputs.first?.shape.first ?? 1), total: t2 &- context.receivedAt,
                                       queue: outcome.startedAt &- t0, input: t0 &- context.receivedAt,
                                       infer: outcome.inferNanos, output: t2 &- t1)
            if let routed, !routed.assignment.shadows.isEmpty {
                launchShadows(routed, inputs: request.inputs, primary: outputs)
            }
        }
    }

    static func grpcFailure(_ status: GRPCStatus) -> HTTPResponse { GRPCMessaging.failure(status) }
}

/// Completes one gRPC call: a framed message with OK trailers, or a status; enforces the deadline.
/// A routed call's metadata names the experiment, the variant and the assignment token.
struct GRPCReply: Sendable {
    let writer: ResponseWriter
    let deadline: UInt64?
    let routed: RoutedCall?

    func send(_ message: some SwiftProtobuf.Message) {
        deliver { GRPCMessaging.response(message) }
    }

    /// Sends a message already encoded and framed (the ModelInfer fast path); `signedToken` is the
    /// routed call's token when the message already carries it.
    func send(framed: [UInt8], signedToken: String? = nil) {
        deliver(signedToken: signedToken) { GRPCMessaging.response(framed: framed) }
    }

    private func deliver(signedToken: String? = nil, _ response: () -> HTTPResponse) {
        if let deadline, monotonicNanos() > deadline {
            return fail(GRPCStatus(.deadlineExceeded, "deadline exceeded before the response was ready"))
        }
        writer.complete(Gateway.finish(response(), routed, signedToken: signedToken))
    }

    func fail(_ status: GRPCStatus) {
        writer.complete(Gateway.finish(Gateway.grpcFailure(status), routed))
    }

    /// Why a queued call should not be computed any more, if it should not: the client went away
    /// (connection closed, stream reset, call cancelled) or its deadline passed while it waited.
    func reasonToSkip(now: UInt64) -> KServeError? {
        if let gone = InferenceRunner.gone(writer) { return gone }
        if let deadline, now > deadline {
            return KServeError(.deadlineExceeded, "deadline exceeded while the request waited for a worker")
        }
        return nil
    }
}
