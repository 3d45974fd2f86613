import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// The gateway's state directory: the routing store (revisions, audit log, canary progress), the
/// statistics snapshots, the assignment-token secret and the generated admin token.
///
/// Layout:
/// ```
/// <state-dir>/routing.json          ExperimentStore.encoded() — written after every accepted change
/// <state-dir>/stats/<name>.stats    ExperimentRecorder.snapshot() — periodically and on shutdown
/// <state-dir>/token-secret          signing key for assignment tokens when the config has none
/// <state-dir>/admin-token           admin bearer token generated when none is configured
/// ```
/// Every write goes to a temporary file that is fsync'ed and renamed over the old one, so a crash
/// leaves either the old or the new file, never half of one.
public struct StateDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.appendingPathComponent("stats"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    var routingFile: URL { url.appendingPathComponent("routing.json") }
    var tokenSecretFile: URL { url.appendingPathComponent("token-secret") }
    var adminTokenFile: URL { url.appendingPathComponent("admin-token") }

    func statsFile(experiment: String) -> URL {
        url.appendingPathComponent("stats").appendingPathComponent(Self.fileName(for: experiment) + ".stats")
    }

    /// Experiment names are free text; file names keep [A-Za-z0-9_-] and percent-escape the rest
    /// (no dots: a name can never become `..` or a hidden file).
    static func fileName(for name: String) -> String {
        PercentEncoding.encode(name) { PercentEncoding.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    func read(_ file: URL) -> Data? {
        FileManager.default.contents(atPath: file.path)
    }

    /// Atomic, durable replace of `file` with `data` (owner-only permissions: it may hold secrets).
    func write(_ data: Data, to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StateDirectoryError("cannot create \(temporary.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        try data.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StateDirectoryError("cannot write \(temporary.path): \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw StateDirectoryError("cannot sync \(temporary.path): \(String(cString: strerror(errno)))") }
        guard rename(temporary.path, file.path) == 0 else {
            throw StateDirectoryError("cannot rename onto \(file.path): \(String(cString: strerror(errno)))")
        }
    }

    /// A secret kept in `file`, generated (32 random bytes, hex) on first use.
    public func secret(in file: URL) throws -> String {
        if let data = read(file), let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           text.count >= 16 {
            return text
        }
        var generator = SystemRandomNumberGenerator()
        let text = (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        try write(Data((text + "\n").utf8), to: file)
        return text
    }
}

public struct StateDirectoryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
