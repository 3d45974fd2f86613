import SwitchyardAdminAPI
import SwitchyardRouting

extension Render {
    /// `switchyard ctl shadow NAME`: per shadow variant, how often its outputs agreed with the
    /// primary's, how far they were apart, what failed and how long the shadow took.
    public static func shadow(_ report: ShadowReport, style: RenderStyle = .plain) -> String {
        var out = [style.apply(.header, to: "experiment \(report.experiment)")
                   + " — shadow queue \(report.queued) / \(report.queueCapacity)"]
        guard !report.shadows.isEmpty else {
            out.append("no shadow comparisons yet")
            return out.joined(separator: "\n")
        }
        for s in report.shadows {
            out.append("")
            let errors = style.apply(s.shadowErrors > 0 ? .bad : .none, to: "\(s.shadowErrors) errors")
            let dropped = style.apply(s.dropped > 0 ? .warning : .none, to: "\(s.dropped) dropped")
            var head = "shadow \(s.shadow): \(s.comparisons) comparisons, \(errors), \(dropped)"
            if s.extraOutputs > 0 { head += ", \(s.extraOutputs) extra outputs" }
            out.append(head)
            let latency = s.latency
            if latency.count > 0 {
                out.append("  latency (n=\(latency.count)): mean \(Format.milliseconds(latency.meanNs.map { $0 / 1e6 })) ms, "
                           + "p50 \(Format.milliseconds(latency.quantileNs(0.5).map { $0 / 1e6 })) ms, "
                           + "p99 \(Format.milliseconds(latency.quantileNs(0.99).map { $0 / 1e6 })) ms")
            } else {
                out.append("  latency: no shadow runs yet")
            }
            guard !s.outputs.isEmpty else {
                out.append("  no outputs compared yet")
                continue
            }
            var table = TextTable([.init("OUTPUT"), .init("COMPARED", .right), .init("MISMATCHED", .right),
                                   .init("AGREEMENT", .right), .init("MAX ABS DIFF", .right), .init("MAX REL DIFF", .right),
                                   .init("ARGMAX AGREEMENT", .right)])
            table.indent = 2
            for (name, a) in s.outputs.sorted(by: { $0.key < $1.key }) {
                let agreement = a.agreement
                let emphasis: Emphasis = agreement.map { $0 >= 0.999 ? .good : ($0 < 0.99 ? .bad : .warning) } ?? .none
                let argmax = a.argmaxRows > 0
                    ? "\(Format.share(a.argmaxAgreeing, of: a.argmaxRows)) (\(a.argmaxAgreeing)/\(a.argmaxRows))" : Format.missing
                table.add([.init(name), .init(String(a.comparedRequests)), .init(String(a.mismatchedRequests)),
                           .init(Format.share(a.agreeingElements, of: a.elements), emphasis),
                           .init(a.elements > 0 ? Format.number(a.maxAbsDiff, digits: 3) : Format.missing),
                           .init(a.elements > 0 ? Format.number(a.maxRelDiff, digits: 3) : Format.missing),
                           .init(argmax)])
            }
            out.append(table.render(style))
        }
        return out.joined(separator: "\n")
    }
}
