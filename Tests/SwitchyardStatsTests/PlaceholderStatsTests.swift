import Testing

@Test func statsTargetBuilds() { #expect(Bool(true)) }
