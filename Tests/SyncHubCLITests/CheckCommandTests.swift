import Foundation
import Testing

/// `synchub check` as a process on a generated sample company.
@Suite(.serialized) struct CheckCommandTests {
    @Test(.timeLimit(.minutes(10))) func countsWithExampleIDsAndStrictExitCodes() throws {
        let workspace = try SampleWorkspace(people: 600)
        defer { workspace.remove() }
        let noStore = try SyncHubProcess.run(["check"], in: workspace.path)
        #expect(noStore.status == 1 && noStore.stderr.contains("run `synchub pull` first"))
        #expect(try SyncHubProcess.run(["pull"], in: workspace.path).status == 0)

        let text = try SyncHubProcess.run(["check"], in: workspace.path)
        #expect(text.status == 0, "\(text.stderr)")
        for title in [
            "MQLs with no owner", "leads past the follow-up SLA", "stage drift between systems",
            "opportunities with no marketing touch", "unsubscribed in marketing, active in sales",
        ] {
            #expect(text.stdout.contains(title), "\(title)")
        }
        #expect(!text.stdout.contains("@"), "record ids, never email addresses")
        #expect(!text.stderr.contains("@"))

        let result = try SyncHubProcess.run(["check", "--json"], in: workspace.path)
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let checks = try #require(document["checks"] as? [[String: Any]])
        #expect(checks.count == 5)
        let overdue = try #require(checks.first { $0["check"] as? String == "followUpOverdue" })
        #expect((overdue["count"] as? Int ?? 0) > 0, "the sample has leads nobody called")
        let firstExample = (overdue["examples"] as? [String])?.first ?? ""
        #expect(firstExample.contains("(crm:"), "\(firstExample)")
        let failing = checks.filter { $0["passed"] as? Bool == false }
        #expect(!failing.isEmpty, "the sample company has alignment problems to find")

        // --strict turns a check over its limit into exit code 4.
        let strict = try SyncHubProcess.run(["check", "--strict"], in: workspace.path)
        #expect(strict.status == 4)
        #expect(strict.stdout.contains("FAIL"))

        // Raise every limit: healthy, exit 0 even with --strict.
        var config = try String(contentsOfFile: workspace.path + "/connectors.yml", encoding: .utf8)
        for check in [
            "mqlWithoutOwner", "followUpOverdue", "stageDrift", "opportunityWithoutTouch", "unsubscribedButActive",
        ] {
            config = config.replacingOccurrences(
                of: #"(?m)^    \#(check): \d+$"#, with: "    \(check): 100000", options: .regularExpression)
        }
        try config.write(toFile: workspace.path + "/connectors.yml", atomically: true, encoding: .utf8)
        let healthy = try SyncHubProcess.run(["check", "--strict"], in: workspace.path)
        #expect(healthy.status == 0, "\(healthy.stdout)")
        #expect(healthy.stdout.contains("Every check is within its limit."))
    }
}
