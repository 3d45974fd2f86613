import Testing

@Test func routingTargetBuilds() { #expect(Bool(true)) }
