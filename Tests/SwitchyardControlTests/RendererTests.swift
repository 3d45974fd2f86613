import Foundation
import Testing
import SwitchyardAdminAPI
import SwitchyardControl
import SwitchyardRouting
import SwitchyardStats

/// The renderers on values produced by the real store, canary controller and statistics engine.
@Suite struct RendererTests {
    /// Lines of a table block: the header line (found by a title) and the lines under it, up to
    /// a blank line or a line indented less than the header.
    static func block(_ text: String, header: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains(header) }) else { return [] }
        let indent = lines[start].prefix { $0 == " " }.count
        var out = [lines[start]]
        for line in lines[(start + 1)...] {
            if line.isEmpty || line.prefix(while: { $0 == " " }).count < indent { break }
            out.append(line)
        }
        return out
    }

    /// Where the column titled `title` (a whole word group in the header) ends.
    static func columnEnd(_ header: String, _ title: String) -> Int? {
        let h = Array(header), t = Array(title)
        guard t.count <= h.count else { return nil }
        for start in 0...(h.count - t.count) where Array(h[start..<(start + t.count)]) == t {
            let before = start == 0 || h[start - 1] == " "
            let after = start + t.count == h.count || h[start + t.count] == " "
            if before && after { return start + t.count }
        }
        return nil
    }

    /// The column at which `title` ends in the header must be where every right-aligned value
    /// ends (rows whose cell is empty and detail lines are skipped).
    static func expectRightAligned(_ lines: [String], title: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let header = lines.first, let end = columnEnd(header, title) else {
            Issue.record("no column \(title)", sourceLocation: sourceLocation)
            return
        }
        let width = title.count
        for line in lines.dropFirst() {
            let scalars = Array(line)
            guard scalars.count >= end, !line.hasPrefix(String(repeating: " ", count: (header.prefix { $0 == " " }.count) + 4)) else { continue }
            if scalars[(end - width)..<end].allSatisfy({ $0 == " " }) { continue }
            #expect(scalars[end - 1] != " ", "value not right-aligned under \(title): \(line)", sourceLocation: sourceLocation)
            if end < scalars.count {
                #expect(scalars[end] == " ", "value overruns \(title): \(line)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func experimentList() throws {
        let store = try Samples.store()
        let text = Render.experiments(Samples.experimentList(store: store, results: try Samples.results()))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "revision 3")
        #expect(lines[1].hasPrefix("NAME "))
        for title in ["REV", "VARIANTS (weight, share)", "CANARY", "SHADOWS"] { #expect(lines[1].contains(title)) }
        let fraud = try #require(lines.first { $0.hasPrefix("fraud") })
        #expect(fraud.contains("control* 90 (90%), candidate 10 (10%)"))
        #expect(fraud.contains("running 10% → candidate"))
        #expect(fraud.contains("fraud-mlp-v3 25%"))
        let churn = try #require(lines.first { $0.hasPrefix("churn") })
        #expect(churn.contains("a* 70 (70%), b 30 (30%)"))
        #expect(churn.hasSuffix("—"))
        // Columns line up: the canary column starts at the same offset in every row.
        let offset = try #require(lines[1].range(of: "CANARY")).lowerBound.utf16Offset(in: lines[1])
        #expect(fraud.range(of: "running")?.lowerBound.utf16Offset(in: fraud) == offset)
        #expect(lines.last == "* control variant")
        #expect(!text.contains("\u{1B}"))
        Self.expectRightAligned(Array(lines[1...3]), title: "REV")
    }

    @Test func emptyExperimentList() {
        #expect(Render.experiments(ExperimentList(revision: 4, experiments: [])) == "no experiments (revision 4)")
    }

    @Test func experimentDetail() throws {
        let store = try Samples.store()
        let results = try Samples.results()
        let text = Render.experiment(Samples.experimentView(store: store, results: results))
        #expect(text.hasPrefix("experiment fraud (revision 3)\nsticky:    header x-user-id\nmetrics:   converted"))
        let variants = Self.block(text, header: "VARIANT  ")
        #expect(variants.count == 3)
        #expect(variants[1].contains("fraud-gbdt:1") && variants[1].contains("yes"))
        #expect(variants[2].contains("fraud-mlp:2") && variants[2].hasSuffix("abort 5% with 503"))
        Self.expectRightAligned(variants, title: "WEIGHT")
        Self.expectRightAligned(variants, title: "SHARE")
        #expect(text.contains("  1. x-user-id prefix \"qa-\" → candidate"))
        #expect(text.contains("fraud-mlp-v3") && text.contains("random"))
        // Canary: steps, status and the gate figures of the last evaluation.
        #expect(text.contains("  steps:     5 → 10 → 25 → 50 → 100 % every 30s"))
        #expect(text.contains("  status:    running at 10% (step 2 of 5), started 2026-11-22T10:00:00Z"))
        #expect(text.contains("  last evaluation: 2026-11-22T10:02:00Z → advanced"))
        #expect(text.contains("    candidate: 400 requests, 1 errors (0.25%), p50 1.200 ms, p99 4.100 ms"))
        let gates = Self.block(text, header: "GATE")
        #expect(gates.contains { $0.contains("min_requests") && $0.contains("pass") && $0.contains("400") && $0.contains("100") })
        #expect(gates.contains { $0.contains("p99_latency_ratio") && $0.contains("1.25") })
        Self.expectRightAligned(gates, title: "THRESHOLD")
        let history = Self.block(text, header: "FROM")
        #expect(history.count == 3)
        #expect(history[2].contains("5%") && history[2].contains("10%") && history[2].contains("gates passed"))
        // Counters: requests, error rate, p50/p99 per variant, figures from the engine.
        let counters = Self.block(text, header: "REQUESTS")
        #expect(counters.count == 3)
        let control = results.variants[0].summary
        #expect(counters[1].contains("9000") && counters[1].contains(Format.percent(control.errorRate, decimals: 2)))
        #expect(counters[1].contains(Format.milliseconds(control.latencyMs?.p99)))
        #expect(counters[2].contains("1000") && counters[2].contains("0.5%"))
        for title in ["REQUESTS", "ERROR RATE", "P50 MS", "P99 MS"] { Self.expectRightAligned(counters, title: title) }
    }

    @Test func revisionsMarkTheCurrentOne() throws {
        let text = Render.revisions(Samples.revisions(try Samples.store()))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].contains("REV") && lines[0].contains("WHEN (UTC)") && lines[0].contains("WHY"))
        #expect(lines[1].hasPrefix("    1 2026-11-22T10:00:00Z config-file initial configuration"))
        #expect(lines[2].contains("2026-11-22T10:01:00Z alice") && lines[2].contains("set weights of churn: a=70"))
        #expect(lines[2].hasSuffix("ramp b down after the latency report"))
        #expect(lines[3].hasPrefix("*   3 2026-11-22T10:02:00Z canary"))
        #expect(lines[4].hasPrefix("* current revision (3)"))
    }

    @Test func auditShowsTheDiffUnderEachEntry() throws {
        let store = try Samples.store()
        let text = Render.audit(AuditList(entries: store.auditLog))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("WHEN (UTC)"))
        let alice = try #require(lines.firstIndex { $0.contains("alice") })
        #expect(lines[alice].contains("set weights of churn"))
        // The diff lines follow the entry, indented.
        let diff = store.auditLog[1].what.split(separator: "\n").map(String.init)
        #expect(!diff.isEmpty)
        for (k, line) in diff.enumerated() { #expect(lines[alice + 1 + k] == "    " + line) }
        #expect(Render.audit(AuditList(entries: [])) == "the audit log is empty")
    }

    @Test func shadowReport() throws {
        let text = Render.shadow(Samples.shadowReport())
        #expect(text.hasPrefix("experiment fraud — shadow queue 3 / 1024"))
        #expect(text.contains("shadow fraud-mlp-v3: 1200 comparisons, 3 errors, 7 dropped"))
        #expect(text.contains("latency (n=1203): mean "))
        let table = Self.block(text, header: "OUTPUT")
        #expect(table.count == 3)
        #expect(table[1].hasPrefix("  label") && table[1].contains("99%") && table[1].hasSuffix("—"))
        // 2397 of 2398 elements agree: never rounded up to 100 %.
        #expect(table[2].contains(">99.99%"))
        #expect(table[2].contains(" 3.2e-06 ") && table[2].contains(" 0.0125 "))
        #expect(table[2].hasSuffix("99% (1187/1199)"))
        for title in ["COMPARED", "MISMATCHED", "AGREEMENT", "MAX ABS DIFF", "MAX REL DIFF", "ARGMAX AGREEMENT"] {
            Self.expectRightAligned(table, title: title)
        }
    }

    @Test func resultsWithAnEffect() throws {
        let results = try Samples.results()
        let text = Render.results(results)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "experiment fraud — results at 2026-11-22T10:05:00Z (control: control, α = 0.05)")
        #expect(lines[1].hasPrefix("SRM: ok — assignments match the weights (χ² "))
        #expect(lines[2].contains("control 9000 (weight 90), candidate 1000 (weight 10)"))
        #expect(text.contains("metric converted (binary, higher is better)"))
        let table = Self.block(text, header: "ABS LIFT [CI]")
        for title in ["VARIANT", "N", "ESTIMATE", "REL LIFT [CI]", "ALWAYS-VALID P", "CONF. SEQUENCE", "P(BEAT CONTROL)", "VERDICT"] {
            #expect(table[0].contains(title))
        }
        #expect(table[1].hasPrefix("  control*") && table[1].contains("9000") && table[1].contains("0.1"))
        let c = results.metrics[0].comparisons[0]
        let row = table[2]
        #expect(row.hasPrefix("  candidate"))
        #expect(row.contains(Format.withInterval(Format.signed(c.absoluteLift), Format.interval(c.absoluteCI))))
        #expect(row.contains(Format.withInterval(Format.signedPercent(c.relativeLift), Format.percentInterval(c.relativeCI))))
        #expect(row.contains(Format.pValue(c.p)) && row.contains(Format.pValue(c.alwaysValidP)))
        #expect(row.contains(Format.interval(c.confidenceSequence)))
        #expect(row.hasSuffix(c.verdict.rawValue))
        #expect(c.verdict == .significantImprovement)
        #expect(row.contains("+60%"))
        #expect(table.contains { $0.contains("sample size for a 5% relative MDE") })
        for title in ["N", "ESTIMATE", "P", "ALWAYS-VALID P"] { Self.expectRightAligned(Array(table.prefix(3)), title: title) }
        let requests = Self.block(text, header: "REQUESTS")
        #expect(requests[1].hasPrefix("  control*") && requests[1].contains("9000") && requests[1].contains("18"))
        #expect(requests[2].contains("1000") && requests[2].contains("0.5%"))
        for title in ["REQUESTS", "ERRORS", "ERROR RATE", "P50 MS", "P99 MS", "P99 RATIO"] {
            Self.expectRightAligned(Array(requests.prefix(3)), title: title)
        }
    }

    @Test func resultsLeadWithASampleRatioMismatch() throws {
        // 9000 : 3000 against weights 90 : 10 is a gross mismatch.
        let text = Render.results(try Samples.results(candidateUnits: 3_000))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[1].hasPrefix("SRM: MISMATCH — sample ratio mismatch: do not trust (χ² 3000, df 1, p 1e-654;"))
        let row = Self.block(text, header: "ABS LIFT")[2]
        #expect(row.hasPrefix("  candidate  3000") && row.hasSuffix("sample ratio mismatch: do not trust"))
    }

    @Test func colourOnlyWhenAsked() throws {
        let results = try Samples.results()
        let plain = Render.results(results)
        let coloured = Render.results(results, style: .color)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[32msignificant improvement\u{1B}[0m"))
        // Stripping the escapes gives back the plain rendering: colour never shifts a column.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == plain)
    }

    @Test func changeResults() {
        #expect(Render.change(ChangeResult(revision: 7, message: "set weights of fraud: candidate=10, control=90"))
                == "revision 7: set weights of fraud: candidate=10, control=90")
        #expect(Render.change(ChangeResult(revision: nil, message: "canary pause on fraud")) == "canary pause on fraud")
        // The gateway's own messages lead with the revision already.
        #expect(Render.change(ChangeResult(revision: 8, message: "revision 8: created experiment fraud")) == "revision 8: created experiment fraud")
    }

    /// For the report and for eyeballing: every view as the operator sees it.
    @Test func printEveryView() throws {
        let store = try Samples.store()
        let results = try Samples.results()
        let views = [Render.experiments(Samples.experimentList(store: store, results: results)),
                     Render.experiment(Samples.experimentView(store: store, results: results)),
                     Render.revisions(Samples.revisions(store)), Render.audit(AuditList(entries: store.auditLog)),
                     Render.shadow(Samples.shadowReport()), Render.results(results),
                     Render.results(try Samples.results(candidateUnits: 3_000))]
        if ProcessInfo.processInfo.environment["SWITCHYARD_PRINT_VIEWS"] != nil {
            for v in views { print(v + "\n" + String(repeating: "-", count: 40)) }
        }
        #expect(views.allSatisfy { !$0.isEmpty && !$0.hasSuffix("\n") && !$0.split(separator: "\n").contains { $0.hasSuffix(" ") } })
    }
}
