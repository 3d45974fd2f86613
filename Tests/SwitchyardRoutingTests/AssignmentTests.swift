import Testing
@testable import SwitchyardRouting

@Suite struct AssignmentTests {
    static let splits: [[Double]] = [[50, 50], [70, 20, 10], [40, 25, 15, 10, 10]]

    @Test(arguments: splits)
    func weightedSplitPassesChiSquare(_ weights: [Double]) throws {
        let snap = try snapshot(experiment(weights: weights, sticky: nil))
        var random = SeededRandom(seed: 0xC0FFEE)
        var counts = Array(repeating: 0, count: weights.count)
        for _ in 0..<100_000 {
            let a = try #require(Router.assign(experiment: "exp", request: RequestAttributes(), snapshot: snap, random: random.next()))
            #expect(a.reason == .weighted)
            counts[a.variant.index] += 1
        }
        let total = weights.reduce(0, +)
        let test = chiSquare(counts: counts, shares: weights.map { $0 / total })
        #expect(test.statistic < test.critical, "counts \(counts), chi2 \(test.statistic)")
    }

    @Test(arguments: splits)
    func stickySplitPassesChiSquare(_ weights: [Double]) throws {
        let snap = try snapshot(experiment(weights: weights))
        var counts = Array(repeating: 0, count: weights.count)
        for user in 0..<100_000 {
            let key = "user-\(user)"
            let request = RequestAttributes(header: { $0 == "x-user-id" ? key : nil })
            let a = try #require(Router.assign(experiment: "exp", request: request, snapshot: snap, random: 0))
            #expect(a.reason == .sticky)
            counts[a.variant.index] += 1
        }
        let total = weights.reduce(0, +)
        let test = chiSquare(counts: counts, shares: weights.map { $0 / total })
        #expect(test.statistic < test.critical, "counts \(counts), chi2 \(test.statistic)")
    }

    @Test func stickyIgnoresRandomAndSurvivesRestart() throws {
        let config = experiment(weights: [34, 33, 33])
        let first = try snapshot(config)
        // A "restart": a fresh snapshot built from a re-parsed rendering of the same config.
        let reparsed = try ConfigParser.parse(ConfigRenderer.json(RoutingConfig(experiments: [config])))
        let second = try RoutingSnapshot(revision: 7, config: reparsed)
        var random = SeededRandom(seed: 1)
        for user in 0..<5_000 {
            let request = RequestAttributes.from(headers: ["x-user-id": "u\(user)"])
            let a = Router.assign(experiment: "exp", request: request, snapshot: first, random: random.next())
            let b = Router.assign(experiment: "exp", request: request, snapshot: second, random: random.next())
            #expect(a?.variant.name == b?.variant.name)
            #expect(a?.unit == "u\(user)")
        }
    }

    /// Pinned values: the hash is a published algorithm with a salt-derived key, so these
    /// placements hold on every machine and in every future build. A change here breaks
    /// stickiness for every deployed experiment.
    @Test func placementsArePinnedAcrossBuilds() throws {
        let snap = try snapshot(experiment(weights: [50, 50]))
        let names = (0..<8).map { user in
            Router.assign(experiment: "exp", request: .from(headers: ["x-user-id": "user-\(user)"]), snapshot: snap,
                          random: 0)!.variant.name
        }
        let hash = StableHash(salt: "exp")
        #expect(hash.hash("v0", "user-0") == StableHash(salt: "exp").hash("v0", "user-0"))
        #expect(hash.hash("v0", "user-0") != StableHash(salt: "other").hash("v0", "user-0"))
        #expect(names == Self.pinned, "update only on purpose: \(names)")
    }

    static let pinned = ["v1", "v0", "v0", "v0", "v1", "v0", "v1", "v1"]

