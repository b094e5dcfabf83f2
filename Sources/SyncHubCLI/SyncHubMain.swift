import ArgumentParser
import Foundation

/// The process entry point: parses, runs, and maps failures to the documented exit codes.
public enum SyncHubMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        // Everything synchub creates (store, WAL files, feedback and sample files) is readable by its owner only.
        umask(0o077)
        do {
            var command = try SyncHub.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as ConfigurationProblem {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            exit(ExitCodes.badConfiguration.rawValue)
        } catch let error as StoreBusy {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            exit(ExitCodes.storeBusy.rawValue)
        } catch {
            SyncHub.exit(withError: error)
        }
    }
}
