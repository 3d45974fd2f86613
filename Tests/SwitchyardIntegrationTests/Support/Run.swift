import Foundation

/// The result of running an external client.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutBytes: Data
}

/// Runs a real client (curl, nghttp, python) with a time limit; never hangs a test run.
func run(_ executable: String, _ arguments: [String], stdin: Data? = nil, timeout: TimeInterval = 30) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let inPipe = Pipe()
    p.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
    try p.run()
    if let stdin {
        inPipe.fileHandleForWriting.write(stdin)
        try? inPipe.fileHandleForWriting.close()
    }
    // Read both pipes concurrently so a chatty client cannot block on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var o = Data(), e = Data()
    group.enter(); DispatchQueue.global().async { o = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { e = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(2000) }
    if p.isRunning { p.terminate() }
    p.waitUntilExit()
    group.wait()
    return RunResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                     stderr: String(decoding: e, as: UTF8.self), stdoutBytes: o)
}

/// curl with the options every test wants: silent, fail on nothing (we assert statuses), a time limit.
func curl(_ args: [String], stdin: Data? = nil) throws -> RunResult {
    try run(Paths.tool("curl")!, ["-s", "-S", "--max-time", "20"] + args, stdin: stdin)
}
