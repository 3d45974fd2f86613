import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SwitchyardControl

/// `switchyard ctl …`: the operator's view of a running gateway, through its admin API.
///
/// Every subcommand prints a table by default and the gateway's JSON with `--json`. Exit codes:
/// 0 success; 1 the gateway refused (an invalid change, an unknown experiment, any other HTTP
/// error) or the command's own input is wrong; 2 the gateway could not be asked (unreachable,
/// timed out, token missing or refused). Messages go to stderr.
struct CtlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Inspect and change a running gateway through its admin API.",
        discussion: """
        The admin URL comes from --admin, else SWITCHYARD_ADMIN_URL, else http://127.0.0.1:8001. \
        The token comes from --token, else --token-file, else SWITCHYARD_ADMIN_TOKEN, else \
        .switchyard/admin-token (which `switchyard serve` writes when no token is configured). \
        Requests go directly to the admin URL; HTTP proxy variables (http_proxy, …) are ignored. \
        Exit codes: 0 success, 1 refused by the gateway or invalid input, 2 gateway unreachable or token refused.
        """,
        subcommands: [
            CtlExperiments.self, CtlShow.self, CtlApply.self, CtlDelete.self, CtlSetWeights.self,
            CtlPause.self, CtlResume.self, CtlPromote.self, CtlAbort.self, CtlRestart.self,
            CtlRollback.self, CtlHistory.self, CtlAudit.self, CtlShadow.self, CtlResults.self, CtlConfig.self,
        ]
    )

    /// Accepted before the subcommand too (`switchyard ctl --admin URL experiments`).
    @OptionGroup var options: CtlOptions
}

/// Options every `ctl` subcommand takes.
struct CtlOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Admin API base URL (default: $SWITCHYARD_ADMIN_URL or http://127.0.0.1:8001).", valueName: "url"))
    var admin: String?

    @Option(help: ArgumentHelp("Admin bearer token (default: $SWITCHYARD_ADMIN_TOKEN).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("File holding the bare admin token (default: .switchyard/admin-token).", valueName: "path"))
    var tokenFile: String?

    @Option(help: "Seconds to wait for the gateway's answer.")
    var timeout: Double = AdminClient.defaultTimeout

    @Flag(help: "Print the gateway's JSON (pretty-printed, as sent) instead of a table.")
    var json = false

    @Flag(help: "Colour the tables with ANSI escapes (off by default).")
    var color = false

    func validate() throws {
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    var style: RenderStyle { color ? .color : .plain }

    func client() throws(AdminClientError) -> AdminClient {
        let environment = ProcessInfo.processInfo.environment
        // FoundationNetworking hands requests to libcurl, which sends them through any proxy named
        // in http_proxy/HTTPS_PROXY/ALL_PROXY — loopback included, and the bearer token with them.
        // Admin traffic goes straight to the gateway (a reverse proxy goes in --admin's URL).
        setenv("no_proxy", "*", 1)
        setenv("NO_PROXY", "*", 1)
        let endpoint = try AdminEndpoint.resolve(option: admin, environment: environment)
        let credentials = try AdminCredentials.resolve(token: token, tokenFile: tokenFile, environment: environment)
        return AdminClient(endpoint: endpoint, credentials: credentials, timeout: timeout)
    }

    /// The table, or the gateway's JSON with `--json`.
    func emit<Value>(_ reply: AdminReply<Value>, table: (Value) -> String) {
        print(json ? JSONPretty.format(reply.json) : table(reply.value))
    }
}

/// `--reason` on every change: the audit log's "why".
struct ReasonOption: ParsableArguments {
    @Option(help: "Why: recorded in the audit log with the change.")
    var reason: String?
}

enum Ctl {
    /// Runs a command body, turning failures into a message on stderr and the documented exit code.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as AdminClientError {
            fail(error.description, code: error.exitCode)
        } catch let problem as ExperimentDocument.Problem {
            fail(problem.description, code: 1)
        } catch let error as CtlInputError {
            fail(error.message, code: 1)
        } catch {
            fail("\(error)", code: 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data(("switchyard ctl: " + message + "\n").utf8))
        Switchyard.exit(withError: ExitCode(code))
    }
}

/// A problem with the command's own input (a file that cannot be read).
struct CtlInputError: Error {
    var message: String
}
