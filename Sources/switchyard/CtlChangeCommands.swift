import ArgumentParser
import Foundation
import SwitchyardAdminAPI
import SwitchyardControl

/// `switchyard ctl apply FILE`
struct CtlApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or replace an experiment from a YAML or JSON file in the config file's schema.",
        discussion: """
        The file holds one experiment (its `name:` says which), or a whole configuration file from \
        which --name picks one. It is checked with the gateway's parser before it is sent, so errors \
        name the line. Use - to read standard input.
        """)
    @Argument(help: "The experiment file (- for standard input).") var file: String
    @Option(help: "The experiment to apply: must match the file's name, or picks one from a whole configuration.")
    var name: String?
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            let text = try Self.read(file)
            let document = try ExperimentDocument.read(text, file: file == "-" ? "<stdin>" : file, name: name)
            let reply = try options.client().putExperiment(document.name, document: document.body, reason: reason.reason)
            options.emit(reply, table: Render.change)
        }
    }

    static func read(_ path: String) throws -> String {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CtlInputError(message: "\(path): no such file")
            }
            guard !isDirectory.boolValue else { throw CtlInputError(message: "\(path) is a directory") }
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw CtlInputError(message: "\(path): cannot read it (permission denied?)") }
        guard let text = String(data: data, encoding: .utf8) else { throw CtlInputError(message: "\(path) is not UTF-8 text") }
        return text
    }
}

/// `switchyard ctl delete NAME`
struct CtlDelete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an experiment.")
    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run { options.emit(try options.client().deleteExperiment(name, reason: reason.reason), table: Render.change) }
    }
}

/// `switchyard ctl set-weights NAME control=90 candidate=10`
struct CtlSetWeights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-weights",
        abstract: "Change variants' weights; variants not named keep theirs.",
        discussion: "Refused (HTTP 409) while a running canary owns the experiment's weights: pause or abort it first.")
    @Argument(help: "Experiment name.") var name: String
    @Argument(help: ArgumentHelp("New weights, e.g. control=90 candidate=10.", valueName: "variant=weight"))
    var weights: [String] = []
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions

    func run() throws {
        try Ctl.run {
            let parsed = try WeightArguments.parse(weights)
            options.emit(try options.client().setWeights(name, weights: parsed, reason: reason.reason), table: Render.change)
        }
    }
}

/// `switchyard ctl rollback REVISION`
struct CtlRollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make a retained revision's configuration current again (as a new revision).",
        discussion: "Running canaries come back paused. `switchyard ctl history` lists the retained revisions.")
    @Argument(help: "The revision to return to.") var revision: Int
    @OptionGroup var reason: ReasonOption
    @OptionGroup var options: CtlOptions

    func validate() throws {
        guard revision > 0 else { throw ValidationError("revisions are numbered from 1") }
    }

    func run() throws {
        try Ctl.run { options.emit(try options.client().rollback(to: revision, reason: reason.reason), table: Render.change) }
    }
}
