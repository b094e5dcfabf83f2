public import ArgumentParser

/// The `synchub` command.
public struct SyncHub: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "synchub",
        abstract: "Sync marketing and sales records into one store, and push win/loss feedback back.",
        discussion: """
            Exit codes: 0 success; 1 failure; 3 partial failure (some streams or targets failed, the rest \
            committed); 64 bad arguments; 75 the store is busy with another synchub run; 78 bad configuration.
            """,
        version: SyncHubVersion.current,
        subcommands: [
            Pull.self, Push.self, Sync.self, Status.self, Report.self, Check.self, People.self, Schedule.self, Connectors.self,
            Validate.self, Sample.self,
        ])

    public init() {}
}

/// The version `synchub --version` prints.
public enum SyncHubVersion {
    public static let current = "0.1.0"
}

/// Options every subcommand shares.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "The configuration file.")
    public var config: String = "connectors.yml"

    @Option(name: .long, help: "The SQLite store; overrides `store:` in the configuration.")
    public var db: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    public var logLevel: LogLevelOption = .notice

    @Option(name: .long, help: "Log format on standard error: text (lines for people) or json (one JSON object per line).")
    public var logFormat: LogFormatOption = .text

    @Flag(name: .long, help: "Print machine-readable JSON on standard output instead of tables.")
    public var json = false

    public init() {}
}

/// A log level given on the command line.
public enum LogLevelOption: String, ExpressibleByArgument, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// Exit codes, documented in `synchub --help` and the README.
public enum ExitCodes {
    public static let failure = ExitCode(1)
    public static let partialFailure = ExitCode(3)
    public static let storeBusy = ExitCode(75)
    public static let badConfiguration = ExitCode(78)
}
