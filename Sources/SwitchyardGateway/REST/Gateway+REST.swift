import SwitchyardCore
import SwitchyardKServe
import SwitchyardServer
import SwitchyardTransport
import SwitchyardRouting
import SwitchyardStats

/// The Open Inference Protocol REST surface.
extension Gateway {
    func handleREST(_ request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        // Only requests with a body look at the coding headers: health probes, the most frequent
        // requests, do not pay for the walk.
        let coding = request.body.isEmpty ? ContentCoding() : ContentCoding(request.head.headers)
        // The common request is passed on as it came: a copy of it costs its reference counts.
        guard coding.requestIsLZ4 || coding.unsupported != nil else {
            return dispatchREST(request, context: context, writer: writer, acceptsLZ4: coding.acceptsLZ4)
        }
        switch coding.decode(request, limit: options.maxDecodedBodyBytes) {
        case .request(let decoded): dispatchREST(decoded, context: context, writer: writer, acceptsLZ4: coding.acceptsLZ4)
        case .refused(let answer): writer.complete(answer)
        }
    }

    private func dispatchREST(_ request: HTTPRequest, context: RequestContext, writer: ResponseWriter, acceptsLZ4: Bool) {
        switch KServeRoute.parse(method: request.head.method, path: request.head.target[...]) {
        case .notFound:
            if request.head.path == "/echo" {
                return writer.complete(Self.echo(request))
            }
            writer.complete(.error(.notFound, "no route for \(request.head.method) \(request.head.path)"))
        case .methodNotAllowed(let allowed):
            var h = HTTPHeaders()
            h.addLowercased(name: "allow", value: allowed == .GET ? "GET, HEAD" : allowed.rawValue)
            writer.complete(.error(.methodNotAllowed, "method \(request.head.method) is not allowed on \(request.head.path) (allowed: \(allowed))", headers: h))
        case .route(let route):
            handle(route, request, context: context, writer: writer, acceptsLZ4: acceptsLZ4)
        }
    }

    private func handle(_ route: KServeRoute, _ request: HTTPRequest, context: RequestContext, writer: ResponseWriter,
                        acceptsLZ4: Bool) {
        switch route {
        case .healthLive:
            writer.complete(Self.liveResponse)
        case .healthReady:
            writer.complete(isReady ? Self.readyResponse : .error(.serviceUnavailable, "server is not ready: models are still loading"))
        case .serverMetadata:
            writer.complete(.json(.ok, KServeJSONEncoder.serverMetadata(serverMetadata)))
        case .modelMetadata(let ref):
            do throws(KServeError) {
                writer.complete(.json(.ok, KServeJSONEncoder.modelMetadata(try repository.metadata(ref))))
            } catch { writer.complete(error.httpResponse) }
        case .modelReady(let ref):
            switch repository.isReady(ref) {
            case nil: writer.complete(KServeError.notFound(ref.version.map { "unknown version '\($0)' of model '\(ref.name)'" } ?? "unknown model '\(ref.name)'").httpResponse)
            case true?: writer.complete(.json(.ok, KServeJSONEncoder.modelReadiness(ModelReadiness(name: ref.name, ready: true))))
            case false?:
                writer.complete(.json(.serviceUnavailable, KServeJSONEncoder.modelReadiness(ModelReadiness(name: ref.name, ready: false))))
            }
        case .modelInfer(let ref):
            infer(ref, request, context: context, writer: writer, acceptsLZ4: acceptsLZ4)
        case .modelStatistics(let ref):
            do throws(KServeError) {
                writer.complete(.json(.ok, KServeJSONEncoder.statistics(try repository.statistics(ref))))
            } catch { writer.complete(error.httpResponse) }
        case .repositoryIndex:
            do throws(KServeError) {
                let q = try loopState(context).decoder.decodeRepositoryIndexRequest(body: request.body)
                writer.complete(.json(.ok, KServeJSONEncoder.repositoryIndex(repository.index(readyOnly: q.readyOnly))))
            } catch { writer.complete(error.httpResponse) }
        case .repositoryLoad(let name), .repositoryUnload(let name):
            let isLoad: Bool
            if case .repositoryLoad = route { isLoad = true } else { isLoad = false }
            do throws(KServeError) {
                _ = try loopState(context).decoder.decodeRepositoryParameters(body: request.body)
            } catch { return writer.complete(error.httpResponse) }
            let repository = self.repository
            let accepted = adminPool.submit {
                do throws(KServeError) {
                    if isLoad { try repository.load(name) } else { try repository.unload(name) }
                    writer.complete(.json(.ok, Array("{}".utf8)))
                } catch {
                    writer.complete(error.httpResponse)
                }
            }
            if !accepted { writer.complete(.error(.serviceUnavailable, "too many repository operations in progress")) }
        case .experimentOutcomes(let name):
            recordOutcomes(experiment: name, request, context: context, writer: writer)
        }
    }

