import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange, made synchronously: `switchyard ctl` does one request per command (or one
/// per redraw), so blocking the calling thread on URLSession's callback is the simplest honest
/// shape. The session is ephemeral: no cookies, no cache, nothing written to disk.
final class BlockingHTTP: Sendable {
    enum Failure: Error, Sendable, Equatable {
        /// No HTTP answer: a short phrase for the operator ("connection refused").
        case transport(String)
        case timedOut
    }

    let timeout: Double
    private let session: URLSession

    init(timeout: Double) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    /// Sends `request` and waits for the status and the whole body.
    func perform(_ request: URLRequest) -> Result<(status: Int, body: Data), Failure> {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        // The session enforces the timeout; the margin only guards against a callback that never comes.
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            return .failure(.timedOut)
        }
        let (data, response, error) = outcome.get()
        if let error { return .failure(Self.classify(error)) }
        guard let http = response as? HTTPURLResponse else { return .failure(.transport("the answer was not HTTP")) }
        return .success((http.statusCode, data ?? Data()))
    }

    /// URLSession's errors in an operator's words.
    static func classify(_ error: any Error) -> Failure {
        guard let urlError = error as? URLError else { return .transport(String(describing: error)) }
        switch urlError.code {
        case .timedOut: return .timedOut
        case .cannotConnectToHost: return .transport("connection refused")
        case .cannotFindHost, .dnsLookupFailed: return .transport("unknown host")
        case .networkConnectionLost: return .transport("the connection closed before a complete answer")
        case .notConnectedToInternet: return .transport("no network route to the host")
        case .badServerResponse: return .transport("the answer was not valid HTTP (is this the admin port?)")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return .transport("TLS failed: \(urlError.localizedDescription)")
        default: return .transport(urlError.localizedDescription)
        }
    }
}

/// What URLSession's callback delivered, handed from its queue to the waiting thread. The
/// semaphore orders the write before the read; the lock makes that explicit to the checker.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var response: URLResponse?
    private var error: (any Error)?

    func set(data: Data?, response: URLResponse?, error: (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        self.data = data
        self.response = response
        self.error = error
    }

    func get() -> (Data?, URLResponse?, (any Error)?) {
        lock.lock()
        defer { lock.unlock() }
        return (data, response, error)
    }
}
