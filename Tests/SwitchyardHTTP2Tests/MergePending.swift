import Testing

@Test func http2TestsPending() { #expect(Bool(true)) }
