import Testing

@Test func integrationTargetBuilds() { #expect(Bool(true)) }
