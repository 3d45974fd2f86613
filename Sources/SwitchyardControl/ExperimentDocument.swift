import SwitchyardRouting

/// The body `switchyard ctl apply FILE` sends, and the experiment name it goes to.
///
/// The file is read with the gateway's own parser before anything is sent, so a typo is reported
/// with its line and column instead of as a 422 from the server. Two shapes are accepted:
/// one experiment (`name:`, `variants:`, …), sent as written; or a whole configuration file
/// (`experiments:` …), from which `--name` picks one experiment (or the only one), sent in the
/// schema's canonical JSON.
public struct ExperimentDocument: Sendable, Equatable {
    public var name: String
    /// YAML or JSON text in the configuration schema.
    public var body: String

    public init(name: String, body: String) {
        self.name = name
        self.body = body
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text is neither a valid experiment nor a valid configuration holding one.
        case invalid(file: String, ConfigError)
        /// `--name` disagrees with the experiment's own `name:` (the admin API requires them to match).
        case nameMismatch(file: String, inFile: String, requested: String)
        /// A whole configuration file without `--name` and with more than one experiment, or
        /// `--name` naming none of them.
        case ambiguous(file: String, available: [String], requested: String?)

        public var description: String {
            switch self {
            case .invalid(let file, let error):
                return "\(file): " + error.issues.map(\.description).joined(separator: "\n  ")
            case .nameMismatch(let file, let inFile, let requested):
                return "\(file) defines experiment \"\(inFile)\" but --name is \"\(requested)\"; the names must match"
            case .ambiguous(let file, let available, let requested):
                let list = available.isEmpty ? "none" : available.joined(separator: ", ")
                if let requested { return "\(file) has no experiment named \"\(requested)\" (it has: \(list))" }
                return "\(file) is a whole configuration with several experiments (\(list)); pick one with --name"
            }
        }
    }

    /// Reads `text` (the contents of `file`, named in errors).
    public static func read(_ text: String, file: String, name requested: String?) throws(Problem) -> ExperimentDocument {
        let experimentError: ConfigError
        do {
            let experiment = try ConfigParser.parseExperiment(text)
            if let requested, requested != experiment.name {
                throw Problem.nameMismatch(file: file, inFile: experiment.name, requested: requested)
            }
            return ExperimentDocument(name: experiment.name, body: text)
        } catch let error as ConfigError {
            experimentError = error
        } catch let problem as Problem {
            throw problem
        } catch {
            throw .invalid(file: file, ConfigError([ConfigIssue(path: "", message: "\(error)")]))
        }
        // Not one experiment: perhaps a whole configuration file.
        guard text.contains("experiments"), let config = try? ConfigParser.parse(text) else {
            throw .invalid(file: file, experimentError)
        }
        let names = config.experiments.map(\.name)
        let chosen: ExperimentConfig?
        if let requested {
            chosen = config.experiment(named: requested)
        } else {
            chosen = config.experiments.count == 1 ? config.experiments[0] : nil
        }
        guard let chosen else { throw .ambiguous(file: file, available: names, requested: requested) }
        return ExperimentDocument(name: chosen.name, body: ConfigRenderer.json(chosen, pretty: true))
    }
}
