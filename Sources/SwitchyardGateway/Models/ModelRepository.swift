import Foundation
import Synchronization
import SwitchyardKServe

/// The model repository: `<root>/<model>/<version>/model.onnx` with an optional
/// `<root>/<model>/config.yaml` (see `ModelConfig`).
///
/// Readers (every inference) take a short lock to fetch an immutable `ModelEntry`; the entry holds
/// strong references to its loaded versions, so unloading removes the entry from the table while
/// requests already running keep their model alive until they finish (ARC is the in-flight count).
/// Loads and unloads are serialized by their own lock and never block readers while a model compiles.
public final class ModelRepository: Sendable {
    public typealias Loader = @Sendable (_ bytes: [UInt8], _ name: String, _ version: String, _ config: ModelConfig) throws(KServeError) -> any ServableModel

    /// A model's state as the repository extension reports it.
    public struct VersionStatus: Sendable, Equatable {
        public var state: String   // READY, UNAVAILABLE, LOADING
        public var reason: String
    }

    /// A loaded version with its statistics recorder, resolved together on the request path.
    public struct Served: Sendable {
        public let model: any ServableModel
        public let stats: ModelStatsRecorder
    }

    /// An immutable view of one model: its loaded versions and the status of each version tried.
    final class ModelEntry: Sendable {
        let name: String
        let config: ModelConfig
        let loaded: [Int: Served]
        let status: [Int: VersionStatus]
        /// Set when the model as a whole could not be loaded (bad config, no versions).
        let failure: String?

        init(name: String, config: ModelConfig, loaded: [Int: Served], status: [Int: VersionStatus], failure: String?) {
            self.name = name
            self.config = config
            self.loaded = loaded
            self.status = status
            self.failure = failure
            self.latest = loaded.max { $0.key < $1.key }?.value
        }

        /// The highest loaded version: what a request without a version gets. Computed once per
        /// entry (entries are immutable), not per request.
        let latest: Served?
    }

    public let root: URL
    let loader: Loader
    private let table = Mutex<[String: ModelEntry]>([:])
    /// Counts changes of `table` (loads, reloads, unloads). Routed requests read it to know that
    /// the versions their loop resolved for the experiments' variants are still the ones to use
    /// (see `ExperimentsViewPublisher.view(cached:models:)`).
    private let changes = Atomic<Int>(0)
    private let loadLock = Mutex<Void>(())
    private let statsTable = Mutex<[String: ModelStatsRecorder]>([:])

    public init(root: URL, loader: @escaping Loader = ModelRepository.onnxLoader) {
        self.root = root
        self.loader = loader
    }

    public static let onnxLoader: Loader = { (bytes, name, version, config) throws(KServeError) in
        try ONNXServableModel(bytes: bytes, name: name, version: version, maxBatchSize: config.maxBatchSize)
    }

    // MARK: discovery

