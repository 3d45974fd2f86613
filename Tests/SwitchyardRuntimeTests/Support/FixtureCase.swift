import Foundation
import SwitchyardRuntime
import Testing

/// Loads a model fixture in the shared format (`<name>.onnx`, `<name>.inputs.json` with V2
/// requests, `<name>.expected.json` with V2 responses) and checks the runtime against it.
struct FixtureCase {
    let name: String
    let directory: URL

    /// `../shared/fixtures/models` next to the repository (absent on machines without it).
    static let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/models")

    /// The project's own committed fixtures, written by Tests/Fixtures/generate.py.
    static let ownDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/models")

    static func names(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".onnx") && files.contains($0.replacingOccurrences(of: ".onnx", with: ".expected.json")) }
            .map { String($0.dropLast(5)) }.sorted()
    }

    func load() throws -> CompiledModel {
        try CompiledModel(contentsOf: directory.appendingPathComponent("\(name).onnx").path)
    }

    func json(_ suffix: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).\(suffix).json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Runs every request and compares every output; returns the number of values compared.
    @discardableResult
    func verify() throws -> Int {
        let model = try load()
        let requests = try json("inputs")["requests"] as! [[String: Any]]
        let expected = try json("expected")
        let tolerance = expected["tolerance"] as? [String: Double] ?? [:]
        let rtol = tolerance["rtol"] ?? 1e-4, atol = tolerance["atol"] ?? 1e-5
        let responses = expected["responses"] as! [[String: Any]]
        #expect(requests.count == responses.count)
        var compared = 0
        for (request, response) in zip(requests, responses) {
            var inputs: [String: Tensor] = [:]
            for input in request["inputs"] as! [[String: Any]] {
                inputs[input["name"] as! String] = try Self.tensor(input)
            }
            let outputs = try model.runOrdered(inputs)
            let want = response["outputs"] as! [[String: Any]]
            #expect(outputs.map(\.name) == want.map { $0["name"] as! String }, "\(name) \(request["id"] ?? "") output order")
            for (got, exp) in zip(outputs, want) {
                let id = "\(name)/\(request["id"] ?? "?")/\(got.name)"
                #expect(got.tensor.shape == (exp["shape"] as! [Int]), "\(id) shape")
                #expect(got.tensor.elementType.v2Name == exp["datatype"] as! String, "\(id) datatype")
                compared += Self.compare(got.tensor, exp["data"] as! [Any], rtol: rtol, atol: atol, id: id)
            }
        }
        return compared
    }

    static func tensor(_ json: [String: Any]) throws -> Tensor {
        let shape = json["shape"] as! [Int]
        let data = json["data"] as! [Any]
        switch json["datatype"] as! String {
        case "FP32": return try Tensor(shape: shape, values: data.map { Float(number($0)) })
        case "FP64": return try Tensor(shape: shape, values: data.map { ($0 as! NSNumber).doubleValue })
        case "INT64": return try Tensor(shape: shape, values: data.map { ($0 as! NSNumber).int64Value })
        case "INT32": return try Tensor(shape: shape, values: data.map { ($0 as! NSNumber).int32Value })
        case "BOOL": return try Tensor(shape: shape, values: data.map { ($0 as! NSNumber).boolValue })
        case "BYTES": return try Tensor(shape: shape, strings: data.map { $0 as! String })
        case let other: throw TensorError.unsupported(other)
        }
    }

    /// JSON numbers, or the string "NaN" (JSON has no NaN literal).
    static func number(_ value: Any) -> Double {
        if let s = value as? String, s == "NaN" { return .nan }
        return (value as! NSNumber).doubleValue
    }

    /// Floats: |got − want| ≤ atol + rtol·|want|; integers, booleans and strings exactly.
    static func compare(_ tensor: Tensor, _ want: [Any], rtol: Double, atol: Double, id: String) -> Int {
        let got: [Any]
        switch tensor.elementType {
        case .float32: got = tensor.scalars(as: Float.self)!.map { Double($0) }
        case .float64: got = tensor.scalars(as: Double.self)!
        case .int64: got = tensor.scalars(as: Int64.self)!
        case .int32: got = tensor.scalars(as: Int32.self)!.map { Int64($0) }
        case .bool: got = tensor.scalars(as: Bool.self)!
        case .string: got = tensor.strings!
        default: got = []
        }
        #expect(got.count == want.count, "\(id) element count")
        var mismatches = 0
        for (g, w) in zip(got, want) {
            let ok: Bool
            if let g = g as? Double {
                let w = number(w)
                ok = abs(g - w) <= atol + rtol * abs(w) || (g.isNaN && w.isNaN)
            } else if let g = g as? Int64 {
                ok = g == (w as! NSNumber).int64Value
            } else if let g = g as? Bool {
                ok = g == (w as! NSNumber).boolValue
            } else {
                ok = (g as! String) == (w as! String)
            }
            if !ok {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(id): got \(g), expected \(w)") }
            }
        }
        #expect(mismatches == 0, "\(id): \(mismatches) mismatching values")
        return got.count
    }
}

enum TensorError: Error { case unsupported(String) }
