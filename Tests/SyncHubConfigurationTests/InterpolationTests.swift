import SyncHubConfiguration
import SyncHubCore
import Testing

@Suite struct InterpolationTests {
    static let secret = "s3cr3t-T0KEN-value-9f8e"

    @Test func replacesVariablesAnywhereInAValueAndMarksThemSecret() throws {
        let configuration = try parse("""
            connectors:
              m:
                type: fake
                token: "Bearer ${TOKEN}"
                streams:
                  c: { path: "${DATA}/contacts-${YEAR}.csv" }

            """, environment: ["TOKEN": "abc", "DATA": "/srv/data", "YEAR": "2025"])
        let settings = configuration.connectors[0].settings
        #expect(try settings.string("token") == "Bearer abc")
        #expect(settings.node["token"]?.isSecret == true)
        let stream = try #require(try settings.section("streams")?.section("c"))
        #expect(try stream.string("path") == "/srv/data/contacts-2025.csv")
        #expect(stream.node["path"]?.isSecret == true)
    }

    @Test func usesDefaultsWhenAVariableIsUnsetOrEmpty() throws {
        let configuration = try parse("""
            store: ${STORE:-./default.sqlite}
            connectors:
              m:
                type: fake
                token: ${TOKEN:-fallback}
                streams:
                  c: { path: "${EMPTY:-x.csv}" }
                  d: { path: "${SET:-unused}.csv" }

            """, environment: ["EMPTY": "", "SET": "real"])
        #expect(configuration.storePath == "/etc/synchub/default.sqlite")
        let settings = configuration.connectors[0].settings
        #expect(try settings.string("token") == "fallback")
        let streams = try #require(try settings.section("streams"))
        #expect(try streams.section("c")?.string("path") == "x.csv")
        #expect(try streams.section("d")?.string("path") == "real.csv")
        #expect(streams.node["d"]?["path"]?.isSecret == true)
        // `token` is declared secret by its spec, so it is secret even when written in the file.
        #expect(settings.node["token"]?.isSecret == true)
        #expect(streams.node["c"]?["path"]?.isSecret == false)
    }

    @Test func doubleDollarIsALiteralDollar() throws {
        let configuration = try parse("connectors:\n  m:\n    type: fake\n    token: \"p$$w$rd$${NOT}\"\n", environment: [:])
        let token = try #require(configuration.connectors[0].settings.node["token"])
        #expect(token.value.text == "p$w$rd${NOT}")
    }

    @Test func missingVariableNamesItsKeyAndPlace() throws {
        let failure = try errors("""
            connectors:
              m:
                type: fake
                token: ${HUB_TOKEN}
                pageSize: ${PAGE_SIZE}
                streams:
                  c: { path: "${DATA_DIR}/c.csv" }

            """, environment: ["OTHER": Self.secret])
        #expect(failure.errors.map(\.description) == [
            "connectors.yml:4:12: error: connectors.m.token: environment variable HUB_TOKEN is not set; set it, or write `${HUB_TOKEN:-default}`",
            "connectors.yml:5:15: error: connectors.m.pageSize: environment variable PAGE_SIZE is not set; set it, or write `${PAGE_SIZE:-default}`",
            "connectors.yml:7:18: error: connectors.m.streams.c.path: environment variable DATA_DIR is not set; set it, or write `${DATA_DIR:-default}`",
        ])
    }

    @Test func malformedReferencesAreErrors() throws {
        let failure = try errors("connectors:\n  m:\n    type: fake\n    token: ${TOKEN\n    pageSize: ${1x}\n")
        #expect(failure.errors.count == 2)
        #expect(failure.errors[0].description.hasPrefix("connectors.yml:4:12: error: connectors.m.token: `${` is not closed"))
        #expect(failure.errors[1].description.hasPrefix("connectors.yml:5:15: error: connectors.m.pageSize: `${1x}` is not a variable reference"))
    }

    @Test func secretValuesNeverAppearInErrors() throws {
        let environment = ["TOKEN": Self.secret, "SIZE": Self.secret, "FORMAT": Self.secret, "KIND": Self.secret]
        let failure = try errors("""
            connectors:
              m:
                type: fake
                token: ${TOKEN}
                pageSize: ${SIZE}
                ratio: "${SIZE}"
                verbose: ${SIZE}
                interval: ${SIZE}
                streams:
                  c: { path: "${TOKEN}", format: "${FORMAT}", wonStages: ["${FORMAT}"] }
                  d: { path: ok, format: "${FORMAT}" }
              n:
                type: ${KIND}

            """, environment: environment)
        #expect(failure.errors.count == 7)
        #expect(failure.errors.contains { $0.description.contains("connectors.m.streams.c.format: the value is not one of csv, jsonl") })
        #expect(failure.errors.contains { $0.description.contains("connectors.n.type: unknown connector type the value") })
        #expect(!failure.description.contains(Self.secret))
        #expect(!String(describing: failure).contains(Self.secret))
        #expect(!String(reflecting: failure).contains(Self.secret))
        for error in failure.errors {
            #expect(!error.description.contains(Self.secret))
            #expect(!error.message.contains(Self.secret))
            #expect(error.keyPath?.contains(Self.secret) != true)
        }
    }
}

extension SettingNode.Value {
    var text: String? { if case .scalar(let text) = self { text } else { nil } }
}
