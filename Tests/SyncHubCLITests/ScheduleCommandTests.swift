import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
@testable import SyncHubCLI
import SyncHubStore
import Testing

/// `synchub schedule` as a process: runs on time, serves health and metrics, stops cleanly on SIGTERM.
@Suite(.serialized) struct ScheduleCommandTests {
    @Test(.timeLimit(.minutes(10))) func runsItsSchedulesServesHealthAndMetricsAndStopsOnSIGTERM() async throws {
        let workspace = try SampleWorkspace(people: 200)
        defer { workspace.remove() }
        try workspace.appendToConfiguration("""
            schedules:
              marketing: { every: 1h, jitter: 1s, push: true }
              crm:
                every: 1h
            """)
        let (process, _, err) = try SyncHubProcess.start(
            ["schedule", "--metrics-port", "0", "--log-format", "json"], in: workspace.path)
        let stderr = LineReader(err)
        defer { if process.isRunning { process.terminate() } }

        let listening = try #require(stderr.next { $0.contains("serving /health and /metrics") }, "\(stderr.lines)")
        let address = try #require((jsonLine(listening)?["metadata"] as? [String: Any])?["metrics.url"] as? String)
        let url = try #require(URL(string: address))
        #expect(url.host == "127.0.0.1")
        var finished: Set<String> = []
        while finished.count < 2, let line = stderr.next(where: { jsonLine($0)?["message"] as? String == "run finished" }) {
            if let connector = jsonLine(line)?["connector"] as? String { finished.insert(connector) }
        }
        #expect(finished == ["marketing", "crm"], "\(stderr.lines)")

        let (healthBody, healthResponse) = try await URLSession.shared.data(from: url.appendingPathComponent("health"))
        #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200)
        let health = try #require(try JSONSerialization.jsonObject(with: healthBody) as? [String: Any])
        #expect(health["status"] as? String == "ok")
        let connectors = try #require(health["connectors"] as? [[String: Any]])
        #expect(connectors.compactMap { $0["connector"] as? String }.sorted() == ["crm", "marketing"])
        for connector in connectors {
            #expect((connector["lastRun"] as? [String: Any])?["outcome"] as? String == "succeeded")
            #expect(connector["nextRunAt"] is String)
        }

        let (metricsBody, _) = try await URLSession.shared.data(from: url.appendingPathComponent("metrics"))
        let metrics = String(decoding: metricsBody, as: UTF8.self)
        for expected in [
            #"synchub_records_total{connector="crm",stream="contacts",outcome="inserted"}"#,
            #"synchub_runs_total{connector="marketing",outcome="succeeded"} 1"#,
            #"synchub_run_duration_seconds_count{connector="crm"} 1"#,
            #"synchub_schedule_next_run_timestamp_seconds{connector="marketing"}"#,
            #"synchub_quarantined_records{connector="marketing"}"#,
            #"synchub_dead_lettered_records{target="marketing"} 0"#,
        ] {
            #expect(metrics.contains(expected), "missing \(expected)")
        }
        #expect(FileManager.default.fileExists(atPath: workspace.path + "/out/feedback.jsonl"), "marketing's schedule pushes")

        // Between runs the store is free: a manual pull works while the scheduler waits.
        let manual = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(manual.status == 0, "\(manual.stderr)")
        let status = try SyncHubProcess.run(["status", "--json"], in: workspace.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let rows = try #require(report["connectors"] as? [[String: Any]])
        let marketing = try #require(rows.first { $0["connector"] as? String == "marketing" })
        #expect(marketing["schedule"] as? String == "every 1h, then push")
        #expect(marketing["nextRunAt"] is String)
        #expect(marketing["lastSuccessAt"] is String)
        // Scheduled runs are named as such in the run log; the manual pull is `pull`.
        let commands = ((report["status"] as? [String: Any])?["runs"] as? [[String: Any]] ?? []).compactMap { $0["command"] as? String }
        #expect(commands.contains("schedule: pull marketing"), "\(commands)")
        #expect(commands.contains("schedule: push"), "\(commands)")
        #expect(commands.contains("pull"), "\(commands)")

        kill(process.processIdentifier, SIGTERM)
        let lines = stderr.readToEnd()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(lines.suffix(5))")
        #expect(lines.allSatisfy { jsonLine($0) != nil }, "every log line is one JSON object: \(lines.filter { jsonLine($0) == nil })")
        #expect(lines.contains { jsonLine($0)?["message"] as? String == "scheduler stopped" })
    }

    @Test(.timeLimit(.minutes(5))) func sigtermDuringAScheduledPullThenARestartLosesAndDuplicatesNothing() throws {
        let workspace = try SampleWorkspace(people: 6000, seed: 11)
        defer { workspace.remove() }
        try workspace.appendToConfiguration("""
            schedules:
              marketing: { every: 1h }
              crm: { every: 1h }
            """)
        let (process, _, err) = try SyncHubProcess.start(["schedule", "--log-format", "json", "--log-level", "trace"], in: workspace.path)
        let stderr = LineReader(err)
        defer { if process.isRunning { process.terminate() } }
        // A batch is committed: the pull is under way. Stop it the way systemd does.
        let committed = try #require(stderr.next { jsonLine($0)?["message"] as? String == "committed batch" }, "\(stderr.lines.suffix(5))")
        let connector = try #require(jsonLine(committed)?["connector"] as? String)
        kill(process.processIdentifier, SIGTERM)
        let lines = stderr.readToEnd()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "a graceful stop exits 0: \(lines.suffix(5))")
        let interrupted = lines.compactMap(jsonLine).filter { $0["message"] as? String == "run interrupted by shutdown; resumes at the next start" }
        #expect(interrupted.compactMap { $0["connector"] as? String } == [connector], "the pull was cut short, not finished")
        let records = Int((interrupted.first?["metadata"] as? [String: Any])?["sync.records"] as? String ?? "") ?? 0
        #expect(records > 0, "it reports what it committed before stopping")
        #expect(interrupted.first?["run_id"] is String)

        let store = try StoreDatabase(path: workspace.storePath)
        #expect(try store.lockHolder("sync") == nil, "the lock is released")
        let state = try #require(try store.scheduleState(connector: connector))
        #expect(state.lastOutcome == "interrupted")
        #expect(state.consecutiveFailures == 0)
        let lastRun = try store.writer.read { try String.fetchOne($0, sql: "SELECT status FROM run ORDER BY id DESC LIMIT 1") }
        #expect(lastRun == "paused")
        #expect(try store.writer.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")

        // The restarted scheduler runs the interrupted connector at once, from its committed checkpoints (and the
        // other one, whose time passed while it was stopped); the result equals one uninterrupted pull.
        let (restarted, _, restartedErr) = try SyncHubProcess.start(["schedule", "--log-format", "json"], in: workspace.path)
        let restartedLines = LineReader(restartedErr)
        defer { if restarted.isRunning { restarted.terminate() } }
        var finished: [String: String] = [:]
        var finishOrder: [String] = []
        while finished.count < 2, let line = restartedLines.next(where: { jsonLine($0)?["message"] as? String == "run finished" }) {
            let object = jsonLine(line)
            if let name = object?["connector"] as? String {
                finished[name] = (object?["metadata"] as? [String: Any])?["schedule.outcome"] as? String
                finishOrder.append(name)
            }
        }
        #expect(finished == ["marketing": "succeeded", "crm": "succeeded"], "\(restartedLines.lines.suffix(5))")
        kill(restarted.processIdentifier, SIGTERM)
        _ = restartedLines.readToEnd()
        restarted.waitUntilExit()
        #expect(restarted.terminationStatus == 0)
        // The reference pulls the connectors in the order the scheduler completed them (before the stop, then after
        // the restart), as identity and stages are resolved after each complete pull.
        let completedBeforeStop = lines.compactMap(jsonLine).filter {
            $0["message"] as? String == "run finished"
                && ($0["metadata"] as? [String: Any])?["schedule.outcome"] as? String == "succeeded"
        }.compactMap { $0["connector"] as? String }
        // Runs that finish while the interrupted connector is still unfinished leave identity and stages to the run
        // that finishes it: the reference pulls those connectors together, in one pull.
        var pulls = completedBeforeStop.map { [$0] }
        var waiting: [String] = []
        for name in finishOrder {
            if pulls.joined().contains(connector) {
                pulls.append([name])
            } else {
                waiting.append(name)
                if name == connector { pulls.append(waiting) }
            }
        }
        finishOrder = completedBeforeStop + finishOrder
        for names in pulls {
            let reference = try SyncHubProcess.run(["pull"] + names.flatMap { ["--connector", $0] } + ["--db", "clean.sqlite"], in: workspace.path)
            #expect(reference.status == 0, "\(reference.stderr)")
        }
        let clean = try StoreDatabase(path: workspace.path + "/clean.sqlite")
        let a = try store.contentsForComparison()
        let b = try clean.contentsForComparison()
        #expect(a.keys.sorted() == b.keys.sorted())
        // Every record, checkpoint, quarantine entry: identical.
        for table in a.keys.sorted() where !Self.identityTables.contains(table) {
            #expect(a[table] == b[table], "table \(table) differs")
        }
        #expect((a["raw_record"]?.count ?? 0) > 10_000)
        // Identity was resolved after the interrupted pull too, so person ids were founded in another order; the
        // persons themselves (which records belong together) are the same.
        let persons = try Self.persons(store)
        #expect(persons == (try Self.persons(clean)))
        #expect(persons.count > 1000)
        // Current stages and the ledger, each person named by its first record instead of its id.
        #expect(try Self.stages(store) == (try Self.stages(clean)), "interrupted \(connector) after \(records) records; then finished \(finishOrder); reference pulls \(pulls)")
        let (ledger, cleanLedger) = (try Self.ledger(store), try Self.ledger(clean))
        #expect(ledger == cleanLedger, "only after the interruption: \(ledger.subtracting(cleanLedger).sorted().prefix(3)); only in the reference: \(cleanLedger.subtracting(ledger).sorted().prefix(3))")
        #expect(ledger.count > 1000)
        #expect(try Self.goldenRecords(store) == (try Self.goldenRecords(clean)))
    }

