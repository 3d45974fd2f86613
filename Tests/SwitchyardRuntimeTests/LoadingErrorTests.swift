import Foundation
@testable import SwitchyardRuntime
import Testing

/// Load-time rejection: every error names what was wrong and what is supported.
@Suite struct LoadingErrorTests {
    @Test func unsupportedOpNamesNodeAndAlternatives() throws {
        var t = OpTester("LSTM")
        t.input("X", floats([1, 2, 3]))
        #expect { try t.load() } throws: { error in
            guard let e = error as? ModelError else { return false }
            return e.kind == .unsupportedOperator && e.description.contains("node0") && e.description.contains("LSTM")
                && e.description.contains("supported ai.onnx ops") && e.description.contains("Gemm")
        }
    }

    @Test func unsupportedOpsetVersionIsRejected() throws {
        var t = OpTester("Relu", opset: 99)
        t.input("X", floats([2]))
        #expect { try t.load() } throws: { ($0 as? ModelError)?.kind == .unsupportedVersion }
    }

    @Test func garbageAndTruncatedFilesAreErrorsNotCrashes() throws {
        #expect { try CompiledModel(bytes: [0xFF, 0xFF, 0xFF, 0x01, 0x02], name: "junk") } throws: { ($0 as? ModelError)?.kind == .corrupt }
        #expect { try CompiledModel(bytes: [], name: "empty") } throws: { ($0 as? ModelError)?.kind == .corrupt }
        var t = OpTester("Relu")
        t.input("X", floats([2, 2]))
        let bytes = try t.modelBytes()
        // Every truncation of a valid file must throw (or, if it happens to decode, load cleanly).
        for length in stride(from: 0, to: bytes.count, by: 3) {
            do { _ = try CompiledModel(bytes: Array(bytes.prefix(length)), name: "cut") } catch {}
        }
    }

    @Test func sequenceOutputSuchAsZipMapIsRejected() throws {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        model.opsetImport = [opset]
        model.graph.input = [OpTester.valueInfo("X", .float32, [1])]
        var out = Onnx_ValueInfoProto()
        out.name = "Y"
        out.type.sequenceType = Onnx_TypeProto.Sequence()
        model.graph.output = [out]
        var node = Onnx_NodeProto()
        node.opType = "Identity"; node.input = ["X"]; node.output = ["Y"]
        model.graph.node = [node]
        #expect { try CompiledModel(bytes: try model.serializedBytes(), name: "zipmap") } throws: { error in
            (error as? ModelError)?.description.contains("zipmap=False") == true
        }
    }

    @Test func undefinedInputIsAGraphError() throws {
        var t = OpTester("Add")
        t.input("A", floats([2]))
        t.inputs.append(("nowhere", nil, false))
        #expect { try t.load(outputTypes: [.float32]) } throws: { ($0 as? ModelError)?.kind == .invalidGraph }
    }

    @Test func badAttributeTypeNamesTheAttribute() throws {
        var t = OpTester("Flatten")
        t.attributes["axis"] = .string("one")
        t.input("X", floats([2, 2]))
        #expect { try t.load() } throws: { ($0 as? ModelError)?.description.contains("'axis'") == true }
    }
}

/// Run-time input errors name the input and the expected shape.
@Suite struct InputErrorTests {
    func model() throws -> CompiledModel {
        var t = OpTester("Relu")
        t.dynamicBatch = true
        t.input("X", floats([2, 3]))
        return try t.load()
    }

    @Test func wrongTypeRankDimensionNameCount() throws {
        let m = try model()
        #expect(m.inputs[0].shapeDescription == "[N, 3]")
        func check(_ inputs: [String: Tensor], _ kind: InferenceError.Kind, _ fragment: String) {
            #expect { try m.run(inputs) } throws: { error in
                guard let e = error as? InferenceError else { return false }
                return e.kind == kind && e.description.contains(fragment)
            }
        }
        check(["X": try Tensor(shape: [2, 3], values: [Int64](repeating: 0, count: 6))], .wrongElementType, "expects FP32 [N, 3]")
        check(["X": floats([6])], .wrongRank, "'X'")
        check(["X": floats([2, 4])], .wrongDimension, "[N, 3]")
        check(["Y": floats([2, 3])], .unknownInput, "'Y'")
        check([:], .missingInput, "'X'")
        #expect { try m.makeInput(name: "X", elementType: .float32, shape: [2, 3], bytes: [UInt8](repeating: 0, count: 20)) } throws: { error in
            (error as? InferenceError)?.kind == .wrongElementCount
        }
        let ok = try m.makeInput(name: "X", elementType: .float32, shape: [1, 3], bytes: [UInt8](repeating: 0, count: 12))
        #expect(try m.run(["X": ok])["Y"]?.shape == [1, 3])
    }

    @Test func manyBatchSizesAndConcurrentCallersAgree() async throws {
        let m = try model()
        await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for round in 0..<50 {
                        let batch = 1 + (worker + round) % 7
                        let x = floats([batch, 3], seed: UInt64(worker * 100 + round))
                        guard let y = try? m.run(["X": x])["Y"], y.f == x.f.map({ max($0, 0) }) else { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
