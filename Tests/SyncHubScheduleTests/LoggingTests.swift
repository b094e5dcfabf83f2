import Foundation
import Logging
import SyncHubCore
import SyncHubSchedule
import SyncHubTesting
import Testing

@Suite struct LoggingTests {
    typealias Lines = CapturedLines

    func logger(_ lines: Lines, redactor: LogRedactor) -> Logger {
        var logger = Logger(label: "synchub") { JSONLogHandler(label: $0, redactor: redactor, write: { lines.append($0) }) }
        logger.logLevel = .debug
        return logger
    }

    @Test func eachLineIsOneJSONObjectWithConnectorStreamAndRunID() throws {
        let lines = Lines()
        var logger = logger(lines, redactor: LogRedactor())
        logger[metadataKey: "sync.connector"] = "crm"
        logger.notice("committed batch", metadata: ["sync.stream": "contacts", "sync.run_id": "12", "sync.records": "500"])
        logger.debug("a \"quoted\"\nmultiline message\twith\u{1} control characters")
        let written = lines.all
        #expect(written.count == 2)
        #expect(written.allSatisfy { $0.hasSuffix("}\n") && $0.dropLast().contains("\n") == false })
        let first = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "notice")
        #expect(first["message"] as? String == "committed batch")
        #expect(first["connector"] as? String == "crm")
        #expect(first["stream"] as? String == "contacts")
        #expect(first["run_id"] as? String == "12")
        #expect((first["metadata"] as? [String: Any])?["sync.records"] as? String == "500")
        let timestamp = try #require(first["timestamp"] as? String)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"), "\(timestamp)")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "a \"quoted\"\nmultiline message\twith\u{1} control characters")
        #expect(second["stream"] == nil)
    }

    @Test func secretsNeverReachALine() throws {
        let lines = Lines()
        let redactor = LogRedactor()
        let token = "pat-na1-1234abcd-secret"
        let configuration = SettingNode(.map([
            (key: "connectors", keyLocation: nil, value: SettingNode(.map([
                (key: "hubspot", keyLocation: nil, value: SettingNode(.map([
                    (key: "accessToken", keyLocation: nil, value: SettingNode(.scalar(token), isSecret: true)),
                    (key: "type", keyLocation: nil, value: SettingNode(.scalar("hubspot"))),
                ]))),
            ]))),
        ]))
        redactor.register(secretsIn: configuration)
        let logger = logger(lines, redactor: redactor)
        logger.error("request failed with token \(token)", metadata: [
            "http.path": "/crm/v3/objects?token=\(token)", "authorization": "Bearer something-else", "nested": ["k": "\(token)"],
        ])
        let line = try #require(lines.all.first)
        #expect(!line.contains(token))
        #expect(!line.contains("something-else"), "a key that names a secret is masked whatever its value")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "request failed with token [redacted]")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["authorization"] as? String == "[redacted]")
        #expect(metadata["http.path"] as? String == "/crm/v3/objects?token=[redacted]")
        #expect((metadata["nested"] as? [String: Any])?["k"] as? String == "[redacted]")
        // Values too short to be secrets are not masked (they would mask ordinary words).
        redactor.register(["abc"])
        #expect(redactor.redact("abc def") == "abc def")
    }
}
