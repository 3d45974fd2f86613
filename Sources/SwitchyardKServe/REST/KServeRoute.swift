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
        parse(method: method, path: Substring(target))
    }

    /// `parse` for the request's own target (`head.target[...]`): concrete, so the contiguous UTF-8
    /// below is reached without generic witness calls (they cost ~600 instructions a request).
    public static func parse(method: HTTPMethod, path target: Substring) -> Match {
        // Runs on every request. A path without escapes (nearly all) is matched on its UTF-8
        // bytes: segment ranges on the stack, literals compared byte for byte, Strings made only
        // for names. Decoding every segment into an array of Strings first took 6.6 % of an h2c
        // health probe's CPU, this takes 3.7 % (perf). Paths with '%' take the decoding route.
        // `withUTF8` lends the target's own bytes (it copies only a non-native string): making a
        // new String of it allocated for every path past 15 bytes, which is every infer path.
        // (Not `withUTF8Bytes`: a slice's contiguous-storage path runs unspecialized, ~100
        // instructions, more than the copy's retain and release.)
        var target = target
        let found = target.withUTF8(route(bytes:))
        guard let route = found else { return .notFound }
        let effective = method == .HEAD ? HTTPMethod.GET : method
        return effective == route.method ? .route(route) : .methodNotAllowed(allowed: route.method)
    }

    private static func route(bytes: UnsafeBufferPointer<UInt8>) -> KServeRoute? {
        guard !bytes.isEmpty, bytes[0] == 0x2F else { return nil }
        let scanned = RawSegments.withSegments(of: UnsafeBufferPointer(rebasing: bytes[1...])) { match($0) }
        switch scanned {
        case .matched(let route): return route
        case .needsDecoding(let path):
            // Escapes, or more segments than the stack holds: decode them into Strings.
            guard let segments = decoded(path) else { return nil }
            return match(DecodedSegments(segments: segments))
        }
    }

    /// The percent-decoded segments of `path` (after the leading '/'), nil if one does not decode.
    private static func decoded(_ path: UnsafeBufferPointer<UInt8>) -> [String]? {
        var segments: [String] = []
        var start = 0
        for i in 0...path.count where i == path.count || path[i] == 0x2F {
            guard let segment = percentDecode(UnsafeBufferPointer(rebasing: path[start..<i])) else { return nil }
            segments.append(segment)
            start = i + 1
        }
        if segments.count > 1, segments.last == "" { segments.removeLast() }
        return segments
    }

    /// Matches the path segments (the first is `v2`).
    private static func match(_ s: some PathSegments) -> KServeRoute? {
        guard s.count >= 1, s.equals(0, "v2") else { return nil }
        switch s.count - 1 {
        case 0: return .serverMetadata
        case 2 where s.equals(1, "health"):
            if s.equals(2, "live") { return .healthLive }
            if s.equals(2, "ready") { return .healthReady }
            return nil
        case 2 where s.equals(1, "repository") && s.equals(2, "index"): return .repositoryIndex
        case 4 where s.equals(1, "repository") && s.equals(2, "models") && !s.isEmpty(3):
            if s.equals(4, "load") { return .repositoryLoad(model: s.text(3)) }
            if s.equals(4, "unload") { return .repositoryUnload(model: s.text(3)) }
            return nil
        case 3 where s.equals(1, "experiments") && s.equals(3, "outcomes") && !s.isEmpty(2):
            return .experimentOutcomes(experiment: s.text(2))
        default: break
        }
        guard s.count >= 3, s.equals(1, "models") else { return nil }
        if s.count == 3 && s.equals(2, "stats") { return .modelStatistics(nil) }
        guard !s.isEmpty(2) else { return nil }
        var next = 3
        var version: String?
        if next < s.count && s.equals(next, "versions") {
            guard next + 1 < s.count, !s.isEmpty(next + 1) else { return nil }
            version = s.text(next + 1)
            next += 2
        }
        let model = ModelReference(name: s.text(2), version: version)
        guard next < s.count else { return .modelMetadata(model) }
        guard next + 1 == s.count else { return nil }
        if s.equals(next, "ready") { return .modelReady(model) }
        if s.equals(next, "infer") { return .modelInfer(model) }
        if s.equals(next, "stats") { return .modelStatistics(model) }
        return nil
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
