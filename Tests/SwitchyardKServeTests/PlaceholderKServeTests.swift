import Testing

@Test func kserveTargetBuilds() { #expect(Bool(true)) }
