import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchyardAdminAPI
import SwitchyardRouting
import SwitchyardStats

/// A decoded answer together with the exact JSON the gateway sent (what `--json` prints).
public struct AdminReply<Value: Sendable>: Sendable {
    public var value: Value
    public var json: Data
}

/// A blocking client for the gateway's admin API, built on the shared route table
/// (``AdminRoute``) and bodies, so that it cannot drift from the listener.
///
/// Every request carries `Authorization: Bearer <token>` and `Accept: application/json`. A change's
/// reason (the audit log's "why") travels where the contract puts it: the `reason` query parameter
/// for `PUT`/`DELETE` of an experiment, a body field for the `POST`s. Failures are
/// ``AdminClientError``s that tell unreachable, unauthorized and refused apart.
public final class AdminClient: Sendable {
    public static let defaultTimeout: Double = 10

    public let endpoint: AdminEndpoint
    public let credentials: AdminCredentials
    private let http: BlockingHTTP

    public init(endpoint: AdminEndpoint, credentials: AdminCredentials, timeout: Double = AdminClient.defaultTimeout) {
        self.endpoint = endpoint
        self.credentials = credentials
        http = BlockingHTTP(timeout: timeout)
    }

    public var timeout: Double { http.timeout }

    // MARK: Reads

    public func listExperiments() throws(AdminClientError) -> AdminReply<ExperimentList> {
        try exchange(.listExperiments)
    }

    public func experiment(_ name: String) throws(AdminClientError) -> AdminReply<ExperimentView> {
        try exchange(.showExperiment(name))
    }

    /// The experiment in the configuration schema's JSON shape (what `apply` takes back).
    public func experimentConfig(_ name: String) throws(AdminClientError) -> Data {
        try send(.experimentConfig(name))
    }

    /// The whole configuration in the schema's JSON shape, token secrets redacted.
    public func config() throws(AdminClientError) -> Data {
        try send(.config)
    }

    public func shadow(_ name: String) throws(AdminClientError) -> AdminReply<ShadowReport> {
        try exchange(.shadow(name))
    }

    public func results(_ name: String) throws(AdminClientError) -> AdminReply<ExperimentResults> {
        try exchange(.results(name))
    }

    public func revisions() throws(AdminClientError) -> AdminReply<RevisionList> {
        try exchange(.revisions)
    }

    /// Audit entries, oldest first; `experiment` and `limit` filter on the server.
    public func audit(experiment: String? = nil, limit: Int? = nil) throws(AdminClientError) -> AdminReply<AuditList> {
        var query: [(String, String)] = []
        if let experiment { query.append(("experiment", experiment)) }
        if let limit { query.append(("limit", String(limit))) }
        return try exchange(.audit, query: query)
    }

    // MARK: Changes

    /// Creates or replaces an experiment from its YAML or JSON document (the config file's schema).
    public func putExperiment(_ name: String, document: String, reason: String? = nil) throws(AdminClientError) -> AdminReply<ChangeResult> {
        try exchange(.putExperiment(name), query: reasonQuery(reason), body: Data(document.utf8),
                     contentType: Self.looksLikeJSON(document) ? "application/json" : "application/yaml")
    }

    public func deleteExperiment(_ name: String, reason: String? = nil) throws(AdminClientError) -> AdminReply<ChangeResult> {
        try exchange(.deleteExperiment(name), query: reasonQuery(reason))
    }

