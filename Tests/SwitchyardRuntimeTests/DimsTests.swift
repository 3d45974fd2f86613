import Testing
@testable import SwitchyardRuntime

/// Slot shapes: inline up to `Dims.inlineRank`, an array beyond, the same collection either way.
@Suite struct DimsTests {
    @Test func inlineShapesReadBackAsGiven() {
        for shape in [[], [7], [1, 32], [2, 3, 4, 5, 6, 7]] {
            let d = Dims(shape)
            #expect(d.count == shape.count)
            #expect(d.array == shape)
            #expect(d.description == shape.description)
        }
    }

    @Test func shapesAboveTheInlineRankKeepEveryDimension() {
        let shape = [1, 2, 3, 4, 5, 6, 7, 8]
        let d = Dims(shape)
        #expect(d.count == 8)
        #expect(d[7] == 8)
        #expect(d.array == shape)
        #expect(d.reduce(1, *) == 40_320)
    }

    @Test func equalityComparesDimensionsNotStorage() {
        #expect(Dims([1, 32]) == Dims([1, 32]))
        #expect(Dims([1, 32]) != Dims([32, 1]))
        #expect(Dims([1, 32]) != Dims([1, 32, 1]))
        #expect(Dims([1, 2, 3, 4, 5, 6, 7]) == Dims([1, 2, 3, 4, 5, 6, 7]))
    }

    @Test func broadcastingReadsBothRepresentations() {
        // A row vector over a batch, given as a slot shape (Dims) and as an inferred shape ([Int]).
        #expect(Broadcast.isPeriodicSuffix(Dims([1, 4]), of: Dims([3, 4])))
        #expect(Broadcast.isPeriodicSuffix([4], of: [3, 4]))
        #expect(!Broadcast.isPeriodicSuffix(Dims([3, 1]), of: Dims([3, 4])))
        #expect(Broadcast.strides(Dims([1, 4]), Dims([3, 4])) == [0, 1])
    }
}
