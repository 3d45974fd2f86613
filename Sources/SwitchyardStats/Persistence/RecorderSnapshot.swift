import Synchronization

/// Snapshot and restore of everything an `ExperimentRecorder` holds, so statistics survive a
/// restart. The format is versioned, little-endian and shard-agnostic (shards are merged on
/// write and restored into shard 0, so the loop count may change across restarts).
///
/// Layout: magic "SYSTATS2", the body, then a little-endian FNV-1a 64 checksum of everything
/// before it. Why a checksum: most of the body is counts and doubles, so a damaged file would
/// otherwise parse into plausible but wrong statistics that the gateway then serves as the
/// experiment's results. FNV-1a's per-byte step is a bijection of the running hash, so any
/// single damaged byte is always detected, and other damage with probability 1 − 2⁻⁶⁴.
/// Version 1 (no checksum) is refused with a message saying so.
extension ExperimentRecorder {
    static let magic: [UInt8] = Array("SYSTATS2".utf8)
    static let magicVersion1: [UInt8] = Array("SYSTATS1".utf8)

    /// Serialises the merged state, the SRM ledger, the running always-valid quantities and the
    /// de-duplication window.
    public func snapshot() -> [UInt8] {
        var w = ByteWriter()
        for b in Self.magic { w.u8(b) }
        writeIdentity(&w)
        let (state, control) = self.control.withLock { c in (mergedState(srm: c.srm), c) }
        for v in state.variants {
            w.u64(v.requests); w.u64(v.clientErrors); w.u64(v.serverErrors); w.u64(v.timeouts)
            let buckets = v.latency.buckets()
            w.count(buckets.count)
            for b in buckets { w.u64(b.value); w.u64(b.count) }
            writeMoments(&w, v.score)
            w.u64s(v.labels)
        }
        w.u64s(state.periodUnits)
        for arms in state.metrics {
            for a in arms {
                w.u64(a.successes); w.u64(a.events)
                writeMoments(&w, a.values)
                let p = a.paired
                w.u64(p.count); w.f64(p.meanX); w.f64(p.meanY); w.f64(p.m2X); w.f64(p.m2Y); w.f64(p.cXY)
            }
        }
        let srm = control.srm
        w.f64s(srm.weights); w.f64(srm.periodStartedAt); w.u64(srm.closedPeriods); w.f64(srm.closedChi2)
        w.u64(UInt64(srm.closedDF)); w.f64(srm.closedLogBayesFactor); w.bool(srm.closedZeroWeightUnits)
        w.f64(srm.sequential.logP); w.u64(srm.sequential.looks)
        w.count(control.sequential.count)
        for s in control.sequential {
            w.f64(s.logP); w.u64(s.looks); w.bool(s.becameEmpty)
            w.bool(s.interval != nil)
            if let i = s.interval { w.f64(i.lower); w.f64(i.upper) }
        }
        let (previous, current) = dedup.withLock { $0.generations }
        w.u64s(previous); w.u64s(current)
        w.u64(ByteWriter.checksum(w.bytes[...]))
        return w.bytes
    }

