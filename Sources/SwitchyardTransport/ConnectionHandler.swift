/// The protocol layer on top of one connection (an HTTP/1.1 or HTTP/2 codec driver).
///
/// All methods are called on the connection's event loop thread. `bytes` passed to
/// `connectionDidRead` point into the loop's shared read buffer and are valid only for the call:
/// copy what must outlive it.
public protocol ConnectionHandler: AnyObject {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer)
    /// The peer closed its sending side. Most handlers finish pending responses and close.
    func connectionDidReadEOF(_ connection: Connection)
    /// The write queue fell below the low watermark after having been above the high one, or
    /// emptied completely: a handler that stopped producing output may produce more now.
    func connectionDidDrain(_ connection: Connection)
    /// Called every loop tick (default 250 ms) for timeouts.
    func connectionTick(_ connection: Connection, now: UInt64)
    /// The server is shutting down gracefully: stop accepting new requests on this connection,
    /// finish in-flight ones, then close.
    func connectionShouldShutdown(_ connection: Connection)
    /// The connection is closed (by either side); the handler releases its state.
    func connectionDidClose(_ connection: Connection)
}

extension ConnectionHandler {
    public func connectionDidReadEOF(_ connection: Connection) { connection.close(afterFlush: true) }
    public func connectionDidDrain(_ connection: Connection) {}
    public func connectionTick(_ connection: Connection, now: UInt64) {}
    public func connectionShouldShutdown(_ connection: Connection) { connection.close(afterFlush: true) }
    public func connectionDidClose(_ connection: Connection) {}
}
