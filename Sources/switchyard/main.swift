import ArgumentParser

/// Root command. (The runtime branch wires only `model`; the gateway's `serve` joins at merge.)
struct Switchyard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "Switchyard: an A/B-testing inference gateway with a native ONNX runtime.",
        subcommands: [ModelCommand.self]
    )
}

Switchyard.main()