    /// Replaces this recorder's state with a snapshot taken by a recorder of the same experiment
    /// (same variants, metrics, labels and latency layout). On error nothing is changed.
    public func restore(from bytes: [UInt8]) throws(StatsError) {
        guard bytes.count >= Self.magic.count + 8, bytes.starts(with: Self.magic) else {
            if bytes.starts(with: Self.magicVersion1) {
                throw .corruptSnapshot("format version 1 (written before snapshots carried a checksum) is no longer read")
            }
            throw .corruptSnapshot("not a Switchyard statistics snapshot")
        }
        let body = bytes[..<(bytes.count - 8)]
        var stored: UInt64 = 0
        for b in bytes[body.endIndex...].reversed() { stored = (stored << 8) | UInt64(b) }
        guard stored == ByteWriter.checksum(body) else {
            throw .corruptSnapshot("checksum mismatch: the snapshot is damaged or truncated")
        }
        var r = ByteReader(Array(body))
        for _ in Self.magic { _ = try r.u8("magic") }
        try checkIdentity(&r)
        let vCount = config.variants.count
        var variants = [VariantTelemetry]()
        for _ in 0..<vCount {
            var v = VariantTelemetry(latency: config.latency, labels: config.labels.count)
            v.requests = try r.u64("requests"); v.clientErrors = try r.u64("client errors")
            v.serverErrors = try r.u64("server errors"); v.timeouts = try r.u64("timeouts")
            let n = try r.count("latency buckets", elementSize: 16)
            var buckets = [(value: UInt64, count: UInt64)]()
            for _ in 0..<n { buckets.append((try r.u64("bucket value"), try r.u64("bucket count"))) }
            guard buckets.allSatisfy({ $0.value <= config.latency.highestNanos }) else {
                throw .corruptSnapshot("latency value beyond the configured range")
            }
            v.latency = LatencyDistribution(config: config.latency, buckets: buckets)
            v.score = try readMoments(&r)
            v.labels = try r.u64s("labels")
            guard v.labels.count == config.labels.count else { throw .snapshotMismatch("label count differs") }
            variants.append(v)
        }
        let units = try r.u64s("period units")
        guard units.count == vCount else { throw .corruptSnapshot("period units for \(units.count) variants") }
        var metrics = [MetricArm]()
        for _ in 0..<(config.metrics.count * vCount) {
            var a = MetricArm()
            a.successes = try r.u64("successes"); a.events = try r.u64("events")
            a.values = try readMoments(&r)
            a.paired = CoMoments(count: try r.u64("paired n"), meanX: try r.f64("mean x"), meanY: try r.f64("mean y"),
                                 m2X: try r.f64("m2 x"), m2Y: try r.f64("m2 y"), cXY: try r.f64("c xy"))
            metrics.append(a)
        }
        var srm = SRMLedger(weights: try r.f64s("weights"), startedAt: try r.f64("period start"))
        try ExperimentStatsConfig.validate(weights: srm.weights, variants: vCount)
        srm.closedPeriods = try r.u64("closed periods"); srm.closedChi2 = try r.f64("closed chi2")
        srm.closedDF = Int(clamping: try r.u64("closed df")); srm.closedLogBayesFactor = try r.f64("closed log BF")
        srm.closedZeroWeightUnits = try r.bool("zero-weight units")
        srm.sequential = SequentialSRMState(logP: try r.f64("srm log p"), looks: try r.u64("srm looks"))
        let seqCount = try r.count("sequential states", elementSize: 18)
        guard seqCount == 2 * config.metrics.count * vCount else { throw .snapshotMismatch("sequential state count differs") }
        var sequential = [SequentialState]()
        for _ in 0..<seqCount {
            let logP = try r.f64("log p"), looks = try r.u64("looks"), empty = try r.bool("empty")
            var interval: Interval?
            if try r.bool("has interval") { interval = Interval(lower: try r.f64("lower"), upper: try r.f64("upper")) }
            sequential.append(SequentialState(logP: logP, interval: interval, becameEmpty: empty, looks: looks))
        }
        let previous = try r.u64s("dedup previous"), current = try r.u64s("dedup current")
        guard r.isAtEnd else { throw .corruptSnapshot("trailing bytes after the snapshot") }

        control.withLock { c in
            for (i, shard) in shards.enumerated() {
                shard.state.withLock { s in
                    for v in 0..<vCount {
                        s.variants[v] = i == 0 ? variants[v] : VariantTelemetry(latency: config.latency, labels: config.labels.count)
                        s.periodUnits[v] = i == 0 ? units[v] : 0
                    }
                    for k in s.metrics.indices { s.metrics[k] = i == 0 ? metrics[k] : MetricArm() }
                }
            }
            c.srm = srm
            c.sequential = sequential
        }
        dedup.withLock { $0.restore(previous: previous, current: current) }
    }

    private func writeIdentity(_ w: inout ByteWriter) {
        w.string(config.name)
        w.count(config.variants.count); for v in config.variants { w.string(v) }
        w.count(config.metrics.count); for m in config.metrics { w.string(m.name); w.string(m.kind.rawValue) }
        w.count(config.labels.count)
        w.u64(config.latency.lowestNanos); w.u64(config.latency.highestNanos); w.u64(UInt64(config.latency.significantDigits))
    }

    private func checkIdentity(_ r: inout ByteReader) throws(StatsError) {
        var probe = ByteWriter()
        writeIdentity(&probe)
        var expected = ByteReader(probe.bytes)
        let name = try r.string("experiment name")
        guard name == (try expected.string("name")) else { throw .snapshotMismatch("snapshot is of experiment '\(name)'") }
        for what in ["variant count"] {
            guard try r.u64(what) == (try expected.u64(what)) else { throw .snapshotMismatch("variants differ") }
        }
        for _ in config.variants {
            guard try r.string("variant") == (try expected.string("variant")) else { throw .snapshotMismatch("variants differ") }
        }
        guard try r.u64("metric count") == (try expected.u64("metric count")) else { throw .snapshotMismatch("metrics differ") }
        for _ in config.metrics {
            guard try r.string("metric") == (try expected.string("metric")),
                  try r.string("kind") == (try expected.string("kind")) else { throw .snapshotMismatch("metrics differ") }
        }
        for what in ["label count", "latency lowest", "latency highest", "latency digits"] {
            guard try r.u64(what) == (try expected.u64(what)) else { throw .snapshotMismatch("\(what) differs") }
        }
    }

    private func writeMoments(_ w: inout ByteWriter, _ m: Moments) { w.u64(m.count); w.f64(m.mean); w.f64(m.m2) }

    private func readMoments(_ r: inout ByteReader) throws(StatsError) -> Moments {
        let n = try r.u64("n"), mean = try r.f64("mean"), m2 = try r.f64("m2")
        guard mean.isFinite || n == 0, m2.isFinite, m2 >= 0 else { throw .corruptSnapshot("non-finite moments") }
        return Moments(count: n, mean: mean, m2: m2)
    }
}
