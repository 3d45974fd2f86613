import Foundation
import SwitchyardRuntime
import Testing

/// The project's own fixtures (Tests/Fixtures/models, from Tests/Fixtures/generate.py): other
/// shapes, seeds and op variants than the shared ones, including the gateway's example models.
@Suite struct OwnFixtureTests {
    static let names = FixtureCase.names(in: FixtureCase.ownDirectory)

    @Test func generatedFixturesAreCommitted() {
        #expect(Set(Self.names).isSuperset(of: ["classifier", "regressor", "gbc_binary", "rf_strings", "mlp_tanh",
                                                "imputer_scaler_logreg", "cnn_small"]))
    }

    @Test(arguments: names)
    func matchesOnnxRuntime(name: String) throws {
        let compared = try FixtureCase(name: name, directory: FixtureCase.ownDirectory).verify()
        #expect(compared > 0)
    }
}
