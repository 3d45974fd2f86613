import Foundation
import Testing
@testable import SwitchyardRouting

@Suite struct ConfigParsingTests {
    @Test func parsesTheExampleWithDefaults() throws {
        let config = try ConfigParser.parse(exampleYAML)
        #expect(config.repository == "./models")
        #expect(config.tokens?.current == TokenKey(keyID: "k1", secret: "0123456789abcdef-secret"))
        let fraud = try #require(config.experiment(named: "fraud"))
        #expect(fraud.sticky == StickyConfig(source: .header, name: "x-user-id"))
        #expect(fraud.effectiveSalt == "fraud")
        #expect(fraud.variants.map(\.weight) == [90, 10])
        #expect(fraud.controlIndex == 0)
        #expect(fraud.variants[1].fault == FaultConfig(abort: .init(percent: 5, status: 503), delay: .init(percent: 10, seconds: 0.2)))
        #expect(fraud.overrides.map(\.match) == [.exact, .prefix, .regex])
        #expect(fraud.shadow[0].name == "fraud-mlp:3")
        #expect(fraud.shadow[0].sampling == .deterministic)
        #expect(fraud.shadow[0].tolerance == Tolerance(absolute: 0.001, relative: 0.01))
        #expect(fraud.shadow[1].sampling == .random)
        let canary = try #require(fraud.canary)
        #expect(canary.steps == [5, 10, 25, 50, 100])
        #expect(canary.intervalSeconds == 30)
        #expect(canary.rest == .proportional)
        #expect(canary.gates.minRequests == 500)
        #expect(canary.gates.maxP50LatencyRatio == nil)
        #expect(canary.gates.significance == SignificanceGate(metric: "converted"))
        #expect(fraud.metrics.map(\.kind) == [.binary, .continuous])
    }

    @Test func jsonIsAcceptedAndRenderingRoundTrips() throws {
        let config = try ConfigParser.parse(exampleYAML)
        let json = ConfigRenderer.json(config)
        #expect(json.hasPrefix("{"))
        let again = try ConfigParser.parse(json)
        #expect(again == config)
        #expect(ConfigRenderer.json(again) == json)
    }

    @Test func explicitControlAndSalt() throws {
        let config = try ConfigParser.parse("""
        experiments:
          - name: e
            salt: s1
            sticky: { cookie: uid }
            variants:
              - { name: a, model: m, version: 1, weight: 1 }
              - { name: b, model: m, version: 2, weight: 1, control: true }
        """)
        #expect(config.experiments[0].controlIndex == 1)
        #expect(config.experiments[0].effectiveSalt == "s1")
        #expect(config.experiments[0].sticky == StickyConfig(source: .cookie, name: "uid"))
    }

    @Test func durations() {
        #expect(DurationText.seconds(from: "250ms") == 0.25)
        #expect(DurationText.seconds(from: "30s") == 30)
        #expect(DurationText.seconds(from: "5m") == 300)
        #expect(DurationText.seconds(from: "1h") == 3600)
        #expect(DurationText.seconds(from: "12") == 12)
        #expect(DurationText.seconds(from: "fast") == nil)
        #expect(DurationText.seconds(from: "s") == nil)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        let label: String
        let yaml: String
        let path: String
        let message: String
        let line: Int?
        var testDescription: String { label }
    }

    static let variantsOK = """
        variants:
          - { name: a, model: m, version: 1, weight: 50 }
          - { name: b, model: m, version: 2, weight: 50 }
    """

