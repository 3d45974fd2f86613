#if canImport(Glibc)
import Glibc
#endif
import CSwitchyardLinux

/// An IPv4 or IPv6 socket address.
public enum SocketAddress: Sendable, Equatable, CustomStringConvertible {
    case v4(sockaddr_in)
    case v6(sockaddr_in6)

    /// Parses a numeric host ("127.0.0.1", "::1", "0.0.0.0", "::") and a port. Host names are not
    /// resolved: a gateway binds to addresses, and a DNS lookup at start-up is a failure mode we avoid.
    public init(host: String, port: Int) throws(AddressError) {
        guard (0...65535).contains(port) else { throw AddressError(message: "port \(port) is out of range 0...65535") }
        var h = host
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" { h = "127.0.0.1" }
        var a4 = sockaddr_in()
        if inet_pton(AF_INET, h, &a4.sin_addr) == 1 {
            a4.sin_family = sa_family_t(AF_INET)
            a4.sin_port = in_port_t(UInt16(port).bigEndian)
            self = .v4(a4)
            return
        }
        var a6 = sockaddr_in6()
        if inet_pton(AF_INET6, h, &a6.sin6_addr) == 1 {
            a6.sin6_family = sa_family_t(AF_INET6)
            a6.sin6_port = in_port_t(UInt16(port).bigEndian)
            self = .v6(a6)
            return
        }
        throw AddressError(message: "'\(host)' is not a numeric IPv4 or IPv6 address")
    }

    init?(storage: sockaddr_storage) {
        var s = storage
        switch Int32(s.ss_family) {
        case AF_INET:
            self = .v4(withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee } })
        case AF_INET6:
            self = .v6(withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee } })
        default:
            return nil
        }
    }

    public var family: Int32 {
        switch self { case .v4: AF_INET; case .v6: AF_INET6 }
    }

    public var port: Int {
        switch self {
        case .v4(let a): Int(UInt16(bigEndian: a.sin_port))
        case .v6(let a): Int(UInt16(bigEndian: a.sin6_port))
        }
    }

    public var host: String {
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .v4(var a): inet_ntop(AF_INET, &a.sin_addr, &buf, socklen_t(buf.count))
        case .v6(var a): inet_ntop(AF_INET6, &a.sin6_addr, &buf, socklen_t(buf.count))
        }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String {
        switch self {
        case .v4: "\(host):\(port)"
        case .v6: "[\(host)]:\(port)"
        }
    }

    func withPort(_ port: Int) -> SocketAddress {
        switch self {
        case .v4(var a): a.sin_port = in_port_t(UInt16(port).bigEndian); return .v4(a)
        case .v6(var a): a.sin6_port = in_port_t(UInt16(port).bigEndian); return .v6(a)
        }
    }

    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .v4(var a):
            return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        case .v6(var a):
            return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
    }

    public static func == (l: SocketAddress, r: SocketAddress) -> Bool { l.description == r.description }
}

public struct AddressError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
