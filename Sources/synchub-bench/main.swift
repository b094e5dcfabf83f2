// synchub-bench: end-to-end throughput of synchub on a generated company.
//
//   swift run -c release synchub-bench [--people 100000] [--dir PATH] [--keep]
//
// Phases: generate the files, pull them (raw landing, normalization, checkpoints), pull again unchanged, resolve
// identities, push feedback to a file target. Prints records/s per phase, peak memory, and the ratio of synchub's
// contact ingest rate to a bare prepared SQLite upsert of the same rows measured in the same run (the machine is
// shared and noisy; the ratio is the stable figure).
import Foundation
import GRDB
import Logging
import SyncHubConfiguration
import SyncHubConnectors
import SyncHubCore
import SyncHubIdentity
import SyncHubSampleData
import SyncHubStore

struct BenchOptions {
    var people = 100_000
    var directory: String?
    var keep = false

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--people": people = Int(iterator.next() ?? "") ?? people
            case "--dir": directory = iterator.next()
            case "--keep": keep = true
            case "-h", "--help":
                print("usage: synchub-bench [--people N] [--dir PATH] [--keep]")
                exit(0)
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(64)
            }
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    let (s, atto) = duration.components
    return Double(s) + Double(atto) / 1e18
}

func timed<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, seconds(ContinuousClock.now - start))
}

/// Peak resident memory of this process, from /proc.
func peakMemoryMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kib / 1024
    }
    return 0
}

func rate(_ count: Int, _ seconds: Double) -> String {
    seconds > 0 ? String(format: "%9.0f/s", Double(count) / seconds) : "        -"
}

func row(_ phase: String, _ count: Int, _ unit: String, _ seconds: Double) {
    print(String(format: "%-34@ %10d %-9@ %8.2f s %@", phase as NSString, count, unit as NSString, seconds, rate(count, seconds) as NSString))
}

/// A bare prepared upsert of `rows` (id, payload) into an indexed scratch table, in transactions of `batch` rows.
func baselineUpsert(path: String, rows: [(String, String)], batch: Int) throws -> Double {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS scratch (id TEXT PRIMARY KEY, payload TEXT, hash INTEGER) WITHOUT ROWID")
    }
    let start = ContinuousClock.now
    for chunk in stride(from: 0, to: rows.count, by: batch) {
        try queue.inTransaction { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO scratch (id, payload, hash) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET payload = excluded.payload, hash = excluded.hash WHERE hash <> excluded.hash")
            for (id, payload) in rows[chunk..<min(chunk + batch, rows.count)] {
                try statement.execute(arguments: [id, payload, ContentHash.of(payload)])
            }
            return .commit
        }
    }
    return seconds(ContinuousClock.now - start)
}

