extension Duration {
    /// The duration in whole nanoseconds, negative durations as 0: the transport's timers and the
    /// gateway's deadlines compare against a monotonic `UInt64` nanosecond clock.
    public var clampedNanoseconds: UInt64 {
        let (s, a) = components
        guard s >= 0 else { return 0 }
        return UInt64(s) &* 1_000_000_000 &+ UInt64(max(0, a) / 1_000_000_000)
    }
}
