/// JSON bodies of the non-inference REST answers (OIP inference_rest.md, Triton's statistics and
/// model-repository extensions).
extension KServeJSONEncoder {
    /// `{"live":true}`: the KServe Python server's body (the status code is the answer).
    public static func live(_ live: Bool) -> [UInt8] { flag("live", live) }

    /// `{"ready":true}`.
    public static func ready(_ ready: Bool) -> [UInt8] { flag("ready", ready) }

    public static func modelReadiness(_ r: ModelReadiness) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("name"); w.string(r.name)
        w.key("ready"); w.bool(r.ready)
        w.endObject()
        return w.finish()
    }

    public static func serverMetadata(_ m: ServerMetadata) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("name"); w.string(m.name)
        w.key("version"); w.string(m.version)
        w.key("extensions")
        w.beginArray()
        for e in m.extensions { w.string(e) }
        w.endArray()
        w.endObject()
        return w.finish()
    }

    public static func modelMetadata(_ m: ModelMetadata) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("name"); w.string(m.name)
        if !m.versions.isEmpty {
            w.key("versions")
            w.beginArray()
            for v in m.versions { w.string(v) }
            w.endArray()
        }
        w.key("platform"); w.string(m.platform)
        w.key("inputs"); tensorMetadata(m.inputs, &w)
        w.key("outputs"); tensorMetadata(m.outputs, &w)
        w.endObject()
        return w.finish()
    }

    /// `POST /v2/repository/index` answer: a JSON array of entries.
    public static func repositoryIndex(_ entries: [RepositoryIndexEntry]) -> [UInt8] {
        var w = JSONWriter()
        w.beginArray()
        for e in entries {
            w.beginObject()
            w.key("name"); w.string(e.name)
            if let v = e.version { w.key("version"); w.string(v) }
            if let s = e.state { w.key("state"); w.string(s) }
            if let r = e.reason, !r.isEmpty { w.key("reason"); w.string(r) }
            w.endObject()
        }
        w.endArray()
        return w.finish()
    }

    /// `GET /v2/models[/{m}[/versions/{v}]]/stats` answer: `{"model_stats":[...]}`.
    public static func statistics(_ stats: [ModelStatistics]) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("model_stats")
        w.beginArray()
        for s in stats {
            w.beginObject()
            w.key("name"); w.string(s.name)
            w.key("version"); w.string(s.version)
            w.key("last_inference"); w.uint(s.lastInference)
            w.key("inference_count"); w.uint(s.inferenceCount)
            w.key("execution_count"); w.uint(s.executionCount)
            w.key("inference_stats")
            w.beginObject()
            let i = s.inferenceStats
            for (name, d) in [("success", i.success), ("fail", i.fail), ("queue", i.queue),
                              ("compute_input", i.computeInput), ("compute_infer", i.computeInfer),
                              ("compute_output", i.computeOutput), ("cache_hit", i.cacheHit),
                              ("cache_miss", i.cacheMiss)] {
                w.key(name); duration(d, &w)
            }
            w.endObject()
            w.key("batch_stats")
            w.beginArray()
            for b in s.batchStats {
                w.beginObject()
                w.key("batch_size"); w.uint(b.batchSize)
                w.key("compute_input"); duration(b.computeInput, &w)
                w.key("compute_infer"); duration(b.computeInfer, &w)
                w.key("compute_output"); duration(b.computeOutput, &w)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.finish()
    }

    private static func duration(_ d: StatisticDuration, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("count"); w.uint(d.count)
        w.key("ns"); w.uint(d.ns)
        w.endObject()
    }

    private static func tensorMetadata(_ tensors: [TensorMetadata], _ w: inout JSONWriter) {
        w.beginArray()
        for t in tensors {
            w.beginObject()
            w.key("name"); w.string(t.name)
            w.key("datatype"); w.string(t.datatype.rawValue)
            w.key("shape"); w.shape(t.shape)
            w.endObject()
        }
        w.endArray()
    }

    private static func flag(_ name: String, _ value: Bool) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key(name); w.bool(value)
        w.endObject()
        return w.finish()
    }
}
