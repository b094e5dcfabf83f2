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
import HubSpotConnector
import Hummingbird
import Logging
import SyncHubConfiguration
import SyncHubConnectors
import SyncHubCore
import SyncHubIdentity
import SyncHubSampleData
import SyncHubSandbox
import SyncHubStore

struct BenchOptions {
    var people = 100_000
    var directory: String?
    var keep = false
    /// Only the identity phase, on this many synthetic contact records.
    var identityOnly: Int?
    /// Only pulls from the API simulations, seeded with this many contacts per system.
    var sandbox: Int?
    /// Identity matching quality on this many labeled people (both scenarios, or without emails only).
    var identityQuality: (Int, [LabeledPeopleOptions.Scenario])?
    /// Pure identity resolution speed on this many contact records.
    var identitySpeed: Int?
    /// Only the normalization of this many contact records (for profiling).
    var identityFeatures: Int?
    /// FEBRL benchmark files to resolve together and score.
    var febrl: [String] = []
    /// Loopback HTTP GETs of a list page through the connectors' HTTP client.
    var httpLoopback: Int?
    /// `--identity-only` with the deterministic rules alone (`identity: matching: enabled: false`).
    var deterministic = false
    /// `--identity-quality` also prints missed and wrong pairs by cause.
    var explainMisses = false

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--people": people = Int(iterator.next() ?? "") ?? people
            case "--dir": directory = iterator.next()
            case "--keep": keep = true
            case "--identity-only": identityOnly = Int(iterator.next() ?? "") ?? 1_000_000
            case "--sandbox": sandbox = Int(iterator.next() ?? "") ?? 100_000
            case "--identity-quality": identityQuality = (Int(iterator.next() ?? "") ?? 5000, [.mostlyEmail, .noEmail])
            case "--identity-quality-no-email": identityQuality = (Int(iterator.next() ?? "") ?? 5000, [.noEmail])
            case "--identity-speed": identitySpeed = Int(iterator.next() ?? "") ?? 1_000_000
            case "--identity-features": identityFeatures = Int(iterator.next() ?? "") ?? 1_000_000
            case "--identity-febrl": if let path = iterator.next() { febrl.append(path) }
            case "--http-loopback": httpLoopback = Int(iterator.next() ?? "") ?? 1000
            case "--deterministic": deterministic = true
            case "--explain-misses": explainMisses = true
            case "-h", "--help":
                print("usage: synchub-bench [--people N] [--dir PATH] [--keep] [--identity-only N [--deterministic]] [--sandbox N] [--identity-quality N [--explain-misses]] [--identity-quality-no-email N] [--identity-speed N] [--identity-febrl FILE.csv]... [--http-loopback N]")
                exit(0)
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(64)
            }
        }
    }
}

/// CPU seconds (user + system) this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds of the last `timed` phase: on a shared machine, the figure that noise does not inflate.
nonisolated(unsafe) var lastPhaseCPU: Double = 0

func timed<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let cpuStart = cpuSeconds()
    let value = try await body()
    lastPhaseCPU = cpuSeconds() - cpuStart
    return (value, DurationText.seconds(ContinuousClock.now - start))
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
    func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + fill : fill + text
    }
    print(pad(phase, 40) + pad(String(count), 10, left: false) + " " + pad(unit, 8) + pad(String(format: "%.2f s", seconds), 10, left: false) + " " + rate(count, seconds))
}

/// A row that also shows the CPU time of the phase just timed.
func rowWithCPU(_ phase: String, _ count: Int, _ unit: String, _ seconds: Double) {
    row(phase, count, unit, seconds)
    print(String(repeating: " ", count: 40) + String(format: "cpu %.2f s, %.0f %@ per cpu-second", lastPhaseCPU, Double(count) / max(lastPhaseCPU, 1e-9), unit))
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
    return DurationText.seconds(ContinuousClock.now - start)
}

