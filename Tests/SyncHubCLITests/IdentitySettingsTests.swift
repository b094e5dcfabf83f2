@testable import SyncHubCLI
import SyncHubConfiguration
import SyncHubConnectors
import SyncHubIdentity
import SyncHubStore
import Testing

/// `identity.matching` in `connectors.yml`, read in process.
@Suite struct IdentitySettingsTests {
    func matching(_ yaml: String) throws -> MatchConfiguration {
        let text = """
            version: 1
            connectors: {}
            identity:
              matching:
            \(yaml)
            """
        let configuration = try ConfigurationLoader.parse(text: text, path: "connectors.yml", environment: [:], connectorTypes: ConnectorRegistry.all)
        return try SyncHubApp.identitySettings(configuration).matching
    }

    @Test func theMarginsAreReadAndYearsApartDatesStayUnlinkedUnlessSet() throws {
        let defaults = try matching("    enabled: true")
        #expect(defaults.yearsApartBirthDateMargin == nil)
        #expect(defaults.birthDateConflictMargin == 5)
        let set = try matching("""
                namesOnlyMargin: 2
                birthDateConflictMargin: 4
                yearsApartBirthDateMargin: 6.5
            """)
        #expect(set.namesOnlyMargin == 2)
        #expect(set.birthDateConflictMargin == 4)
        #expect(set.yearsApartBirthDateMargin == 6.5)
        // An empty value is no value: years-apart dates still never link.
        #expect(try matching("    yearsApartBirthDateMargin:").yearsApartBirthDateMargin == nil)
    }

    @Test func aMarginThatIsNoNumberNamesItsKey() throws {
        let error = #expect(throws: (any Error).self) { try matching("    yearsApartBirthDateMargin: often") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("yearsApartBirthDateMargin"), "\(String(describing: error))")
    }
}
