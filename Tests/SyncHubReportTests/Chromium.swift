import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Headless Chromium as a process (Debian's `chromium` package): renders a page and dumps its DOM or a screenshot.
struct Chromium {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let executable: URL
    /// A scratch folder: the pages, Chromium's profile and HOME, its output.
    let directory: URL

    /// Finds Chromium on `PATH` (or at `SYNCHUB_CHROMIUM`); fails with the install command when it is missing.
    init() throws {
        let environment = ProcessInfo.processInfo.environment
        var candidates = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").flatMap { folder in
            ["chromium", "chromium-browser", "google-chrome"].map { "\(folder)/\($0)" }
        }
        if let configured = environment["SYNCHUB_CHROMIUM"] { candidates.insert(configured, at: 0) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(
                description: "Chromium is needed to test the HTML report and was not found on PATH: "
                    + "apt-get install -y chromium (or set SYNCHUB_CHROMIUM to its path).")
        }
        executable = URL(fileURLWithPath: found)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "synchub-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Writes `html` into the scratch folder and returns its `file://` URL.
    func page(named name: String, html: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try html.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The DOM after the page's scripts ran.
    func dumpDOM(of page: URL) throws -> String {
        let run = try self.run(["--dump-dom", page.absoluteString])
        guard run.status == 0, run.stdout.contains("</html>") else {
            throw Failure(description: "chromium --dump-dom exited \(run.status): \(run.stderr.suffix(2_000))")
        }
        return run.stdout
    }

    /// A PNG screenshot of `page` in a `width`×`height` window.
    func screenshot(of page: URL, width: Int, height: Int) throws -> Data {
        let output = directory.appendingPathComponent(page.deletingPathExtension().lastPathComponent + ".png")
        let run = try self.run(["--screenshot=\(output.path)", "--window-size=\(width),\(height)", page.absoluteString])
        guard run.status == 0, let data = FileManager.default.contents(atPath: output.path) else {
            throw Failure(description: "chromium --screenshot exited \(run.status): \(run.stderr.suffix(2_000))")
        }
        return data
    }

    /// Runs Chromium headless with its own profile and HOME; kills it if it takes longer than `timeout` seconds.
    func run(_ arguments: [String], timeout: Double = 120) throws -> Run {
        let profile = directory.appendingPathComponent("profile")
        let process = Process()
        process.executableURL = executable
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=\(profile.path)",
            ] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        process.environment = environment
        // Files, not pipes: a DOM larger than a pipe buffer must not stall Chromium while we wait for it.
        let stdoutURL = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let stderrURL = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut { kill(process.processIdentifier, SIGKILL) }
            throw Failure(description: "chromium did not finish within \(Int(timeout)) s and was stopped: \(arguments)")
        }
        return Run(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }
}

/// The few facts of a PNG file the tests need.
struct PNGHeader {
    var width: Int
    var height: Int

    init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR"
        else { return nil }
        func integer(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = integer(16)
        height = integer(20)
    }
}
