import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory scaffold-connector --name Pipedrive`: creates
/// `Sources/Connectors/Pipedrive/`, `Tests/Connectors/Pipedrive/` (tests and fixtures) by running `synchub-scaffold`,
/// and prints the entry to add to `Package.swift`'s `connectors` list. Never overwrites a file.
///
/// Problems are reported with `Diagnostics.error`, which also makes the command exit with a failure status.
@main
struct ScaffoldConnector: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "name")
        let usage = "usage: swift package --allow-writing-to-package-directory scaffold-connector --name <Name>"
        guard names.count == 1, let name = names.first else {
            Diagnostics.error(names.isEmpty ? "--name is required; \(usage)" : "give --name once; \(usage)")
            return
        }
        guard extractor.remainingArguments.isEmpty else {
            Diagnostics.error("unexpected arguments: \(extractor.remainingArguments.joined(separator: " ")); \(usage)")
            return
        }

        let tool = try context.tool(named: "synchub-scaffold")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["--name", name, "--package-dir", context.package.directoryURL.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The tool writes little; read both pipes to the end, then wait.
        async let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let outputText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = await errorText
        process.waitUntilExit()

        if !outputText.isEmpty { print(outputText, terminator: "") }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = problems.trimmingCharacters(in: .whitespacesAndNewlines)
            let cleaned = message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message
            Diagnostics.error(cleaned.isEmpty ? "synchub-scaffold failed (status \(process.terminationStatus))" : cleaned)
            return
        }
        let warnings = problems.trimmingCharacters(in: .whitespacesAndNewlines)
        if !warnings.isEmpty { Diagnostics.warning(warnings) }
    }
}
