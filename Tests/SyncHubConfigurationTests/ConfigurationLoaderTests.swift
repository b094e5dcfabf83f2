import Foundation
import SyncHubConfiguration
import SyncHubCore
import Testing

/// Parses `text` as `connectors.yml`, expecting failure, and returns the errors thrown.
func errors(
    _ text: String, environment: [String: String] = ["TOKEN": "t"], sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> ConfigurationErrors {
    try #require(throws: ConfigurationErrors.self, sourceLocation: sourceLocation) {
        try ConfigurationLoader.parse(text: text, path: "connectors.yml", environment: environment, connectorTypes: testTypes)
    }
}

func parse(_ text: String, environment: [String: String] = ["TOKEN": "t"]) throws -> SyncHubConfiguration {
    try ConfigurationLoader.parse(text: text, path: "/etc/synchub/connectors.yml", environment: environment, connectorTypes: testTypes)
}

@Suite struct ConfigurationLoaderTests {
    static let good = """
        version: 1
        store: data/hub.sqlite
        connectors:
          marketing:
            type: fake
            system: marketing
            token: ${TOKEN}
            pageSize: 50
            interval: 15m
            streams:
              contacts:
                path: sample/contacts.csv
                format: csv
                columns: { email: "Email", anything: "Goes" }
              deals: { path: deals.jsonl, wonStages: [won, "Closed Won"] }
          crm:
            type: hubspot
            portal: "123"
        identity:
          rules: [email]
        schedules:
          nightly: { every: 1d }

        """

    @Test func parsesAGoodFile() throws {
        let configuration = try parse(Self.good, environment: ["TOKEN": "abc"])
        #expect(configuration.path == "/etc/synchub/connectors.yml")
        #expect(configuration.baseDirectory == "/etc/synchub")
        #expect(configuration.storePath == "/etc/synchub/data/hub.sqlite")
        #expect(configuration.connectors.map(\.name) == ["marketing", "crm"])
        #expect(configuration.connectors.map(\.typeName) == ["fake", "hubspot"])

        let marketing = try #require(configuration.connector(named: "marketing"))
        #expect(marketing.settings.path == "connectors.marketing")
        #expect(try marketing.settings.requiredString("token") == "abc")
        #expect(try marketing.settings.int("pageSize", default: 100) == 50)
        #expect(try marketing.settings.duration("interval", default: .seconds(1)) == .seconds(900))
        let streams = try #require(try marketing.settings.section("streams"))
        #expect(streams.keys == ["contacts", "deals"])
        let contacts = try #require(try streams.section("contacts"))
        #expect(contacts.path == "connectors.marketing.streams.contacts")
        #expect(try contacts.stringMap("columns").map(\.key) == ["email", "anything"])
        let deals = try #require(try streams.section("deals"))
        #expect(try deals.stringList("wonStages") == ["won", "Closed Won"])

        let identity = try #require(try configuration.section("identity"))
        #expect(try identity.stringList("rules") == ["email"])
        #expect(configuration.root.keys == ["version", "store", "connectors", "identity", "schedules"])
    }

    @Test func defaultStoreIsNextToTheFile() throws {
        let configuration = try parse("connectors:\n  crm: { type: hubspot }\n")
        #expect(configuration.storePath == "/etc/synchub/synchub.sqlite")
    }

    @Test func environmentOverridesStore() throws {
        let configuration = try parse(Self.good, environment: ["TOKEN": "abc", "SYNCHUB_STORE": "/var/lib/hub.sqlite"])
        #expect(configuration.storePath == "/var/lib/hub.sqlite")
    }

    @Test func emptyConnectorsSectionIsAllowedButAMissingOneIsNot() throws {
        #expect(try parse("connectors: {}\n").connectors.isEmpty)
        let failure = try errors("version: 1\n")
        #expect(failure.description == "connectors.yml:1:1: error: no `connectors:` section; add one with at least one connector")
    }

