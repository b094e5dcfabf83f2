import Foundation
import GRDB
import SyncHubStore
import Testing

/// Runs the built `synchub` binary against generated sample companies in temporary folders.
@Suite(.serialized) struct EndToEndTests {
    @Test(.timeLimit(.minutes(10))) func syncPullsResolvesAndPushesThenPushesNothingTwice() throws {
        let workspace = try SampleWorkspace(people: 300)
        defer { workspace.remove() }

        let sync = try SyncHubProcess.run(["sync"], in: workspace.path)
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("marketing/contacts"))
        #expect(sync.stdout.contains("Identity:"))
        #expect(sync.stdout.contains("Pushed to marketing:"))
        #expect(sync.stdout.contains("quarantined"))

        // Personal data is readable by its owner only.
        #expect(try workspace.permissions(of: "synchub.sqlite") == 0o600)
        #expect(try workspace.permissions(of: "out/feedback.jsonl") == 0o600)

        let feedback = try String(contentsOfFile: workspace.path + "/out/feedback.jsonl", encoding: .utf8)
        #expect(feedback.contains("\"deal_outcome\":\"won\""))
        #expect(feedback.contains("\"deal_outcome\":\"lost\""))

        let again = try SyncHubProcess.run(["push", "--json"], in: workspace.path)
        #expect(again.status == 0, "\(again.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        let push = (report?["push"] as? [[String: Any]])?.first
        #expect(push?["create"] as? Int == 0)
        #expect(push?["update"] as? Int == 0)
        #expect((push?["unchanged"] as? Int ?? 0) > 0)