    @Test func saltSeparatesExperiments() throws {
        let a = try snapshot(experiment("a", weights: [50, 50]), experiment("b", weights: [50, 50]))
        var same = 0
        for user in 0..<10_000 {
            let request = RequestAttributes.from(headers: ["x-user-id": "u\(user)"])
            if Router.assign(experiment: "a", request: request, snapshot: a, random: 0)?.variant.index
                == Router.assign(experiment: "b", request: request, snapshot: a, random: 0)?.variant.index { same += 1 }
        }
        // Independent placements agree about half the time, not always.
        #expect(same > 4_500 && same < 5_500, "\(same)")
    }

    @Test func unitKeyFromCookieAndQuery() throws {
        let cookie = experiment(weights: [50, 50], sticky: StickyConfig(source: .cookie, name: "uid"))
        let query = experiment("q", weights: [50, 50], sticky: StickyConfig(source: .query, name: "user"))
        let snap = try snapshot(cookie, query)
        let viaCookie = Router.assign(experiment: "exp", request: .from(cookies: ["uid": "42"]), snapshot: snap, random: 9)
        #expect(viaCookie?.reason == .sticky)
        #expect(viaCookie?.unit == "42")
        let viaQuery = Router.assign(experiment: "q", request: .from(query: ["user": "42"]), snapshot: snap, random: 9)
        #expect(viaQuery?.reason == .sticky)
        let empty = Router.assign(experiment: "q", request: .from(query: ["user": ""], requestID: "r1"), snapshot: snap, random: 9)
        #expect(empty?.reason == .weighted)
        #expect(empty?.unit == "r1")
    }

    @Test func weightZeroGetsNothing() throws {
        let snap = try snapshot(experiment(weights: [60, 0, 40]))
        var random = SeededRandom(seed: 5)
        for user in 0..<20_000 {
            let sticky = Router.assign(experiment: "exp", request: .from(headers: ["x-user-id": "\(user)"]), snapshot: snap, random: 0)
            let weighted = Router.assign(experiment: "exp", request: RequestAttributes(), snapshot: snap, random: random.next())
            #expect(sticky?.variant.index != 1)
            #expect(weighted?.variant.index != 1)
        }
    }

    @Test func overridesWinInOrder() throws {
        let rules = [
            OverrideRule(header: "x-force", match: .exact, value: "v2", variant: "v2"),
            OverrideRule(header: "x-user-id", match: .prefix, value: "qa-", variant: "v1"),
            OverrideRule(header: "x-team", match: .regex, value: "ml-(infra|ops)", variant: "v2"),
            OverrideRule(header: "x-user-id", match: .prefix, value: "qa-special", variant: "v2"),
        ]
        // v1 and v2 have weight 0: only overrides can reach them.
        let snap = try snapshot(experiment(weights: [100, 0, 0], overrides: rules))
        func route(_ headers: [String: String]) -> Assignment? {
            Router.assign(experiment: "exp", request: .from(headers: headers), snapshot: snap, random: 1)
        }
        #expect(route(["x-force": "v2"])?.variant.name == "v2")
        #expect(route(["x-force": "v2"])?.reason == .override)
        #expect(route(["x-force": "v2"])?.overrideRule == 0)
        #expect(route(["x-force": "v2x"])?.variant.name == "v0")
        #expect(route(["x-user-id": "qa-special-1"])?.variant.name == "v1", "the earlier rule wins")
        #expect(route(["x-user-id": "qa-special-1"])?.overrideRule == 1)
        #expect(route(["x-team": "ml-ops"])?.variant.name == "v2")
        #expect(route(["x-team": "ml-ops-2"])?.variant.name == "v0", "regex matches the whole value")
        #expect(route(["x-user-id": "alice"])?.reason == .sticky)
        #expect(route(["x-force": "v2", "x-user-id": "qa-1"])?.variant.name == "v2", "first rule in order")
    }

    @Test func unknownExperimentIsNil() throws {
        let snap = try snapshot(experiment(weights: [1, 1]))
        #expect(Router.assign(experiment: "fraud-mlp", request: RequestAttributes(), snapshot: snap, random: 0) == nil)
    }

