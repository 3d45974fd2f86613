/// Conversions between the module's metadata/statistics values and the non-inference RPC
/// messages, so the gateway answers REST and gRPC from the same values.
extension Inference_ServerMetadataResponse {
    public init(_ m: ServerMetadata) {
        self.init()
        name = m.name
        version = m.version
        extensions = m.extensions
    }
}

extension Inference_ModelMetadataResponse {
    public init(_ m: ModelMetadata) {
        self.init()
        name = m.name
        versions = m.versions
        platform = m.platform
        inputs = m.inputs.map(Self.tensor)
        outputs = m.outputs.map(Self.tensor)
    }

    // Inside this extension `TensorMetadata` is the nested message, hence the module prefix.
    private static func tensor(_ t: SwitchyardKServe.TensorMetadata) -> TensorMetadata {
        var out = TensorMetadata()
        out.name = t.name
        out.datatype = t.datatype.rawValue
        out.shape = t.shape
        return out
    }
}

extension Inference_ModelReadyRequest {
    /// The model this request names; an empty version means "server's choice".
    public var modelReference: ModelReference { ModelReference(name: name, version: version.isEmpty ? nil : version) }
}

extension Inference_ModelMetadataRequest {
    public var modelReference: ModelReference { ModelReference(name: name, version: version.isEmpty ? nil : version) }
}

extension Inference_ModelStatisticsRequest {
    /// nil: all models (empty name).
    public var modelReference: ModelReference? {
        name.isEmpty ? nil : ModelReference(name: name, version: version.isEmpty ? nil : version)
    }
}

extension Inference_RepositoryIndexResponse {
    public init(_ entries: [RepositoryIndexEntry]) {
        self.init()
        models = entries.map { e in
            var m = ModelIndex()
            m.name = e.name
            m.version = e.version ?? ""
            m.state = e.state ?? ""
            m.reason = e.reason ?? ""
            return m
        }
    }
}

extension Inference_ModelStatisticsResponse {
    public init(_ stats: [ModelStatistics]) {
        self.init()
        modelStats = stats.map { s in
            var m = Inference_ModelStatistics()
            m.name = s.name
            m.version = s.version
            m.lastInference = s.lastInference
            m.inferenceCount = s.inferenceCount
            m.executionCount = s.executionCount
            var i = Inference_InferStatistics()
            let d = s.inferenceStats
            i.success = .init(d.success); i.fail = .init(d.fail); i.queue = .init(d.queue)
            i.computeInput = .init(d.computeInput); i.computeInfer = .init(d.computeInfer)
            i.computeOutput = .init(d.computeOutput); i.cacheHit = .init(d.cacheHit); i.cacheMiss = .init(d.cacheMiss)
            m.inferenceStats = i
            m.batchStats = s.batchStats.map { b in
                var out = Inference_InferBatchStatistics()
                out.batchSize = b.batchSize
                out.computeInput = .init(b.computeInput)
                out.computeInfer = .init(b.computeInfer)
                out.computeOutput = .init(b.computeOutput)
                return out
            }
            return m
        }
    }
}

extension Inference_StatisticDuration {
    public init(_ d: StatisticDuration) {
        self.init()
        count = d.count
        ns = d.ns
    }
}
