import Testing

@Test func transportTargetBuilds() { #expect(Bool(true)) }
