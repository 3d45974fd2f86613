// The only file that imports the platform C library: the statistics engine needs libm's
// erfc, lgamma_r, log1p and expm1, and nothing else from it. Everything else in the module calls
// `LibM`, so the platform import stays in one place.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, thread-safe wrappers over libm.
enum LibM {
    @inline(__always) static func exp(_ x: Double) -> Double { cExp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { cLog(x) }
    @inline(__always) static func log1p(_ x: Double) -> Double { cLog1p(x) }
    @inline(__always) static func expm1(_ x: Double) -> Double { cExpm1(x) }
    @inline(__always) static func erfc(_ x: Double) -> Double { cErfc(x) }
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
    /// ln|Γ(x)| through `lgamma_r` (the plain `lgamma` writes the global `signgam`: a data race).
    @inline(__always) static func logGamma(_ x: Double) -> Double { cLogGamma(x) }
}

// Free functions with distinct names, so that the static members above do not shadow libm.
@inline(__always) private func cExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func cLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func cLog1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) private func cExpm1(_ x: Double) -> Double { expm1(x) }
@inline(__always) private func cErfc(_ x: Double) -> Double { erfc(x) }
@inline(__always) private func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func cLogGamma(_ x: Double) -> Double {
    let (value, _): (Double, Int) = lgamma(x)
    return value
}
