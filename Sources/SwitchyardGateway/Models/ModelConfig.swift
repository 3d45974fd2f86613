import Yams

/// Which versions of a model are served, as in Triton's `version_policy`.
public enum VersionPolicy: Sendable, Equatable {
    /// The N highest version numbers present (Triton's default is latest 1).
    case latest(Int)
    case all
    case specific([Int])

    /// The versions to load out of those present on disk.
    public func select(from available: [Int]) -> [Int] {
        let sorted = available.sorted()
        switch self {
        case .latest(let n): return Array(sorted.suffix(n))
        case .all: return sorted
        case .specific(let wanted): return sorted.filter { wanted.contains($0) }
        }
    }
}

/// The optional per-model `config.yaml` (JSON is valid YAML too):
///
/// ```yaml
/// platform: onnx_onnxv1        # the only platform served
/// max_batch_size: 64           # 0 (default): no batch limit
/// version_policy: { latest: { num_versions: 2 } }   # or { all: {} } or { specific: { versions: [1, 3] } }
/// ```
public struct ModelConfig: Sendable, Equatable {
    public var platform: String = "onnx_onnxv1"
    public var maxBatchSize: Int = 0
    public var versionPolicy: VersionPolicy = .latest(1)

    public init() {}

    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Parses a config file's text; errors name the field.
    public static func parse(_ text: String, file: String) throws(ModelConfig.Error) -> ModelConfig {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw Error(description: "\(file): not valid YAML: \(error)")
        }
        var config = ModelConfig()
        guard let node else { return config }
        guard let map = node.mapping else { throw Error(description: "\(file): expected a mapping at the top level") }
        for (k, v) in map {
            let key = k.string ?? ""
            switch key {
            case "platform":
                guard let p = v.string else { throw Error(description: "\(file): platform must be a string") }
                guard p == "onnx_onnxv1" || p == "onnxruntime_onnx" else {
                    throw Error(description: "\(file): platform '\(p)' is not supported (supported: onnx_onnxv1)")
                }
                config.platform = "onnx_onnxv1"
            case "max_batch_size":
                guard let n = v.int, n >= 0 else { throw Error(description: "\(file): max_batch_size must be an integer ≥ 0") }
                config.maxBatchSize = n
            case "version_policy":
                config.versionPolicy = try parsePolicy(v, file: file)
            case "name":
                continue  // Triton configs carry the name; the folder name is authoritative.
            default:
                throw Error(description: "\(file): unknown field '\(key)' (known: platform, max_batch_size, version_policy)")
            }
        }
        return config
    }

    private static func parsePolicy(_ v: Node, file: String) throws(ModelConfig.Error) -> VersionPolicy {
        guard let map = v.mapping, map.count == 1, let (k, body) = map.first.map({ ($0.key.string ?? "", $0.value) }) else {
            throw Error(description: "\(file): version_policy must have exactly one of latest, all, specific")
        }
        switch k {
        case "latest":
            let n = body.mapping?["num_versions"]?.int ?? 1
            guard n >= 1 else { throw Error(description: "\(file): version_policy.latest.num_versions must be ≥ 1") }
            return .latest(n)
        case "all":
            return .all
        case "specific":
            guard let seq = body.mapping?["versions"]?.sequence else {
                throw Error(description: "\(file): version_policy.specific.versions must be a list of integers")
            }
            var versions: [Int] = []
            for item in seq {
                guard let n = item.int, n >= 1 else { throw Error(description: "\(file): version_policy.specific.versions must hold integers ≥ 1") }
                versions.append(n)
            }
            return .specific(versions)
        default:
            throw Error(description: "\(file): unknown version_policy '\(k)' (known: latest, all, specific)")
        }
    }
}