        let status = try SyncHubProcess.run(["status"], in: workspace.path)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("contacts.csv:"), "quarantined rows are listed with file and line")
    }

    @Test(.timeLimit(.minutes(10))) func aDryRunPrintsThePlanAndChangesNothing() throws {
        let workspace = try SampleWorkspace(people: 200)
        defer { workspace.remove() }
        let pull = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(pull.status == 0, "\(pull.stderr)")
        let plan = try SyncHubProcess.run(["push", "--dry-run"], in: workspace.path)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("dry run"))
        #expect(plan.stdout.contains("create"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/out/feedback.jsonl"))
    }

    @Test(.timeLimit(.minutes(10))) func feedbackIsRetractedWhenAPersonLosesEveryDeal() throws {
        let workspace = try SampleWorkspace(people: 200)
        defer { workspace.remove() }
        let sync = try SyncHubProcess.run(["sync"], in: workspace.path)
        #expect(sync.status == 0, "\(sync.stderr)")
        let feedbackPath = workspace.path + "/out/feedback.jsonl"
        let pushedLines = try String(contentsOfFile: feedbackPath, encoding: .utf8).split(separator: "\n").count
        #expect(pushedLines > 10)

        // The CRM export no longer links any contact to a deal: every person loses their deals.
        let roles = workspace.path + "/data/crm/opportunity_contact_roles.csv"
        let header = try String(contentsOfFile: roles, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        try (header + "\n").write(toFile: roles, atomically: true, encoding: .utf8)
        let again = try SyncHubProcess.run(["sync", "--json"], in: workspace.path)
        #expect(again.status == 0, "\(again.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        let push = (report?["push"] as? [[String: Any]])?.first
        #expect(push?["retract"] as? Int == pushedLines, "every record given feedback is retracted")
        #expect(push?["create"] as? Int == 0)
        let lines = try String(contentsOfFile: feedbackPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == pushedLines)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["deal_outcome"] is NSNull || object?["deal_outcome"] == nil, "\(line.prefix(80))")
            #expect(object?["deal_count"] as? String == "0" || object?["deal_count"] as? Int == 0)
        }

        // Retracted once: the next push has nothing to send.
        let third = try SyncHubProcess.run(["push", "--json"], in: workspace.path)
        let thirdPush = ((try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any])?["push"] as? [[String: Any]])?.first
        #expect(thirdPush?["retract"] as? Int == 0)
        #expect(thirdPush?["unchanged"] as? Int == pushedLines)
    }

    @Test(.timeLimit(.minutes(10))) func aMissingEnvironmentVariableIsAClearErrorBeforeAnyWork() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        let config = try String(contentsOfFile: workspace.path + "/connectors.yml", encoding: .utf8)
            .replacingOccurrences(of: "synchub.sqlite", with: "${SYNCHUB_TEST_UNSET_VARIABLE}/synchub.sqlite")
        try config.write(toFile: workspace.path + "/connectors.yml", atomically: true, encoding: .utf8)
        let result = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(result.status == 78)
        #expect(result.stderr.contains("SYNCHUB_TEST_UNSET_VARIABLE"))
        #expect(result.stderr.contains("connectors.yml:"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/synchub.sqlite"))
    }

    @Test(.timeLimit(.minutes(10))) func aTypoInTheConfigurationSuggestsTheKey() throws {
        let workspace = try SampleWorkspace(people: 20)
        defer { workspace.remove() }
        let config = try String(contentsOfFile: workspace.path + "/connectors.yml", encoding: .utf8)
        let typo = config.replacingOccurrences(of: "path:", with: "pth:", options: [], range: config.range(of: "path:"))
        try typo.write(toFile: workspace.path + "/connectors.yml", atomically: true, encoding: .utf8)
        let result = try SyncHubProcess.run(["validate"], in: workspace.path)
        #expect(result.status == 78)
        #expect(result.stderr.contains("did you mean 'path'"), "\(result.stderr)")
        #expect(result.stderr.contains("connectors.yml:"), "the error points into the file")
    }

    @Test(.timeLimit(.minutes(5))) func twoPullsAtOnceNeverCorruptTheStore() throws {
        let workspace = try SampleWorkspace(people: 3000)
        defer { workspace.remove() }
        let first = try SyncHubProcess.start(["pull"], in: workspace.path)
        let second = try SyncHubProcess.start(["pull"], in: workspace.path)
        let outputs = [first, second].map { process, out, err -> (Int32, String) in
            _ = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, stderr)
        }
        let codes = outputs.map(\.0)
        #expect(codes.allSatisfy { $0 == 0 || $0 == 75 }, "\(outputs)")
        #expect(codes.contains(0))
        for (code, stderr) in outputs where code == 75 {
            #expect(stderr.contains("another synchub"), "the busy run says why: \(stderr)")
        }
        let queue = try DatabaseQueue(path: workspace.path + "/synchub.sqlite")
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        // Whatever the interleaving, a final pull leaves the complete store.
        #expect(try SyncHubProcess.run(["pull"], in: workspace.path).status == 0)
    }

    @Test(.timeLimit(.minutes(5))) func aPullKilledMidwayThenRerunEqualsACleanRun() throws {
        let workspace = try SampleWorkspace(people: 6000, seed: 11)
        defer { workspace.remove() }

        let (process, _, _) = try SyncHubProcess.start(["pull"], in: workspace.path)
        // Wait until at least one batch is committed, then kill the process without warning.
        let deadline = Date().addingTimeInterval(60)
        var committed = false
        while Date() < deadline, process.isRunning, !committed {
            if let queue = try? DatabaseQueue(path: workspace.path + "/synchub.sqlite"),
                let count = try? queue.read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM checkpoint") }), count > 0 {
                committed = true
            } else {
                usleep(5_000)
            }
        }
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(committed)
        #expect(wasRunning, "the pull finished before it could be killed; use a bigger sample")

        // The rerun takes over the dead process's lock and resumes from the committed checkpoints.
        let rerun = try SyncHubProcess.run(["pull"], in: workspace.path)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        // A clean run over the same files into another store.
        let reference = try SyncHubProcess.run(["pull", "--db", "clean.sqlite"], in: workspace.path)
        #expect(reference.status == 0, "\(reference.stderr)")

        let a = try StoreDatabase(path: workspace.path + "/synchub.sqlite").contentsForComparison()
        let b = try StoreDatabase(path: workspace.path + "/clean.sqlite").contentsForComparison()
        #expect(a.keys.sorted() == b.keys.sorted())
        for table in a.keys.sorted() {
            #expect(a[table] == b[table], "table \(table) differs")
        }
        #expect((a["raw_record"]?.count ?? 0) > 10_000)
    }
}
