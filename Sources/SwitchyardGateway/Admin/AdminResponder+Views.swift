import SwitchyardAdminAPI
import SwitchyardRouting
import SwitchyardStats

/// Building the admin API's views from the store and the statistics.
extension AdminResponder {
    func view(of experiment: ExperimentConfig, store: ExperimentStore) -> ExperimentView {
        let total = experiment.variants.reduce(0) { $0 + $1.weight }
        let control = experiment.controlIndex
        let variants = experiment.variants.enumerated().map { index, v in
            VariantView(name: v.name, model: v.model, version: v.version, weight: v.weight,
                        share: total > 0 ? v.weight / total : 0, control: index == control, fault: v.fault.map(Self.describe))
        }
        let canary = experiment.canary.map { c in
            let state = store.canaries[experiment.name]
            return CanaryView(candidate: c.variant, steps: c.steps, intervalSeconds: c.intervalSeconds, state: state,
                              nextEvaluationAt: state.flatMap { $0.status == .running ? $0.nextEvaluationAt(interval: c.intervalSeconds) : nil })
        }
        let counters = experiments.stats(experiment.name)?.recorder.telemetry().summaries ?? []
        return ExperimentView(
            name: experiment.name, revision: store.revision, variants: variants,
            sticky: experiment.sticky.map { "\($0.source.rawValue) \($0.name)" },
            overrides: experiment.overrides.map { "\($0.header) \($0.match == .exact ? "=" : $0.match.rawValue) \"\($0.value)\" → \($0.variant)" },
            shadows: experiment.shadow.map { ShadowView(name: $0.name, model: $0.model, version: $0.version, percent: $0.percent,
                                                        sampling: $0.sampling.rawValue) },
            canary: canary, metrics: experiment.metrics.map(\.name), counters: counters)
    }

    static func describe(_ fault: FaultConfig) -> String {
        var parts: [String] = []
        if let a = fault.abort { parts.append("abort \(a.percent)% with \(a.status)") }
        if let d = fault.delay { parts.append("delay \(d.percent)% by \(d.seconds) s") }
        return parts.joined(separator: "; ")
    }
}