    @Test func deterministicShadowSamplingFollowsTheUnit() throws {
        let shadow = [ShadowConfig(model: "s", version: 1, percent: 30),
                      ShadowConfig(name: "all", model: "s", version: 2, percent: 100),
                      ShadowConfig(name: "none", model: "s", version: 3, percent: 0),
                      ShadowConfig(name: "rand", model: "s", version: 4, percent: 50, sampling: .random)]
        let snap = try snapshot(experiment(weights: [50, 50], shadow: shadow))
        var random = SeededRandom(seed: 77)
        var sampled = 0, randomSampled = 0
        let n = 20_000
        for user in 0..<n {
            let request = RequestAttributes.from(headers: ["x-user-id": "u\(user)"])
            let a = try #require(Router.assign(experiment: "exp", request: request, snapshot: snap, random: random.next()))
            let b = try #require(Router.assign(experiment: "exp", request: request, snapshot: snap, random: random.next()))
            let namesA = a.shadows.map(\.name).filter { $0 != "rand" }
            #expect(namesA == b.shadows.map(\.name).filter { $0 != "rand" }, "deterministic sampling ignores the random value")
            #expect(namesA.contains("all"))
            #expect(!namesA.contains("none"))
            if namesA.contains("s:1") { sampled += 1 }
            if a.shadows.contains(where: { $0.name == "rand" }) { randomSampled += 1 }
        }
        let test = chiSquare(counts: [sampled, n - sampled], shares: [0.3, 0.7])
        #expect(test.statistic < test.critical, "\(sampled)")
        let testRandom = chiSquare(counts: [randomSampled, n - randomSampled], shares: [0.5, 0.5])
        #expect(testRandom.statistic < testRandom.critical, "\(randomSampled)")
        // Without any key, deterministic sampling falls back to the random value.
        let noKey = Router.assign(experiment: "exp", request: RequestAttributes(), snapshot: snap, random: 3)
        #expect(noKey?.shadows.contains { $0.name == "all" } == true)
    }

    @Test func shadowSamplingDoesNotChangeThePrimary() throws {
        let plain = try snapshot(experiment(weights: [50, 50]))
        let shadowed = try snapshot(experiment(weights: [50, 50], shadow: [ShadowConfig(model: "s", version: 1, percent: 100)]))
        var random = SeededRandom(seed: 11)
        for user in 0..<2_000 {
            let r = random.next()
            let request = user % 2 == 0 ? RequestAttributes.from(headers: ["x-user-id": "u\(user)"]) : RequestAttributes()
            #expect(Router.assign(experiment: "exp", request: request, snapshot: plain, random: r)?.variant
                    == Router.assign(experiment: "exp", request: request, snapshot: shadowed, random: r)?.variant)
        }
    }

    @Test func faultInjectionRates() throws {
        var config = experiment(weights: [0, 100], sticky: nil)
        config.variants[1].fault = FaultConfig(abort: .init(percent: 20, status: 503), delay: .init(percent: 50, seconds: 0.1))
        let snap = try snapshot(config)
        var random = SeededRandom(seed: 99)
        var aborts = 0, delays = 0
        let n = 20_000
        for _ in 0..<n {
            let a = try #require(Router.assign(experiment: "exp", request: RequestAttributes(), snapshot: snap, random: random.next()))
            if a.fault?.abortStatus == 503 { aborts += 1 }
            if a.fault?.delaySeconds == 0.1 { delays += 1 }
        }
        let abortTest = chiSquare(counts: [aborts, n - aborts], shares: [0.2, 0.8])
        let delayTest = chiSquare(counts: [delays, n - delays], shares: [0.5, 0.5])
        #expect(abortTest.statistic < abortTest.critical, "\(aborts)")
        #expect(delayTest.statistic < delayTest.critical, "\(delays)")
        let healthy = try snapshot(experiment(weights: [1, 1], sticky: nil))
        #expect(Router.assign(experiment: "exp", request: RequestAttributes(), snapshot: healthy, random: 5)?.fault == nil)
    }
}
