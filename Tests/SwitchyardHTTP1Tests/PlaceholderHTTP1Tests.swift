import Testing

@Test func http1TargetBuilds() { #expect(Bool(true)) }
