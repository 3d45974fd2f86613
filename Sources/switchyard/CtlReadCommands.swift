import ArgumentParser
import SwitchyardControl

/// `switchyard ctl experiments`
struct CtlExperiments: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments", abstract: "List experiments: variants with weights and shares, canary, shadows.")
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            options.emit(try options.client().listExperiments()) { Render.experiments($0, style: options.style) }
        }
    }
}

/// `switchyard ctl show NAME`
struct CtlShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one experiment: policies, canary progress with gate figures, live counters.")
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            options.emit(try options.client().experiment(name)) { Render.experiment($0, style: options.style) }
        }
    }
}

/// `switchyard ctl shadow NAME`
struct CtlShadow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shadow", abstract: "Show how the shadow variants' outputs compare with the primary's.")
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            options.emit(try options.client().shadow(name)) { Render.shadow($0, style: options.style) }
        }
    }
}

/// `switchyard ctl history`
struct CtlHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List the retained configuration revisions (the current one marked *).")
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            options.emit(try options.client().revisions()) { Render.revisions($0, style: options.style) }
        }
    }
}

/// `switchyard ctl audit [--experiment NAME] [--limit N]`
struct CtlAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit log: who changed what, when and why (oldest first).")
    @Option(help: "Only entries about this experiment.") var experiment: String?
    @Option(help: "At most this many entries (the newest).") var limit: Int?
    @OptionGroup var options: CtlOptions

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be a positive number") }
    }

    func run() throws {
        try Ctl.run {
            options.emit(try options.client().audit(experiment: experiment, limit: limit)) { Render.audit($0, style: options.style) }
        }
    }
}

/// `switchyard ctl config [NAME]`
struct CtlConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the running configuration (or one experiment's) as JSON in the config file's schema.",
        discussion: "One experiment's output can be edited and sent back with `switchyard ctl apply FILE`.")
    @Argument(help: "Experiment name (default: the whole configuration, token secrets redacted).") var name: String?
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            let client = try options.client()
            let data = try name.map { name throws(AdminClientError) in try client.experimentConfig(name) } ?? client.config()
            print(JSONPretty.format(data))
        }
    }
}
