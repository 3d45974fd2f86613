import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT into a callback on a Dispatch queue (the default handlers are ignored so
/// the process is not killed before shutting down gracefully).
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "switchyard.signals")
        sources = signals.map { sig in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            s.setEventHandler { handler(sig) }
            s.resume()
            return s
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}
