import Foundation
import SyncHubCore
import SyncHubStore
import Testing

/// `synchub status` per connector: schedule, next run, last success and failure, backoff, API use, problem records.
@Suite(.serialized) struct StatusCommandTests {
    @Test(.timeLimit(.minutes(10))) func statusShowsEachConnectorsScheduleRunsBackoffAndBudget() throws {
        let workspace = try SampleWorkspace(people: 100)
        defer { workspace.remove() }
        try workspace.appendToConfiguration("""
            schedules:
              marketing: { every: 15m, push: true }
              crm:
                cron: "0 6 * * MON-FRI"
                timezone: Europe/Berlin
            """)
        #expect(try SyncHubProcess.run(["pull"], in: workspace.path).status == 0)
        // The deals export disappears: crm's next pull fails on that stream.
        try FileManager.default.removeItem(atPath: workspace.path + "/data/crm/opportunities.csv")
        let partial = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(partial.status == 3)

        // What a scheduler and an API connector would have left in the store.
        let store = try StoreDatabase(path: workspace.storePath)
        let next = Date().addingTimeInterval(600)
        try store.saveScheduleState(ScheduleState(
            connector: "crm", spec: "cron 0 6 * * MON-FRI (Europe/Berlin)", nextRunAt: next, consecutiveFailures: 2,
            backoffUntil: next))
        try store.recordAPIUsage([APIUsageMeter.Usage(connector: "crm", requests: 12, dailyRemaining: 4988, dailyLimit: 5000)])
        try store.recordAPIUsage([APIUsageMeter.Usage(connector: "crm", requests: 3)])

        let json = try SyncHubProcess.run(["status", "--json"], in: workspace.path)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let connectors = try #require(report["connectors"] as? [[String: Any]])
        #expect(connectors.compactMap { $0["connector"] as? String } == ["marketing", "crm"])
        let marketing = connectors[0], crm = connectors[1]
        #expect(marketing["schedule"] as? String == "every 15m, then push")
        #expect(marketing["lastSuccessAt"] is String)
        #expect(marketing["lastFailureAt"] == nil)
        #expect((marketing["quarantined"] as? Int ?? 0) > 0, "the sample's malformed rows")
        #expect(marketing["deadLettered"] as? Int == 0)
        #expect(marketing["apiRequestsToday"] as? Int == 0)
        #expect(crm["schedule"] as? String == "cron 0 6 * * MON-FRI (Europe/Berlin)")
        #expect(crm["nextRunAt"] as? String == StoreTime.text(next))
        #expect(crm["consecutiveFailures"] as? Int == 2)
        #expect(crm["backoffUntil"] as? String == StoreTime.text(next))
        #expect((crm["lastError"] as? String)?.hasPrefix("crm/deals: not found: ") == true, "\(crm)")
        #expect(crm["lastFailureAt"] is String)
        #expect(crm["lastSuccessAt"] is String, "the first pull succeeded")
        #expect(crm["apiRequestsToday"] as? Int == 15)
        #expect(crm["apiDailyRemaining"] as? Int == 4988)
        #expect(crm["apiDailyLimit"] as? Int == 5000)

        try store.acquireLock("sync", command: "schedule")
        let text = try SyncHubProcess.run(["status"], in: workspace.path)
        try store.releaseLock("sync")
        #expect(text.status == 0, "\(text.stderr)")
        for expected in [
            "Lock: held by `schedule` (pid \(getpid()) on \(currentHostName())) since 20",
            "  marketing: every 15m, then push",
            "  crm: cron 0 6 * * MON-FRI (Europe/Berlin); next run \(StoreTime.text(next))",
            "    last failure: 20",
            "    backoff: 2 failure(s) in a row; no run before \(StoreTime.text(next))",
            "    API today: 15 request(s); the system reports 4,988 of 5,000 left",
            "    quarantined: 1, dead-lettered: 0",
        ] {
            #expect(text.stdout.contains(expected), "missing \(expected) in\n\(text.stdout)")
        }
    }
}

/// API use per system, counted from real HTTP responses: a pull from the HubSpot simulator over loopback.
@Suite(.serialized) struct StatusAPIUsageTests {
    @Test(.timeLimit(.minutes(10))) func aPullFromAnAPICountsItsRequestsForStatus() throws {
        let folder = NSTemporaryDirectory() + "synchub-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sandbox = Process()
        sandbox.executableURL = SyncHubProcess.executable.deletingLastPathComponent().appendingPathComponent("synchub-sandbox")
        sandbox.arguments = ["--port", "0", "--contacts", "40", "--people", "20"]
        let out = Pipe()
        sandbox.standardOutput = out
        sandbox.standardError = FileHandle.nullDevice
        try sandbox.run()
        defer {
            sandbox.terminate()
            sandbox.waitUntilExit()
        }
        let banner = try #require(LineReader(out).next { $0.contains("listening on http://") })
        let base = try #require(banner.split(separator: " ").last.map(String.init))
        try """
            version: 1
            store: synchub.sqlite
            connectors:
              hubspot:
                type: hubspot
                system: marketing
                baseURL: \(base)
                accessToken: ${SYNCHUB_TEST_HUBSPOT_TOKEN}
                streams: { contacts: {}, companies: {} }
            """.write(toFile: folder + "/connectors.yml", atomically: true, encoding: .utf8)
        let environment = ["SYNCHUB_TEST_HUBSPOT_TOKEN": "sandbox-token"]
        let pull = try SyncHubProcess.run(["pull", "--log-format", "json", "--log-level", "debug"], in: folder, environment: environment)
        #expect(pull.status == 0, "\(pull.stderr.suffix(2000))")
        #expect(pull.stderr.contains("\"message\":\"HTTP request\""), "requests are logged")
        #expect(!pull.stderr.contains("sandbox-token"), "the token never appears")

        let status = try SyncHubProcess.run(["status", "--json"], in: folder, environment: environment)
        #expect(status.status == 0, "\(status.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let hubspot = try #require((report["connectors"] as? [[String: Any]])?.first)
        #expect(hubspot["connector"] as? String == "hubspot")
        let requests = try #require(hubspot["apiRequestsToday"] as? Int)
        let logged = pull.stderr.components(separatedBy: "\"message\":\"HTTP request\"").count - 1
        #expect(requests == logged, "one per response")
        #expect(requests >= 2)
    }
}
