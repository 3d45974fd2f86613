import SwitchyardAdminAPI
import SwitchyardRouting
import SwitchyardStats

/// Pure renderers, value → text, one per admin view. `switchyard ctl` prints them; tests assert
/// on them. Every renderer returns lines joined by "\n" without a trailing newline.
public enum Render {}

extension Render {
    /// `switchyard ctl experiments`: one line per experiment.
    public static func experiments(_ list: ExperimentList, style: RenderStyle = .plain) -> String {
        guard !list.experiments.isEmpty else { return "no experiments (revision \(list.revision))" }
        var table = TextTable([.init("NAME"), .init("REV", .right), .init("VARIANTS (weight, share)"),
                               .init("CANARY"), .init("SHADOWS")])
        for e in list.experiments {
            let variants = e.variants.map { v in
                "\(v.name)\(v.control ? "*" : "") \(Format.weight(v.weight)) (\(Format.percent(v.share)))"
            }.joined(separator: ", ")
            let shadows = e.shadows.isEmpty ? Format.missing
                : e.shadows.map { "\($0.name) \(Format.weight($0.percent))%" }.joined(separator: ", ")
            let canary = e.canary.map(canarySummary) ?? (text: Format.missing, emphasis: .none)
            table.add([.init(e.name), .init(String(e.revision)), .init(variants),
                       .init(canary.text, canary.emphasis), .init(shadows)])
        }
        return "revision \(list.revision)\n" + table.render(style) + "\n* control variant"
    }

    /// "running 25% → candidate", "promoted", "not started".
    static func canarySummary(_ canary: CanaryView) -> (text: String, emphasis: Emphasis) {
        guard let state = canary.state else { return ("not started", .none) }
        let text = "\(state.status.rawValue) \(Format.weight(state.weight))% → \(canary.candidate)"
        return (text, emphasis(of: state.status))
    }

    static func emphasis(of status: CanaryStatus) -> Emphasis {
        switch status {
        case .running: return .none
        case .paused: return .warning
        case .promoted: return .good
        case .rolledBack, .aborted: return .bad
        }
    }

    /// `switchyard ctl show NAME`: policies, canary progress and live counters of one experiment.
    public static func experiment(_ e: ExperimentView, style: RenderStyle = .plain) -> String {
        var out: [String] = []
        out.append(style.apply(.header, to: "experiment \(e.name)") + " (revision \(e.revision))")
        out.append("sticky:    " + (e.sticky ?? "none (assigned per request)"))
        out.append("metrics:   " + (e.metrics.isEmpty ? "none" : e.metrics.joined(separator: ", ")))

        var variants = TextTable([.init("VARIANT"), .init("MODEL"), .init("WEIGHT", .right), .init("SHARE", .right),
                                  .init("CONTROL"), .init("FAULT")])
        variants.indent = 2
        for v in e.variants {
            variants.add(v.name, "\(v.model):\(v.version)", Format.weight(v.weight), Format.percent(v.share),
                         v.control ? "yes" : "", v.fault ?? "")
        }
        out.append("")
        out.append("variants")
        out.append(variants.render(style))

        out.append("")
        if e.overrides.isEmpty {
            out.append("overrides: none")
        } else {
            out.append("overrides (first match wins)")
            out.append(contentsOf: e.overrides.enumerated().map { "  \($0.offset + 1). \($0.element)" })
        }

        out.append("")
        if e.shadows.isEmpty {
            out.append("shadows: none")
        } else {
            var shadows = TextTable([.init("SHADOW"), .init("MODEL"), .init("PERCENT", .right), .init("SAMPLING")])
            shadows.indent = 2
            for s in e.shadows { shadows.add(s.name, "\(s.model):\(s.version)", Format.weight(s.percent) + "%", s.sampling) }
            out.append("shadows")
            out.append(shadows.render(style))
        }

        out.append("")
        if let canary = e.canary {
            out.append(contentsOf: canaryLines(canary, style: style))
        } else {
            out.append("canary: none")
        }

        out.append("")
        out.append("counters (since the experiment's statistics started)")
        out.append(counters(e.counters, style: style))
        return out.joined(separator: "\n")
    }

