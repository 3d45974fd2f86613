import SwitchyardKServe
import SwitchyardRouting
import SwitchyardTransport

/// Shadow traffic: after the primary response is on its way, the same inputs run on each
/// sampled shadow variant, on the idle-priority pool, and the outputs are compared with the
/// primary's. Nothing here can change or delay the primary response: it has been handed to the
/// connection before `launchShadows` is called, and a full pool drops the shadow (counted).
extension Gateway {
    func launchShadows(_ call: RoutedCall, inputs: [InferTensor], primary: [InferTensor]) {
        guard let stats = call.stats else { return }
        for target in call.assignment.shadows {
            let served: ModelRepository.Served
            do {
                // Resolved when the loop's view was made, and still current (see `ExperimentRoute.served`);
                // the repository is asked (for its error) only when the model was not loaded then.
                served = try call.route.shadowServed[target.index] ?? repository.resolve(call.route.shadowReferences[target.index])
            } catch {
                stats.recordShadow(target.name) { $0.recordShadowError(latencyNs: nil) }
                continue
            }
            let accepted = shadowPool.submit(lane: call.loop) {
                let t0 = monotonicNanos()
                do throws(KServeError) {
                    let outputs = try served.model.infer(inputs: inputs, outputs: nil)
                    let elapsed = monotonicNanos() &- t0
                    let p = primary.map(TensorViewBridge.view), s = outputs.map(TensorViewBridge.view)
                    stats.recordShadow(target.name) { $0.record(primary: p, shadow: s, tolerance: target.tolerance, shadowLatencyNs: elapsed) }
                } catch {
                    let elapsed = monotonicNanos() &- t0
                    stats.recordShadow(target.name) { $0.recordShadowError(latencyNs: elapsed) }
                }
            }
            if !accepted { stats.recordShadow(target.name) { $0.recordDropped() } }
        }
    }
}

/// Protocol tensors as the shadow comparison sees them (typed flat values).
enum TensorViewBridge {
    static func view(_ t: InferTensor) -> TensorView {
        let shape = t.shape.map { Int($0) }
        let values: TensorView.Values
        switch t.datatype {
        case .fp32: values = .float32(t.values(as: Float.self) ?? [])
        case .fp64: values = .float64(t.values(as: Double.self) ?? [])
        case .fp16: values = .float32(halfWords(t).map { Float(Float16(bitPattern: $0)) })
        case .bf16: values = .float32(halfWords(t).map { Float(bitPattern: UInt32($0) << 16) })
        case .bool: values = .bool(t.values(as: Bool.self) ?? [])
        case .int8: values = .int64((t.values(as: Int8.self) ?? []).map(Int64.init))
        case .int16: values = .int64((t.values(as: Int16.self) ?? []).map(Int64.init))
        case .int32: values = .int64((t.values(as: Int32.self) ?? []).map(Int64.init))
        case .int64: values = .int64(t.values(as: Int64.self) ?? [])
        case .uint8: values = .int64((t.values(as: UInt8.self) ?? []).map(Int64.init))
        case .uint16: values = .int64((t.values(as: UInt16.self) ?? []).map(Int64.init))
        case .uint32: values = .int64((t.values(as: UInt32.self) ?? []).map(Int64.init))
        case .uint64: values = .int64((t.values(as: UInt64.self) ?? []).map { Int64(truncatingIfNeeded: $0) })
        case .bytes: values = .string((t.elements ?? []).map { String(decoding: $0, as: UTF8.self) })
        }
        return TensorView(name: t.name, shape: shape, values: values)
    }

    /// The 16-bit words of an FP16/BF16 tensor (little-endian on the wire).
    private static func halfWords(_ t: InferTensor) -> [UInt16] {
        guard let raw = t.rawBytes else { return [] }
        return stride(from: 0, to: raw.count - 1, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
    }
}
