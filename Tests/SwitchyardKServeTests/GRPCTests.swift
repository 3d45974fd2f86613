import Testing
import SwitchyardCore
@testable import SwitchyardKServe

@Suite struct GRPCFramingTests {
    @Test func framesAndDeframesAcrossSplits() throws {
        let a: [UInt8] = [1, 2, 3]
        let b: [UInt8] = Array(repeating: 7, count: 300)
        let stream = GRPCFraming.frame(a) + GRPCFraming.frame(b) + GRPCFraming.frame([])
        #expect(Array(GRPCFraming.frame(a).prefix(5)) == [0, 0, 0, 0, 3])
        // Feed in every chunk size from 1 byte up: the messages come out the same.
        for chunk in [1, 2, 4, 5, 7, 64, stream.count] {
            var d = GRPCFrameDecoder(maxMessageSize: 1024)
            var got: [[UInt8]] = []
            var i = 0
            while i < stream.count {
                d.append(stream[i..<min(i + chunk, stream.count)])
                i += chunk
                while let m = try d.nextMessage() { got.append(m) }
            }
            #expect(got == [a, b, []], "chunk \(chunk)")
            #expect(d.bufferedByteCount == 0)
        }
    }

    @Test func incompleteFrameWaitsForMoreBytes() throws {
        var d = GRPCFrameDecoder()
        d.append([0, 0, 0, 0, 4, 1, 2])
        #expect(try d.nextMessage() == nil)
        #expect(d.bufferedByteCount == 7)
        d.append([3, 4])
        #expect(try d.nextMessage() == [1, 2, 3, 4])
    }

    @Test func rejectsCompressedBadFlagAndOversize() {
        var d = GRPCFrameDecoder()
        d.append([1, 0, 0, 0, 1, 9])
        #expect(throws: GRPCStatus(.unimplemented, "compressed gRPC messages are not supported (no grpc-encoding is accepted)")) { try d.nextMessage() }
        var e = GRPCFrameDecoder()
        e.append([2, 0, 0, 0, 0])
        #expect(throws: GRPCStatus(.internal, "invalid gRPC compressed-flag byte 2")) { try e.nextMessage() }
        var f = GRPCFrameDecoder(maxMessageSize: 16)
        f.append([0, 0, 0, 0, 17])
        #expect(throws: GRPCStatus(.resourceExhausted, "gRPC message of 17 bytes exceeds the limit of 16 bytes")) { try f.nextMessage() }
        var g = GRPCFrameDecoder(maxMessageSize: 16)
        g.append([0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: GRPCStatus(.resourceExhausted, "gRPC message of 4294967295 bytes exceeds the limit of 16 bytes")) { try g.nextMessage() }
    }

    @Test func unaryBodyHasExactlyOneMessage() throws {
        #expect(try GRPCFraming.singleMessage(in: GRPCFraming.frame([5]), maxMessageSize: 10) == [5])
        #expect(throws: GRPCStatus(.invalidArgument, "request body has no gRPC message")) { try GRPCFraming.singleMessage(in: [], maxMessageSize: 10) }
        #expect(throws: GRPCStatus(.invalidArgument, "request body ends inside a gRPC frame (3 bytes, frame incomplete)")) {
            try GRPCFraming.singleMessage(in: [0, 0, 0], maxMessageSize: 10)
        }
        #expect(throws: GRPCStatus(.invalidArgument, "unary call carries more than one gRPC message")) {
            try GRPCFraming.singleMessage(in: GRPCFraming.frame([1]) + GRPCFraming.frame([2]), maxMessageSize: 10)
        }
    }
}

@Suite struct GRPCTimeoutTests {
    @Test func parsesEveryUnit() throws {
        #expect(try GRPCTimeout.parse("100m") == .milliseconds(100))
        #expect(try GRPCTimeout.parse("5S") == .seconds(5))
        #expect(try GRPCTimeout.parse("1H") == .seconds(3600))
        #expect(try GRPCTimeout.parse("2M") == .seconds(120))
        #expect(try GRPCTimeout.parse("250u") == .microseconds(250))
        #expect(try GRPCTimeout.parse("99999999n") == .nanoseconds(99_999_999))
        #expect(try GRPCTimeout.parse("0m") == .zero)
    }

