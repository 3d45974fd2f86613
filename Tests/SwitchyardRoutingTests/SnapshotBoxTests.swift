import Foundation
import Synchronization
import Testing
@testable import SwitchyardRouting

@Suite struct SnapshotBoxTests {
    /// Revision r has every variant weight equal to r and salt "r": a reader that saw parts of two
    /// configurations would find them disagreeing.
    static func consistentSnapshot(_ revision: Int) throws -> RoutingSnapshot {
        let experiments = (0..<4).map { e in
            ExperimentConfig(name: "e\(e)", salt: "\(revision)", variants: (0..<3).map {
                VariantConfig(name: "v\($0)", model: "m", version: 1, weight: Double(revision))
            })
        }
        return try RoutingSnapshot(revision: revision, config: RoutingConfig(experiments: experiments))
    }

    @Test func readersNeverSeeAMixedSnapshot() throws {
        let box = SnapshotBox(try Self.consistentSnapshot(1))
        let prepared = try (2...400).map(Self.consistentSnapshot)
        let inconsistencies = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        let started = Atomic<Int>(0)
        let readers = 4
        let group = DispatchGroup()
        for _ in 0..<readers {
            Thread.detachNewThread {
                group.enter()
                defer { group.leave() }
                _ = box.snapshot
                started.add(1, ordering: .releasing)
                var lastRevision = 0
                while !done.load(ordering: .acquiring) {
                    let snap = box.snapshot
                    let r = snap.revision
                    let ok = r >= lastRevision && snap.experiments.count == 4 && snap.experiments.values.allSatisfy {
                        $0.weights == [Double(r), Double(r), Double(r)] && $0.config.salt == "\(r)"
                    }
                    if !ok { inconsistencies.add(1, ordering: .relaxed) }
                    lastRevision = r
                    reads.add(1, ordering: .relaxed)
                }
            }
        }
        // Publish only once every reader is reading, so that reads and swaps really interleave.
        while started.load(ordering: .acquiring) < readers { Thread.sleep(forTimeInterval: 0.001) }
        for snap in prepared { box.publish(snap) }
        done.store(true, ordering: .releasing)
        group.wait()
        #expect(inconsistencies.load(ordering: .relaxed) == 0)
        #expect(reads.load(ordering: .relaxed) > 0)
        #expect(box.snapshot.revision == 400)
    }

    @Test func olderRevisionsAreNotPublished() throws {
        let box = SnapshotBox(try Self.consistentSnapshot(5))
        #expect(!box.publish(try Self.consistentSnapshot(4)))
        #expect(box.snapshot.revision == 5)
        #expect(box.publish(try Self.consistentSnapshot(6)))
    }
}