    /// Tables keyed by person ids (which depend on the order persons were founded in): compared by person instead.
    /// `golden_person` is compared by person below; review pairs are numbered in the order they were found, which
    /// differs when the scheduler pulls one connector at a time.
    static let identityTables: Set<String> = [
        "person", "person_link", "person_alias", "person_stage", "stage_ledger", "golden_person", "identity_review",
    ]

    /// Each person's id → its first record, the same in any store holding the same persons.
    static let canonicalPersons = """
        WITH canon AS (
            SELECT coalesce(a.person_id, l.person_id) AS person_id, min(l.connector || ':' || l.external_id) AS first_record
            FROM person_link l LEFT JOIN person_alias a ON a.alias = l.person_id
            GROUP BY 1)
        """

    static func stages(_ store: StoreDatabase) throws -> Set<String> {
        try store.writer.read { db in
            Set(try String.fetchAll(db, sql: canonicalPersons + """
                SELECT c.first_record || ' ' || s.stage || ' ' || coalesce(s.since, '-') || ' ' || s.systems
                FROM person_stage s JOIN canon c ON c.person_id = s.person_id
                """))
        }
    }

    /// Golden records with the person named by its first record: every column but the id.
    static func goldenRecords(_ store: StoreDatabase) throws -> Set<String> {
        try store.writer.read { db in
            var rows: Set<String> = []
            for row in try Row.fetchAll(db, sql: canonicalPersons + "SELECT c.first_record, g.* FROM golden_person g JOIN canon c ON c.person_id = g.person_id") {
                rows.insert(row.columnNames.indices.filter { row.columnNames[$0] != "person_id" }
                    .map { "\(row.databaseValues[$0])" }.joined(separator: "|"))
            }
            return rows
        }
    }