    @Test func recordsLinesAndColumnsOfValuesAndKeys() throws {
        let configuration = try parse(Self.good, environment: ["TOKEN": "abc"])
        let marketing = try #require(configuration.connector(named: "marketing"))
        #expect(marketing.location == SyncHubCore.SourceLocation(file: "/etc/synchub/connectors.yml", line: 4, column: 3))
        #expect(configuration.connector(named: "crm")?.location?.line == 16)

        let contacts = try #require(try marketing.settings.section("streams")?.section("contacts"))
        let path = try #require(contacts.node["path"])
        #expect(path.location == SyncHubCore.SourceLocation(file: "/etc/synchub/connectors.yml", line: 12, column: 15))
        guard case .map(let entries) = contacts.node.value else { Issue.record("contacts is not a map"); return }
        #expect(entries.first?.keyLocation == SyncHubCore.SourceLocation(file: "/etc/synchub/connectors.yml", line: 12, column: 9))

        let deals = try #require(try marketing.settings.section("streams")?.section("deals"))
        guard case .list(let stages)? = deals.node["wonStages"]?.value else { Issue.record("wonStages is not a list"); return }
        #expect(stages.map { $0.location?.column } == [47, 52])
        #expect(stages.allSatisfy { $0.location?.line == 15 })
    }

    @Test func loadsAFileAndResolvesAgainstItsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synchub-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("connectors.yml").path
        try "store: ./state/../hub.sqlite\nconnectors:\n  crm: { type: hubspot }\n".write(toFile: file, atomically: true, encoding: .utf8)

        let configuration = try ConfigurationLoader.load(path: file, environment: [:], connectorTypes: testTypes)
        #expect(configuration.path == file)
        #expect(configuration.baseDirectory == folder.path)
        #expect(configuration.storePath == folder.path + "/hub.sqlite")

