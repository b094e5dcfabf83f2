import ArgumentParser
import Foundation
import Logging
import Synchronization

/// The process entry point: parses, runs, and maps failures to the documented exit codes.
public enum SyncHubMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        // Everything synchub creates (store, WAL files, feedback and sample files) is readable by its owner only.
        umask(0o077)
        let logFormat = Console.logFormat(in: arguments)
        Console.logFormat.withLock { $0 = logFormat }
        do {
            var command = try SyncHub.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as ConfigurationProblem {
            report(error.description, json: logFormat == .json, prefix: "")
            exit(ExitCodes.badConfiguration.rawValue)
        } catch let error as StoreBusy {
            report(error.description, json: logFormat == .json, prefix: "error: ")
            exit(ExitCodes.storeBusy.rawValue)
        } catch {
            // With `--log-format json`, failures are log lines too; help, version and usage stay as they are.
            if logFormat == .json, !(error is CleanExit), !(error is ExitCode) {
                let message = SyncHub.message(for: error)
                let code = SyncHub.exitCode(for: error)
                if !message.isEmpty, code.rawValue != ExitCodes.usage {
                    Console.notice(message, level: .error)
                    exit(code.rawValue)
                }
            }
            SyncHub.exit(withError: error)
        }
    }

    static func report(_ message: String, json: Bool, prefix: String) {
        if json {
            Console.notice(message, level: .error)
        } else {
            FileHandle.standardError.write(Data("\(prefix)\(message)\n".utf8))
        }
    }
}

extension ExitCodes {
    /// ArgumentParser's code for bad arguments.
    static let usage: Int32 = 64
}
