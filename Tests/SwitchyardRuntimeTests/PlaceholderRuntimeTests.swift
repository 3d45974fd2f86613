import Testing

@Test func runtimeTargetBuilds() { #expect(Bool(true)) }
