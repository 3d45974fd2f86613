import Crypto
import Foundation

/// Persistence and start-up.
///
/// **How the YAML file and the stored revisions relate at start-up** (``startUp``):
/// the stored state remembers the SHA-256 of the file its lineage started from (`base_file_hash`).
/// 1. No stored state: the file becomes revision 1 (`fresh`).
/// 2. Stored state and the file's hash equals `base_file_hash`: the file has not been edited since;
///    every admin change made at run time is newer than it, so the gateway continues from the last
///    stored revision (`continued`) — a restart never undoes a canary step or a set-weights.
/// 3. Stored state and a different hash: someone edited the file; the edit is the newest intent,
///    so the file becomes a new revision on top of the stored history (`fileChanged`), audited as
///    `config-file`, and the run-time revisions stay available to `rollback`.
/// 4. The file does not validate but stored state exists: continue from the state and report the
///    file's errors (`fileRejected`) — a typo must not take the gateway down on restart. Without
///    stored state an invalid file is an error.
/// The same rule applies when the gateway re-reads the file while running (``reloadFile``).
///
/// The persisted JSON contains token secrets (as the YAML file does): keep the state directory
/// as private as the configuration file.
extension ExperimentStore {
    static let formatVersion = 1

    /// SHA-256 of the file text, hex.
    public static func fileHash(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Decides how to start from the configuration file text and/or the persisted state.
    public static func startUp(fileText: String?, persisted: Data?, now: Double,
                               historyLimit: Int = ExperimentStore.defaultHistoryLimit)
        throws(StoreError) -> (store: ExperimentStore, decision: StartUpDecision) {
        let context = ChangeContext(who: "config-file", why: "start-up", at: now)
        guard let persisted else {
            guard let fileText else { return (try ExperimentStore(initial: RoutingConfig(), by: context), .fresh) }
            let config: RoutingConfig
            do { config = try ConfigParser.parse(fileText) } catch { throw .invalid(error) }
            let store = try ExperimentStore(initial: config, by: context, fileHash: fileHash(fileText),
                                            historyLimit: historyLimit)
            return (store, .fresh)
        }
        var store = try ExperimentStore(decoding: persisted)
        guard let fileText else { return (store, .stateOnly) }
        do {
            let changed = try store.reloadFile(text: fileText, now: now, why: "file changed since the stored revisions")
            return (store, changed == nil ? .continued : .fileChanged)
        } catch .invalid(let error) {
            return (store, .fileRejected(error))
        }
    }

    /// Applies the configuration file if it differs from the one this lineage is based on.
    /// Returns the new revision, or nil when the file is unchanged. An invalid file throws and
    /// changes nothing.
    @discardableResult
    public mutating func reloadFile(text: String, now: Double, why: String = "configuration file reloaded")
        throws(StoreError) -> RevisionRecord? {
        let hash = Self.fileHash(text)
        guard hash != baseFileHash else { return nil }
        let config: RoutingConfig
        do { config = try ConfigParser.parse(text) } catch { throw .invalid(error) }
        let record = try apply(.replaceAll(config), by: ChangeContext(who: "config-file", why: why, at: now))
        baseFileHash = hash
        return record
    }

    /// The store as JSON bytes for the state directory.
    public func encoded() throws(StoreError) -> Data {
        let state = PersistedStore(format: Self.formatVersion, baseFileHash: baseFileHash, historyLimit: historyLimit,
                                   revisions: revisions.map {
                                       PersistedRevision(number: $0.number, config: ConfigRenderer.json($0.config), audit: $0.audit)
                                   },
                                   audit: auditLog, canaries: canaries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do { return try encoder.encode(state) } catch { throw .corruptState("cannot encode: \(error)") }
    }

    /// A store from ``encoded()`` bytes. Every stored configuration is re-validated, so state
    /// written by an older build that no longer validates is reported rather than served.
    public init(decoding data: Data) throws(StoreError) {
        let state: PersistedStore
        do { state = try JSONDecoder().decode(PersistedStore.self, from: data) } catch {
            throw .corruptState("not a routing state document: \(error)")
        }
        guard state.format == Self.formatVersion else { throw .corruptState("unsupported format \(state.format)") }
        var records: [RevisionRecord] = []
        for stored in state.revisions {
            do {
                records.append(RevisionRecord(number: stored.number, config: try ConfigParser.parse(stored.config),
                                              audit: stored.audit))
            } catch {
                throw .corruptState("revision \(stored.number): \(error)")
            }
        }
        guard let last = records.last else { throw .corruptState("no revisions") }
        guard zip(records, records.dropFirst()).allSatisfy({ $0.number < $1.number }) else {
            throw .corruptState("revision numbers are not increasing")
        }
        let snapshot: RoutingSnapshot
        do { snapshot = try RoutingSnapshot(revision: last.number, config: last.config) } catch {
            throw .corruptState("revision \(last.number): \(error)")
        }
        self.init(snapshot: snapshot, canaries: state.canaries, revisions: records, auditLog: state.audit,
                  baseFileHash: state.baseFileHash, historyLimit: max(1, state.historyLimit))
    }
}

struct PersistedRevision: Codable {
    var number: Int
    /// Canonical JSON in the schema's shape, re-read with ``ConfigParser``.
    var config: String
    var audit: AuditEntry
}

struct PersistedStore: Codable {
    var format: Int
    var baseFileHash: String?
    var historyLimit: Int
    var revisions: [PersistedRevision]
    var audit: [AuditEntry]
    var canaries: [String: CanaryState]

    enum CodingKeys: String, CodingKey {
        case format
        case baseFileHash = "base_file_hash"
        case historyLimit = "history_limit"
        case revisions, audit, canaries
    }
}
