/// Cumulative count and nanoseconds of one kind of event (Triton's StatisticDuration).
public struct StatisticDuration: Sendable, Hashable {
    public var count: UInt64
    public var ns: UInt64
    public init(count: UInt64 = 0, ns: UInt64 = 0) { self.count = count; self.ns = ns }
}

/// Triton's InferStatistics.
public struct InferStatistics: Sendable, Hashable {
    public var success = StatisticDuration()
    public var fail = StatisticDuration()
    public var queue = StatisticDuration()
    public var computeInput = StatisticDuration()
    public var computeInfer = StatisticDuration()
    public var computeOutput = StatisticDuration()
    public var cacheHit = StatisticDuration()
    public var cacheMiss = StatisticDuration()
    public init() {}
}

/// Triton's InferBatchStatistics: executions of one batch size.
public struct InferBatchStatistics: Sendable, Hashable {
    public var batchSize: UInt64
    public var computeInput = StatisticDuration()
    public var computeInfer = StatisticDuration()
    public var computeOutput = StatisticDuration()
    public init(batchSize: UInt64) { self.batchSize = batchSize }
}

/// Statistics of one model version in the shape of Triton's statistics extension.
public struct ModelStatistics: Sendable, Hashable {
    public var name: String
    public var version: String
    /// Milliseconds since the epoch of the last inference, 0 if none.
    public var lastInference: UInt64
    /// Inferences counted per batch element.
    public var inferenceCount: UInt64
    /// Model executions.
    public var executionCount: UInt64
    public var inferenceStats: InferStatistics
    public var batchStats: [InferBatchStatistics]

    public init(name: String, version: String, lastInference: UInt64 = 0, inferenceCount: UInt64 = 0,
                executionCount: UInt64 = 0, inferenceStats: InferStatistics = InferStatistics(),
                batchStats: [InferBatchStatistics] = []) {
        self.name = name
        self.version = version
        self.lastInference = lastInference
        self.inferenceCount = inferenceCount
        self.executionCount = executionCount
        self.inferenceStats = inferenceStats
        self.batchStats = batchStats
    }
}
