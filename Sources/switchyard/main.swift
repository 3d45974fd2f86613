import ArgumentParser

/// `switchyard`: the gateway and its tools.
struct Switchyard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "An A/B-testing inference gateway speaking the Open Inference Protocol v2.",
        subcommands: [ServeCommand.self, CtlCommand.self, ModelCommand.self, StatsBenchCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

Switchyard.main()
