import SwitchyardCore

/// The admin API's routes: one definition that the gateway's admin listener dispatches on and
/// that `switchyard ctl` builds its URLs from, so the two cannot drift apart.
///
/// Every route answers JSON. Mutations take an optional `reason` (the audit log's "why") and
/// answer a ``ChangeResult``; refused changes answer ``ErrorBody`` with 400 (unreadable body),
/// 404 (unknown experiment or revision), 409 (conflicts, e.g. set-weights during a running
/// canary) or 422 (the change does not validate: the message names the field). Requests without
/// a valid `Authorization: Bearer <token>` get 401.
public enum AdminRoute: Sendable, Equatable {
    /// `GET /admin/experiments` → ``ExperimentList``.
    case listExperiments
    /// `GET /admin/experiments/{name}` → ``ExperimentView``.
    case showExperiment(String)
    /// `PUT /admin/experiments/{name}` with the experiment in YAML or JSON (the config file's
    /// schema; the name in the body must match) → ``ChangeResult``. Reason: `reason` query parameter.
    case putExperiment(String)
    /// `DELETE /admin/experiments/{name}` → ``ChangeResult``. Reason: `reason` query parameter.
    case deleteExperiment(String)
    /// `GET /admin/experiments/{name}/config` → the experiment in the schema's JSON shape.
    case experimentConfig(String)
    /// `POST /admin/experiments/{name}/weights` with ``WeightsChange`` → ``ChangeResult``.
    case setWeights(String)
    /// `POST /admin/experiments/{name}/canary/{command}` with ``ReasonBody`` → ``ChangeResult``.
    case canary(String, command: String)
    /// `GET /admin/experiments/{name}/shadow` → ``ShadowReport``.
    case shadow(String)
    /// `GET /admin/experiments/{name}/results` → the statistics engine's results document.
    case results(String)
    /// `GET /admin/revisions` → ``RevisionList``.
    case revisions
    /// `POST /admin/rollback` with ``RollbackRequest`` → ``ChangeResult``.
    case rollback
    /// `GET /admin/audit[?experiment=NAME][&limit=N]` → ``AuditList`` (newest last).
    case audit
    /// `GET /admin/config` → the whole configuration in the schema's JSON shape (token secrets redacted).
    case config

    public enum Method: String, Sendable { case GET, PUT, POST, DELETE }

    /// The method and path (without query) of this route.
    public var request: (method: Method, path: String) {
        switch self {
        case .listExperiments: return (.GET, "/admin/experiments")
        case .showExperiment(let n): return (.GET, "/admin/experiments/\(Self.escape(n))")
        case .putExperiment(let n): return (.PUT, "/admin/experiments/\(Self.escape(n))")
        case .deleteExperiment(let n): return (.DELETE, "/admin/experiments/\(Self.escape(n))")
        case .experimentConfig(let n): return (.GET, "/admin/experiments/\(Self.escape(n))/config")
        case .setWeights(let n): return (.POST, "/admin/experiments/\(Self.escape(n))/weights")
        case .canary(let n, let c): return (.POST, "/admin/experiments/\(Self.escape(n))/canary/\(Self.escape(c))")
        case .shadow(let n): return (.GET, "/admin/experiments/\(Self.escape(n))/shadow")
        case .results(let n): return (.GET, "/admin/experiments/\(Self.escape(n))/results")
        case .revisions: return (.GET, "/admin/revisions")
        case .rollback: return (.POST, "/admin/rollback")
        case .audit: return (.GET, "/admin/audit")
        case .config: return (.GET, "/admin/config")
        }
    }

    /// Outcome of matching a method and path.
    public enum Match: Sendable, Equatable {
        case route(AdminRoute)
        /// The path exists with other methods.
        case methodNotAllowed(allowed: [Method])
        case notFound
    }

    /// Matches a request's method and path (query already removed, percent-encoded as sent).
    public static func match(method: String, path: String) -> Match {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" && parts.count > 1 { parts.removeLast() }
        guard parts.first == "admin", parts.count >= 2 else { return .notFound }
        let m = Method(rawValue: method == "HEAD" ? "GET" : method)
        func pick(_ table: [(Method, AdminRoute)]) -> Match {
            if let m, let hit = table.first(where: { $0.0 == m }) { return .route(hit.1) }
            return .methodNotAllowed(allowed: table.map(\.0))
        }
        let rest = Array(parts.dropFirst())
        switch rest.count {
        case 1:
            switch rest[0] {
            case "experiments": return pick([(.GET, .listExperiments)])
            case "revisions": return pick([(.GET, .revisions)])
            case "rollback": return pick([(.POST, .rollback)])
            case "audit": return pick([(.GET, .audit)])
            case "config": return pick([(.GET, .config)])
            default: return .notFound
            }
        case 2 where rest[0] == "experiments":
            guard let name = unescape(rest[1]) else { return .notFound }
            return pick([(.GET, .showExperiment(name)), (.PUT, .putExperiment(name)), (.DELETE, .deleteExperiment(name))])
        case 3 where rest[0] == "experiments":
            guard let name = unescape(rest[1]) else { return .notFound }
            switch rest[2] {
            case "config": return pick([(.GET, .experimentConfig(name))])
            case "weights": return pick([(.POST, .setWeights(name))])
            case "shadow": return pick([(.GET, .shadow(name))])
            case "results": return pick([(.GET, .results(name))])
            default: return .notFound
            }
        case 4 where rest[0] == "experiments" && rest[2] == "canary":
            guard let name = unescape(rest[1]), let command = unescape(rest[3]) else { return .notFound }
            return pick([(.POST, .canary(name, command: command))])
        default:
            return .notFound
        }
    }

    /// Percent-encodes a path segment (experiment names are usually plain, but need not be):
    /// RFC 3986's unreserved characters stay as they are.
    public static func escape(_ segment: String) -> String {
        PercentEncoding.encode(segment) { byte in
            PercentEncoding.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
        }
    }

    /// Decodes `%XX` escapes; nil for malformed escapes or invalid UTF-8.
    public static func unescape(_ segment: String) -> String? {
        PercentEncoding.decode(Substring(segment), plusAsSpace: false)
    }
}
