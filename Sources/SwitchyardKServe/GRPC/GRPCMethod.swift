#if canImport(Glibc)
import Glibc
#endif
import SwitchyardCore

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

    /// Compared as bytes on every call; `servicePrefix` is the same text as a String.
    static let servicePrefixName: StaticString = "/inference.GRPCInferenceService/"
    public static let servicePrefix = servicePrefixName.description

    /// The `:path` of this RPC.
    public var path: String { Self.servicePrefix + rawValue }

    /// Resolves a `:path`; anything else (other services, ModelStreamInfer, shared-memory and
    /// trace RPCs we do not implement) is UNIMPLEMENTED, as gRPC servers answer unknown methods.
    ///
    /// Runs on every call, so it compares contiguous UTF-8 bytes: the generic `StringProtocol`
    /// version (Character iteration, unspecialized across modules) measured at about 8 % of a
    /// ModelInfer call's server CPU, and walking a `Substring`'s UTF-8 view still 1.8 %.
    public static func resolve(path: Substring) -> Result<GRPCMethod, GRPCStatus> {
        var path = path   // withUTF8 lends the contiguous bytes (copying only a non-native string)
        let found = path.withUTF8(match)
        return found.map { .success($0) } ?? .failure(GRPCStatus(.unimplemented, "unknown method \(path)"))
    }

    public static func resolve(path: String) -> Result<GRPCMethod, GRPCStatus> { resolve(path: path[...]) }

    public static func resolve(path: some StringProtocol) -> Result<GRPCMethod, GRPCStatus> { resolve(path: Substring(path)) }

    /// memcmp, not `starts(with:)`/`elementsEqual`: those are generic over the two sequences and
    /// ran unspecialized (~300 instructions a call).
    private static func match(_ bytes: UnsafeBufferPointer<UInt8>) -> GRPCMethod? {
        let p = servicePrefixName.utf8CodeUnitCount
        guard bytes.count > p, HTTPCommonText.hasPrefix(UnsafeRawBufferPointer(bytes), servicePrefixName) else { return nil }
        let name = UnsafeBufferPointer(rebasing: bytes[p...])
        for entry in methodNames where entry.name.count == name.count
            && entry.name.withUnsafeBufferPointer({ memcmp(name.baseAddress!, $0.baseAddress!, name.count) == 0 }) {
            return entry.method
        }
        return nil
    }

    private struct MethodName { var name: [UInt8]; var method: GRPCMethod }
    /// Derived from the cases, so none can be missing.
    private static let methodNames = allCases.map { MethodName(name: Array($0.rawValue.utf8), method: $0) }
}
