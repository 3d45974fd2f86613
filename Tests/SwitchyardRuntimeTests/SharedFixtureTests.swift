import Foundation
import SwitchyardRuntime
import Testing

/// Every model in ../shared/fixtures/models against onnxruntime's outputs, on every batch.
/// Skipped (not failed) when the shared folder is not present next to the repository.
@Suite struct SharedFixtureTests {
    static let names = FixtureCase.names(in: FixtureCase.sharedDirectory)

    @Test(.enabled(if: !names.isEmpty, "shared fixtures not present"), arguments: names)
    func matchesOnnxRuntime(name: String) throws {
        let compared = try FixtureCase(name: name, directory: FixtureCase.sharedDirectory).verify()
        #expect(compared > 0)
    }

    @Test(.enabled(if: !names.isEmpty, "shared fixtures not present"))
    func allEightSharedModelsArePresent() {
        #expect(Set(Self.names).isSuperset(of: ["logreg", "mlp", "rf", "gbr", "gemm_mlp", "cnn", "scaler_logreg", "linreg"]))
    }
}
