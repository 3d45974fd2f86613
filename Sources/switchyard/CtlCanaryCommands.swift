import ArgumentParser
import SwitchyardControl
import SwitchyardRouting

/// The five canary commands share everything but the verb.
protocol CtlCanaryCommand: ParsableCommand {
    static var command: CanaryCommand { get }
    var name: String { get }
    var reason: ReasonOption { get }
    var options: CtlOptions { get }
}

extension CtlCanaryCommand {
    func run() throws {
        try Ctl.run {
            options.emit(try options.client().canary(name, command: Self.command, reason: reason.reason), table: Render.change)
        }
    }
}

/// `switchyard ctl pause NAME`
struct CtlPause: CtlCanaryCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a running canary at its current step.")
    static let command = CanaryCommand.pause
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions
}

/// `switchyard ctl resume NAME`
struct CtlResume: CtlCanaryCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused canary.")
    static let command = CanaryCommand.resume
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions
}

/// `switchyard ctl promote NAME`
struct CtlPromote: CtlCanaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Promote the canary's candidate now: it becomes the control at 100%.")
    static let command = CanaryCommand.promote
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions
}

/// `switchyard ctl abort NAME`
struct CtlAbort: CtlCanaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort", abstract: "Abort the canary: the candidate goes back to 0% and the others to their starting shape.")
    static let command = CanaryCommand.abort
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions
}

/// `switchyard ctl restart NAME`
struct CtlRestart: CtlCanaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Start a finished canary (promoted, rolled back or aborted) again from its first step.")
    static let command = CanaryCommand.restart
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions
}
