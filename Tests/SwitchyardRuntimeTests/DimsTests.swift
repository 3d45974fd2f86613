import Testing
@testable import SwitchyardRuntime

/// Slot shapes: plain inline data up to `Dims.maxRank`; the planner refuses higher ranks by name.
@Suite struct DimsTests {
    @Test func inlineShapesReadBackAsGiven() {
        for shape in [[], [7], [1, 32], [2, 3, 4, 5, 6, 7]] {
            let d = Dims(shape)
            #expect(d.count == shape.count)
            #expect(d.array == shape)
            #expect(d.description == shape.description)
        }
    }

    @Test func theHighestRankKeepsEveryDimension() {
        let shape = [1, 2, 3, 4, 5, 6, 7, 8]
        let d = Dims(shape)
        #expect(d.count == Dims.maxRank)
        #expect(d[7] == 8)
        #expect(d.array == shape)
        #expect(d.reduce(1, *) == 40_320)
    }

    /// Kernels copy slots on every call: a slot must stay plain data (a `memcpy`), never a type the
    /// compiler copies through value witnesses.
    @Test func slotsArePlainData() {
        #expect(_isPOD(Dims.self))
        #expect(_isPOD(Slot.self))
        #expect(_isPOD(Slot?.self))
    }

    @Test func aGraphWithAValueAboveTheMaximumRankIsRefusedByName() throws {
        var rank8 = OpTester("Relu")
        rank8.input("X", floats([1, 1, 1, 1, 1, 1, 2, 3]))
        let model = try rank8.load(outputTypes: [.float32])
        #expect(try model.run(positional: [floats([1, 1, 1, 1, 1, 1, 2, 3])])[0].shape == [1, 1, 1, 1, 1, 1, 2, 3])

        var rank9 = OpTester("Relu")
        rank9.input("X", floats([1, 1, 1, 1, 1, 1, 1, 2, 3]))
        #expect { try rank9.load(outputTypes: [.float32]) } throws: { error in
            guard let e = error as? ModelError else { return false }
            return e.kind == .invalidGraph && e.description.contains("'X' has rank 9") && e.description.contains("rank up to 8")
        }
    }

    @Test func equalityComparesDimensionsNotStorage() {
        #expect(Dims([1, 32]) == Dims([1, 32]))
        #expect(Dims([1, 32]) != Dims([32, 1]))
        #expect(Dims([1, 32]) != Dims([1, 32, 1]))
        #expect(Dims([1, 2, 3, 4, 5, 6, 7]) == Dims([1, 2, 3, 4, 5, 6, 7]))
        #expect(Dims([1, 2]) != Dims([1, 2, 0]))  // unused inline dimensions are zero: the rank tells them apart
    }

    @Test func broadcastingReadsBothRepresentations() {
        // A row vector over a batch, given as a slot shape (Dims) and as an inferred shape ([Int]).
        #expect(Broadcast.isPeriodicSuffix(Dims([1, 4]), of: Dims([3, 4])))
        #expect(Broadcast.isPeriodicSuffix([4], of: [3, 4]))
        #expect(!Broadcast.isPeriodicSuffix(Dims([3, 1]), of: Dims([3, 4])))
        #expect(Broadcast.strides(Dims([1, 4]), Dims([3, 4])) == [0, 1])
    }
}
