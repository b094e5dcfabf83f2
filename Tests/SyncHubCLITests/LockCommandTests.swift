import Foundation
import GRDB
import SyncHubStore
import Testing

/// A cron-run `synchub pull` and a running scheduler never overlap: the second is refused with the holder named
/// (exit 75), or waits with `--wait-for-lock`.
@Suite(.serialized) struct LockCommandTests {
    @Test(.timeLimit(.minutes(10))) func aConcurrentPullIsRefusedNamingTheHolder() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        // This test process plays the scheduler holding the store.
        let store = try StoreDatabase(path: workspace.storePath)
        try store.acquireLock("sync", command: "schedule")
        defer { try? store.releaseLock("sync") }

        let refused = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("another synchub run (`schedule`, pid \(getpid()) on \(currentHostName()))"), "\(refused.stderr)")
        #expect(refused.stderr.contains("since 20"), "says since when: \(refused.stderr)")
        #expect(refused.stderr.contains("--wait-for-lock"), "says how to wait: \(refused.stderr)")
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 0, "nothing ran")

        // The same refusal as a JSON log line.
        let json = try SyncHubProcess.run(["sync", "--log-format", "json"], in: workspace.path)
        #expect(json.status == 75)
        let lines = json.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 1, "\(json.stderr)")
        let line = try #require(lines.first.flatMap(jsonLine))
        #expect(line["level"] as? String == "error")
        #expect((line["message"] as? String)?.contains("pid \(getpid())") == true)
    }

    @Test(.timeLimit(.minutes(10))) func aPullWaitsForTheLockWhenAskedThenRuns() throws {
        let workspace = try SampleWorkspace(people: 50)
        defer { workspace.remove() }
        let store = try StoreDatabase(path: workspace.storePath)
        try store.acquireLock("sync", command: "schedule")

        let (process, out, err) = try SyncHubProcess.start(["pull", "--wait-for-lock", "2m"], in: workspace.path)
        let stderr = LineReader(err)
        let waiting = stderr.next { $0.contains("the store is busy; waiting for its lock") }
        #expect(waiting?.contains("lock.holder.pid=\(getpid())") == true, "\(stderr.lines)")
        #expect(process.isRunning)
        try store.releaseLock("sync")
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = stderr.readToEnd()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr.lines)")
        #expect(stdout.contains("Pull run 1: succeeded."), "\(stdout)")
        #expect(try store.lockHolder("sync") == nil)
    }

    @Test(.timeLimit(.minutes(10))) func aSIGTERMWhileWaitingStopsWithoutRunning() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        let store = try StoreDatabase(path: workspace.storePath)
        try store.acquireLock("sync", command: "schedule")
        defer { try? store.releaseLock("sync") }
        let (process, _, err) = try SyncHubProcess.start(["pull", "--wait-for-lock", "10m"], in: workspace.path)
        let stderr = LineReader(err)
        #expect(stderr.next { $0.contains("waiting for its lock") } != nil)
        kill(process.processIdentifier, SIGTERM)
        let lines = stderr.readToEnd()
        process.waitUntilExit()
        #expect(process.terminationStatus == 75)
        #expect(lines.contains { $0.contains("stopped while waiting for the store lock held by `schedule`") }, "\(lines)")
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM run") } == 0)
    }

    @Test(.timeLimit(.minutes(10))) func waitingGivesUpAfterItsTime() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        let store = try StoreDatabase(path: workspace.storePath)
        try store.acquireLock("sync", command: "schedule")
        defer { try? store.releaseLock("sync") }
        let result = try SyncHubProcess.run(["push", "--wait-for-lock", "1s"], in: workspace.path)
        #expect(result.status == 75)
        #expect(result.stderr.contains("waited 1s for the store lock in vain"), "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(10))) func aLockLeftByADeadProcessOrAnExpiredLeaseIsTakenOver() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        let store = try StoreDatabase(path: workspace.storePath)
        // Another host's run that stopped renewing its lock ten minutes ago (longer than the 5-minute lease).
        try store.writer.write { db in
            try db.execute(sql: """
                INSERT INTO sync_lock (name, pid, host, command, acquired_at, heartbeat_at)
                VALUES ('sync', 4242, 'other-host.invalid', 'pull', '2026-01-01T00:00:00.000Z', ?)
                """, arguments: [StoreTime.text(Date().addingTimeInterval(-600))])
        }
        let takeover = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(takeover.status == 0, "\(takeover.stderr)")

        // A live holder on another host that renewed a minute ago keeps the store.
        try store.writer.write { db in
            try db.execute(sql: """
                INSERT INTO sync_lock (name, pid, host, command, acquired_at, heartbeat_at)
                VALUES ('sync', 4242, 'other-host.invalid', 'schedule', '2026-01-01T00:00:00.000Z', ?)
                """, arguments: [StoreTime.text(Date().addingTimeInterval(-60))])
        }
        let refused = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("its lock expires 5 minutes after its last heartbeat"), "\(refused.stderr)")
    }
}
