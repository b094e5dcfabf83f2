import SyncHubConfiguration
import SyncHubCore
import Testing

@Suite struct YAMLSyntaxTests {
    @Test func reportsWhereTheSyntaxIsWrong() throws {
        let failure = try errors("connectors:\n  m:\n    type: fake\n   token: [x\n")
        #expect(failure.errors.count == 1)
        let error = try #require(failure.errors.first)
        #expect(error.location?.file == "connectors.yml")
        #expect(error.location?.line == 4)
        #expect(error.message.hasPrefix("invalid YAML: "))
        #expect(failure.description.hasPrefix("connectors.yml:4:"))
    }

    @Test func reportsABadIndentAtItsLine() throws {
        let failure = try errors("connectors:\n  m:\n    type: fake\n      token: x\n")
        let error = try #require(failure.errors.first)
        #expect(error.location?.line == 4)
        #expect(error.message.contains("mapping values are not allowed"))
        #expect(failure.description.hasPrefix("connectors.yml:4:"))
    }

    @Test func reportsDuplicateKeys() throws {
        let failure = try errors("connectors:\n  m:\n    type: fake\n  m:\n    type: hubspot\n")
        #expect(failure.errors.map(\.description) == ["connectors.yml:2:3: error: duplicate key 'm' in one map; keep one of each"])
    }

    @Test func rejectsAnEmptyFileAndANonMap() throws {
        #expect(try errors("").description == "connectors.yml:1:1: error: the file is empty; it needs a `connectors:` section")
        #expect(try errors("# only a comment\n").errors.count == 1)
        #expect(try errors("- a\n- b\n").description == "connectors.yml:1:1: error: expected a map of sections (version, store, connectors, ...)")
    }

    @Test func rejectsOtherVersions() throws {
        #expect(try errors("version: 2\nconnectors: {}\n").description == "connectors.yml:1:10: error: version: unsupported version; this synchub reads `version: 1`")
    }
}
