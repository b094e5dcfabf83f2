import Foundation
import SyncHubSampleData

/// Runs the built `synchub` binary as a process.
struct SyncHubProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `synchub` executable next to the test bundle.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("synchub")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/synchub")
    }

    static func start(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, in: directory, environment: environment)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A temporary folder holding a generated sample company and its connectors.yml.
struct SampleWorkspace {
    let path: String

    init(people: Int, malformed: Bool = true, seed: UInt64 = 7) throws {
        path = NSTemporaryDirectory() + "synchub-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var options = SampleCompanyOptions()
        options.people = people
        options.seed = seed
        options.includeMalformedRows = malformed
        _ = try SampleCompany.write(to: path + "/data", options: options)
        try SampleCompany.configuration(dataDirectory: "data", feedbackPath: "out/feedback.jsonl", store: "synchub.sqlite")
            .write(toFile: path + "/connectors.yml", atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func permissions(of relativePath: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + relativePath)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
