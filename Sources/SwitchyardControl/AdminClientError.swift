/// Everything that can go wrong talking to the admin API, split the way an operator has to act
/// on it: the gateway cannot be reached (start it, fix `--admin`), the token is wrong (fix the
/// token), or the gateway answered and refused (read its message). Each case's description is the
/// whole message `switchyard ctl` prints on stderr.
public enum AdminClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--admin` / `SWITCHYARD_ADMIN_URL` is not an http(s) URL.
    case invalidAdminURL(String, reason: String)
    /// No token from `--token`, the environment, `--token-file` or the default file.
    case missingToken(defaultFile: String)
    /// A token file that exists but cannot be used.
    case unreadableTokenFile(path: String, reason: String)
    /// A token that cannot be sent as a bearer token (spaces, control characters).
    case invalidToken(source: String, reason: String)
    /// No HTTP answer at all: refused, unknown host, reset before the response.
    case unreachable(url: String, reason: String)
    /// No complete answer within the timeout.
    case timedOut(url: String, seconds: Double)
    /// 401: the token was refused. `tokenSource` says where the token came from.
    case unauthorized(url: String, tokenSource: String)
    /// Any other non-2xx answer: the server's message (``ErrorBody/error`` when it sent one).
    case refused(status: Int, method: String, path: String, message: String)
    /// The command's own input cannot form a request (e.g. a non-finite weight); nothing was sent.
    case invalidRequest(String)
    /// A 2xx answer whose body is not what the route promises (a gateway of another version,
    /// or something else listening on the admin port).
    case unexpectedResponse(method: String, path: String, detail: String)

    /// The process exit code `switchyard ctl` uses: 2 when the gateway could not be asked
    /// (unreachable, misconfigured, unauthorized), 1 when it answered and refused.
    public var exitCode: Int32 {
        switch self {
        case .invalidAdminURL, .missingToken, .unreadableTokenFile, .invalidToken, .unreachable, .timedOut, .unauthorized: return 2
        case .refused, .invalidRequest, .unexpectedResponse: return 1
        }
    }

    public var description: String {
        switch self {
        case .invalidAdminURL(let url, let reason):
            return "invalid admin URL \"\(url)\": \(reason) (pass --admin http://HOST:PORT or set SWITCHYARD_ADMIN_URL)"
        case .missingToken(let file):
            return "no admin token: pass --token or --token-file, or set SWITCHYARD_ADMIN_TOKEN "
                + "(the default file \(file) does not exist; `switchyard serve` writes it when no token is configured)"
        case .unreadableTokenFile(let path, let reason):
            return "cannot use the admin token file \(path): \(reason)"
        case .invalidToken(let source, let reason):
            return "the admin token from \(source) is unusable: \(reason)"
        case .unreachable(let url, let reason):
            return "cannot reach the admin API at \(url): \(reason) — is `switchyard serve` running with its admin listener?"
        case .timedOut(let url, let seconds):
            return "the admin API at \(url) did not answer within \(Format.duration(seconds)) "
                + "(is it the admin port? raise --timeout if the gateway is busy)"
        case .unauthorized(let url, let source):
            return "the admin token was refused by \(url) (token from \(source)); "
                + "pass --token or --token-file, or set SWITCHYARD_ADMIN_TOKEN"
        case .refused(let status, let method, let path, let message):
            return "\(method) \(path) failed with HTTP \(status): \(message)"
        case .invalidRequest(let message):
            return message
        case .unexpectedResponse(let method, let path, let detail):
            return "\(method) \(path) answered something that is not the admin API's JSON: \(detail)"
        }
    }
}
