import SwitchyardCore

/// A model named in a URL, with the optional `/versions/{v}` segment.
public struct ModelReference: Sendable, Hashable {
    public var name: String
    public var version: String?
    public init(name: String, version: String? = nil) { self.name = name; self.version = version }
}

/// The REST endpoints Switchyard serves, as a pure function of method and path.
public enum KServeRoute: Sendable, Hashable {
    case healthLive
    case healthReady
    case serverMetadata
    case modelMetadata(ModelReference)
    case modelReady(ModelReference)
    case modelInfer(ModelReference)
    /// Triton's statistics extension; nil model means all models (`GET /v2/models/stats`).
    case modelStatistics(ModelReference?)
    case repositoryIndex
    case repositoryLoad(model: String)
    case repositoryUnload(model: String)
    /// `POST /v2/experiments/{name}/outcomes`: the gateway's outcome reporting endpoint.
    case experimentOutcomes(experiment: String)

    /// The method each route answers.
    public var method: HTTPMethod {
        switch self {
        case .healthLive, .healthReady, .serverMetadata, .modelMetadata, .modelReady, .modelStatistics: return .GET
        case .modelInfer, .repositoryIndex, .repositoryLoad, .repositoryUnload, .experimentOutcomes: return .POST
        }
    }

    /// The outcome of routing a request.
    public enum Match: Sendable, Hashable {
        case route(KServeRoute)
        /// Known path, wrong method: answer 405 with an `Allow` header.
        case methodNotAllowed(allowed: HTTPMethod)
        /// Unknown path (or a segment that does not percent-decode): answer 404.
        case notFound
    }

    /// Routes `method` + `target` (a request target; any `?query` is ignored). Path segments
    /// are percent-decoded, so `/v2/models/my%20model/infer` names `my model`. HEAD is accepted
    /// wherever GET is.
    public static func parse(method: HTTPMethod, path target: some StringProtocol) -> Match {
        // Runs on every request: split on '/' over UTF-8 bytes (Character-based splitting of a
        // Substring measured as the largest single cost of a health probe over h2c).
        var segments: [String] = []
        segments.reserveCapacity(6)
        var ok = true
        var text = String(target)
        text.withUTF8 { bytes in
            var end = bytes.count
            if let q = bytes.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) { end = q }   // '?' or '#'
            guard end > 0, bytes[0] == 0x2F else { ok = false; return }
            var start = 1
            var i = 1
            while i <= end {
                if i == end || bytes[i] == 0x2F {
                    guard let seg = percentDecode(UnsafeBufferPointer(rebasing: bytes[start..<i])) else { ok = false; return }
                    segments.append(seg)
                    start = i + 1
                }
                i += 1
            }
        }
        guard ok, !segments.isEmpty else { return .notFound }
        if segments.count > 1, segments.last == "" { segments.removeLast() }
        guard let route = match(segments) else { return .notFound }
        let effective = method == .HEAD ? HTTPMethod.GET : method
        return effective == route.method ? .route(route) : .methodNotAllowed(allowed: route.method)
    }

    /// Matches the decoded segments. Runs on every request, so it works on slices of the one
    /// segment array (no copies, no array literals to compare against).
    private static func match(_ s: [String]) -> KServeRoute? {
        guard s.first == "v2" else { return nil }
        let rest = s[1...]
        let r = rest.startIndex
        switch rest.count {
        case 0: return .serverMetadata
        case 2 where rest[r] == "health":
            if rest[r + 1] == "live" { return .healthLive }
            if rest[r + 1] == "ready" { return .healthReady }
            return nil
        case 2 where rest[r] == "repository" && rest[r + 1] == "index": return .repositoryIndex
        case 4 where rest[r] == "repository" && rest[r + 1] == "models" && !rest[r + 2].isEmpty:
            if rest[r + 3] == "load" { return .repositoryLoad(model: rest[r + 2]) }
            if rest[r + 3] == "unload" { return .repositoryUnload(model: rest[r + 2]) }
            return nil
        case 3 where rest[r] == "experiments" && rest[r + 2] == "outcomes" && !rest[r + 1].isEmpty:
            return .experimentOutcomes(experiment: rest[r + 1])
        default: break
        }
        guard rest.first == "models", rest.count >= 2 else { return nil }
        if rest.count == 2 && rest[r + 1] == "stats" { return .modelStatistics(nil) }
        let name = rest[r + 1]
        guard !name.isEmpty else { return nil }
        var tail = rest.dropFirst(2)
        var version: String?
        if tail.first == "versions" {
            guard tail.count >= 2, !tail[tail.startIndex + 1].isEmpty else { return nil }
            version = tail[tail.startIndex + 1]
            tail = tail.dropFirst(2)
        }
        let model = ModelReference(name: name, version: version)
        guard let action = tail.first else { return .modelMetadata(model) }
        guard tail.count == 1 else { return nil }
        switch action {
        case "ready": return .modelReady(model)
        case "infer": return .modelInfer(model)
        case "stats": return .modelStatistics(model)
        default: return nil
        }
    }

    /// RFC 3986 percent-decoding of one path segment; nil for a malformed escape or non-UTF-8.
    static func percentDecode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.contains(0x25) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var it = bytes[...]
        while let c = it.popFirst() {
            if c != 0x25 { out.append(c); continue }
            guard let h = it.popFirst(), let l = it.popFirst(),
                  let hi = GRPCStatus.hexValue(h), let lo = GRPCStatus.hexValue(l) else { return nil }
            out.append(hi << 4 | lo)
        }
        return String(validating: out, as: UTF8.self)
    }
}
