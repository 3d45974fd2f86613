import Testing
@testable import SwitchyardRouting

/// Ramps never reshuffle: see the theorem in ``Rendezvous``.
@Suite struct RampMonotonicityTests {
    static let keys = (0..<100_000).map { "unit-\($0)" }

    /// Placements of the first `count` keys (100,000 for the ramps the issue names; fewer for the
    /// extra properties, to keep the debug-build suite fast).
    func placements(_ weights: [Double], count: Int = 100_000) throws -> [Int] {
        let e = try CompiledExperiment(experiment(weights: weights))
        return Self.keys.prefix(count).map { Router.stickyIndex(e, unitKey: $0)! }
    }

    @Test func twoVariantRampMovesOnlyTowardTheCandidate() throws {
        let before = try placements([90, 10])
        let after = try placements([75, 25])
        var toward = 0, away = 0
        for (a, b) in zip(before, after) where a != b {
            if b == 1 { toward += 1 } else { away += 1 }
        }
        #expect(away == 0)
        // About 15 % of units must move: (25 − 10) / 90 of the control's 90 %.
        #expect(toward > 14_000 && toward < 16_000, "\(toward)")
        #expect(zip(before, after).allSatisfy { $0 == 1 ? $1 == 1 : true }, "no unit leaves the candidate")
    }

    @Test func everyCanaryStepIsMonotone() throws {
        var previous = try placements([100, 0], count: 20_000)
        #expect(!previous.contains(1))
        for step in [5.0, 10, 25, 50, 100] {
            let next = try placements([100 - step, step], count: 20_000)
            #expect(zip(previous, next).allSatisfy { $0 == $1 || $1 == 1 }, "step \(step)")
            previous = next
        }
        #expect(previous.allSatisfy { $0 == 1 })
    }

    @Test func threeVariantProportionalRampMovesOnlyToTheCandidate() throws {
        // Canary `rest: proportional`: candidate v2 goes 10 → 25, the others keep their 8:1 ratio.
        let before = try placements([80, 10, 10])
        let after = try placements([75 * 80 / 90, 75 * 10 / 90, 25])
        var moved = 0
        for (a, b) in zip(before, after) where a != b {
            #expect(b == 2, "unit moved \(a) → \(b)")
            moved += 1
        }
        #expect(moved > 14_000 && moved < 16_000, "\(moved)")
    }

    @Test func threeVariantControlRestKeepsTheTheoremsGuarantees() throws {
        // `rest: control`: v0 (control) 80 → 65, v1 stays 10, candidate v2 10 → 25.
        let before = try placements([80, 10, 10])
        let after = try placements([65, 10, 25])
        let growth = [65.0 / 80, 1, 2.5]
        for (a, b) in zip(before, after) where a != b {
            #expect(a != 2, "nobody leaves the candidate")
            #expect(b != 0, "nobody joins the shrinking control")
            #expect(growth[b] > growth[a], "moves follow the growth factors")
        }
    }

    @Test func weightFromZeroOnlyAddsAndToZeroOnlyRemoves() throws {
        let before = try placements([50, 50, 0], count: 20_000)
        let on = try placements([50, 50, 20], count: 20_000)
        #expect(zip(before, on).allSatisfy { $0 == $1 || $1 == 2 })
        let off = try placements([50, 0, 20], count: 20_000)
        #expect(zip(on, off).allSatisfy { $0 == $1 || $0 == 1 })
        #expect(!off.contains(1))
    }

    @Test func scalingAllWeightsChangesNothing() throws {
        #expect(try placements([3, 1, 1], count: 20_000) == placements([60, 20, 20], count: 20_000))
    }
}
