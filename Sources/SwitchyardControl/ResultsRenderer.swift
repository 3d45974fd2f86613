import SwitchyardStats

extension Render {
    /// `switchyard ctl results NAME`: the SRM verdict first (when it fails nothing below can be
    /// trusted), then one table per metric, then requests, errors and latency per variant.
    public static func results(_ r: ExperimentResults, style: RenderStyle = .plain) -> String {
        var out: [String] = []
        out.append(style.apply(.header, to: "experiment \(r.experiment)")
                   + " — results at \(Format.timestamp(r.computedAt)) (control: \(r.control), α = \(Format.number(r.alpha)))")
        out.append(contentsOf: srmLines(r, style: style))
        for metric in r.metrics {
            out.append("")
            out.append(metricHeading(metric))
            out.append(metricTable(metric, control: r.control, style: style))
        }
        out.append("")
        out.append("requests")
        out.append(requestTable(r, style: style))
        return out.joined(separator: "\n")
    }

    static func srmLines(_ r: ExperimentResults, style: RenderStyle) -> [String] {
        let srm = r.srm
        let verdict: String
        if srm.status == .insufficientData {
            verdict = style.apply(.warning, to: "SRM: insufficient data") + " — no assignments yet"
        } else if srm.detected {
            verdict = style.apply(.bad, to: "SRM: MISMATCH") + " — \(Verdict.sampleRatioMismatch.rawValue)"
                + (srm.unitsInZeroWeightArm ? " (units were assigned to a variant with weight 0)" : "")
        } else {
            verdict = style.apply(.good, to: "SRM: ok") + " — assignments match the weights"
        }
        var figures: [String] = []
        if let chi2 = srm.combined.chi2 {
            figures.append("χ² \(Format.number(chi2)), df \(srm.combined.df), p \(Format.pValue(srm.combined.p))"
                           + (srm.periods > 1 ? " over \(srm.periods) weight periods" : ""))
        }
        if srm.status == .ok { figures.append("sequential p \(Format.pValue(srm.sequentialP))") }
        figures.append("threshold \(Format.number(srm.threshold))")
        var lines = [verdict + " (" + figures.joined(separator: "; ") + ")"]
        let names = r.variants.map(\.summary.variant)
        if names.count == srm.weights.count, names.count == srm.currentPeriodUnits.count {
            let units = zip(names, zip(srm.currentPeriodUnits, srm.weights))
                .map { "\($0.0) \($0.1.0) (weight \(Format.weight($0.1.1)))" }.joined(separator: ", ")
            lines.append("     units since \(Format.timestamp(srm.periodStartedAt)): \(units)")
        }
        return lines
    }

    static func metricHeading(_ m: MetricReport) -> String {
        "metric \(m.name) (\(m.kind.rawValue), \(m.higherIsBetter ? "higher" : "lower") is better)"
    }

    /// One metric: the control's row, then each variant against it.
    public static func metricTable(_ m: MetricReport, control: String, style: RenderStyle = .plain) -> String {
        var table = TextTable([.init("VARIANT"), .init("N", .right), .init("ESTIMATE", .right), .init("ABS LIFT [CI]"),
                               .init("REL LIFT [CI]"), .init("P", .right), .init("ALWAYS-VALID P", .right),
                               .init("CONF. SEQUENCE"), .init("P(BEAT CONTROL)", .right), .init("VERDICT")])
        table.indent = 2
        table.add([.init(m.control.variant + "*"), .init(String(m.control.n)), .init(Format.number(m.control.estimate)),
                   .init(""), .init(""), .init(""), .init(""), .init(""), .init(""), .init("(control)")])
        for c in m.comparisons {
            var verdict = c.verdict.rawValue
            if c.status != .ok { verdict += " (\(c.status.rawValue))" }
            table.add([.init(c.variant), .init(String(c.n)), .init(Format.number(c.estimate)),
                       .init(Format.withInterval(Format.signed(c.absoluteLift), Format.interval(c.absoluteCI))),
                       .init(Format.withInterval(Format.signedPercent(c.relativeLift), Format.percentInterval(c.relativeCI))),
                       .init(Format.pValue(c.p)), .init(Format.pValue(c.alwaysValidP)),
                       .init(Format.interval(c.confidenceSequence)), .init(chance(c.chanceToBeatControl)),
                       .init(verdict, emphasis(of: c.verdict))],
                      details: comparisonDetails(c))
        }
        return table.render(style)
    }

