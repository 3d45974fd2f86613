import SwiftProtobuf
import SwitchyardCore
import SwitchyardKServe
import SwitchyardServer
import SwitchyardTransport

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
        var deadline: UInt64?
        if let t = request.head.headers["grpc-timeout"] {
            do throws(GRPCStatus) {
                deadline = context.receivedAt &+ (try GRPCTimeout.parse(t)).clampedNanoseconds
            } catch { return writer.complete(Self.grpcFailure(error)) }
        }
        let message: [UInt8]
        do throws(GRPCStatus) {
            message = try GRPCFraming.singleMessage(in: request.body, maxMessageSize: options.maxGRPCMessageBytes)
        } catch { return writer.complete(Self.grpcFailure(error)) }
        let reply = GRPCReply(writer: writer, deadline: deadline)
        do {
            try dispatch(method, message, context: context, reply: reply)
        } catch let status as GRPCStatus {
            reply.fail(status)
        } catch let error as KServeError {
            reply.fail(GRPCStatus(error))
        } catch {
            // SwiftProtobuf decoding errors: the message is not a valid request of this method.
            reply.fail(GRPCStatus(.invalidArgument, "cannot decode \(method.rawValue) request: \(error)"))
        }
    }

    private func dispatch(_ method: GRPCMethod, _ bytes: [UInt8], context: RequestContext, reply: GRPCReply) throws {
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
            let message = try Inference_ModelInferRequest(serializedBytes: bytes)
            // The model is resolved before the tensors are checked: an unknown model is NOT_FOUND
            // whatever the inputs look like (as Triton answers).
            let served = try repository.resolve(ModelReference(name: message.modelName,
                                                               version: message.modelVersion.isEmpty ? nil : message.modelVersion))
            let request = try message.inferCall().request
            let t0 = monotonicNanos()
            runner.run(request, on: served, loop: context.loop) { outcome in
                switch outcome.result {
                case .failure(let error):
                    served.stats.recordFailure(total: monotonicNanos() &- context.receivedAt)
                    reply.fail(GRPCStatus(error))
                case .success(let outputs):
                    let t1 = monotonicNanos()
                    let response = InferResponse(modelName: served.model.name, modelVersion: served.model.version,
                                                 id: request.id, outputs: outputs)
                    reply.send(Inference_ModelInferResponse(response))
                    let t2 = monotonicNanos()
                    served.stats.recordSuccess(batch: Int(request.inputs.first?.shape.first ?? 1), total: t2 &- context.receivedAt,
                                               queue: outcome.startedAt &- t0, input: t0 &- context.receivedAt,
                                               infer: outcome.inferNanos, output: t2 &- t1)
                }
            }
        }
    }

    static func grpcFailure(_ status: GRPCStatus) -> HTTPResponse { GRPCMessaging.failure(status) }
}

/// Completes one gRPC call: a framed message with OK trailers, or a status; enforces the deadline.
struct GRPCReply: Sendable {
    let writer: ResponseWriter
    let deadline: UInt64?

    func send(_ message: some SwiftProtobuf.Message) {
        if let deadline, monotonicNanos() > deadline {
            return fail(GRPCStatus(.deadlineExceeded, "deadline exceeded before the response was ready"))
        }
        writer.complete(GRPCMessaging.response(message))
    }

    func fail(_ status: GRPCStatus) {
        writer.complete(Gateway.grpcFailure(status))
    }
}
