// Minimal root command on the `stats` branch; the lead reconciles this file at merge.
import ArgumentParser

struct Switchyard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "Switchyard: an A/B-testing inference gateway.",
        subcommands: [StatsBenchCommand.self])
}

Switchyard.main()