    static func emphasis(of verdict: Verdict) -> Emphasis {
        switch verdict {
        case .significantImprovement: return .good
        case .significantRegression, .sampleRatioMismatch: return .bad
        case .notYet: return .none
        }
    }

    /// Probabilities near certainty are shown as bounds rather than a misleading "100%".
    static func chance(_ p: Double?) -> String {
        guard let p, p.isFinite else { return Format.missing }
        if p > 0.999 { return ">99.9%" }
        if p < 0.001 { return "<0.1%" }
        return Format.percent(p)
    }

    /// Extra lines under a comparison: the multiple-testing adjustment when it changed the
    /// always-valid p (the verdict reads the adjusted one), CUPED, and how far the sample is from
    /// the configured minimum detectable effect.
    static func comparisonDetails(_ c: ComparisonReport) -> [String] {
        var lines: [String] = []
        if let adjusted = c.holmAdjustedAlwaysValidP, let raw = c.alwaysValidP?.value, adjusted > raw {
            lines.append("Holm-adjusted across comparisons: always-valid p \(Format.pValue(adjusted)), p \(Format.pValue(c.holmAdjustedP))")
        }
        if let cuped = c.cuped {
            if cuped.status == .ok {
                lines.append("CUPED: lift \(Format.withInterval(Format.signed(cuped.lift), Format.interval(cuped.ci))), "
                             + "p \(Format.pValue(cuped.p)), variance reduced by \(Format.percent(cuped.varianceReduction))")
            } else {
                lines.append("CUPED: \(cuped.status.rawValue)")
            }
        }
        if let size = c.sampleSize {
            var line = "sample size for a \(Format.percent(size.relativeMDE)) relative MDE: "
                + "\(size.requiredControl) control + \(size.requiredTreatment) \(c.variant) units"
            line += size.additionalUnits > 0 ? " (\(size.additionalUnits) more needed)" : " (reached)"
            if let now = size.relativeMDEAtCurrentN { line += "; detectable now: \(Format.percent(now))" }
            lines.append(line)
        }
        return lines
    }

    /// Requests, errors and latency per variant, with each variant's differences from control.
    public static func requestTable(_ r: ExperimentResults, style: RenderStyle = .plain) -> String {
        var table = TextTable([.init("VARIANT"), .init("REQUESTS", .right), .init("ERRORS", .right),
                               .init("ERROR RATE", .right), .init("Δ ERROR RATE [CI]"), .init("P50 MS", .right),
                               .init("Δ P50 MS [CI]"), .init("P99 MS", .right), .init("P99 RATIO", .right)])
        table.indent = 2
        for v in r.variants {
            let s = v.summary
            let isControl = s.variant == r.control
            let d = v.versusControl
            table.add(isControl ? s.variant + "*" : s.variant, String(s.requests), String(s.serverErrors + s.timeouts),
                      Format.percent(s.errorRate, decimals: 2),
                      d.map { Format.withInterval(Format.signedPercent($0.errorRateDiff, decimals: 2), Format.percentInterval($0.errorRateCI)) } ?? "",
                      Format.milliseconds(s.latencyMs?.p50),
                      d.map { Format.withInterval(Format.signed($0.p50.diff, digits: 3), Format.interval($0.p50.ci)) } ?? "",
                      Format.milliseconds(s.latencyMs?.p99),
                      d.map { Format.number($0.p99Ratio, digits: 3) } ?? "")
        }
        return table.render(style) + "\n  * control; errors are server errors and timeouts"
    }
}
