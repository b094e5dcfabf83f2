import ArgumentParser
@testable import SyncHubCLI
import SyncHubCore
import Testing

@Suite struct CommandParsingTests {
    @Test func parsesPullWithItsFilters() throws {
        let command = try SyncHub.parseAsRoot(["pull", "--connector", "crm", "--stream", "deals", "--full-refresh", "--db", "x.sqlite", "--json"])
        let pull = try #require(command as? SyncHub.Pull)
        #expect(pull.connectors == ["crm"])
        #expect(pull.streams == ["deals"])
        #expect(pull.fullRefresh)
        #expect(pull.global.db == "x.sqlite")
        #expect(pull.global.json)
        #expect(pull.global.config == "connectors.yml")
    }

    @Test func parsesPushDryRun() throws {
        let push = try #require(try SyncHub.parseAsRoot(["push", "--dry-run", "--connector", "marketing"]) as? SyncHub.Push)
        #expect(push.dryRun)
        #expect(push.connectors == ["marketing"])
    }

    @Test func rejectsAnUnknownLogLevel() {
        #expect(throws: (any Error).self) { try SyncHub.parseAsRoot(["pull", "--log-level", "loud"]) }
    }

    @Test func sampleValidatesItsFormat() {
        #expect(throws: (any Error).self) { try SyncHub.parseAsRoot(["sample", "--contacts-format", "xml"]) }
    }

    @Test func suggestsTheClosestName() {
        #expect(Suggestions.closest(to: "markting", among: ["marketing", "crm"]) == "marketing")
        #expect(Suggestions.closest(to: "zzzzzz", among: ["marketing", "crm"]) == nil)
    }
}