        let missing = try #require(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.load(path: folder.path + "/nope.yml", environment: [:], connectorTypes: testTypes)
        }
        #expect(missing.description.contains("nope.yml: no such file"))
    }

    // MARK: Suggestions

    @Test func suggestsTopLevelSection() throws {
        let failure = try errors("version: 1\nconectors:\n  crm: { type: hubspot }\n")
        #expect(failure.errors.count == 2)
        #expect(failure.errors[0].description == "connectors.yml:1:1: error: no `connectors:` section; add one with at least one connector")
        #expect(failure.errors[1].description == "connectors.yml:2:1: error: conectors: unknown section; did you mean 'connectors'?")
    }

    @Test func listsSectionsWhenNothingIsClose() throws {
        let failure = try errors("connectors: {}\nweather: sunny\n")
        #expect(failure.description == "connectors.yml:2:1: error: weather: unknown section; expected one of version, store, connectors, identity, push, stages, sla, schedules, report")
    }

    @Test func suggestsConnectorType() throws {
        let failure = try errors("connectors:\n  marketing:\n    type: fkae\n    token: x\n")
        #expect(failure.description == "connectors.yml:3:11: error: connectors.marketing.type: unknown connector type `fkae`; did you mean 'fake'?; known types: fake, hubspot")
    }

    @Test func requiresAType() throws {
        let failure = try errors("connectors:\n  marketing:\n    token: x\n")
        #expect(failure.description == "connectors.yml:2:3: error: connectors.marketing: missing `type:`; known types: fake, hubspot")
    }

    @Test func suggestsSettingKey() throws {
        let failure = try errors("""
            connectors:
              marketing:
                type: fake
                token: x
                streams:
                  contacts:
                    pth: contacts.csv
                    path: contacts.csv
                pagesize: 10
                feedback: { paht: out.jsonl }

            """)
        #expect(failure.errors.map(\.description) == [
            "connectors.yml:7:9: error: connectors.marketing.streams.contacts.pth: unknown setting; did you mean 'path'?",
            "connectors.yml:9:5: error: connectors.marketing.pagesize: unknown setting; did you mean 'pageSize'?",
            "connectors.yml:10:17: error: connectors.marketing.feedback.paht: unknown setting; did you mean 'path'?",
        ])
    }

    @Test func listsSettingsWhenNothingIsClose() throws {
        let failure = try errors("connectors:\n  crm:\n    type: hubspot\n    weather: sunny\n")
        #expect(failure.description == "connectors.yml:4:5: error: connectors.crm.weather: unknown setting; expected one of type, system, portal")
    }

    @Test func checksInstanceNames() throws {
        let failure = try errors("connectors:\n  Marketing:\n    type: hubspot\n  sales.crm:\n    type: hubspot\n")
        #expect(failure.errors.map(\.description) == [
            "connectors.yml:2:3: error: connectors.Marketing: an instance name may contain only lower-case letters, digits, `-` and `_`; did you mean 'marketing'?",
            "connectors.yml:4:3: error: connectors.sales.crm: an instance name may contain only lower-case letters, digits, `-` and `_`",
        ])
        #expect(try parse("connectors:\n  crm-2_eu:\n    type: hubspot\n").connectors.map(\.name) == ["crm-2_eu"])
    }

    // MARK: Kinds, required settings, allowed values

    @Test func reportsEveryKindError() throws {
        let failure = try errors("""
            connectors:
              marketing:
                type: fake
                token: x
                pageSize: lots
                ratio: half
                verbose: maybe
                interval: 15 minutes
                streams:
                  contacts:
                    path: [a, b]
                    format: xml
                    columns: email
                  deals:
                    path: d.csv
                    wonStages: { won: yes }
              crm:
                type: hubspot
                portal: { id: 1 }

            """)
        #expect(failure.errors.map(\.description) == [
            "connectors.yml:5:15: error: connectors.marketing.pageSize: expected a whole number",
            "connectors.yml:6:12: error: connectors.marketing.ratio: expected a number",
            "connectors.yml:7:14: error: connectors.marketing.verbose: expected true or false",
            "connectors.yml:8:15: error: connectors.marketing.interval: expected a duration such as 30s, 15m, 1h or 1d",
            "connectors.yml:11:15: error: connectors.marketing.streams.contacts.path: expected a single value, found a list",
            "connectors.yml:12:17: error: connectors.marketing.streams.contacts.format: `xml` is not one of csv, jsonl",
            "connectors.yml:13:18: error: connectors.marketing.streams.contacts.columns: expected a map",
            "connectors.yml:16:20: error: connectors.marketing.streams.deals.wonStages: expected a list, found a map",
            "connectors.yml:19:13: error: connectors.crm.portal: expected a single value, found a map",
        ])
    }

    @Test func suggestsAllowedValue() throws {
        let failure = try errors("connectors:\n  m:\n    type: fake\n    token: x\n    streams: { c: { path: c, format: jsonn } }\n")
        #expect(failure.description == "connectors.yml:5:38: error: connectors.m.streams.c.format: `jsonn` is not one of csv, jsonl; did you mean 'jsonl'?")
    }

    @Test func reportsMissingRequiredSettings() throws {
        let failure = try errors("""
            connectors:
              marketing:
                type: fake
                streams:
                  contacts: { format: csv }
                  deals:
                  leads:
                    path:

            """)
        #expect(failure.errors.map(\.description) == [
            "connectors.yml:2:3: error: connectors.marketing.token: required setting is missing; add `token: ...`",
            "connectors.yml:5:7: error: connectors.marketing.streams.contacts.path: required setting is missing; add `path: ...`",
            "connectors.yml:6:7: error: connectors.marketing.streams.deals.path: required setting is missing; add `path: ...`",
            "connectors.yml:8:9: error: connectors.marketing.streams.leads.path: required setting has no value",
        ])
    }

    @Test func acceptsDurationsAndBooleans() throws {
        for (text, expected) in [("30s", Duration.seconds(30)), ("1h30m", .seconds(5400)), ("1d", .seconds(86_400)),
                                 ("250ms", .milliseconds(250)), ("1.5h", .seconds(5400))] {
            #expect(ConfigurationLoader.parseDuration(text) == expected, "\(text)")
        }
        for text in ["", "15", "m", "15 minutes", "1w", "-1s"] {
            #expect(ConfigurationLoader.parseDuration(text) == nil, "\(text)")
        }
        let configuration = try parse("connectors:\n  m:\n    type: fake\n    token: x\n    verbose: yes\n    interval: 1h30m\n")
        #expect(try configuration.connectors[0].settings.bool("verbose", default: false) == true)
    }

    @Test func collectsAllProblemsAtOnce() throws {
        let failure = try errors("""
            versio: 1
            connectors:
              m:
                type: fake
                pageSize: x
                streams: { c: { pth: c } }
              n:
                type: nope

            """, environment: [:])
        #expect(failure.errors.count == 6)
        #expect(failure.description.split(separator: "\n").count == 6)
        #expect(failure.errors.map { $0.location?.line } == [1, 3, 5, 6, 6, 8])
    }
}
