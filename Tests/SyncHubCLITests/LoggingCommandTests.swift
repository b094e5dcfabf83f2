import Foundation
import Testing

/// `--log-format json`: one JSON object per line on standard error, with connector, stream and run id; secrets and
/// field values never appear.
@Suite(.serialized) struct LoggingCommandTests {
    @Test(.timeLimit(.minutes(10))) func jsonLogLinesParseAndCarryNoSecretOrFieldValue() throws {
        let workspace = try SampleWorkspace(people: 200)
        defer { workspace.remove() }
        // The deals export's folder comes from the environment (so it is a secret) and does not exist: the stream
        // fails, and its error, which names the path, is logged.
        let secret = "s3cr3t-folder-7f4e2a"
        try workspace.replaceInConfiguration("\"data/crm/opportunities.csv\"", with: "\"${SYNCHUB_TEST_DEALS_DIR}/opportunities.csv\"")
        let result = try SyncHubProcess.run(
            ["pull", "--log-format", "json", "--log-level", "trace"], in: workspace.path,
            environment: ["SYNCHUB_TEST_DEALS_DIR": workspace.path + "/" + secret])
        #expect(result.status == 3, "the deals stream fails, the rest commits: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count > 10)
        let objects = lines.compactMap(jsonLine)
        #expect(objects.count == lines.count, "not JSON: \(lines.filter { jsonLine($0) == nil }.prefix(3))")
        #expect(objects.allSatisfy { $0["timestamp"] is String && $0["level"] is String && $0["message"] is String })
        #expect(objects.contains { $0["connector"] as? String == "crm" && $0["stream"] as? String == "contacts" && $0["run_id"] as? String == "1" })
        let failure = try #require(objects.first { $0["message"] as? String == "stream failed" }, "\(lines.suffix(5))")
        #expect(failure["level"] as? String == "error")
        #expect(failure["stream"] as? String == "deals")
        let error = try #require((failure["metadata"] as? [String: Any])?["error"] as? String)
        #expect(error.contains("[redacted]") && error.contains("does not exist"), "\(error)")

        #expect(!result.stderr.contains(secret), "the secret folder name never appears")
        // No field values: no email address of the sample appears in the logs.
        let email = try Regex(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#)
        #expect(result.stderr.firstMatch(of: email) == nil)
        // Human lines otherwise.
        let text = try SyncHubProcess.run(["pull", "--log-level", "info"], in: workspace.path, environment: ["SYNCHUB_TEST_DEALS_DIR": "/nonexistent"])
        #expect(text.stderr.split(separator: "\n").contains { !$0.hasPrefix("{") })
    }
}
