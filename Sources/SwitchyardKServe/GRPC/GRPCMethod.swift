/// The RPCs of `inference.GRPCInferenceService` Switchyard serves, keyed by HTTP/2 `:path`.
public enum GRPCMethod: String, Sendable, Hashable, CaseIterable {
    case serverLive = "ServerLive"
    case serverReady = "ServerReady"
    case modelReady = "ModelReady"
    case serverMetadata = "ServerMetadata"
    case modelMetadata = "ModelMetadata"
    case modelInfer = "ModelInfer"
    case modelStatistics = "ModelStatistics"
    case repositoryIndex = "RepositoryIndex"
    case repositoryModelLoad = "RepositoryModelLoad"
    case repositoryModelUnload = "RepositoryModelUnload"

    public static let servicePrefix = "/inference.GRPCInferenceService/"

    /// The `:path` of this RPC.
    public var path: String { Self.servicePrefix + rawValue }

    /// Resolves a `:path`; anything else (other services, ModelStreamInfer, shared-memory and
    /// trace RPCs we do not implement) is UNIMPLEMENTED, as gRPC servers answer unknown methods.
    ///
    /// Runs on every call, so it compares UTF-8 bytes of a concrete type: the generic
    /// `StringProtocol` version (Character iteration, unspecialized across modules) measured at
    /// about 8 % of a ModelInfer call's server CPU.
    public static func resolve(path: Substring) -> Result<GRPCMethod, GRPCStatus> {
        let bytes = path.utf8
        if bytes.count > prefixBytes.count, bytes.starts(with: prefixBytes) {
            let name = bytes.dropFirst(prefixBytes.count)
            for entry in methodNames where name.elementsEqual(entry.name) { return .success(entry.method) }
        }
        return .failure(GRPCStatus(.unimplemented, "unknown method \(path)"))
    }

    public static func resolve(path: String) -> Result<GRPCMethod, GRPCStatus> { resolve(path: path[...]) }

    public static func resolve(path: some StringProtocol) -> Result<GRPCMethod, GRPCStatus> { resolve(path: Substring(path)) }

    private static let prefixBytes = Array(servicePrefix.utf8)
    private struct MethodName { var name: [UInt8]; var method: GRPCMethod }
    /// Derived from the cases, so none can be missing.
    private static let methodNames = allCases.map { MethodName(name: Array($0.rawValue.utf8), method: $0) }
}
