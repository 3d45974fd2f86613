import Testing

@Test func http2TargetBuilds() { #expect(Bool(true)) }
