public import ArgumentParser
import SyncHubSchedule
import SyncHubCore

extension SyncHub {
    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the `schedules:` of connectors.yml until stopped: each connector's pull (and push) on its interval or cron.",
            discussion: """
                A long-lived process for systemd or a container. At most one run per connector at a time, with jitter \
                and exponential backoff after failures. SIGTERM or SIGINT stops it gracefully: the batch in flight is \
                committed, then it exits 0. Each run holds the store lock only while it runs, so a manual \
                `synchub pull` works between runs. See docs/operations.md.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Serve /health (JSON) and /metrics (Prometheus text) on this port; 0 picks a free port.")
        var metricsPort: Int?
        @Option(help: "The address the metrics endpoint listens on.")
        var metricsHost = "127.0.0.1"
        @Option(help: "How long a run waits for another synchub run's store lock before it skips to its next time.")
        var waitForLock = DurationArgument(.seconds(300))

        func validate() throws {
            if let metricsPort, !(0...65_535).contains(metricsPort) {
                throw ValidationError("--metrics-port must be between 0 and 65535")
            }
        }

        func run() async throws {
            let app = try SyncHubApp(global).waitingForLock(waitForLock.duration)
            try await app.schedule(metricsHost: metricsHost, metricsPort: metricsPort)
        }
    }
}

/// `--wait-for-lock` for the commands that write.
public struct LockOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("wait-for-lock"),
        help: "If another synchub run holds the store, wait up to this long (30s, 10m, 1h) instead of failing at once.")
    public var waitFor = DurationArgument(.zero)

    public var waitForLock: Duration { waitFor.duration }

    public init() {}
}

/// A duration on the command line: `30s`, `15m`, `1h`, `1d`, `1h30m`.
public struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    public var duration: Duration

    public init(_ duration: Duration) { self.duration = duration }

    public init?(argument: String) {
        guard let duration = DurationText.parse(argument) else { return nil }
        self.duration = duration
    }

    public var description: String { DurationText.format(duration) }
    public var defaultValueDescription: String { description }
}
