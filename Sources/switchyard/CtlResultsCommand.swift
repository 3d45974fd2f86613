import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SwitchyardControl

/// `switchyard ctl results NAME [--watch] [--interval SECONDS] [--count N]`
struct CtlResults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Show an experiment's statistics: SRM check, per-metric lifts and significance, requests and latency.",
        discussion: """
        With --watch the table is redrawn every --interval seconds until Ctrl-C (on a terminal the \
        screen is cleared between draws; otherwise draws follow each other). --count stops after N \
        draws. The always-valid p-values and confidence sequences stay valid however often they are read; \
        the plain p column is only valid if read once. With --json each draw is one line of JSON.
        """)
    @Argument(help: "Experiment name.") var name: String
    @Flag(help: "Redraw every --interval seconds until interrupted.") var watch = false
    @Option(help: "Seconds between draws with --watch.") var interval: Double = 5
    @Option(help: "Stop after this many draws (implies --watch when above 1).") var count: Int?
    @OptionGroup var options: CtlOptions

    func validate() throws {
        guard interval.isFinite, interval > 0 else { throw ValidationError("--interval must be a positive number of seconds") }
        if let count, count <= 0 { throw ValidationError("--count must be a positive number") }
    }

    func run() throws {
        try Ctl.run {
            let client = try options.client()
            let draws = count ?? (watch ? Int.max : 1)
            guard draws > 1 else {
                options.emit(try client.results(name)) { Render.results($0, style: options.style) }
                return
            }
            let terminal = isatty(STDOUT_FILENO) == 1
            for draw in 1...draws {
                do {
                    let reply = try client.results(name)
                    if options.json {
                        // One compact document per line, as the gateway sent it, for scripts.
                        print(String(decoding: reply.json, as: UTF8.self))
                    } else {
                        if terminal { print("\u{1B}[H\u{1B}[2J", terminator: "") } else if draw > 1 { print("") }
                        print(Render.results(reply.value, style: options.style))
                        print("\nrefreshing every \(Format.duration(interval))" + (terminal ? " — Ctrl-C to stop" : "")
                              + (count.map { " (draw \(draw) of \($0))" } ?? ""))
                    }
                } catch let error as AdminClientError where draw > 1 {
                    // The gateway went away or refused mid-watch: say so and keep trying (it may be restarting).
                    FileHandle.standardError.write(Data("switchyard ctl: \(Format.timestamp(Date().timeIntervalSince1970)): \(error)\n".utf8))
                }
                fflush(nil)  // all output streams: each draw reaches a pipe as it is made
                if draw < draws { Thread.sleep(forTimeInterval: interval) }
            }
        }
    }
}
