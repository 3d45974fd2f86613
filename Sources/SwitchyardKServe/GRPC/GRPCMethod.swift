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
    public static func resolve(path: some StringProtocol) -> Result<GRPCMethod, GRPCStatus> {
        if path.hasPrefix(servicePrefix), let m = GRPCMethod(rawValue: String(path.dropFirst(servicePrefix.count))) {
            return .success(m)
        }
        return .failure(GRPCStatus(.unimplemented, "unknown method \(path)"))
    }
}
