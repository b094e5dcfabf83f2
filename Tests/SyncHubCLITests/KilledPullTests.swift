import Foundation
import GRDB
import SyncHubStore
import Testing

/// A pull killed outright (SIGKILL: no handler runs, its run stays `running` and its lock stays behind) counts as
/// unfinished: another connector's pull leaves identity and stages alone until the killed connector is pulled again.
@Suite struct KilledPullTests {
    @Test(.timeLimit(.minutes(10))) func aPullKilledOutrightKeepsIdentityWaitingUntilItsConnectorIsPulledAgain() throws {
        let workspace = try SampleWorkspace(people: 3000, seed: 13)
        defer { workspace.remove() }
        let (process, _, err) = try SyncHubProcess.start(
            ["pull", "--connector", "marketing", "--log-format", "json", "--log-level", "trace"], in: workspace.path)
        let stderr = LineReader(err)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // A batch is committed: the pull is under way. Kill it outright.
        _ = try #require(stderr.next { jsonLine($0)?["message"] as? String == "committed batch" }, "\(stderr.lines.suffix(5))")
        kill(process.processIdentifier, SIGKILL)
        _ = stderr.readToEnd()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        let store = try StoreDatabase(path: workspace.storePath)
        func run(_ id: Int) throws -> String? {
            try store.writer.read { try String.fetchOne($0, sql: "SELECT status FROM run WHERE id = ?", arguments: [id]) }
        }
        func persons() throws -> Int {
            try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM person") } ?? -1
        }
        #expect(try run(1) == "running", "killed before it could finish its run")
        #expect(try store.lockHolder("sync")?.pid == process.processIdentifier, "the dead process's lock stays behind")
        let finishedStreams = try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run_stream WHERE run_id = 1 AND status <> 'running'") } ?? 0
        #expect(finishedStreams < 3, "marketing has three streams: the run did not finish them all")

        // Another connector's pull: it takes the dead process's lock, marks its run, and leaves identity alone.
        let crm = try SyncHubProcess.run(["pull", "--connector", "crm"], in: workspace.path)
        #expect(crm.status == 0, "\(crm.stderr)")
        #expect(crm.stdout.contains("Identity and stages: not updated, marketing/"), "\(crm.stdout)")
        #expect(crm.stdout.contains("stopped early in run #1"), "\(crm.stdout)")
        #expect(!crm.stdout.contains("Identity: "), "\(crm.stdout)")
        #expect(try persons() == 0, "identity did not run on half of marketing")
        #expect(try run(1) == StoreDatabase.interruptedRunStatus)
        let stillRunning = try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run_stream WHERE run_id = 1 AND status = 'running'") } ?? -1
        #expect(stillRunning == 0, "the killed run's streams are paused, not left running")
        #expect(try run(2) == "succeeded")
        let status = try SyncHubProcess.run(["status"], in: workspace.path)
        #expect(status.stdout.contains("#1 pull started"), "\(status.stdout)")
        let runLine = status.stdout.split(separator: "\n").first { $0.contains("#1 pull started") }.map(String.init) ?? ""
        #expect(runLine.contains(": interrupted"), "\(runLine)")

        // Pulling marketing again finishes it from its checkpoints; identity then runs.
        let rerun = try SyncHubProcess.run(["pull", "--connector", "marketing"], in: workspace.path)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("Identity: "), "\(rerun.stdout)")
        #expect(rerun.stdout.contains("Pull run 3: succeeded."), "\(rerun.stdout)")
        #expect(try store.unfinishedStreams(connectors: ["marketing", "crm"]).isEmpty)

        // The same persons as one uninterrupted pull of both connectors.
        let reference = try SyncHubProcess.run(["pull", "--db", "clean.sqlite"], in: workspace.path)
        #expect(reference.status == 0, "\(reference.stderr)")
        let clean = try StoreDatabase(path: workspace.path + "/clean.sqlite")
        let resolved = try ScheduleCommandTests.persons(store)
        #expect(resolved.count > 1000)
        #expect(resolved == (try ScheduleCommandTests.persons(clean)))
    }
}
