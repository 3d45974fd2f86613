import Testing
@testable import SwitchyardHTTP2

/// The open-addressed stream table against a `Dictionary` model: random inserts, lookups and
/// removals (which exercise backward-shift deletion across probe runs and wrap-around) and growth.
@Suite struct StreamTableTests {
    @Test(arguments: [1, 2, 3])
    func matchesADictionaryUnderRandomOperations(seed: Int) {
        var rng = RobustnessTests.Rng(state: 0xA076_1D64_78BD_642F &+ UInt64(seed))
        var table = HTTP2StreamTable(capacity: 4)
        var model: [Int32: HTTP2Stream] = [:]
        for _ in 0..<20_000 {
            // Odd ids from a small range, like a client's streams, so ids collide and repeat.
            let id = Int32(rng.next() % 400) * 2 + 1
            switch rng.next() % 3 {
            case 0:
                let s = HTTP2Stream(id: id)
                table.insert(s)
                model[id] = s
            case 1:
                #expect(table.remove(id) === model.removeValue(forKey: id))
            default:
                #expect(table[id] === model[id])
            }
            #expect(table.count == model.count)
        }
        for (id, s) in model { #expect(table[id] === s) }
        #expect(Set(table.values.map(\.id)) == Set(model.keys))
        table.removeAll()
        #expect(table.isEmpty && table[1] == nil)
    }
}
