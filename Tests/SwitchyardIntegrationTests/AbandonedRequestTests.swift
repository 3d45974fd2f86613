import Foundation
import Synchronization
import Testing
@testable import SwitchyardGateway
import SwitchyardCore
import SwitchyardKServe
import SwitchyardServer
import SwitchyardTestSupport
import SwitchyardTransport

/// A model that only counts how often it runs.
final class CountingModel: ServableModel {
    let calls = Atomic<Int>(0)
    let name = "counting"
    let version = "1"
    let platform = "test"
    let inputs: [TensorMetadata] = []
    let outputs: [TensorMetadata] = []
    let maxBatchSize = 0
    let nanosPerRow: UInt64 = 1_000_000
    func infer(inputs: [InferTensor], outputs: [String]?) throws(KServeError) -> [InferTensor] {
        calls.add(1, ordering: .relaxed)
        return []
    }
}

/// Captures the writer a responder was given, to look at it after the client left.
final class WriterBox: Sendable {
    let writer = Mutex<ResponseWriter?>(nil)
}

/// Work queued for a client that has gone is not computed.
@Suite struct AbandonedRequestTests {
    @Test func offloadedRequestOfAGoneClientIsNotRun() throws {
        let group = try EventLoopGroup(count: 1)
        group.start()
        defer { group.stopAndJoin() }
        let model = CountingModel()
        let served = ModelRepository.Served(model: model, stats: ModelStatsRecorder(name: "counting", version: "1"))
        let runner = InferenceRunner(offload: OffloadPool(name: "test"), inlineThresholdNanos: 0)
        let request = InferRequest(inputs: [])
        let results = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        for abandoned in [true, false] {
            runner.offload(request, on: served, loop: group.loops[0], skipIf: { abandoned ? InferenceRunner.clientGone : nil }) { outcome in
                switch outcome.result {
                case .success: results.withLock { $0.append("ran") }
                case .failure(let error): results.withLock { $0.append("\(error.kind): \(error.message)") }
                }
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 5) == .success)
        }
        let got = results.withLock { $0 }
        #expect(got.count == 2)
        #expect(got.first?.hasPrefix("cancelled: the client closed the connection or cancelled the request") == true, "\(got)")
        #expect(got.last == "ran")
        #expect(model.calls.load(ordering: .relaxed) == 1)
    }

    /// Waits up to 3 s for the captured writer to report its connection gone.
    private func becomesAbandoned(_ box: WriterBox) -> Bool {
        for _ in 0..<300 {
            if box.writer.withLock({ $0?.isAbandoned ?? false }) { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func writerReportsAbandonedOnceAnHTTP1ClientResets() throws {
        let box = WriterBox()
        let holder = ClosureResponder { _, _, writer in box.writer.withLock { $0 = writer } }   // never answers
        let s = try TestServer(responder: holder); defer { s.stop() }
        do {
            let c = try LoopbackClient(port: s.port)
            try c.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
            for _ in 0..<300 where box.writer.withLock({ $0 == nil }) { usleep(10_000) }
            let writer = try #require(box.writer.withLock { $0 })
            #expect(!writer.isAbandoned)
            // A plain FIN is a half-close, which HTTP/1.1 allows after a request: the answer is
            // still owed. A reset means the client is gone.
            c.resetOnClose()
        }
        #expect(becomesAbandoned(box))
    }

    @Test(.enabled(if: Paths.python != nil)) func writerReportsAbandonedOnceAnHTTP2StreamIsReset() throws {
        let box = WriterBox()
        let responder = ClosureResponder { request, _, writer in
            if request.head.target == "/hold" {
                box.writer.withLock { $0 = writer }   // answered only after the probe
            } else {
                let held = box.writer.withLock { $0 }
                writer.complete(HTTPResponse(status: .ok, body: Array("\(held?.isAbandoned.description ?? "none")".utf8)))
            }
        }
        let s = try TestServer(responder: responder); defer { s.stop() }
        let r = try run(Paths.python!, [Paths.scripts.appendingPathComponent("h2_probe.py").path, String(s.port), "cancel-held-stream"])
        let line = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let got = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        // Only the reset stream is abandoned; the connection goes on serving the others.
        #expect(got?["before"] as? String == "false", "\(r.stdout) \(r.stderr)")
        #expect(got?["after"] as? String == "true", "\(r.stdout) \(r.stderr)")
        // Completing the cancelled request is still allowed (and dropped).
        box.writer.withLock { $0 }?.complete(HTTPResponse(status: .ok))
    }

    /// A gRPC call whose deadline passes while it waits for a worker is answered
    /// DEADLINE_EXCEEDED without running the model. A 1 ns deadline has always passed by the time
    /// the job reaches a worker; every request is offloaded (inline threshold 0).
    @Test(.enabled(if: Paths.python != nil && !FixtureRepository.fixtureDirectories.isEmpty))
    func grpcCallPastItsDeadlineIsNotComputed() throws {
        let (root, _) = try FixtureRepository.make()
        defer { try? FileManager.default.removeItem(at: root) }
        var options = GatewayOptions()
        options.inlineThresholdNanos = 0
        let s = try TestServer(modelRoot: root, options: options); defer { s.stop() }
        let model = try #require(s.gateway.repository.loadedModels.first {
            $0.inputs.count == 1 && $0.inputs[0].datatype == .fp32 && $0.inputs[0].shape.count == 2
        })
        func call(timeout: String) throws -> [String: Any] {
            let r = try run(Paths.python!, [Paths.scripts.appendingPathComponent("h2_probe.py").path, String(s.port), "grpc-infer",
                                            model.name, model.inputs[0].name, String(model.inputs[0].shape[1]), timeout])
            let line = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
            return (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? ["stderr": r.stderr]
        }
        func successes() throws -> Int {
            let r = try curl(["\(s.base)/v2/models/\(model.name)/stats"])
            let stats = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let first = (stats?["model_stats"] as? [[String: Any]])?.first
            let inference = first?["inference_stats"] as? [String: Any]
            return (inference?["success"] as? [String: Any])?["count"] as? Int ?? -1
        }
        let late = try call(timeout: "1n")
        #expect(late["status"] as? String == "4", "\(late)")   // DEADLINE_EXCEEDED
        #expect(late["message"] as? String == "deadline exceeded while the request waited for a worker", "\(late)")
        #expect(try successes() == 0)
        let inTime = try call(timeout: "10S")
        #expect(inTime["status"] as? String == "0", "\(inTime)")
        #expect(try successes() == 1)
    }

    @Test func writerReportsAbandonedOnceAnHTTP2ClientLeaves() throws {
        let box = WriterBox()
        let holder = ClosureResponder { _, _, writer in box.writer.withLock { $0 = writer } }   // never answers
        let s = try TestServer(responder: holder); defer { s.stop() }
        let r = try curl(["--http2-prior-knowledge", "--max-time", "0.5", "--data-binary", "hi", "\(s.base)/x"])
        #expect(r.status != 0)   // curl gave up waiting
        #expect(becomesAbandoned(box))
    }
}
