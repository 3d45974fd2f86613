import SwitchyardCore
import Synchronization

/// The part of an experiment's statistics written by one event loop.
///
/// Why a `Mutex` per shard rather than atomics: a shard is written only by its own loop thread,
/// so its lock is uncontended except while a reader merges it (two uncontended atomic operations,
/// ~10–20 ns); the HDR histogram and the Welford moments are multi-word updates that atomics
/// could not keep consistent without a seqlock. No lock is shared between loops, and readers hold
/// a shard's lock only while adding its counters into their own accumulator (never keeping a
/// copy-on-write reference, so the writer's buffers stay uniquely owned and recording never
/// allocates).
final class RecorderShard: Sendable {
    struct State: Sendable {
        var variants: [VariantTelemetry]
        /// Outcome state, flattened as [metric × variantCount + variant].
        var metrics: [MetricArm]
        /// Assignments in the current period of constant weights, per variant.
        var periodUnits: [UInt64]
    }

    /// The shards of all loops are created together, so malloc puts them (and their arrays) side
    /// by side, and two loops recording at once wrote to shared cache lines (false sharing). The
    /// object carries a cache line of padding before and after its lock and state, and each array
    /// a cache line of spare capacity after its elements.
    private let paddingBefore = CacheLinePadding()
    let state: Mutex<State>
    private let paddingAfter = CacheLinePadding()

    init(config: ExperimentStatsConfig) {
        let v = config.variants.count
        state = Mutex(State(
            variants: Self.padded(Array(repeating: VariantTelemetry(latency: config.latency, labels: config.labels.count), count: v)),
            metrics: Self.padded(Array(repeating: MetricArm(), count: v * config.metrics.count)),
            periodUnits: Self.padded(Array(repeating: 0, count: v))))
    }

    /// `array` with at least 64 bytes of unused capacity after its elements.
    private static func padded<T>(_ array: [T]) -> [T] {
        var copy = array
        copy.reserveCapacity(array.count + (64 + MemoryLayout<T>.stride - 1) / MemoryLayout<T>.stride)
        return copy
    }
}

/// A consistent-enough merged read of every shard: each shard is read atomically, shards one
/// after another.
public struct ExperimentState: Sendable {
    public let config: ExperimentStatsConfig
    public internal(set) var variants: [VariantTelemetry]
    /// metrics[m][v].
    public internal(set) var metrics: [[MetricArm]]
    /// Assignments per variant in the current weight period.
    public internal(set) var periodUnits: [UInt64]
    public internal(set) var srm: SRMLedger

    /// The per-variant request summaries.
    public var variantSummaries: [VariantSummary] {
        zip(config.variants, variants).map { $1.summary(name: $0) }
    }

    /// Request telemetry only (for canary windows: subtract two of these).
    public var telemetry: ExperimentTelemetry { ExperimentTelemetry(variantNames: config.variants, variants: variants) }
}

/// Per-variant telemetry of an experiment at one moment; `subtracting` gives the window between
/// two reads (e.g. since the last canary evaluation).
public struct ExperimentTelemetry: Sendable, Equatable {
    public let variantNames: [String]
    public let variants: [VariantTelemetry]

    public func subtracting(_ earlier: ExperimentTelemetry) -> ExperimentTelemetry {
        ExperimentTelemetry(variantNames: variantNames,
                            variants: zip(variants, earlier.variants).map { $0.subtracting($1) })
    }

    public func variant(named name: String) -> VariantTelemetry? {
        variantNames.firstIndex(of: name).map { variants[$0] }
    }

    public var summaries: [VariantSummary] { zip(variantNames, variants).map { $1.summary(name: $0) } }
}