    @Test func rejectsMalformedValues() {
        for bad in ["", "m", "100", "123456789S", "10s", "1.5S", "-1S", " 1S"] {
            #expect(throws: GRPCStatus.self, "\(bad)") { try GRPCTimeout.parse(bad) }
        }
        #expect(throws: GRPCStatus(.invalidArgument, "grpc-timeout '10s' has an unknown unit (expected H, M, S, m, u or n)")) { try GRPCTimeout.parse("10s") }
    }

    @Test func formatsWithinEightDigits() throws {
        #expect(GRPCTimeout.format(.milliseconds(100)) == "100000u")
        #expect(GRPCTimeout.format(.nanoseconds(5)) == "5n")
        for d in [Duration.milliseconds(100), .seconds(5), .seconds(86_400 * 30), .nanoseconds(1)] {
            let text = GRPCTimeout.format(d)
            #expect(text.count <= 9)
            #expect(try GRPCTimeout.parse(text) >= d)
        }
        #expect(GRPCTimeout.format(.zero) == "0n")
    }
}

@Suite struct GRPCStatusTests {
    @Test func trailersCarryCodeAndPercentEncodedMessage() {
        let s = GRPCStatus(.invalidArgument, "input 'x': 100% bad\né")
        #expect(s.trailers["grpc-status"] == "3")
        #expect(s.trailers["grpc-message"] == "input 'x': 100%25 bad%0A%C3%A9")
        #expect(GRPCStatus.percentDecode("input 'x': 100%25 bad%0A%C3%A9") == "input 'x': 100% bad\né")
        #expect(GRPCStatus.percentDecode("50%zz%4") == "50%zz%4")
        #expect(GRPCStatus.ok.trailers["grpc-message"] == nil && GRPCStatus.ok.trailers["grpc-status"] == "0")
    }

    @Test func codesMatchTheSpec() {
        let expected: [(GRPCStatus.Code, Int)] = [(.ok, 0), (.cancelled, 1), (.unknown, 2), (.invalidArgument, 3), (.deadlineExceeded, 4),
                                                  (.notFound, 5), (.resourceExhausted, 8), (.unimplemented, 12), (.internal, 13),
                                                  (.unavailable, 14), (.unauthenticated, 16)]
        for (c, v) in expected { #expect(c.rawValue == v) }
        #expect(GRPCStatus.Code(httpStatus: 400) == .internal)
        #expect(GRPCStatus.Code(httpStatus: 404) == .unimplemented)
        #expect(GRPCStatus.Code(httpStatus: 503) == .unavailable)
        #expect(GRPCStatus.Code(httpStatus: 413) == .unknown)
        #expect(GRPCStatus(KServeError.notFound("no model 'x'")) == GRPCStatus(.notFound, "no model 'x'"))
    }

    static func head(_ target: String) -> HTTPRequestHead {
        HTTPRequestHead(method: .POST, target: target, version: .http2, headers: HTTPHeaders())
    }

    @Test func methodPaths() throws {
        #expect(try GRPCMethod.resolve(path: "/inference.GRPCInferenceService/ModelInfer").get() == .modelInfer)
        for m in GRPCMethod.allCases { #expect(try GRPCMethod.resolve(path: m.path).get() == m) }
        for bad in ["/inference.GRPCInferenceService/ModelStreamInfer", "/inference.GRPCInferenceService/modelinfer",
                    "/grpc.health.v1.Health/Check", "/inference.GRPCInferenceService/", ""] {
            guard case .failure(let s) = GRPCMethod.resolve(path: bad) else { Issue.record("\(bad) resolved"); continue }
            #expect(s.code == .unimplemented)
            guard case .failure(let t) = GRPCMethod.resolve(path: Self.head(bad + "?x=1").path) else { Issue.record("\(bad) resolved"); continue }
            #expect(t == GRPCStatus(.unimplemented, "unknown method \(bad)"))
        }
        // A request target: the query is not part of the method; a Substring not backed by
        // contiguous UTF-8 (bridged, or a slice) resolves the same way.
        for m in GRPCMethod.allCases {
            #expect(try GRPCMethod.resolve(path: Self.head(m.path).path).get() == m)
            #expect(try GRPCMethod.resolve(path: Self.head(m.path + "?trace=1").path).get() == m)
            #expect(try GRPCMethod.resolve(path: ("x" + m.path + "y").dropFirst().dropLast()).get() == m)
        }
    }
}