    public func setWeights(_ name: String, weights: [String: Double], reason: String? = nil) throws(AdminClientError) -> AdminReply<ChangeResult> {
        if let bad = weights.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite || $0.value < 0 }) {
            throw .invalidRequest("weight of \(bad.key) must be a finite number ≥ 0, got \(bad.value)")
        }
        guard !weights.isEmpty else { throw .invalidRequest("set-weights needs at least one VARIANT=WEIGHT") }
        return try exchange(.setWeights(name), body: try encode(WeightsChange(weights: weights, reason: reason)))
    }

    public func canary(_ name: String, command: CanaryCommand, reason: String? = nil) throws(AdminClientError) -> AdminReply<ChangeResult> {
        try exchange(.canary(name, command: command.rawValue), body: try encode(ReasonBody(reason: reason)))
    }

    public func rollback(to revision: Int, reason: String? = nil) throws(AdminClientError) -> AdminReply<ChangeResult> {
        try exchange(.rollback, body: try encode(RollbackRequest(revision: revision, reason: reason)))
    }

    // MARK: Transport

    /// Sends one request and returns the body of a 2xx answer; every other outcome throws.
    public func send(_ route: AdminRoute, query: [(String, String)] = [], body: Data? = nil,
                     contentType: String? = nil) throws(AdminClientError) -> Data {
        let (method, path) = route.request
        let url = url(path: path, query: query)
        guard let target = URL(string: url) else {
            throw .invalidAdminURL(endpoint.baseURL, reason: "cannot form a URL for \(path)")
        }
        var request = URLRequest(url: target)
        request.httpMethod = method.rawValue
        request.setValue("Bearer \(credentials.token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/json", forHTTPHeaderField: "Content-Type")
        }
        switch http.perform(request) {
        case .failure(.timedOut):
            throw .timedOut(url: endpoint.baseURL, seconds: http.timeout)
        case .failure(.transport(let reason)):
            throw .unreachable(url: endpoint.baseURL, reason: reason)
        case .success(let reply):
            if (200..<300).contains(reply.status) { return reply.body }
            if reply.status == 401 { throw .unauthorized(url: endpoint.baseURL, tokenSource: credentials.source.description) }
            throw .refused(status: reply.status, method: method.rawValue, path: path,
                           message: Self.errorMessage(reply.body))
        }
    }

    /// The full URL: base, the route's (already escaped) path, and query parameters escaped as
    /// path segments are (spaces become %20, never `+`).
    func url(path: String, query: [(String, String)]) -> String {
        var url = endpoint.baseURL + path
        if !query.isEmpty {
            url += "?" + query.map { "\(AdminRoute.escape($0.0))=\(AdminRoute.escape($0.1))" }.joined(separator: "&")
        }
        return url
    }

    private func exchange<T: Decodable & Sendable>(_ route: AdminRoute, query: [(String, String)] = [], body: Data? = nil,
                                                   contentType: String? = nil) throws(AdminClientError) -> AdminReply<T> {
        let data = try send(route, query: query, body: body, contentType: contentType)
        return AdminReply(value: try Self.decode(T.self, from: data, route: route), json: data)
    }

    /// Decodes a route's answer, naming the route and the failing field when it does not fit.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, route: AdminRoute) throws(AdminClientError) -> T {
        let decoder = JSONDecoder()
        // Strict JSON has no non-finite numbers; should the gateway encode an unbounded shadow
        // difference with Foundation's string convention, read it back instead of failing.
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity",
                                                                        negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw .unexpectedResponse(method: route.request.method.rawValue, path: route.request.path,
                                      detail: DecodingProblem.describe(error, data: data))
        } catch {
            throw .unexpectedResponse(method: route.request.method.rawValue, path: route.request.path, detail: "\(error)")
        }
    }

    private func encode(_ value: some Encodable) throws(AdminClientError) -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw .invalidRequest("cannot encode the request body: \(error)")
        }
    }

    private func reasonQuery(_ reason: String?) -> [(String, String)] {
        guard let reason, !reason.isEmpty else { return [] }
        return [("reason", reason)]
    }

    /// The server's ``ErrorBody`` message, else the start of whatever it sent.
    static func errorMessage(_ body: Data) -> String {
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: body) { return error.error }
        // Something else answered (a proxy's HTML page, a plain-text error): one line of it.
        let words = String(decoding: body.prefix(4096), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return "no message" }
        let line = words.joined(separator: " ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    static func looksLikeJSON(_ document: String) -> Bool {
        document.first { !$0.isWhitespace } == "{"
    }
}
