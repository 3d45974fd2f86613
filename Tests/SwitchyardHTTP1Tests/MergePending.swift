import Testing

@Test func HTTP1TestsPending() { #expect(Bool(true)) }