    /// `POST /v2/models/{m}[/versions/{v}]/infer`: decode (JSON or binary extension), run, encode.
    /// When `{m}` is an experiment (and no version is named) the request is routed to a variant:
    /// the response says which one, carries the assignment token, and is recorded for statistics.
    private func infer(_ ref: ModelReference, _ http: HTTPRequest, context: RequestContext, writer: ResponseWriter,
                       acceptsLZ4: Bool) {
        let routed = ref.version == nil ? route(experiment: ref.name, headers: http.head.headers, target: http.head.target,
                                                context: context) : nil
        let served: ModelRepository.Served
        let request: InferRequest
        let t0 = monotonicNanos()
        // Read once: the decoder needs it to split the body, the answer to choose its form.
        let binaryHeaderLength = http.head.headers[BinaryTensorExtension.headerName]
        do throws(KServeError) {
            if let routed {
                served = try resolveVariant(routed)
            } else {
                served = try repository.resolve(ref)
            }
            request = try loopState(context).decoder.decodeInferRequest(body: http.body, inferenceHeaderContentLength: binaryHeaderLength,
                                                                        rawInput: served.model.soleInput)
        } catch {
            routed?.record(RoutedCall.outcome(of: error), receivedAt: context.receivedAt)
            return writer.complete(Self.finish(error.httpResponse, routed))
        }
        let decoded = monotonicNanos()
        let timing = InferTiming(received: context.receivedAt, decodeStarted: t0, decodeNanos: decoded &- t0)
        let form = AnswerForm(raw: binaryHeaderLength == "0", lz4: acceptsLZ4)
        guard let routed, routed.assignment.fault != nil else {
            return execute(request, on: served, form: form, timing: timing, routed: routed, loop: context.loop, writer: writer,
                           now: decoded)
        }
        // Fault injection (rare, rehearsals): only then is the rest of the request a closure.
        routed.withFault(loop: context.loop, proceed: { [self] in
            execute(request, on: served, form: form, timing: timing, routed: routed, loop: context.loop, writer: writer,
                    now: monotonicNanos())
        }, abort: { status in
            routed.record(RoutedCall.outcome(ofStatus: status), receivedAt: timing.received)
            let message = RoutedCall.faultMessage(status, experiment: routed.assignment.experiment, variant: routed.variant.name)
            writer.complete(routed.decorate(.error(HTTPStatus(status), message)))
        })
    }

    /// Runs a decoded request and answers it: the Triton statistics of the model version, and for
    /// a routed request its experiment's statistics, variant headers and shadows.
    /// `now`: a clock reading just taken (see `InferenceRunner.runInline`).
    private func execute(_ request: InferRequest, on served: ModelRepository.Served, form: AnswerForm, timing: InferTiming,
                         routed: RoutedCall?, loop: EventLoop, writer: ResponseWriter, now: UInt64) {
        if let outcome = runner.runInline(request, on: served, now: now) {
            return answer(outcome, request, on: served, form: form, timing: timing, routed: routed, loop: loop, writer: writer,
                          answering: outcome.finishedAt)
        }
        runner.offload(request, on: served, loop: loop, skipIf: { InferenceRunner.gone(writer) }) { [self] outcome in
            answer(outcome, request, on: served, form: form, timing: timing, routed: routed, loop: loop, writer: writer,
                   answering: monotonicNanos())
        }
    }