@main
struct Bench {
    static func main() async throws {
        let options = BenchOptions(Array(CommandLine.arguments.dropFirst()))
        umask(0o077)
        let directory = options.directory ?? NSTemporaryDirectory() + "synchub-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        var logger = Logger(label: "synchub-bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning

        print("synchub-bench: \(options.people) people in \(directory) (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        print(String(repeating: "-", count: 80))

        // 1. Generate.
        var sampleOptions = SampleCompanyOptions()
        sampleOptions.people = options.people
        sampleOptions.contactsFormat = .jsonl
        sampleOptions.includeMalformedRows = false
        let (summary, generateSeconds) = try await timed { try SampleCompany.write(to: directory + "/data", options: sampleOptions) }
        let fileRows = summary.files.values.reduce(0, +)
        row("generate files", fileRows, "rows", generateSeconds)

        let configPath = directory + "/connectors.yml"
        try SampleCompany.configuration(dataDirectory: "data", feedbackPath: "out/feedback.jsonl", store: "bench.sqlite")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let configuration = try ConfigurationLoader.load(path: configPath, environment: [:], connectorTypes: ConnectorRegistry.all)
        var instances: [(String, ConnectorInstance)] = []
        for entry in configuration.connectors {
            guard let type = ConnectorRegistry.type(named: entry.typeName) else { continue }
            instances.append((entry.name, try type.make(ConnectorContext(name: entry.name, settings: entry.settings, baseDirectory: configuration.baseDirectory, logger: logger))))
        }
        let store = try StoreDatabase(path: directory + "/bench.sqlite")
        let engine = SyncEngine(store: store, logger: logger)

        // 2. Pull everything.
        var contactRate: Double = 0
        var contactsPulled = 0
        var totalPulled = 0
        let (_, pullSeconds) = try await timed {
            for (name, instance) in instances {
                guard let source = instance.source else { continue }
                for stream in try await source.streams() {
                    let result = await engine.pull(connector: name, source: source, stream: stream, fullRefresh: false, runID: nil)
                    if let error = result.error { print("  \(name)/\(stream.name) failed: \(error)") }
                    row("pull \(name)/\(stream.name)", result.counts.received, "records", result.seconds)
                    totalPulled += result.counts.received
                    if name == "marketing", stream.name == "contacts" {
                        contactRate = Double(result.counts.received) / max(result.seconds, 1e-9)
                        contactsPulled = result.counts.received
                    }
                }
            }
        }
        row("pull all streams", totalPulled, "records", pullSeconds)

        // 3. Pull again: nothing changed.
        var unchangedRead = 0
        let (_, repullSeconds) = try await timed {
            for (name, instance) in instances {
                guard let source = instance.source else { continue }
                for stream in try await source.streams() {
                    unchangedRead += await engine.pull(connector: name, source: source, stream: stream, fullRefresh: false, runID: nil).counts.received
                }
            }
        }
        row("pull again, files unchanged", unchangedRead, "records", repullSeconds)

        // 4. Identity, first pass.
        let (records, loadSeconds) = try await timed { try store.identityRecords() }
        let (resolution, resolveSeconds) = await timed { IdentityResolver().resolve(records) }
        let (_, applySeconds) = try await timed { try store.apply(resolution, runID: nil) }
        row("identity: load contact records", records.count, "records", loadSeconds)
        row("identity: resolve", records.count, "records", resolveSeconds)
        row("identity: write \(resolution.newPersons.count) persons", resolution.changedLinks.count, "links", applySeconds)
        row("identity: total", records.count, "records", loadSeconds + resolveSeconds + applySeconds)
        let (again, reresolveSeconds) = try await timed { IdentityResolver().resolve(try store.identityRecords()) }
        row("identity: re-resolve, nothing changed", again.recordsExamined, "records", reresolveSeconds)

        // 5. Push feedback to the file target.
        for (name, instance) in instances {
            guard let target = instance.feedback else { continue }
            let (rows, deriveSeconds) = try await timed { try store.personFeedback() }
            row("push: derive feedback", rows.count, "persons", deriveSeconds)
            let items = rows.map { FeedbackItem(recordKey: $0.personID, personID: $0.personID, email: $0.email, feedback: $0.feedback, idempotencyKey: "\(name):\($0.personID)") }
            let (receipts, pushSeconds) = try await timed { try await target.push(items) }
            row("push: write file target", receipts.count, "items", pushSeconds)
            let (_, recordSeconds) = try await timed { try store.recordPush(target: name, items: items, receipts: receipts, runID: nil) }
            row("push: record pushed state", receipts.count, "items", recordSeconds)
        }

        // 6. Baseline: a bare prepared upsert of the same contact payloads.
        let contactsFile = directory + "/data/marketing/contacts.jsonl"
        let lines = (try String(contentsOfFile: contactsFile, encoding: .utf8)).split(separator: "\n")
        let baselineRows = lines.enumerated().map { (String($0.offset), String($0.element)) }
        let baselineSeconds = try baselineUpsert(path: directory + "/baseline.sqlite", rows: baselineRows, batch: 5000)
        row("baseline: bare prepared upsert", baselineRows.count, "rows", baselineSeconds)
        print(String(repeating: "-", count: 80))
        let baselineRate = Double(baselineRows.count) / max(baselineSeconds, 1e-9)
        print(String(format: "JSONL contacts ingest: %.0f records/s (%d records); bare upsert %.0f rows/s; ratio %.2f", contactRate, contactsPulled, baselineRate, contactRate / baselineRate))
        print(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))
    }
}