    static let badCases: [BadCase] = [
        BadCase(label: "negative weight", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, weight: 1 }
                  - { name: b, model: m, version: 2, weight: -5 }
            """, path: "experiments[0].variants[1].weight", message: "must be ≥ 0", line: 5),
        BadCase(label: "weight not a number", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, weight: lots }
                  - { name: b, model: m, version: 2, weight: 1 }
            """, path: "experiments[0].variants[0].weight", message: "must be a finite number", line: 4),
        BadCase(label: "one variant", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, weight: 1 }
            """, path: "experiments[0].variants", message: "at least two variants", line: 4),
        BadCase(label: "duplicate variant", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, weight: 1 }
                  - { name: a, model: m, version: 2, weight: 1 }
            """, path: "experiments[0].variants[1].name", message: "duplicate variant name", line: 5),
        BadCase(label: "typo in field", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, wieght: 1 }
                  - { name: b, model: m, version: 2, weight: 1 }
            """, path: "experiments[0].variants[0].wieght", message: "unknown field", line: 4),
        BadCase(label: "override to unknown variant", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                overrides:
                  - { header: x-qa, value: "1", variant: zz }
            """, path: "experiments[0].overrides[0].variant", message: "no variant named \"zz\"", line: 7),
        BadCase(label: "bad regex", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                overrides:
                  - { header: x-qa, regex: "([a-z", variant: a }
            """, path: "experiments[0].overrides[0].regex", message: "not a valid regular expression", line: 7),
        BadCase(label: "two match kinds", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                overrides:
                  - { header: x-qa, value: "1", prefix: "2", variant: a }
            """, path: "experiments[0].overrides[0]", message: "exactly one of value", line: 7),
        BadCase(label: "shadow percent", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                shadow:
                  - { model: m, version: 3, percent: 150 }
            """, path: "experiments[0].shadow[0].percent", message: "between 0 and 100", line: 7),
        BadCase(label: "canary steps not increasing", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                canary:
                  variant: b
                  steps: [5, 25, 10]
            """, path: "experiments[0].canary.steps[2]", message: "must increase strictly", line: 8),
        BadCase(label: "canary on control", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                canary: { variant: a }
            """, path: "experiments[0].canary.variant", message: "must not be the control", line: 6),
        BadCase(label: "bad interval", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                canary: { variant: b, interval: soon }
            """, path: "experiments[0].canary.interval", message: "must be a duration", line: 6),
        BadCase(label: "significance on unknown metric", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                canary:
                  variant: b
                  gates: { significance: { metric: clicks } }
            """, path: "experiments[0].canary.gates.significance.metric", message: "no metric named \"clicks\"", line: 8),
        BadCase(label: "sticky with two sources", yaml: """
            experiments:
              - name: e
                sticky: { header: a, cookie: b }
            \(variantsOK)
            """, path: "experiments[0].sticky", message: "exactly one unit key source", line: 3),
        BadCase(label: "bad sampling", yaml: """
            experiments:
              - name: e
            \(variantsOK)
                shadow:
                  - { model: m, version: 3, sampling: sometimes }
            """, path: "experiments[0].shadow[0].sampling", message: "must be one of deterministic | random", line: 7),
        BadCase(label: "short token secret", yaml: """
            tokens: { key_id: k1, secret: short }
            experiments: []
            """, path: "tokens.secret", message: "at least 16 bytes", line: 1),
        BadCase(label: "duplicate experiment", yaml: """
            experiments:
              - name: e
            \(variantsOK)
              - name: e
            \(variantsOK)
            """, path: "experiments[1].name", message: "duplicate experiment name", line: 6),
        BadCase(label: "fault status", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, weight: 1, fault: { abort: { percent: 5, status: 42 } } }
                  - { name: b, model: m, version: 2, weight: 1 }
            """, path: "experiments[0].variants[0].fault.abort.status", message: "HTTP status", line: 4),
        BadCase(label: "all weights zero", yaml: """
            experiments:
              - name: e
                variants:
                  - { name: a, model: m, version: 1, weight: 0 }
                  - { name: b, model: m, version: 2, weight: 0 }
            """, path: "experiments[0].variants", message: "must not all be 0", line: 4),
        BadCase(label: "missing experiments", yaml: "repository: ./m\n", path: "experiments", message: "is required", line: 1),
        BadCase(label: "not YAML", yaml: "experiments: [\n  { name: e\n", path: "", message: "not valid YAML", line: nil),
        BadCase(label: "top level is a list", yaml: "- a\n- b\n", path: "", message: "must be a mapping", line: 1),
    ]

    @Test(arguments: badCases)
    func badConfigNamesFieldAndLine(_ bad: BadCase) throws {
        let error = #expect(throws: ConfigError.self) { try ConfigParser.parse(bad.yaml) }
        let issues = try #require(error).issues
        let issue = try #require(issues.first { $0.path == bad.path },
                                 "no issue at \(bad.path); got \(issues.map(\.description))")
        #expect(issue.message.contains(bad.message), "\(issue.message)")
        if let line = bad.line { #expect(issue.position?.line == line, "\(issue)") }
        if bad.label == "not YAML" { #expect(issue.position != nil) }
    }

    @Test func reportsEveryIssueAtOnce() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigParser.parse("""
            experiments:
              - name: "bad name!"
                variants:
                  - { name: a, model: "", version: 0, weight: 1 }
                  - { name: b, model: m, version: 2, weight: -1 }
            """)
        }
        let paths = Set(try #require(error).issues.map(\.path))
        #expect(paths.isSuperset(of: ["experiments[0].name", "experiments[0].variants[0].model",
                                      "experiments[0].variants[0].version", "experiments[0].variants[1].weight"]))
        #expect(error?.description.contains("line") == true)
    }

    @Test func experimentBodyPathsAreRelative() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigParser.parseExperiment("""
            name: e
            variants:
              - { name: a, model: m, version: 1, weight: 1 }
              - { name: b, model: m, version: 2, weight: -1 }
            """)
        }
        #expect(error?.issues.first?.path == "variants[1].weight")
        #expect(error?.issues.first?.position?.line == 4)
        let ok = try ConfigParser.parseExperiment("{name: e, variants: [{name: a, model: m, version: 1, weight: 1}, {name: b, model: m, version: 1, weight: 2}]}")
        #expect(ok.variants.count == 2)
    }
}

