import ArgumentParser
import Foundation
import SwitchyardRuntime

/// `switchyard model inspect|bench`: look inside an ONNX file and time the native runtime on it.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect or benchmark an ONNX model with the native runtime.",
        subcommands: [Inspect.self, Bench.self]
    )

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print inputs, outputs, ops, opsets, parameter count and support status.")

        @Argument(help: "Path to an .onnx file.") var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let s = try ModelSummary.inspect(bytes: [UInt8](data), name: name)
            print("model:      \(s.name)  (\(data.count) bytes, IR \(s.irVersion)\(s.producer.isEmpty ? "" : ", producer \(s.producer)"))")
            print("opsets:     " + s.opsets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print("inputs:")
            for i in s.inputs { print("  \(i.name)  \(i.elementType)  \(i.shapeDescription)") }
            print("outputs:")
            for o in s.outputs { print("  \(o.name)  \(o.elementType)  \(o.shapeDescription)") }
            print("ops:")
            for op in s.ops {
                let qualified = op.domain == "ai.onnx" ? op.opType : "\(op.domain)::\(op.opType)"
                print("  \(qualified) ×\(op.count)\(op.supported ? "" : "  UNSUPPORTED")")
            }
            print("parameters: \(s.parameterCount)")
            if let error = s.loadError {
                print("supported:  no — \(error.description)")
                throw ExitCode(2)
            }
            print("supported:  yes (every op supported; model loads and plans)")
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time single-threaded inference per call at the given batch sizes.")

        @Argument(help: "Path to an .onnx file.") var file: String
        @Option(help: "Comma-separated batch sizes.") var batch: String = "1,64"
        @Option(help: "Timed calls per batch size (after warm-up).") var iterations: Int = 2000
        @Option(help: "Repetitions; the median of the per-repetition medians is reported.") var repeats: Int = 3
        @Option(help: "A fixture <name>.inputs.json (V2 requests): use its request of each batch size as input.")
        var inputs: String?
        @Flag(help: "Print one JSON object per batch size instead of a table.") var json = false

        func run() throws {
            let model = try CompiledModel(contentsOf: file)
            let sizes = batch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--batch needs positive integers") }
            if !json { print("model \(model.name): per-call latency, 1 thread, \(iterations) calls × \(repeats) repeats") }
            for size in sizes {
                let named = try inputs.map { try BenchInputs.load(fixture: $0, batch: size) } ?? BenchInputs.make(for: model, batch: size)
                // Positional inputs in graph order: the entry point the gateway calls per request.
                let positional = try model.inputs.map { info in
                    guard let t = named[info.name] else { throw ValidationError("the inputs have no tensor '\(info.name)'") }
                    return t
                }
                let result = try BenchTimer.measure(iterations: iterations, repeats: repeats) { _ = try model.run(positional: positional) }
                if json {
                    print("{\"model\":\"\(model.name)\",\"batch\":\(size),\"median_us\":\(result.median),\"p99_us\":\(result.p99),\"mean_us\":\(result.mean),\"calls\":\(result.calls)}")
                } else {
                    print(String(format: "batch %4d  median %9.2f µs  p99 %9.2f µs  mean %9.2f µs", size, result.median, result.p99, result.mean))
                }
            }
        }
    }
}

/// Bench inputs: a fixture's V2 request of the right batch size, or deterministic pseudo-random
/// data matching the model's declared inputs.
enum BenchInputs {
    static func load(fixture path: String, batch: Int) throws -> [String: Tensor] {
        guard let data = FileManager.default.contents(atPath: path),
              let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let requests = doc["requests"] as? [[String: Any]] else { throw ValidationError("cannot read V2 requests from \(path)") }
        for request in requests {
            guard let tensors = request["inputs"] as? [[String: Any]],
                  (tensors.first?["shape"] as? [Int])?.first == batch else { continue }
            var result: [String: Tensor] = [:]
            for t in tensors {
                let shape = t["shape"] as? [Int] ?? [], values = t["data"] as? [Any] ?? []
                func number(_ v: Any) -> Double { (v as? String) == "NaN" ? .nan : (v as? NSNumber)?.doubleValue ?? 0 }
                let name = t["name"] as? String ?? ""
                switch t["datatype"] as? String {
                case "FP32": result[name] = try Tensor(shape: shape, values: values.map { Float(number($0)) })
                case "FP64": result[name] = try Tensor(shape: shape, values: values.map(number))
                case "INT64": result[name] = try Tensor(shape: shape, values: values.map { Int64(number($0)) })
                case "INT32": result[name] = try Tensor(shape: shape, values: values.map { Int32(number($0)) })
                case "BYTES": result[name] = try Tensor(shape: shape, strings: values.map { "\($0)" })
                default: throw ValidationError("unsupported datatype in \(path)")
                }
            }
            return result
        }
        throw ValidationError("\(path) has no request with batch size \(batch)")
    }

    static func make(for model: CompiledModel, batch: Int) throws -> [String: Tensor] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var inputs: [String: Tensor] = [:]
        for info in model.inputs {
            let shape = info.shape.enumerated().map { axis, d in d >= 0 ? d : (axis == 0 ? batch : 1) }
            let n = shape.reduce(1, *)
            switch info.elementType {
            case .float32: inputs[info.name] = try Tensor(shape: shape, values: (0..<n).map { _ in Float(next() * 4 - 2) })
            case .float64: inputs[info.name] = try Tensor(shape: shape, values: (0..<n).map { _ in next() * 4 - 2 })
            case .int64: inputs[info.name] = try Tensor(shape: shape, values: (0..<n).map { _ in Int64(next() * 4) })
            case .int32: inputs[info.name] = try Tensor(shape: shape, values: (0..<n).map { _ in Int32(next() * 4) })
            case .bool: inputs[info.name] = try Tensor(shape: shape, values: (0..<n).map { _ in next() < 0.5 })
            case .string: inputs[info.name] = try Tensor(shape: shape, strings: (0..<n).map { _ in "v\(Int(next() * 4))" })
            default: throw ValidationError("input \(info.name) has unsupported type \(info.elementType)")
            }
        }
        return inputs
    }
}

/// Times a closure call by call with the monotonic clock, read with `clock_gettime` directly:
/// `ContinuousClock.now` plus `Duration.components` (128-bit arithmetic) cost ~60 ns per sample,
/// a visible share of a sub-microsecond call.
enum BenchTimer {
    struct Result { var median: Double; var p99: Double; var mean: Double; var calls: Int }

    static func measure(iterations: Int, repeats: Int, _ body: () throws -> Void) throws -> Result {
        for _ in 0..<max(iterations / 10, 50) { try body() }  // warm-up: plans, frames, caches
        var medians: [Double] = [], p99s: [Double] = [], means: [Double] = []
        var samples = [Double](repeating: 0, count: iterations)
        func nanos() -> Int {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
        }
        for _ in 0..<max(repeats, 1) {
            for i in 0..<iterations {
                let start = nanos()
                try body()
                samples[i] = Double(nanos() - start) / 1000
            }
            samples.sort()
            medians.append(samples[iterations / 2])
            p99s.append(samples[min(iterations - 1, iterations * 99 / 100)])
            means.append(samples.reduce(0, +) / Double(iterations))
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        return Result(median: median(medians), p99: median(p99s), mean: median(means), calls: iterations * repeats)
    }
}
