/// Bodies the admin API accepts (JSON).

/// `POST /admin/experiments/{name}/weights`: variants not named keep their weight.
public struct WeightsChange: Codable, Sendable, Equatable {
    public var weights: [String: Double]
    public var reason: String?
    public init(weights: [String: Double], reason: String? = nil) {
        self.weights = weights
        self.reason = reason
    }
}

/// `POST /admin/experiments/{name}/canary/{pause|resume|promote|abort|restart}`.
public struct ReasonBody: Codable, Sendable, Equatable {
    public var reason: String?
    public init(reason: String? = nil) { self.reason = reason }
}

/// `POST /admin/rollback`.
public struct RollbackRequest: Codable, Sendable, Equatable {
    public var revision: Int
    public var reason: String?
    public init(revision: Int, reason: String? = nil) {
        self.revision = revision
        self.reason = reason
    }
}

/// Conventions shared by the admin listener and its clients.
public enum AdminDefaults {
    /// The admin listener's default address: loopback only.
    public static let host = "127.0.0.1"
    public static let port = 8001
    /// Environment variable `switchyard ctl` (and `serve`, when no token file is given) reads the token from.
    public static let tokenEnvironmentVariable = "SWITCHYARD_ADMIN_TOKEN"
    /// File name, inside the state directory, of the token `serve` generates when none is configured.
    public static let generatedTokenFile = "admin-token"
}
