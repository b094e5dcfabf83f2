import ArgumentParser
import Foundation

extension SyncHub {
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull new and changed records from every source, then resolve identities.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("connector"), help: "A connector to pull (repeatable); all sources when omitted.")
        var connectors: [String] = []
        @Option(name: .customLong("stream"), help: "A stream to pull (repeatable); all when omitted.")
        var streams: [String] = []
        @Flag(help: "Forget saved checkpoints and read everything again (stored data is kept and upserted).")
        var fullRefresh = false
        @OptionGroup var lock: LockOptions

        func run() async throws {
            let app = try SyncHubApp(global).waitingForLock(lock.waitForLock)
            let outcome = try await app.withInterruptHandling {
                try await app.pull(connectors: connectors, streams: streams, fullRefresh: fullRefresh)
            }
            try app.finish(outcome)
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Push win/loss feedback to every feedback target: only what changed since the last push.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("connector"), help: "A target to push to (repeatable); all targets when omitted.")
        var connectors: [String] = []
        @Flag(help: "Print the plan (create, update, unchanged, and sample diffs) and change nothing.")
        var dryRun = false
        @OptionGroup var lock: LockOptions

        func run() async throws {
            let app = try SyncHubApp(global).waitingForLock(lock.waitForLock)
            let outcome = try await app.withInterruptHandling {
                try await app.push(targets: connectors, dryRun: dryRun)
            }
            try app.finish(outcome)
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pull, then push: one full closed-loop cycle.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Plan the push without applying it.")
        var dryRun = false
        @OptionGroup var lock: LockOptions

        func run() async throws {
            let app = try SyncHubApp(global).waitingForLock(lock.waitForLock)
            let outcome = try await app.withInterruptHandling {
                var outcome = try await app.pull(connectors: [], streams: [], fullRefresh: false)
                outcome.merge(try await app.push(targets: [], dryRun: dryRun))
                return outcome
            }
            try app.finish(outcome)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show recent runs, checkpoints, record counts, quarantined records and feedback state.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many quarantined records to list.")
        var quarantineLimit = 10

        func run() async throws {
            let app = try SyncHubApp(global)
            try app.status(quarantineLimit: quarantineLimit)
        }
    }

    struct Connectors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the connector types and the settings each accepts.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            ConnectorCatalog.print(json: global.json)
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the configuration without touching the network or the store.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Also call each source's check(): credentials, files and reachability.")
        var check = false

        func run() async throws {
            try await SyncHubApp.validate(global, check: check)
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a generated sample company (marketing and CRM exports) and a connectors.yml for it.")
        @Option(help: "How many people.") var people = 2000
        @Option(help: "Random seed: the same seed writes the same files.") var seed: UInt64 = 42
        @Option(help: "Folder to write into.") var out = "sample"
        @Option(help: "Format of the marketing contacts export: csv or jsonl.") var contactsFormat = "csv"
        @Flag(help: "Leave out the three deliberately malformed rows.") var clean = false

        func validate() throws {
            guard ["csv", "jsonl"].contains(contactsFormat) else { throw ValidationError("--contacts-format must be csv or jsonl") }
            guard people > 0 else { throw ValidationError("--people must be at least 1") }
        }

        func run() async throws {
            try SampleCommand.run(people: people, seed: seed, out: out, contactsFormat: contactsFormat, clean: clean)
        }
    }
}
