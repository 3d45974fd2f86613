import Foundation
import Testing
import SwitchyardAdminAPI
import SwitchyardControl

/// Where the admin URL and the token come from, and the command-line inputs the client checks.
@Suite struct ResolutionTests {
    static func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-token-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func adminURLFromOptionThenEnvironmentThenDefault() throws {
        #expect(try AdminEndpoint.resolve(option: nil, environment: [:]).baseURL == "http://127.0.0.1:8001")
        #expect(try AdminEndpoint.resolve(option: nil, environment: ["SWITCHYARD_ADMIN_URL": "http://gw:9001/"]).baseURL == "http://gw:9001")
        #expect(try AdminEndpoint.resolve(option: "10.0.0.5:8001", environment: ["SWITCHYARD_ADMIN_URL": "http://gw:9001"]).baseURL
                == "http://10.0.0.5:8001")
        #expect(try AdminEndpoint(baseURL: "https://proxy.example/switchyard/").baseURL == "https://proxy.example/switchyard")
        #expect(throws: AdminClientError.invalidAdminURL("ftp://x", reason: "the scheme must be http or https")) {
            try AdminEndpoint(baseURL: "ftp://x")
        }
        #expect(throws: AdminClientError.self) { try AdminEndpoint(baseURL: "http://:8001") }
        #expect(throws: AdminClientError.self) { try AdminEndpoint(baseURL: "http://h:8001?x=1") }
    }

    @Test func tokenFromOptionThenFileThenEnvironmentThenDefaultFile() throws {
        let file = try Self.temporaryFile("  from-file\n")
        let fallback = try Self.temporaryFile("from-default\n")
        defer { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: fallback) }
        let env = ["SWITCHYARD_ADMIN_TOKEN": "from-env"]

        var c = try AdminCredentials.resolve(token: "from-option", tokenFile: file, environment: env, defaultTokenFile: fallback)
        #expect(c == AdminCredentials(token: "from-option", source: .option))
        // An explicit --token-file wins over the environment.
        c = try AdminCredentials.resolve(token: nil, tokenFile: file, environment: env, defaultTokenFile: fallback)
        #expect(c == AdminCredentials(token: "from-file", source: .file(file)))
        c = try AdminCredentials.resolve(token: "", tokenFile: nil, environment: env, defaultTokenFile: fallback)
        #expect(c == AdminCredentials(token: "from-env", source: .environment))
        c = try AdminCredentials.resolve(token: nil, tokenFile: nil, environment: [:], defaultTokenFile: fallback)
        #expect(c == AdminCredentials(token: "from-default", source: .defaultFile(fallback)))
        #expect(c.source.description == "the default file \(fallback)")
    }

    @Test func missingOrUnusableTokensAreNamed() throws {
        let error = try #require(throws: AdminClientError.self) {
            try AdminCredentials.resolve(token: nil, tokenFile: nil, environment: [:], defaultTokenFile: "/nonexistent/admin-token")
        }
        #expect(error == .missingToken(defaultFile: "/nonexistent/admin-token"))
        #expect(error.exitCode == 2)
        #expect(error.description.hasPrefix("no admin token: pass --token or --token-file, or set SWITCHYARD_ADMIN_TOKEN"))

        #expect(throws: AdminClientError.unreadableTokenFile(path: "/nonexistent/t", reason: "no such file")) {
            try AdminCredentials.resolve(token: nil, tokenFile: "/nonexistent/t", environment: [:])
        }
        let empty = try Self.temporaryFile(" \n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: AdminClientError.unreadableTokenFile(path: empty, reason: "the file is empty")) {
            try AdminCredentials.resolve(token: nil, tokenFile: empty, environment: [:])
        }
        #expect(throws: AdminClientError.unreadableTokenFile(path: NSTemporaryDirectory(), reason: "it is a directory")) {
            try AdminCredentials.resolve(token: nil, tokenFile: NSTemporaryDirectory(), environment: [:])
        }
        let tokensFile = try Self.temporaryFile("# serve's tokens file\nalice 0123456789abcdef0123\n")
        defer { try? FileManager.default.removeItem(atPath: tokensFile) }
        let wrongKind = try #require(throws: AdminClientError.self) {
            try AdminCredentials.resolve(token: nil, tokenFile: tokensFile, environment: [:])
        }
        #expect(wrongKind.description.contains("a token file holds only the bare token"))
        let spaced = try #require(throws: AdminClientError.self) {
            try AdminCredentials.resolve(token: "two words", tokenFile: nil, environment: [:])
        }
        #expect(spaced == .invalidToken(source: "--token", reason: "it contains a space; a bearer token is one printable ASCII word"))
    }

    @Test func weightArguments() throws {
        #expect(try WeightArguments.parse(["control=90", "candidate=10%", " b = 0.5 "]) == ["control": 90, "candidate": 10, "b": 0.5])
        #expect(throws: AdminClientError.invalidRequest("\"control:90\" is not VARIANT=WEIGHT (e.g. candidate=10)")) {
            try WeightArguments.parse(["control:90"])
        }
        #expect(throws: AdminClientError.invalidRequest("the weight of a must be a number, got \"ten\"")) { try WeightArguments.parse(["a=ten"]) }
        #expect(throws: AdminClientError.invalidRequest("the weight of a must be ≥ 0, got -1")) { try WeightArguments.parse(["a=-1"]) }
        #expect(throws: AdminClientError.invalidRequest("variant a is given twice")) { try WeightArguments.parse(["a=1", "a=2"]) }
        #expect(throws: AdminClientError.self) { try WeightArguments.parse(["=5"]) }
        #expect(throws: AdminClientError.self) { try WeightArguments.parse(["a=inf"]) }
        #expect(throws: AdminClientError.self) { try WeightArguments.parse([]) }
    }

    @Test func experimentDocuments() throws {
        let single = """
        name: fraud
        variants:
          - { name: control, model: m, version: 1, weight: 90 }
          - { name: candidate, model: m, version: 2, weight: 10 }
        """
        #expect(try ExperimentDocument.read(single, file: "f.yaml", name: nil) == ExperimentDocument(name: "fraud", body: single))
        #expect(try ExperimentDocument.read(single, file: "f.yaml", name: "fraud").name == "fraud")
        #expect(throws: ExperimentDocument.Problem.nameMismatch(file: "f.yaml", inFile: "fraud", requested: "churn")) {
            try ExperimentDocument.read(single, file: "f.yaml", name: "churn")
        }
        // A typo is reported with its field path and line before anything is sent.
        let typo = single.replacingOccurrences(of: "weight: 10", with: "wieght: 10")
        let problem = try #require(throws: ExperimentDocument.Problem.self) { try ExperimentDocument.read(typo, file: "f.yaml", name: nil) }
        #expect(problem.description.hasPrefix("f.yaml: variants[1]"), "\(problem)")
        #expect(problem.description.contains("line 4"), "\(problem)")

        // A whole configuration file: --name picks the experiment, sent as canonical JSON.
        let whole = try ExperimentDocument.read(Samples.configYAML, file: "gw.yaml", name: "churn")
        #expect(whole.name == "churn")
        #expect(whole.body.hasPrefix("{") && whole.body.contains("\"name\" : \"churn\"") && !whole.body.contains("fraud"))
        #expect(try ExperimentDocument.read(whole.body, file: "churn.json", name: nil).name == "churn")
        #expect(throws: ExperimentDocument.Problem.ambiguous(file: "gw.yaml", available: ["fraud", "churn"], requested: nil)) {
            try ExperimentDocument.read(Samples.configYAML, file: "gw.yaml", name: nil)
        }
        #expect(throws: ExperimentDocument.Problem.ambiguous(file: "gw.yaml", available: ["fraud", "churn"], requested: "x")) {
            try ExperimentDocument.read(Samples.configYAML, file: "gw.yaml", name: "x")
        }
    }

    @Test func prettyJSONKeepsOrderAndDigits() {
        let raw = #"{"b":1,"a":[0.1000000000000000055511151231257827,{"s":"x, {y}: \"z\"\\"},[],{}],"c":null}"#
        #expect(JSONPretty.format(Array(raw.utf8)) == """
        {
          "b": 1,
          "a": [
            0.1000000000000000055511151231257827,
            {
              "s": "x, {y}: \\"z\\"\\\\"
            },
            [],
            {}
          ],
          "c": null
        }
        """)
        #expect(JSONPretty.format(Array("{\"a\": [1, 2".utf8)) == "{\"a\": [1, 2")
        #expect(JSONPretty.format(Array("]".utf8)) == "]")
    }
}