    /// Model folders under the root, sorted.
    public func modelNames() -> [String] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return items.filter { n in
            var dir: ObjCBool = false
            return !n.hasPrefix(".") && FileManager.default.fileExists(atPath: root.appendingPathComponent(n).path, isDirectory: &dir) && dir.boolValue
        }.sorted()
    }

    private func versionsOnDisk(_ model: String) -> [Int] {
        let dir = root.appendingPathComponent(model)
        let items = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return items.compactMap { Int($0) }.filter { $0 > 0 && FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/model.onnx").path) }
    }

    // MARK: load / unload

    /// Loads every model under the root. Returns the failures by model name (they are also in the index).
    @discardableResult
    public func loadAll() -> [String: String] {
        var failures: [String: String] = [:]
        for name in modelNames() {
            do { try load(name) } catch { failures[name] = error.message }
        }
        return failures
    }

    /// (Re)loads `name` from disk per its config's version policy and swaps it in atomically.
    /// Versions that fail are reported UNAVAILABLE with their error; if none loads, the model is
    /// unavailable and the previously loaded versions (if any) are replaced by that state.
    public func load(_ name: String) throws(KServeError) {
        guard Self.isValidName(name) else { throw .invalidArgument("invalid model name '\(name)'") }
        let dir = root.appendingPathComponent(name)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw .notFound("model '\(name)' is not in the repository (\(root.lastPathComponent)/\(name) does not exist)")
        }
        try loadLock.withLock { _ throws(KServeError) in
            var config = ModelConfig()
            let configURL = dir.appendingPathComponent("config.yaml")
            if let data = FileManager.default.contents(atPath: configURL.path) {
                do throws(ModelConfig.Error) { config = try ModelConfig.parse(String(decoding: data, as: UTF8.self), file: "\(name)/config.yaml") } catch {
                    install(ModelEntry(name: name, config: config, loaded: [:], status: [:], failure: error.description))
                    throw .invalidArgument("failed to load '\(name)': \(error.description)")
                }
            }
            let wanted = config.versionPolicy.select(from: versionsOnDisk(name))
            guard !wanted.isEmpty else {
                let reason = "no version folders with model.onnx match the version policy"
                install(ModelEntry(name: name, config: config, loaded: [:], status: [:], failure: reason))
                throw .invalidArgument("failed to load '\(name)': \(reason)")
            }
            var loaded: [Int: Served] = [:]
            var status: [Int: VersionStatus] = [:]
            for v in wanted {
                let file = dir.appendingPathComponent("\(v)/model.onnx")
                guard let data = FileManager.default.contents(atPath: file.path) else {
                    status[v] = VersionStatus(state: "UNAVAILABLE", reason: "cannot read \(name)/\(v)/model.onnx")
                    continue
                }
                do throws(KServeError) {
                    let model = try loader([UInt8](data), name, String(v), config)
                    loaded[v] = Served(model: model, stats: stats(for: model))
                    status[v] = VersionStatus(state: "READY", reason: "")
                } catch {
                    status[v] = VersionStatus(state: "UNAVAILABLE", reason: error.message)
                }
            }
            let failure = loaded.isEmpty ? status.values.map(\.reason).joined(separator: "; ") : nil
            install(ModelEntry(name: name, config: config, loaded: loaded, status: status, failure: failure))
            if let failure { throw .invalidArgument("failed to load '\(name)': \(failure)") }
        }
    }

    /// Unloads `name`: new requests get 404/503 at once, requests in flight finish.
    public func unload(_ name: String) throws(KServeError) {
        try loadLock.withLock { _ throws(KServeError) in
            let removed = table.withLock { t -> ModelEntry? in
                guard let e = t[name] else { return nil }
                t[name] = ModelEntry(name: name, config: e.config, loaded: [:],
                                     status: e.status.mapValues { _ in VersionStatus(state: "UNAVAILABLE", reason: "unloaded") },
                                     failure: "unloaded")
                changes.add(1, ordering: .releasing)
                return e
            }
            guard removed != nil else { throw .notFound("model '\(name)' is not loaded") }
        }
    }

    private func install(_ entry: ModelEntry) {
        table.withLock {
            $0[entry.name] = entry
            changes.add(1, ordering: .releasing)
        }
    }

    /// The number of changes so far: equal numbers mean that `resolve` answers as it did. Bumped
    /// inside the table's lock after each change, so a reader that sees a new number and then
    /// resolves finds the new table.
    public var changeCount: Int { changes.load(ordering: .acquiring) }

    static func isValidName(_ n: String) -> Bool {
        !n.isEmpty && n != "." && n != ".." && !n.contains("/") && !n.contains("\0")
    }

    // MARK: lookup (request path)

    /// The model version a request addresses: a given version must be loaded; without one, the
    /// highest loaded version answers.
    public func resolve(_ ref: ModelReference) throws(KServeError) -> Served {
        guard let entry = table.withLock({ $0[ref.name] }) else {
            throw .notFound("unknown model '\(ref.name)'")
        }
        if let v = ref.version {
            guard let n = Int(v), let m = entry.loaded[n] else {
                if let n = Int(v), let s = entry.status[n] {
                    throw .unavailable("model '\(ref.name)' version \(v) is not ready: \(s.reason)")
                }
                throw .notFound("unknown version '\(v)' of model '\(ref.name)'")
            }
            return m
        }
        guard let m = entry.latest else {
            throw .unavailable("model '\(ref.name)' is not ready: \(entry.failure ?? "no version loaded")")
        }
        return m
    }

    /// Readiness of a model or version, nil when the repository has never heard of it.
    public func isReady(_ ref: ModelReference) -> Bool? {
        guard let entry = table.withLock({ $0[ref.name] }) else { return nil }
        if let v = ref.version {
            guard let n = Int(v), entry.status[n] != nil || entry.loaded[n] != nil else { return nil }
            return entry.loaded[n] != nil
        }
        return entry.latest != nil
    }

    public func metadata(_ ref: ModelReference) throws(KServeError) -> ModelMetadata {
        let m = try resolve(ref).model
        let versions = table.withLock { $0[ref.name] }?.loaded.keys.sorted().map(String.init) ?? [m.version]
        return ModelMetadata(name: m.name, versions: ref.version == nil ? versions : [m.version], platform: m.platform,
                             inputs: m.inputs, outputs: m.outputs)
    }

    /// The repository index: every model folder on disk and every model ever loaded, with state.
    public func index(readyOnly: Bool) -> [RepositoryIndexEntry] {
        let entries = table.withLock { $0 }
        var out: [RepositoryIndexEntry] = []
        let names = Set(modelNames()).union(entries.keys).sorted()
        for name in names {
            guard let e = entries[name] else {
                if !readyOnly { out.append(RepositoryIndexEntry(name: name, version: nil, state: "UNAVAILABLE", reason: "not loaded")) }
                continue
            }
            if e.status.isEmpty {
                if !readyOnly { out.append(RepositoryIndexEntry(name: name, version: nil, state: "UNAVAILABLE", reason: e.failure ?? "")) }
                continue
            }
            for (v, s) in e.status.sorted(by: { $0.key < $1.key }) where !readyOnly || s.state == "READY" {
                out.append(RepositoryIndexEntry(name: name, version: String(v), state: s.state, reason: s.reason))
            }
        }
        return out
    }

    /// Every model version currently loaded.
    public var loadedModels: [any ServableModel] {
        table.withLock { t in
            t.values.sorted { $0.name < $1.name }.flatMap { $0.loaded.sorted { $0.key < $1.key }.map(\.value.model) }
        }
    }

    // MARK: statistics

    /// The statistics recorder of a model version (kept across reloads, looked up at load time only).
    func stats(for model: any ServableModel) -> ModelStatsRecorder {
        let key = model.name + "\u{0}" + model.version
        return statsTable.withLock { t in
            if let r = t[key] { return r }
            let r = ModelStatsRecorder(name: model.name, version: model.version)
            t[key] = r
            return r
        }
    }

    /// Statistics for a model (all its loaded versions), a version, or every loaded model.
    public func statistics(_ ref: ModelReference?) throws(KServeError) -> [ModelStatistics] {
        if let ref {
            if ref.version != nil { return [try resolve(ref).stats.snapshot] }
            guard let entry = table.withLock({ $0[ref.name] }) else { throw .notFound("unknown model '\(ref.name)'") }
            return entry.loaded.sorted { $0.key < $1.key }.map { $0.value.stats.snapshot }
        }
        return loadedModels.map { stats(for: $0).snapshot }
    }
}