// The bench has more than one source file, so this file is top-level code: it runs `Bench.main()` below.
struct Bench {
    static func main() async throws {
        let options = BenchOptions(Array(CommandLine.arguments.dropFirst()))
        umask(0o077)
        let directory = options.directory ?? NSTemporaryDirectory() + "synchub-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        var logger = Logger(label: "synchub-bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning

        if let (people, scenarios) = options.identityQuality {
            identityQualityBench(people: people, scenarios: scenarios, seed: ProcessInfo.processInfo.environment["SYNCHUB_SEED"].flatMap(UInt64.init) ?? 7, explain: options.explainMisses,
                examples: ProcessInfo.processInfo.environment["SYNCHUB_EXAMPLES"].flatMap(Int.init) ?? 3)
            return
        }
        if let count = options.httpLoopback {
            try await loopbackBench(requests: count)
            return
        }
        if !options.febrl.isEmpty {
            try febrlBench(paths: options.febrl)
            return
        }
        if let count = options.identityFeatures {
            let records = LabeledPeople.generate(LabeledPeopleOptions(people: count * 10 / 18 + 1, seed: 11)).prefix(count).map(\.identityRecord)
            let (keys, keySeconds) = measure { ProbabilisticMatcher().indexKeys(of: Array(records)) }
            row("normalize and key", keys.count, "records", keySeconds)
            return
        }
        if let count = options.identitySpeed {
            identitySpeedBench(count: count)
            return
        }
        if let count = options.sandbox {
            try await sandboxBench(count: count, directory: directory, logger: logger)
            return
        }
        if let count = options.identityOnly {
            try await identityStoreBench(count: count, directory: directory, deterministic: options.deterministic)
            return
        }
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
        try SampleCompany.configuration(dataDirectory: "data", feedbackPath: "out/feedback.jsonl", store: "bench.sqlite", contactsFormat: .jsonl)
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
                    let cpuStart = cpuSeconds()
                    let result = await engine.pull(connector: name, source: source, stream: stream, fullRefresh: false, runID: nil)
                    lastPhaseCPU = cpuSeconds() - cpuStart
                    if let error = result.error { print("  \(name)/\(stream.name) failed: \(error)") }
                    rowWithCPU("pull \(name)/\(stream.name)", result.counts.received, "records", result.seconds)
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
        let (baselineSeconds, _) = try await timed { try baselineUpsert(path: directory + "/baseline.sqlite", rows: baselineRows, batch: 5000) }
        rowWithCPU("baseline: bare prepared upsert", baselineRows.count, "rows", baselineSeconds)
        print(String(repeating: "-", count: 80))
        let baselineRate = Double(baselineRows.count) / max(baselineSeconds, 1e-9)
        print(String(format: "JSONL contacts ingest: %.0f records/s (%d records); bare upsert %.0f rows/s; ratio %.2f", contactRate, contactsPulled, baselineRate, contactRate / baselineRate))
        print(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))
    }
}

