import Foundation
import Logging
@testable import SyncHubCLI
import SyncHubSchedule
import SyncHubTesting
import Testing

/// Human log lines (`--log-format text`) are masked as JSON lines are: secrets and personal data never appear.
@Suite struct TextLogHandlerTests {
    typealias Lines = CapturedLines

    func logger(_ lines: Lines, redactor: LogRedactor) -> Logger {
        var logger = Logger(label: "synchub") { TextLogHandler(label: $0, redactor: redactor, write: { lines.append($0) }) }
        logger.logLevel = .trace
        return logger
    }

    @Test func personalDataAndSecretsInMetadataAreMasked() throws {
        let lines = Lines()
        let redactor = LogRedactor()
        redactor.register(["s3cr3t-token-value"])
        var logger = logger(lines, redactor: redactor)
        logger[metadataKey: "sync.connector"] = "crm"
        logger.notice("linked a record", metadata: [
            "contact.email": "ada.lovelace@example.com",
            "person.firstName": "Augusta",
            "person.name": "Augusta Ada King",
            "contact.personalID": "523-45-6789",
            "note": "forwarded by grace.hopper@navy.example.org.",
            "nested": ["phone": "+44 20 7946 0000", "count": "3"],
            "http.path": "/contacts?access=s3cr3t-token-value",
            "authorization": "Bearer abc",
            "sync.records": "42",
        ])
        let line = try #require(lines.all.first)
        for value in ["ada.lovelace", "example.com", "Augusta", "Ada King", "grace.hopper", "navy.example.org", "7946", "523-45", "s3cr3t", "abc"] {
            #expect(!line.contains(value), "\(value) printed: \(line)")
        }
        #expect(line.contains("notice synchub: linked a record"), "\(line)")
        #expect(line.contains("sync.records=42"), "counts and ids stay: \(line)")
        #expect(line.contains("sync.connector=crm"), "\(line)")
        #expect(line.contains("note=forwarded by [redacted]."), "\(line)")
        #expect(line.contains("contact.email=[redacted]"), "\(line)")
        #expect(line.contains("http.path=/contacts?access=[redacted]"), "\(line)")
        #expect(line.contains("nested=[count: 3, phone: [redacted]]"), "\(line)")
        #expect(line.hasSuffix("\n"))
    }

    @Test func messagesAndErrorsAreMaskedAndNamesOfThingsAreNot() throws {
        let lines = Lines()
        let logger = logger(lines, redactor: LogRedactor())
        struct Failure: Error, CustomStringConvertible { var description: String { "refused bob@corp.example" } }
        logger.error("push to ann@shop.example failed", error: Failure(), metadata: ["lock.name": "sync", "sync.stream": "contacts"])
        let line = try #require(lines.all.first)
        #expect(!line.contains("ann@") && !line.contains("bob@") && !line.contains("corp.example"), "\(line)")
        #expect(line.contains("error synchub: push to [redacted] failed"), "\(line)")
        #expect(line.contains("error=refused [redacted]"), "\(line)")
        #expect(line.contains("lock.name=sync") && line.contains("sync.stream=contacts"), "\(line)")
        // An @ that is no address stays.
        logger.info("retry @ 5s for user@localhost")
        #expect(lines.all.last?.contains("retry @ 5s for user@localhost") == true)
    }

    @Test func theTextFormatUsesTheMaskingHandler() {
        #expect(Console.logHandler(label: "synchub", format: .text) is TextLogHandler)
        #expect(Console.logHandler(label: "synchub", format: .json) is JSONLogHandler)
    }
}