/// The schema in docs/CONFIGURATION.md is the parser's own example, verbatim.
@Suite struct ConfigDocumentationTests {
    @Test func theDocumentedSchemaIsTheParsedExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/CONFIGURATION.md"), encoding: .utf8)
        #expect(doc.contains(RoutingConfig.exampleYAML), "docs/CONFIGURATION.md's schema block differs from RoutingConfig.exampleYAML")
        _ = try ConfigParser.parse(RoutingConfig.exampleYAML)
        // The example the Makefile serves validates too.
        let examples = try String(contentsOf: root.appendingPathComponent("deploy/examples/experiments.yaml"), encoding: .utf8)
        #expect(try ConfigParser.parse(examples).experiments.count == 2)
    }
}

@Suite struct MetricAndLabelConfigTests {
    @Test func readsDirectionEffectAndLabels() throws {
        let config = try ConfigParser.parse(RoutingConfig.exampleYAML)
        let fraud = try #require(config.experiment(named: "fraud"))
        #expect(fraud.metrics.first { $0.name == "converted" }?.minimumDetectableEffect == 0.05)
        #expect(fraud.metrics.first { $0.name == "chargebacks" }?.higherIsBetter == false)
        #expect(fraud.metrics.first { $0.name == "revenue" }?.higherIsBetter == true)
        #expect(fraud.labels == LabelConfig(output: "label", classes: ["0", "1"]))
        // Rendering and parsing again gives the same configuration.
        #expect(try ConfigParser.parse(ConfigRenderer.json(config)) == config)
    }

    @Test func refusesBadEffectsAndLabels() {
        let yaml = """
        experiments:
          - name: e
            variants:
              - { name: a, model: m, version: 1, weight: 1 }
              - { name: b, model: m, version: 2, weight: 1 }
            metrics:
              - { name: x, kind: binary, minimum_detectable_effect: -1 }
            labels: { output: label, classes: ["a", "a"] }
        """
        #expect {
            try ConfigParser.parse(yaml)
        } throws: { error in
            let text = "\(error)"
            return text.contains("minimum_detectable_effect") && text.contains("labels.classes")
        }
    }
}
