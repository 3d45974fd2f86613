@testable import SwitchyardRuntime
import Testing

@Suite struct TensorOpTests {
    let x = try! Tensor(shape: [2, 3], values: (0..<6).map { Float($0) })

    @Test func reshapeFlattenSqueezeUnsqueezeIdentity() throws {
        var r = OpTester("Reshape")
        r.input("X", x); r.constant("shape", try Tensor(shape: [2], values: [Int64(-1), 2]))
        #expect(try r.run()[0].shape == [3, 2])
        var f = OpTester("Flatten")
        f.attributes["axis"] = .int(0)
        f.input("X", x)
        #expect(try f.run()[0].shape == [1, 6])
        var u = OpTester("Unsqueeze", opset: 13)
        u.input("X", x); u.constant("axes", try Tensor(shape: [2], values: [Int64(0), -1]))
        #expect(try u.run()[0].shape == [1, 2, 3, 1])
        var s = OpTester("Squeeze", opset: 11)
        s.attributes["axes"] = .ints([0])
        s.input("X", try Tensor(shape: [1, 3], values: [Float(1), 2, 3]))
        #expect(try s.run()[0].shape == [3])
        var i = OpTester("Identity")
        i.input("X", x)
        #expect(try i.run()[0].f == x.f)
    }

    @Test func transposeConcatGather() throws {
        var t = OpTester("Transpose")
        t.input("X", x)
        #expect(try t.run()[0].f == [0, 3, 1, 4, 2, 5])
        var c = OpTester("Concat")
        c.attributes["axis"] = .int(1)
        c.input("A", x); c.input("B", try Tensor(shape: [2, 1], values: [Float(9), 8]))
        #expect(try c.run()[0].f == [0, 1, 2, 9, 3, 4, 5, 8])
        var g = OpTester("Gather")
        g.attributes["axis"] = .int(1)
        g.input("X", x); g.constant("i", try Tensor(shape: [2], values: [Int64(2), -3]))
        #expect(try g.run()[0].f == [2, 0, 5, 3])
        var bad = OpTester("Gather")
        bad.input("X", x); bad.input("i", try Tensor(shape: [1], values: [Int64(7)]))
        #expect(throws: InferenceError.self) { try bad.run() }
    }

    @Test func argMaxArgMinReduce() throws {
        let v = try Tensor(shape: [2, 3], values: [Float(1), 5, 5, -1, -3, 0])
        var am = OpTester("ArgMax")
        am.attributes = ["axis": .int(1), "keepdims": .int(0)]
        am.input("X", v)
        #expect(try am.run(outputTypes: [.int64])[0].i64 == [1, 2])
        var last = OpTester("ArgMax")
        last.attributes = ["axis": .int(1), "select_last_index": .int(1)]
        last.input("X", v)
        let l = try last.run(outputTypes: [.int64])[0]
        #expect(l.shape == [2, 1] && l.i64 == [2, 2])
        var mn = OpTester("ArgMin")
        mn.attributes["axis"] = .int(0)
        mn.input("X", v)
        #expect(try mn.run(outputTypes: [.int64])[0].i64 == [1, 1, 1])
        var rs = OpTester("ReduceSum", opset: 13)
        rs.attributes["keepdims"] = .int(0)
        rs.input("X", v); rs.constant("axes", try Tensor(shape: [1], values: [Int64(1)]))
        #expect(try rs.run()[0].f == [11, -4])
        var rm = OpTester("ReduceMean", opset: 13)
        rm.attributes["axes"] = .ints([0])
        rm.input("X", v)
        let m = try rm.run()[0]
        #expect(m.shape == [1, 3] && m.f == [0, 1, 2.5])
    }

    @Test func shapeAndConstantFoldIntoReshape() throws {
        // Shape → Reshape: the target shape is computed at plan time from the input's shape.
        var t = OpTester("Shape", opset: 15)
        t.attributes = ["start": .int(-1)]
        t.input("X", x)
        #expect(try t.run(outputTypes: [.int64])[0].i64 == [3])
        var c = OpTester("Constant")
        c.attributes["value_floats"] = .floats([1, 2])
        c.inputs = []
        #expect(try c.load(outputTypes: [.float32]).run(positional: []).first?.f == [1, 2])
    }
}