/// First-pass identity on `count` synthetic contact records from two systems: about 40% of people are in both,
/// with case, whitespace and gmail variations of the same address, and 5% of records carry no email.
func identityBench(count: Int, directory: String, logger: Logger) async throws {
    print("synchub-bench: identity on \(count) contact records in \(directory)")
    print(String(repeating: "-", count: 80))
    let store = try StoreDatabase(path: directory + "/identity.sqlite")
    var generator = SplitMix(seed: 7)
    let people = count * 10 / 14
    let stream = StreamDescriptor(name: "contacts", objectType: .contact)
    let (_, ingestSeconds) = try await timed {
        var batch: [SourceRecord] = []
        for index in 0..<count {
            let person = index < people ? index : Int(generator.next() % UInt64(people))
            let connector = index < people ? "marketing" : "crm"
            var contact = Contact()
            let noEmail = generator.next() % 20 == 0
            if !noEmail {
                let variant = generator.next() % 3
                contact.email = variant == 0 ? "person\(person)@example.com" : variant == 1 ? " Person\(person)@Example.com" : "person.\(person)+x@gmail.com"
                if variant == 2, generator.next() % 2 == 0 { contact.email = "person\(person)@gmail.com" }
            }
            contact.firstName = "First\(person % 5000)"
            contact.lastName = "Last\(person % 20000)"
            let id = "\(connector)-\(index)"
            let payload = JSONWriter.object([("id", id), ("email", contact.email), ("firstName", contact.firstName), ("lastName", contact.lastName)])
            batch.append(SourceRecord(objectType: .contact, externalID: id, payload: payload, normalized: .contact(contact)))
            if batch.count == 5000 || index == count - 1 {
                _ = try store.commit(RecordBatch(records: batch, checkpoint: nil), connector: connector, stream: stream, deletingAllExcept: nil, runID: nil)
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
    row("land synthetic contacts", count, "records", ingestSeconds)
    let cpuBefore = cpuSeconds()
    let (records, loadSeconds) = try await timed { try store.identityRecords() }
    rowWithCPU("identity: load contact records", records.count, "records", loadSeconds)
    let (resolution, resolveSeconds) = await timed { IdentityResolver().resolve(records) }
    rowWithCPU("identity: resolve", records.count, "records", resolveSeconds)
    let (_, applySeconds) = try await timed { try store.apply(resolution, runID: 1) }
    rowWithCPU("identity: write \(resolution.newPersons.count) persons", resolution.changedLinks.count, "links", applySeconds)
    let total = loadSeconds + resolveSeconds + applySeconds
    let totalCPU = cpuSeconds() - cpuBefore
    row("identity: first pass, total", records.count, "records", total)
    let (again, reSeconds) = try await timed { () throws -> IdentityResolution in
        let resolution = IdentityResolver().resolve(try store.identityRecords())
        try store.apply(resolution, runID: 2)
        return resolution
    }
    row("identity: second pass (nothing changed)", again.recordsExamined, "records", reSeconds)
    print(String(repeating: "-", count: 80))
    print(String(format: "first-pass identity: %.1f s wall (%.1f s CPU) for %d contact records; peak memory %.0f MiB", total, totalCPU, records.count, peakMemoryMiB()))
}

/// A small seeded generator, so the synthetic data is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pulls every stream of the HubSpot and Salesforce connectors from the local simulations over loopback HTTP.
func sandboxBench(count: Int, directory: String, logger: Logger) async throws {
    print("synchub-bench: API connectors against the sandbox, \(count) contacts per system, in \(directory)")
    let (sandbox, seedSeconds) = await timed { Sandbox(seed: 1, contacts: count, people: count) }
    // The simulated HubSpot enforces HubSpot's own burst limits (about 19 requests/s), which would make the figure
    // measure the quota rather than synchub: lift them, and report requests per 1,000 records for the real limits.
    sandbox.hubspot.faults.burstLimit = 1_000_000
    sandbox.hubspot.faults.searchRequestsPerSecond = 1_000_000
    sandbox.hubspot.faults.dailyLimit = 100_000_000
    row("seed the simulations", count * 2, "people", seedSeconds)
    let ports = AsyncStream<Int>.makeStream()
    let server = Task {
        try await sandbox.application(host: "127.0.0.1", port: 0) { port in ports.continuation.yield(port) }.runService()
    }
    defer { server.cancel() }
    var iterator = ports.stream.makeAsyncIterator()
    guard let port = await iterator.next() else { return }
    let configPath = directory + "/sandbox.yml"
    try """
        version: 1
        store: ./sandbox.sqlite
        connectors:
          hubspot:
            type: hubspot
            baseURL: http://127.0.0.1:\(port)
            accessToken: sandbox-token
            requestsPerTenSeconds: 10000
            searchRequestsPerSecond: 100
          crm:
            type: salesforce
            loginURL: http://127.0.0.1:\(port)
            clientId: synchub-sandbox-client
            clientSecret: synchub-sandbox-secret
            refreshToken: synchub-sandbox-refresh-token
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    let configuration = try ConfigurationLoader.load(path: configPath, environment: [:], connectorTypes: ConnectorRegistry.all)
    let store = try StoreDatabase(path: directory + "/sandbox.sqlite")
    let engine = SyncEngine(store: store, logger: logger)
    print(String(repeating: "-", count: 80))
    for entry in configuration.connectors {
        guard let type = ConnectorRegistry.type(named: entry.typeName) else { continue }
        let instance = try type.make(ConnectorContext(name: entry.name, settings: entry.settings, baseDirectory: configuration.baseDirectory, logger: logger))
        guard let source = instance.source else { continue }
        let salesforceCallsBefore = sandbox.salesforce.apiCallsUsed
        var records = 0
        let cpuStart = cpuSeconds()
        let started = ContinuousClock.now
        for stream in try await source.streams() {
            let result = await engine.pull(connector: entry.name, source: source, stream: stream, fullRefresh: false, runID: nil)
            if let error = result.error { print("  \(entry.name)/\(stream.name) failed: \(error)") }
            row("pull \(entry.name)/\(stream.name)", result.counts.received, "records", result.seconds)
            records += result.counts.received
        }
        let elapsed = DurationText.seconds(ContinuousClock.now - started)
        lastPhaseCPU = cpuSeconds() - cpuStart
        rowWithCPU("pull \(entry.name), all streams", records, "records", elapsed)
        let requests = (source as? HubSpotSource)?.requestCount ?? (sandbox.salesforce.apiCallsUsed - salesforceCallsBefore)
        print(String(format: "  %@: %d HTTP requests, %.1f per 1,000 records (CPU includes the in-process simulator)", entry.name, requests, Double(requests) * 1000 / Double(max(records, 1))))
    }
    print(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))
}

try await Bench.main()