    static func ledger(_ store: StoreDatabase) throws -> Set<String> {
        try store.writer.read { db in
            Set(try String.fetchAll(db, sql: canonicalPersons + """
                SELECT c.first_record || ' ' || g.stage || ' ' || g.entered_at || ' ' || g.connector || ' ' || g.evidence
                FROM stage_ledger g JOIN canon c ON c.person_id = g.person_id
                """))
        }
    }

    /// Each person as the sorted list of its records, ids left out.
    static func persons(_ store: StoreDatabase) throws -> Set<[String]> {
        try store.writer.read { db in
            var groups: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT l.connector || ':' || l.object_type || ':' || l.external_id, coalesce(a.person_id, l.person_id)
                FROM person_link l LEFT JOIN person_alias a ON a.alias = l.person_id
                """) {
                groups[row[1], default: []].append(row[0])
            }
            return Set(groups.values.map { $0.sorted() })
        }
    }

    @Test(.timeLimit(.minutes(10))) func sigintDuringAManualPullStopsAfterTheBatchAndReportsIt() throws {
        let workspace = try SampleWorkspace(people: 3000, seed: 5)
        defer { workspace.remove() }
        let (process, out, err) = try SyncHubProcess.start(["pull", "--log-format", "json", "--log-level", "trace"], in: workspace.path)
        let stderr = LineReader(err)
        #expect(stderr.next { jsonLine($0)?["message"] as? String == "committed batch" } != nil)
        kill(process.processIdentifier, SIGINT)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = stderr.readToEnd()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(lines.suffix(3))")
        #expect(stdout.contains("Pull run 1: paused."), "\(stdout)")
        #expect(lines.contains { jsonLine($0)?["message"] as? String == "stopping after the batch in flight is committed..." })
        #expect(lines.allSatisfy { jsonLine($0) != nil })
        let store = try StoreDatabase(path: workspace.storePath)
        #expect(try store.lockHolder("sync") == nil)
        // The next pull picks up where it stopped.
        let rerun = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(rerun.status == 0)
        #expect(rerun.stdout.contains("Pull run 2: succeeded."))
    }

    @Test(.timeLimit(.minutes(10))) func aBadScheduleNamesTheLineAndExits78() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        try workspace.appendToConfiguration("""
            schedules:
              marketing:
                evry: 15m
              crm:
                cron: "*/15 * * * FRY"
            """)
        let result = try SyncHubProcess.run(["schedule"], in: workspace.path)
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("connectors.yml:") && $0.contains("schedules.marketing.evry: unknown setting; did you mean 'every'?") }, "\(result.stderr)")
        #expect(lines.contains { $0.contains("schedules.crm.cron: day-of-week field: `FRY` is not") && $0.contains("did you mean `FRI`?") }, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.storePath), "nothing runs with a bad schedule")

        let none = try SampleWorkspace(people: 20)
        defer { none.remove() }
        let empty = try SyncHubProcess.run(["schedule"], in: none.path)
        #expect(empty.status == 78)
        #expect(empty.stderr.contains("add a `schedules:` section"), "\(empty.stderr)")
    }

    @Test func parsesScheduleAndLockOptions() throws {
        let schedule = try #require(try SyncHub.parseAsRoot(["schedule", "--metrics-port", "9464", "--wait-for-lock", "90s"]) as? SyncHub.Schedule)
        #expect(schedule.metricsPort == 9464)
        #expect(schedule.metricsHost == "127.0.0.1")
        #expect(schedule.waitForLock.duration == .seconds(90))
        let sync = try #require(try SyncHub.parseAsRoot(["sync", "--wait-for-lock", "10m", "--log-format", "json"]) as? SyncHub.Sync)
        #expect(sync.lock.waitForLock == .seconds(600))
        #expect(sync.global.logFormat == .json)
        let pull = try #require(try SyncHub.parseAsRoot(["pull"]) as? SyncHub.Pull)
        #expect(pull.lock.waitForLock == .zero)
        #expect(throws: (any Error).self) { try SyncHub.parseAsRoot(["pull", "--wait-for-lock", "soon"]) }
        #expect(throws: (any Error).self) { try SyncHub.parseAsRoot(["schedule", "--metrics-port", "70000"]) }
        #expect(throws: (any Error).self) { try SyncHub.parseAsRoot(["status", "--log-format", "xml"]) }
    }
}
