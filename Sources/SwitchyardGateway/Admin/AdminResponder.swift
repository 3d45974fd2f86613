import Foundation
import SwitchyardAdminAPI
import SwitchyardCore
import SwitchyardRouting
import SwitchyardServer
import SwitchyardStats
import SwitchyardTransport

/// The admin API (``AdminRoute`` lists the endpoints), served on its own listener — by default
/// loopback only — and protected by bearer tokens.
///
/// Every admin request is handled on the gateway's repository pool, never on an event loop:
/// accepted changes are fsync'ed to the state directory before they are answered, and a
/// results document merges every shard; neither may stall the loops that serve inference.
public final class AdminResponder: HTTPResponder {
    let gateway: Gateway
    let experiments: ExperimentService
    let tokens: AdminTokens

    public init(gateway: Gateway, experiments: ExperimentService, tokens: AdminTokens) {
        self.gateway = gateway
        self.experiments = experiments
        self.tokens = tokens
    }

    public func respond(to request: HTTPRequest, context: RequestContext, writer: ResponseWriter) {
        guard let who = tokens.authenticate(request.head.headers["authorization"]) else {
            var h = HTTPHeaders()
            h.addLowercased(name: "www-authenticate", value: "Bearer realm=\"switchyard-admin\"")
            return writer.complete(.error(.unauthorized, "missing or invalid admin token (Authorization: Bearer <token>)", headers: h))
        }
        let route: AdminRoute
        switch AdminRoute.match(method: request.head.method.rawValue, path: String(request.head.path)) {
        case .route(let r): route = r
        case .notFound: return writer.complete(.error(.notFound, "no admin endpoint \(request.head.method) \(request.head.path)"))
        case .methodNotAllowed(let allowed):
            var h = HTTPHeaders()
            h.addLowercased(name: "allow", value: allowed.map { $0.rawValue }.joined(separator: ", "))
            return writer.complete(.error(.methodNotAllowed, "\(request.head.method) is not allowed on \(request.head.path)", headers: h))
        }
        let accepted = gateway.adminPool.submit { [self] in
            writer.complete(handle(route, request, who: who))
        }
        if !accepted { writer.complete(.error(.serviceUnavailable, "too many admin requests in progress")) }
    }

