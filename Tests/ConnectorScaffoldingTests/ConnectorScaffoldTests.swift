import ConnectorScaffolding
import Testing

@Suite struct ConnectorScaffoldTests {
    @Test(arguments: ["Pipedrive", "HubSpot", "CSV", "Acme2", "X9"])
    func acceptsUpperCamelCaseNames(_ name: String) throws {
        let scaffold = try ConnectorScaffold(name: name)
        #expect(scaffold.name == name)
        #expect(scaffold.moduleName == "\(name)Connector")
        #expect(scaffold.typeName == name.lowercased())
    }

    @Test func rejectsBadNamesWithSuggestions() throws {
        func failure(_ name: String) throws -> ConnectorScaffold.NameError {
            try #require(throws: ConnectorScaffold.NameError.self) { try ConnectorScaffold(name: name) }
        }
        #expect(try failure("").description == "`` cannot name a connector: give a name in UpperCamelCase, such as Pipedrive")
        #expect(try failure("pipedrive").suggestion == "Pipedrive")
        #expect(try failure("pipedrive").description
            == "`pipedrive` cannot name a connector: it must start with an upper-case letter (UpperCamelCase); did you mean 'Pipedrive'?")
        #expect(try failure("acme-crm").suggestion == "AcmeCrm")
        #expect(try failure("Acme CRM").suggestion == "AcmeCRM")
        #expect(try failure("Café").reason == "use only ASCII letters and digits, in UpperCamelCase")
        #expect(try failure("PipedriveConnector").suggestion == "Pipedrive")
        #expect(try failure("2Fast").suggestion == nil)
        #expect(try failure(String(repeating: "A", count: 41)).reason == "use at most 40 characters")
    }

    @Test(arguments: ["File", "Core", "SyncHub", "Source", "Feedback", "Connector", "Testing", "FILE", "Store"])
    func rejectsReservedNames(_ name: String) throws {
        let error = try #require(throws: ConnectorScaffold.NameError.self) { try ConnectorScaffold(name: name) }
        #expect(error.reason == "synchub already uses this name; choose another")
    }

    @Test func listsTheFilesOfTheModuleItsTestsAndFixtures() throws {
        let scaffold = try ConnectorScaffold(name: "Pipedrive")
        #expect(scaffold.files.map(\.path) == [
            "Sources/Connectors/Pipedrive/PipedriveConnector.swift",
            "Sources/Connectors/Pipedrive/README.md",
            "Tests/Connectors/Pipedrive/PipedriveConnectorTests.swift",
            "Tests/Connectors/Pipedrive/Fixtures/contacts.jsonl",
        ])
        #expect(scaffold.directories == ["Sources/Connectors/Pipedrive", "Tests/Connectors/Pipedrive"])
        #expect(scaffold.files.allSatisfy { $0.contents.hasSuffix("\n") && !$0.contents.hasPrefix(" ") })
    }

    @Test func connectorSourceNamesItsTypes() throws {
        let source = try #require(try ConnectorScaffold(name: "Pipedrive").files.first?.contents)
        #expect(source.contains("public import SyncHubCore\n"))
        #expect(source.contains("public enum PipedriveConnector: ConnectorType {"))
        #expect(source.contains("public static let typeName = \"pipedrive\""))
        #expect(source.contains("public struct PipedriveSource: SourceConnector {"))
        #expect(source.contains("public struct PipedriveConfiguration: Sendable {"))
        #expect(source.contains("SettingSpec(\"path\", .path, required: true"))
        #expect(source.contains("Paginated<Int>"))
        #expect(source.contains("struct Cursor: Codable"))
        #expect(source.contains("\"no file at \\(path); check connectors.\\(connector).path\""))
        #expect(!source.contains("\\#("), "a template placeholder was left unfilled")
        // Unindented: the raw string's indentation was stripped.
        #expect(source.split(separator: "\n").contains("public enum PipedriveConnector: ConnectorType {"))
    }

    @Test func testSourceUsesTheConformanceKitAndTheFixture() throws {
        let files = try ConnectorScaffold(name: "Pipedrive").files
        let tests = try #require(files.first { $0.path.hasSuffix("PipedriveConnectorTests.swift") }?.contents)
        #expect(tests.contains("import SyncHubTesting\n"))
        #expect(tests.contains("import PipedriveConnector\n"))
        #expect(tests.contains("@Suite struct PipedriveConnectorTests {"))
        #expect(tests.contains("try await SourceConformance(connector: \"pipedrive\", source: source).run()"))
        #expect(tests.contains("#expect(failures.isEmpty, \"\\(failures)\")"))
        #expect(tests.contains("try PipedriveConnector.make(context)"))
        #expect(tests.contains("Bundle.module.url(forResource: \"Fixtures\""))
        #expect(tests.contains("[[\"c-1\", \"c-2\"], [\"c-3\", \"c-4\"], [\"c-5\"]]"))
        // The connector test kit, over a simulated system.
        #expect(tests.contains("final class PipedriveSimulatedFile: SimulatedSystem {"))
        #expect(tests.contains("try await ConnectorTestKit("))
        #expect(tests.contains("connector: \"pipedrive\", source: source, system: system, streams: [\"contacts\"]"))
        #expect(!tests.contains("\\#("), "a template placeholder was left unfilled")

        let fixture = try #require(files.first { $0.path.hasSuffix("contacts.jsonl") }?.contents)
        let rows = fixture.split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows.enumerated().allSatisfy { $1.hasPrefix("{\"id\":\"c-\($0 + 1)\",\"email\":") })
        #expect(rows.allSatisfy { $0.contains("\"first_name\":") && $0.contains("\"last_name\":") && $0.contains("\"updated_at\":") })
    }

    @Test func readmeSaysHowToReachTheRealAPI() throws {
        let files = try ConnectorScaffold(name: "Pipedrive").files
        let readme = try #require(files.first { $0.path.hasSuffix("README.md") }?.contents)
        #expect(readme.hasPrefix("# Pipedrive connector\n"))
        #expect(readme.contains("type: pipedrive"))
        #expect(readme.contains("${PIPEDRIVE_TOKEN}"))
        #expect(readme.contains("swift test --filter PipedriveConnectorTests"))
    }

    @Test func packageLineAndConnectorsDeclaration() throws {
        let scaffold = try ConnectorScaffold(name: "Foo")
        #expect(scaffold.packageLine == "\"Foo\"")
        #expect(scaffold.connectorsDeclaration(adding: ["File"]) == "let connectors = [\"File\", \"Foo\"]")
        #expect(scaffold.connectorsDeclaration(adding: ["File", "Foo"]) == "let connectors = [\"File\", \"Foo\"]")
        #expect(scaffold.connectorsDeclaration(adding: []) == "let connectors = [\"Foo\"]")
    }

    @Test func readsTheConnectorsListOfAManifest() {
        let manifest = """
            // swift-tools-version: 6.1
            import PackageDescription

            /// Every connector module.
            let connectors = ["File", "HubSpot"]

            let package = Package(name: "synchub")
            """
        #expect(ConnectorScaffold.connectorNames(inManifest: manifest) == ["File", "HubSpot"])
        #expect(ConnectorScaffold.connectorNames(inManifest: "let connectors: [String] = []\n") == [])
        #expect(ConnectorScaffold.connectorNames(inManifest: "let package = Package(name: \"x\")\n") == nil)
    }
}