    /// Encodes and sends the answer to an executed request, and records it. `t1`: when answering
    /// started (the model's return for an inline run; the completion's arrival on the loop otherwise).
    private func answer(_ outcome: InferenceRunner.Outcome, _ request: InferRequest, on served: ModelRepository.Served,
                        form: AnswerForm, timing: InferTiming, routed: RoutedCall?, loop: EventLoop, writer: ResponseWriter,
                        answering t1: UInt64) {
        switch outcome.result {
        case .failure(let error):
            served.stats.recordFailure(loop: loop.index, total: t1 &- timing.received)
            routed?.record(RoutedCall.outcome(of: error), receivedAt: timing.received)
            writer.complete(Self.finish(error.httpResponse, routed))
        case .success(let outputs):
            // A routed response says which variant answered in its headers (x-switchyard-*).
            do throws(KServeError) {
                // The raw single-input form answers with every output binary (Triton's rule).
                let body = try KServeJSONEncoder.encodeResponse(
                    modelName: served.model.name, modelVersion: served.model.version, id: request.id, outputs: outputs,
                    binaryOutput: { form.raw || request.wantsBinary(output: $0) })
                let t2 = monotonicNanos()
                served.stats.recordSuccess(loop: loop.index, batch: Int(request.inputs.first?.shape.first ?? 1), total: t2 &- timing.received,
                                           queue: outcome.startedAt &- timing.decodeStarted &- timing.decodeNanos,
                                           input: timing.decodeNanos, infer: outcome.inferNanos, output: t2 &- t1)
                // Recorded before the response leaves, so a client that reads the
                // statistics after its response always finds its request counted.
                routed?.record(.success, receivedAt: timing.received, outputs: outputs, now: t2)
                // Two calls rather than one with a conditional argument: the common branch hands the
                // response over without an extra copy of it.
                if form.lz4 {
                    writer.complete(ContentCoding.encode(Self.finish(body.httpResponse(), routed)))
                } else {
                    writer.complete(Self.finish(body.httpResponse(), routed))
                }
                if let routed, !routed.assignment.shadows.isEmpty {
                    launchShadows(routed, inputs: request.inputs, primary: outputs)
                }
            } catch {
                served.stats.recordFailure(loop: loop.index, total: t1 &- timing.received)
                routed?.record(.serverError, receivedAt: timing.received)
                writer.complete(Self.finish(error.httpResponse, routed))
            }
        }
    }

    /// A response as sent: routed responses carry the variant and token headers.
    static func finish(_ response: consuming HTTPResponse, _ routed: RoutedCall?, signedToken: String? = nil) -> HTTPResponse {
        guard let routed else { return response }
        return routed.decorate(response, signedToken: signedToken)
    }

    /// How an inference answer is written: the raw single-input form answers with every output
    /// binary (Triton's rule); `lz4` compresses it for a client that accepts that coding.
    struct AnswerForm: Sendable {
        var raw: Bool
        var lz4: Bool
    }

    /// When the phases of an inference request started (monotonic nanoseconds).
    struct InferTiming: Sendable {
        var received: UInt64
        var decodeStarted: UInt64
        var decodeNanos: UInt64
    }

    // Health probes are the most frequent requests a gateway gets (load balancers, Kubernetes):
    // their answers are built once.
    static let liveResponse = HTTPResponse.json(.ok, KServeJSONEncoder.live(true))
    static let readyResponse = HTTPResponse.json(.ok, KServeJSONEncoder.ready(true))

    /// Echo for transport tests and load tests: the body back with the request's content type.
    static func echo(_ request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.addLowercased(name: "content-type", value: request.head.headers["content-type"] ?? "application/octet-stream")
        return HTTPResponse(status: .ok, headers: headers, body: request.body)
    }
}
