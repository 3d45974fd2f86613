import Foundation

/// Builds a model repository (`<root>/<model>/1/model.onnx`) from fixture folders that hold
/// `<model>.onnx`, `<model>.inputs.json` and `<model>.expected.json`.
enum FixtureRepository {
    /// Fixture folders present: the project's own, and the shared ones when `../shared` exists.
    static var fixtureDirectories: [URL] {
        let candidates = [
            Paths.root.appendingPathComponent("Tests/Fixtures/models"),
            Paths.root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/models"),
        ]
        return candidates.filter { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).contains { $0.hasSuffix(".onnx") }
        }
    }

    /// A fresh repository folder with every fixture model (first folder wins on a name clash).
    static func make() throws -> (root: URL, fixtureDirs: [URL]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-repo-\(UUID().uuidString)")
        var used: [URL] = []
        var seen = Set<String>()
        for dir in fixtureDirectories {
            var contributed = false
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".onnx") {
                let name = String(file.dropLast(5))
                guard !seen.contains(name),
                      FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(name).inputs.json").path) else { continue }
                seen.insert(name)
                let target = root.appendingPathComponent("\(name)/1")
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: dir.appendingPathComponent(file), to: target.appendingPathComponent("model.onnx"))
                contributed = true
            }
            if contributed { used.append(dir) }
        }
        return (root, used)
    }
}