    /// Requests, errors and latency per variant (the numbers the canary gates read).
    public static func counters(_ summaries: [VariantSummary], style: RenderStyle = .plain, indent: Int = 2) -> String {
        var table = TextTable([.init("VARIANT"), .init("REQUESTS", .right), .init("4XX", .right), .init("5XX", .right),
                               .init("TIMEOUTS", .right), .init("ERROR RATE", .right), .init("P50 MS", .right),
                               .init("P99 MS", .right)])
        table.indent = indent
        for s in summaries {
            table.add(s.variant, String(s.requests), String(s.clientErrors), String(s.serverErrors), String(s.timeouts),
                      Format.percent(s.errorRate, decimals: 2), Format.milliseconds(s.latencyMs?.p50),
                      Format.milliseconds(s.latencyMs?.p99))
        }
        if summaries.isEmpty { return String(repeating: " ", count: indent) + "no requests yet" }
        return table.render(style)
    }

    static func canaryLines(_ canary: CanaryView, style: RenderStyle) -> [String] {
        var out = ["canary → \(canary.candidate)"]
        let steps = canary.steps.map(Format.weight).joined(separator: " → ")
        out.append("  steps:     \(steps) % every \(Format.duration(canary.intervalSeconds))")
        guard let state = canary.state else {
            out.append("  status:    not started")
            return out
        }
        let status = style.apply(emphasis(of: state.status), to: state.status.rawValue)
        out.append("  status:    \(status) at \(Format.weight(state.weight))% "
                   + "(step \(min(state.stepIndex + 1, max(canary.steps.count, 1))) of \(canary.steps.count)), "
                   + "started \(Format.timestamp(state.startedAt))")
        if let next = canary.nextEvaluationAt, state.status == .running {
            out.append("  next evaluation: \(Format.timestamp(next))")
        }
        if let evaluation = state.lastEvaluation {
            out.append("  last evaluation: \(Format.timestamp(evaluation.at)) → \(evaluation.verdict.rawValue)")
            out.append("    candidate: \(window(evaluation.candidate))")
            out.append("    control:   \(window(evaluation.control))")
            if !evaluation.gates.isEmpty { out.append(gates(evaluation.gates, style: style, indent: 4)) }
        } else {
            out.append("  last evaluation: none yet")
        }
        if !state.history.isEmpty {
            var history = TextTable([.init("WHEN"), .init("FROM", .right), .init("TO", .right), .init("STATUS"), .init("REASON")])
            history.indent = 4
            for change in state.history {
                history.add([.init(Format.timestamp(change.at)), .init(Format.weight(change.fromWeight) + "%"),
                             .init(Format.weight(change.toWeight) + "%"),
                             .init(change.status.rawValue, emphasis(of: change.status)), .init(change.reason)])
            }
            out.append("  history")
            out.append(history.render(style))
        }
        return out
    }

    /// Gate verdicts with the figures they were judged on.
    public static func gates(_ gates: [GateResult], style: RenderStyle = .plain, indent: Int = 2) -> String {
        var table = TextTable([.init("GATE"), .init("OUTCOME"), .init("VALUE", .right), .init("THRESHOLD", .right),
                               .init("DETAIL")])
        table.indent = indent
        for g in gates {
            let emphasis: Emphasis = g.outcome == .pass ? .good : (g.outcome == .fail ? .bad : .warning)
            table.add([.init(g.gate), .init(g.outcome.rawValue, emphasis), .init(Format.number(g.value)),
                       .init(Format.number(g.threshold)), .init(g.detail)])
        }
        return table.render(style)
    }

    /// "1200 requests, 3 errors (0.25%), p50 1.200 ms, p99 5.400 ms".
    static func window(_ w: VariantWindow) -> String {
        var text = "\(w.requests) requests, \(w.errors) errors (\(Format.percent(w.errorRate, decimals: 2)))"
        if let p50 = w.p50Ns { text += ", p50 \(Format.milliseconds(p50 / 1e6)) ms" }
        if let p99 = w.p99Ns { text += ", p99 \(Format.milliseconds(p99 / 1e6)) ms" }
        return text
    }
}
