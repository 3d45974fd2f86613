import SwitchyardCore
import Testing
@testable import SwitchyardKServe

@Suite struct RouteTests {
    func route(_ m: HTTPMethod, _ p: String) -> KServeRoute.Match { KServeRoute.parse(method: m, path: p) }

    @Test func everyEndpoint() {
        let m = ModelReference(name: "mlp")
        let v = ModelReference(name: "mlp", version: "2")
        let table: [(HTTPMethod, String, KServeRoute)] = [
            (.GET, "/v2/health/live", .healthLive),
            (.GET, "/v2/health/ready", .healthReady),
            (.GET, "/v2", .serverMetadata),
            (.GET, "/v2/", .serverMetadata),
            (.GET, "/v2/models/mlp", .modelMetadata(m)),
            (.GET, "/v2/models/mlp/versions/2", .modelMetadata(v)),
            (.GET, "/v2/models/mlp/ready", .modelReady(m)),
            (.GET, "/v2/models/mlp/versions/2/ready", .modelReady(v)),
            (.POST, "/v2/models/mlp/infer", .modelInfer(m)),
            (.POST, "/v2/models/mlp/versions/2/infer", .modelInfer(v)),
            (.POST, "/v2/models/mlp/infer?trace=1", .modelInfer(m)),
            (.GET, "/v2/models/stats", .modelStatistics(nil)),
            (.GET, "/v2/models/mlp/stats", .modelStatistics(m)),
            (.GET, "/v2/models/mlp/versions/2/stats", .modelStatistics(v)),
            (.POST, "/v2/repository/index", .repositoryIndex),
            (.POST, "/v2/repository/models/mlp/load", .repositoryLoad(model: "mlp")),
            (.POST, "/v2/repository/models/mlp/unload", .repositoryUnload(model: "mlp")),
            (.POST, "/v2/experiments/exp-1/outcomes", .experimentOutcomes(experiment: "exp-1")),
            (.HEAD, "/v2/health/ready", .healthReady),
        ]
        for (method, path, expected) in table {
            #expect(route(method, path) == .route(expected), "\(method) \(path)")
        }
    }

    @Test func percentDecodesNames() {
        #expect(route(.POST, "/v2/models/my%20model/versions/1%2E0/infer") == .route(.modelInfer(ModelReference(name: "my model", version: "1.0"))))
        #expect(route(.GET, "/v2/models/a%2Fb") == .route(.modelMetadata(ModelReference(name: "a/b"))))
        #expect(route(.GET, "/v2/models/%zz") == .notFound)
        #expect(route(.GET, "/v2/models/%FF") == .notFound)
    }

    @Test func wrongMethodIs405() {
        #expect(route(.GET, "/v2/models/mlp/infer") == .methodNotAllowed(allowed: .POST))
        #expect(route(.POST, "/v2/health/live") == .methodNotAllowed(allowed: .GET))
        #expect(route(.DELETE, "/v2/models/mlp") == .methodNotAllowed(allowed: .GET))
        #expect(route(.GET, "/v2/repository/index") == .methodNotAllowed(allowed: .POST))
    }

    @Test func unknownPathsAre404() {
        for p in ["/", "", "/v1/models/x", "/v2/health", "/v2/health/dead", "/v2/models", "/v2/models//infer",
                  "/v2/models/m/versions", "/v2/models/m/versions//infer", "/v2/models/m/predict", "/v2/models/m/versions/1/ready/x",
                  "/v2/repository/models/m", "/v2/repository/models/m/delete", "/v2/experiments//outcomes", "v2/health/live", "/v3"] {
            #expect(route(.GET, p) == .notFound, "\(p)")
        }
    }

    /// Escape-free paths are matched on their bytes, others after decoding: both give one answer.
    @Test func bytePathAndDecodedPathAgree() {
        #expect(route(.GET, "/v2/%68ealth/live") == .route(.healthLive))           // escaped literal
        #expect(route(.GET, "/v2/health/live/") == .route(.healthLive))            // trailing slash
        #expect(route(.GET, "/v2/health/live?probe=1#x") == .route(.healthLive))   // query ignored
        #expect(route(.POST, "/v2/models/m%C3%A9/infer") == .route(.modelInfer(ModelReference(name: "mé"))))
        #expect(route(.POST, "/v2/models/mé/infer") == .route(.modelInfer(ModelReference(name: "mé"))))
        // More segments than the byte matcher holds on the stack: decoded, still not a route.
        #expect(route(.GET, "/v2/models/m/versions/1/a/b/c/d/e") == .notFound)
        #expect(route(.GET, "/v2/models/m/versions/1%2F2/a/b/c/d") == .notFound)
    }
}
