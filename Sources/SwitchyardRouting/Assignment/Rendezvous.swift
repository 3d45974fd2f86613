import Foundation

/// Weighted rendezvous hashing: the sticky assignment of a unit to a variant.
///
/// For unit key `k` and each variant `v` with weight `w_v > 0`, let `u_v` be a stable hash of
/// (salt, v, k) mapped into (0, 1) — computed as `mix(H(salt; k) ⊕ H(salt; "variant", v))` with
/// SipHash-2-4 for `H` and the SplitMix64 finaliser for `mix`, so the key is hashed once per
/// request — and `E_v = −ln(u_v)`. The unit goes to the variant with the
/// smallest score `s_v = E_v / w_v` (ties, which have probability zero, go to the lower index).
/// Variants with weight 0 have no score and never receive a unit.
///
/// **Proportions.** Modelling the hash as random, the `E_v` are independent Exp(1) variables, so
/// `s_v` is Exp(w_v) and the minimum of independent exponentials falls on `v` with probability
/// `w_v / Σw`: the sticky split matches the weights, like the per-request one.
///
/// **Monotonicity theorem.** Change the weights from `w` to `w'` and let `r_v = w'_v / w_v` be
/// each variant's growth factor. If a unit moves from `a` to `b`, then `r_b > r_a`.
/// *Proof.* `E_a` and `E_b` do not depend on the weights. Before the change `a` won, so
/// `E_a / w_a ≤ E_b / w_b`, i.e. `E_b / E_a ≥ w_b / w_a`. After it `b` wins, so
/// `E_b / w'_b < E_a / w'_a`, i.e. `E_b / E_a < w'_b / w'_a`. Together `w'_b / w'_a > w_b / w_a`,
/// which is `r_b > r_a`. ∎
///
/// Consequences used by ramps:
/// 1. When one variant's weight grows and every other weight stays the same or is scaled by one
///    common smaller factor (a canary with `rest: proportional`, or any two-variant ramp), every
///    unit that moves, moves to that variant. Nobody is reshuffled between the others.
/// 2. The variant that grew the most never loses a unit; the one that shrank the most never
///    gains one (a canary with `rest: control`: nobody leaves the candidate, nobody joins the
///    control, though a unit may pass from the control to a third arm whose relative share grew).
/// 3. Turning a variant's weight from 0 on only adds units to it; turning it to 0 only removes them.
///
/// Stronger guarantees are impossible for any stateless scheme with three or more variants: if a
/// transfer between any two variants moved units only between those two, each variant's set of
/// units would depend on its own weight only (hold it fixed and move weight between the other two),
/// so the sets of `B` and `C` would both be complements of the control's set at the corresponding
/// weight, and could not be disjoint whenever both are positive.
public enum Rendezvous {
    /// The index of the chosen variant, or nil when every weight is 0.
    /// - Parameters:
    ///   - weights: per-variant weights (≥ 0).
    ///   - uniform: per-variant stable hash in (0, 1) for this unit, same order as `weights`.
    public static func choose(weights: [Double], uniform: (Int) -> Double) -> Int? {
        var best: Int?
        var bestScore = Double.infinity
        for (index, weight) in weights.enumerated() where weight > 0 {
            let score = -log(uniform(index)) / weight
            if best == nil || score < bestScore {
                best = index
                bestScore = score
            }
        }
        return best
    }

    /// Per-request choice for a uniform value in [0, 1): walks the cumulative weights.
    public static func chooseByInterval(weights: [Double], total: Double, uniform: Double) -> Int? {
        guard total > 0 else { return nil }
        let target = uniform * total
        var cumulative = 0.0
        var lastPositive: Int?
        for (index, weight) in weights.enumerated() where weight > 0 {
            cumulative += weight
            lastPositive = index
            if target < cumulative { return index }
        }
        // Floating-point rounding can leave `target` a hair above the last sum.
        return lastPositive
    }
}
