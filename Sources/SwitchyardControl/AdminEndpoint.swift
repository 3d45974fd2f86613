import Foundation
import SwitchyardAdminAPI

/// Where the admin API is and which token to present, resolved the same way for every command.
public struct AdminEndpoint: Sendable, Equatable {
    /// Environment variable naming the admin URL when `--admin` is not given.
    public static let urlEnvironmentVariable = "SWITCHYARD_ADMIN_URL"
    /// The gateway's default state directory, where `serve` writes a generated token.
    public static let defaultStateDirectory = ".switchyard"
    public static let defaultURL = "http://\(AdminDefaults.host):\(AdminDefaults.port)"
    public static var defaultTokenFile: String { "\(defaultStateDirectory)/\(AdminDefaults.generatedTokenFile)" }

    /// Scheme, host, port and an optional path prefix (a reverse proxy's), without a trailing slash.
    public var baseURL: String

    public init(baseURL: String) throws(AdminClientError) {
        var text = baseURL.trimmingCharacters(in: .whitespaces)
        // "127.0.0.1:8001" is what people type; the admin listener speaks plain HTTP by default.
        if !text.contains("://") { text = "http://" + text }
        while text.hasSuffix("/") { text.removeLast() }
        guard let parts = URLComponents(string: text) else {
            throw .invalidAdminURL(baseURL, reason: "not a URL")
        }
        guard let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidAdminURL(baseURL, reason: "the scheme must be http or https")
        }
        guard let host = parts.host, !host.isEmpty else { throw .invalidAdminURL(baseURL, reason: "no host") }
        if let port = parts.port, !(1...65_535).contains(port) {
            throw .invalidAdminURL(baseURL, reason: "port \(port) is out of range")
        }
        guard parts.query == nil, parts.fragment == nil else {
            throw .invalidAdminURL(baseURL, reason: "a query or fragment does not belong in the base URL")
        }
        self.baseURL = text
    }

    /// `--admin`, else `SWITCHYARD_ADMIN_URL`, else `http://127.0.0.1:8001`.
    public static func resolve(option: String?, environment: [String: String]) throws(AdminClientError) -> AdminEndpoint {
        if let option, !option.isEmpty { return try AdminEndpoint(baseURL: option) }
        if let env = environment[urlEnvironmentVariable], !env.isEmpty { return try AdminEndpoint(baseURL: env) }
        return try AdminEndpoint(baseURL: defaultURL)
    }
}

/// The bearer token and where it came from (named in the message when the gateway refuses it).
public struct AdminCredentials: Sendable, Equatable {
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case option
        case environment
        case file(String)
        case defaultFile(String)

        public var description: String {
            switch self {
            case .option: return "--token"
            case .environment: return AdminDefaults.tokenEnvironmentVariable
            case .file(let path): return "--token-file \(path)"
            case .defaultFile(let path): return "the default file \(path)"
            }
        }
    }

    public var token: String
    public var source: Source

    public init(token: String, source: Source) {
        self.token = token
        self.source = source
    }

    /// Resolution order: `--token`, `SWITCHYARD_ADMIN_TOKEN`, `--token-file PATH`, then the file
    /// `serve` generates (`.switchyard/admin-token` relative to the working directory, unless
    /// `defaultTokenFile` says otherwise). Empty values count as absent; token files hold the bare
    /// token and are trimmed of surrounding whitespace.
    public static func resolve(token: String?, tokenFile: String?, environment: [String: String],
                               defaultTokenFile: String = AdminEndpoint.defaultTokenFile) throws(AdminClientError) -> AdminCredentials {
        // Explicit flags win over the environment (as for `serve`), the environment over the default file.
        if let token, !token.isEmpty { return try checked(token, source: .option) }
        if let tokenFile, !tokenFile.isEmpty {
            return try checked(try read(tokenFile), source: .file(tokenFile))
        }
        if let env = environment[AdminDefaults.tokenEnvironmentVariable], !env.isEmpty {
            return try checked(env.trimmingCharacters(in: .whitespacesAndNewlines), source: .environment)
        }
        guard FileManager.default.fileExists(atPath: defaultTokenFile) else { throw .missingToken(defaultFile: defaultTokenFile) }
        return try checked(try read(defaultTokenFile), source: .defaultFile(defaultTokenFile))
    }

    private static func read(_ path: String) throws(AdminClientError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableTokenFile(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadableTokenFile(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableTokenFile(path: path, reason: "permission denied or unreadable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableTokenFile(path: path, reason: "not UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .unreadableTokenFile(path: path, reason: "the file is empty") }
        if token.contains(where: \.isWhitespace) {
            throw .unreadableTokenFile(path: path, reason: "it holds more than the token; a token file holds only the bare token "
                                       + "(serve's --admin-tokens file, one `name token` per line, is not one: pass the token with --token)")
        }
        return token
    }

    /// A token goes into a header: it must be one printable line.
    private static func checked(_ token: String, source: Source) throws(AdminClientError) -> AdminCredentials {
        let bad = token.unicodeScalars.first { $0.value < 0x21 || $0.value > 0x7E }
        if let bad {
            let what = bad == " " ? "a space" : "the character U+\(String(bad.value, radix: 16, uppercase: true))"
            throw .invalidToken(source: source.description, reason: "it contains \(what); a bearer token is one printable ASCII word")
        }
        return AdminCredentials(token: token, source: source)
    }
}
