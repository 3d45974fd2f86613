import Testing
import SwitchyardAdminAPI

@Suite struct AdminRouteTests {
    static let all: [AdminRoute] = [
        .listExperiments, .showExperiment("fraud"), .putExperiment("fraud"), .deleteExperiment("fraud"),
        .experimentConfig("fraud"), .setWeights("fraud"), .canary("fraud", command: "pause"), .shadow("fraud"),
        .results("fraud"), .revisions, .rollback, .audit, .config,
    ]

    @Test func everyRouteMatchesItsOwnRequest() {
        for route in Self.all {
            let (method, path) = route.request
            #expect(AdminRoute.match(method: method.rawValue, path: path) == .route(route), "\(route)")
        }
    }

    @Test func namesAreEscapedAndUnescaped() {
        let route = AdminRoute.showExperiment("a b/ü")
        let path = route.request.path
        #expect(path == "/admin/experiments/a%20b%2F%C3%BC")
        #expect(AdminRoute.match(method: "GET", path: path) == .route(route))
    }

    @Test func wrongMethodsAndUnknownPaths() {
        #expect(AdminRoute.match(method: "POST", path: "/admin/experiments") == .methodNotAllowed(allowed: [.GET]))
        #expect(AdminRoute.match(method: "PATCH", path: "/admin/experiments/x") == .methodNotAllowed(allowed: [.GET, .PUT, .DELETE]))
        #expect(AdminRoute.match(method: "GET", path: "/admin/nothing") == .notFound)
        #expect(AdminRoute.match(method: "GET", path: "/v2/models") == .notFound)
        #expect(AdminRoute.match(method: "GET", path: "/admin/experiments/x/bogus") == .notFound)
        #expect(AdminRoute.match(method: "GET", path: "/admin/experiments/%zz") == .notFound)
        #expect(AdminRoute.match(method: "HEAD", path: "/admin/revisions") == .route(.revisions))
        #expect(AdminRoute.match(method: "GET", path: "/admin/revisions/") == .route(.revisions))
    }
}