    /// Answers one authenticated admin request (off the event loops).
    func handle(_ route: AdminRoute, _ request: HTTPRequest, who: String) -> HTTPResponse {
        let query = { (name: String) in RequestAttributes.query(named: name, in: request.head.target) }
        do throws(AdminFailure) {
            switch route {
            case .listExperiments:
                let store = experiments.control.current
                return json(ExperimentList(revision: store.revision,
                                           experiments: store.config.experiments.map { view(of: $0, store: store) }))
            case .showExperiment(let name):
                let store = experiments.control.current
                return json(view(of: try experiment(name, in: store), store: store))
            case .experimentConfig(let name):
                let store = experiments.control.current
                return .json(.ok, ConfigRenderer.json(try experiment(name, in: store), pretty: true))
            case .config:
                return .json(.ok, ConfigRenderer.json(Self.redacted(experiments.control.current.config), pretty: true))
            case .putExperiment(let name):
                let text = String(decoding: request.body, as: UTF8.self)
                let body: ExperimentConfig
                do { body = try ConfigParser.parseExperiment(text) } catch {
                    throw AdminFailure(.unprocessableContent, "experiment body does not validate: \(error)")
                }
                guard body.name == name else {
                    throw AdminFailure(.unprocessableContent, "the body names experiment '\(body.name)' but the path names '\(name)'")
                }
                let existed = experiments.control.current.config.experiment(named: name) != nil
                let record = try change(.putExperiment(body), who: who, why: query("reason"))
                return changed(record, existed ? "replaced experiment \(name)" : "created experiment \(name)")
            case .deleteExperiment(let name):
                let record = try change(.deleteExperiment(name), who: who, why: query("reason"))
                return changed(record, "deleted experiment \(name)")
            case .setWeights(let name):
                let body = try decode(WeightsChange.self, request.body)
                guard !body.weights.isEmpty else { throw AdminFailure(.badRequest, "\"weights\" is empty") }
                for (variant, weight) in body.weights where !(weight.isFinite && weight >= 0) {
                    throw AdminFailure(.unprocessableContent, "weight of '\(variant)' must be a finite number ≥ 0, got \(weight)")
                }
                let record = try change(.setWeights(experiment: name, weights: body.weights), who: who, why: body.reason)
                return changed(record, ConfigChange.setWeights(experiment: name, weights: body.weights).summary)
            case .canary(let name, let command):
                guard let c = CanaryCommand(rawValue: command) else {
                    throw AdminFailure(.notFound, "unknown canary command '\(command)' (use \(CanaryCommand.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                let body = request.body.isEmpty ? ReasonBody() : try decode(ReasonBody.self, request.body)
                let record = try change(.canary(experiment: name, command: c), who: who, why: body.reason)
                let status = experiments.control.current.canaries[name]?.status.rawValue ?? "unknown"
                return changed(record, "canary \(c.rawValue) on \(name): now \(status)")
            case .rollback:
                let body = try decode(RollbackRequest.self, request.body)
                let context = ChangeContext(who: who, why: body.reason ?? "", at: experiments.now)
                do {
                    let record = try experiments.rollback(to: body.revision, by: context)
                    return changed(record, "rolled back to the configuration of revision \(body.revision)")
                } catch { throw AdminFailure(error) }
            case .shadow(let name):
                let store = experiments.control.current
                let config = try experiment(name, in: store)
                let comparisons = experiments.stats(name)?.shadowComparisons(order: config.shadow.map(\.name)) ?? []
                return json(ShadowReport(experiment: name, shadows: comparisons, queued: gateway.shadowPool.pendingCount,
                                         queueCapacity: gateway.shadowPool.maxPending))
            case .results(let name):
                guard let results = experiments.results(name) else {
                    throw AdminFailure(.notFound, experiments.control.current.config.experiment(named: name) == nil
                                       ? "no experiment named \"\(name)\"" : "experiment \"\(name)\" has no statistics")
                }
                return json(results)
            case .revisions:
                let store = experiments.control.current
                return json(RevisionList(current: store.revision, revisions: store.revisions.map {
                    RevisionView(number: $0.number, who: $0.audit.who, when: $0.audit.when, why: $0.audit.why,
                                 action: $0.audit.action, what: $0.audit.what)
                }))
            case .audit:
                var entries = experiments.control.current.auditLog
                if let name = query("experiment") {
                    entries = entries.filter { $0.action.contains(name) || $0.what.contains(name) }
                }
                if let limit = query("limit") {
                    guard let n = Int(limit), n > 0 else { throw AdminFailure(.badRequest, "limit must be a positive integer, got '\(limit)'") }
                    entries = Array(entries.suffix(n))
                }
                return json(AuditList(entries: entries))
            }
        } catch {
            return .json(error.status, Gateway.encodeJSON(ErrorBody(error: error.message)))
        }
    }

    private func change(_ change: ConfigChange, who: String, why: String?) throws(AdminFailure) -> RevisionRecord? {
        do {
            return try experiments.apply(change, by: ChangeContext(who: who, why: why ?? "", at: experiments.now))
        } catch {
            throw AdminFailure(error)
        }
    }

    private func experiment(_ name: String, in store: ExperimentStore) throws(AdminFailure) -> ExperimentConfig {
        guard let e = store.config.experiment(named: name) else { throw AdminFailure(.notFound, "no experiment named \"\(name)\"") }
        return e
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(AdminFailure) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(body)) } catch {
            throw AdminFailure(.badRequest, "body is not a valid \(T.self): \(OutcomeBatch.describe(error))")
        }
    }

    private func json(_ value: some Encodable) -> HTTPResponse { .json(.ok, Gateway.encodeJSON(value)) }

    private func changed(_ record: RevisionRecord?, _ message: String) -> HTTPResponse {
        json(ChangeResult(revision: record?.number, message: message))
    }

    /// The configuration without token secrets (the admin API never echoes secrets).
    static func redacted(_ config: RoutingConfig) -> RoutingConfig {
        var c = config
        if var tokens = c.tokens {
            tokens.current.secret = "<redacted>"
            tokens.previous = tokens.previous.map { TokenKey(keyID: $0.keyID, secret: "<redacted>") }
            c.tokens = tokens
        }
        return c
    }
}

/// A refused admin request: status and message.
struct AdminFailure: Error {
    let status: HTTPStatus
    let message: String

    init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    init(_ error: StoreError) {
        switch error {
        case .invalid, .unknownVariant: status = .unprocessableContent
        case .unknownExperiment, .revisionNotRetained: status = .notFound
        case .noCanary, .canaryRunning, .canary: status = .conflict
        case .corruptState: status = .internalServerError
        }
        message = error.description
    }
}
