/// Routing decisions as pure functions of (request attributes, snapshot, one random value).
///
/// Order: overrides (first matching rule wins; an override may force any variant, including one
/// with weight 0 — that is how QA reaches a dark variant), then sticky (unit key present), else a
/// per-request weighted draw. Shadow sampling and fault injection follow.
///
/// The one `random` value is expanded into independent streams with ``SplitMix64``: stream 1 for
/// the weighted draw, 2 + i for shadow i's random sampling, 100 for the abort and 101 for the
/// delay draw. The gateway passes a fresh random UInt64 per request; tests pass seeded ones.
public enum Router {
    /// The decision for a request to `experiment`, or nil if the snapshot has no such experiment
    /// (the gateway then treats the name as a plain model).
    public static func assign(experiment name: String, request: RequestAttributes, snapshot: RoutingSnapshot,
                              random: UInt64) -> Assignment? {
        guard let experiment = snapshot.experiments[name] else { return nil }
        return assign(experiment, request: request, revision: snapshot.revision, random: random)
    }

    public static func assign(_ e: CompiledExperiment, request: RequestAttributes, revision: Int,
                              random: UInt64) -> Assignment? {
        let unitKey = e.config.sticky.flatMap { request.unitKey($0) }
        var chosen: Int?
        var reason = AssignmentReason.weighted
        var ruleIndex: Int?

        for (index, rule) in e.overrides.enumerated() {
            if let value = request.header(rule.rule.header), rule.matches(value) {
                chosen = rule.variantIndex
                reason = .override
                ruleIndex = index
                break
            }
        }
        if chosen == nil, let unitKey {
            chosen = stickyIndex(e, unitKey: unitKey)
            reason = .sticky
        }
        if chosen == nil {
            let u = StableHash.halfOpenUnit(SplitMix64.stream(random, 1))
            chosen = Rendezvous.chooseByInterval(weights: e.weights, total: e.totalWeight, uniform: u)
            reason = .weighted
        }
        // Validation guarantees a positive total weight, so a choice always exists.
        guard let index = chosen else { return nil }
        let variant = e.variants[index]
        let unit = unitKey ?? request.requestID
        return Assignment(experiment: e.name, revision: revision, variant: variant, reason: reason, unit: unit,
                          overrideRule: ruleIndex,
                          shadows: shadowTargets(e, samplingKey: unit, random: random),
                          fault: variant.fault.flatMap { fault(from: $0, random: random) })
    }

    /// The sticky variant index for a unit key (weighted rendezvous, see ``Rendezvous``).
    public static func stickyIndex(_ e: CompiledExperiment, unitKey: String) -> Int? {
        let unitHash = e.hash.hash(unitKey)
        return Rendezvous.choose(weights: e.weights) { index in
            StableHash.openUnit(SplitMix64.mix(unitHash ^ e.variantSeeds[index]))
        }
    }

    /// Shadows sampled for this request. Deterministic sampling mixes the key's stable hash with
    /// the shadow's seed, so a given unit (or request id) is always or never shadowed by that
    /// shadow, independently per shadow; with no key at all it falls back to the random stream.
    static func shadowTargets(_ e: CompiledExperiment, samplingKey: String?, random: UInt64) -> [ShadowTarget] {
        var targets: [ShadowTarget] = []
        var keyHash: UInt64?
        for (i, shadow) in e.shadows.enumerated() where shadow.percent > 0 {
            let u: Double
            if shadow.sampling == .deterministic, let samplingKey {
                let h = keyHash ?? e.hash.hash(samplingKey)
                keyHash = h
                u = StableHash.halfOpenUnit(SplitMix64.mix(h ^ e.shadowSeeds[i]))
            } else {
                u = StableHash.halfOpenUnit(SplitMix64.stream(random, 2 + UInt64(i)))
            }
            if u * 100 < shadow.percent {
                targets.append(ShadowTarget(index: i, name: shadow.name, model: shadow.model, version: shadow.version,
                                            tolerance: shadow.tolerance))
            }
        }
        return targets
    }

    static func fault(from config: FaultConfig, random: UInt64) -> FaultDecision? {
        var abortStatus: Int?
        var delay: Double?
        if let abort = config.abort, StableHash.halfOpenUnit(SplitMix64.stream(random, 100)) * 100 < abort.percent {
            abortStatus = abort.status
        }
        if let d = config.delay, StableHash.halfOpenUnit(SplitMix64.stream(random, 101)) * 100 < d.percent {
            delay = d.seconds
        }
        if abortStatus == nil && delay == nil { return nil }
        return FaultDecision(delaySeconds: delay, abortStatus: abortStatus)
    }
}
