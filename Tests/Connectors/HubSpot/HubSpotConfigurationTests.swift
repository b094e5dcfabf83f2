import Foundation
import Logging
import SyncHubCore
import Testing

@testable import HubSpotConnector

/// Builds a `SettingNode` tree from literals: strings are scalars, arrays lists, `KeyValuePairs` maps.
func settingNode(_ value: Any, secret: Bool = false) -> SettingNode {
    switch value {
    case let text as String: return SettingNode(.scalar(text), isSecret: secret)
    case let number as Int: return SettingNode(.scalar(String(number)))
    case let items as [Any]: return SettingNode(.list(items.map { settingNode($0) }))
    case let pairs as KeyValuePairs<String, Any>:
        return SettingNode(.map(pairs.map { (key: $0.key, keyLocation: nil, value: settingNode($0.value)) }))
    default:
        Issue.record("unsupported setting literal \(type(of: value))")
        return SettingNode(.null)
    }
}

func makeHubSpot(_ settings: KeyValuePairs<String, Any>, name: String = "crm") throws -> ConnectorInstance {
    let context = ConnectorContext(
        name: name, settings: Settings(node: settingNode(settings), path: "connectors.\(name)"), baseDirectory: "/tmp",
        logger: Logger(label: "test"))
    return try HubSpotConnector.make(context)
}

@Suite struct HubSpotConfigurationTests {
    @Test func defaultsFollowHubSpot() throws {
        let instance = try makeHubSpot(["type": "hubspot", "accessToken": "pat-na1-x"])
        let source = try #require(instance.source as? HubSpotSource)
        let configuration = source.configuration
        #expect(configuration.baseURL.absoluteString == "https://api.hubapi.com")
        #expect(configuration.requestsPerTenSeconds == 100)
        #expect(configuration.searchRequestsPerSecond == 4)
        #expect(configuration.pageSize == 100 && configuration.searchPageSize == 200)
        #expect(configuration.overlapSeconds == 300)
        #expect(configuration.streams == HubSpotStream.allCases)
        #expect(configuration.contactProperties.contains("hs_merged_object_ids"))
        #expect(configuration.dealProperties.contains("closed_lost_reason"))
        #expect(instance.feedback == nil)
        #expect(HubSpotConnector.typeName == "hubspot")
        #expect(HubSpotConnector.settings.contains { $0.key == "accessToken" && $0.isSecret })
        #expect(HubSpotConnector.settings.contains { $0.key == "oauth.clientSecret" && $0.isSecret && $0.isRequired })
    }

    @Test func everySettingIsRead() async throws {
        let instance = try makeHubSpot([
            "type": "hubspot",
            "oauth": ["clientId": "id", "clientSecret": "secret", "refreshToken": "refresh"] as KeyValuePairs<String, Any>,
            "baseURL": "https://api-eu1.hubapi.com/",
            "requestsPerTenSeconds": 150, "dailyRequestLimit": 20_000, "dailyReserve": 5_000,
            "searchRequestsPerSecond": 3, "pageSize": 50, "searchPageSize": 120, "overlapSeconds": 60,
            "archivedCheckMinutes": 60,
            "streams": [
                "contacts": ["extraProperties": ["favorite_color"]] as KeyValuePairs<String, Any>,
                "deals": [
                    "wonStages": ["won", "signed"], "lostStages": ["lost"], "lossReasonProperty": "why_lost",
                ] as KeyValuePairs<String, Any>,
                "email_events": ["startDate": "2024-01-01", "eventTypes": ["open", "click"], "windowDays": 3]
                    as KeyValuePairs<String, Any>,
            ] as KeyValuePairs<String, Any>,
            "feedback": ["propertyGroup": "synchub", "prefix": "sh_"] as KeyValuePairs<String, Any>,
        ])
        let source = try #require(instance.source as? HubSpotSource)
        let configuration = source.configuration
        guard case .oauth(let clientID, _, _, let tokenURL) = configuration.credentials else {
            Issue.record("expected OAuth credentials")
            return
        }
        #expect(clientID == "id")
        #expect(tokenURL.absoluteString == "https://api.hubapi.com/oauth/v1/token")
        #expect(configuration.baseURL.absoluteString == "https://api-eu1.hubapi.com")
        #expect(configuration.requestsPerTenSeconds == 150 && configuration.dailyRequestLimit == 20_000)
        #expect(configuration.dailyReserve == 5_000 && configuration.searchRequestsPerSecond == 3)
        #expect(configuration.pageSize == 50 && configuration.searchPageSize == 120)
        #expect(configuration.overlapSeconds == 60 && configuration.archivedCheckMinutes == 60)
        #expect(configuration.streams == [.contacts, .deals, .emailEvents])
        #expect(configuration.contactProperties.last == "favorite_color")
        #expect(configuration.wonStages == ["won", "signed"] && configuration.lostStages == ["lost"])
        #expect(configuration.dealProperties.contains("why_lost"))
        #expect(configuration.emailEventsStart == Timestamps.milliseconds("2024-01-01"))
        #expect(configuration.emailEventTypes == ["OPEN", "CLICK"] && configuration.emailEventsWindowDays == 3)
        #expect(configuration.feedback == .init(propertyGroup: "synchub", prefix: "sh_"))
        #expect(try await source.streams().map(\.name) == ["contacts", "deals", "email_events"])
        let target = try #require(instance.feedback as? HubSpotFeedbackTarget)
        #expect(target.propertyNames.first == "sh_deal_outcome")
    }

    @Test func wrongSettingsSayWhatToFix() throws {
        let cases: [(KeyValuePairs<String, Any>, String)] = [
            (["type": "hubspot"], "accessToken: ${HUBSPOT_TOKEN}"),
            (["type": "hubspot", "accessToken": "t", "oauth": ["clientId": "a", "clientSecret": "b", "refreshToken": "c"] as KeyValuePairs<String, Any>], "not both"),
            (["type": "hubspot", "accessToken": "t", "baseURL": "api.hubapi.com"], "http(s) address"),
            (["type": "hubspot", "accessToken": "t", "pageSize": 500], "between 1 and 100"),
            (["type": "hubspot", "accessToken": "t", "streams": ["tickets": [] as [Any]] as KeyValuePairs<String, Any>], "not a HubSpot stream"),
            (["type": "hubspot", "accessToken": "t", "feedback": ["prefix": "Sync-"] as KeyValuePairs<String, Any>], "prefix"),
        ]
        for (settings, hint) in cases {
            do {
                _ = try makeHubSpot(settings)
                Issue.record("accepted settings that should be refused (\(hint))")
            } catch let error as ConfigurationError {
                #expect(error.description.contains(hint), "\(error)")
                #expect(error.keyPath?.hasPrefix("connectors.crm") == true)
            }
        }
    }

    @Test func personalIDPropertyIsRequestedWithContacts() throws {
        func configuration(_ contacts: KeyValuePairs<String, Any>) throws -> HubSpotConfiguration {
            let instance = try makeHubSpot([
                "type": "hubspot", "accessToken": "t", "streams": ["contacts": contacts] as KeyValuePairs<String, Any>,
            ])
            return try #require(instance.source as? HubSpotSource).configuration
        }
        let unset = try configuration(["extraProperties": ["favorite_color"]])
        #expect(unset.personalIDProperty == nil)
        #expect(HubSpotObjectKind.contacts(unset).properties.contains("favorite_color"))
        #expect(!HubSpotObjectKind.contacts(unset).properties.contains("national_id"))

        let set = try configuration(["personalIDProperty": " national_id "])
        #expect(set.personalIDProperty == "national_id")
        #expect(HubSpotObjectKind.contacts(set).properties.filter { $0 == "national_id" }.count == 1)
        // Requested once, even when `properties` replaces the defaults and already lists it.
        let listed = try configuration(["properties": ["email", "national_id"], "personalIDProperty": "national_id"])
        #expect(HubSpotObjectKind.contacts(listed).properties.filter { $0 == "national_id" }.count == 1)
        #expect(HubSpotConnector.settings.contains { $0.key == "streams.contacts.personalIDProperty" && $0.defaultValue == nil })

        #expect(HubSpotMapping.contact(.object([("national_id", .string(" 123-45-6789 "))]), personalIDProperty: "national_id")
            .personalID == "123-45-6789")
        #expect(HubSpotMapping.contact(.object([("national_id", .string("123-45-6789"))])).personalID == nil)
    }

    @Test func aPropertyLabelIsRefusedAsPersonalIDProperty() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try makeHubSpot([
                "type": "hubspot", "accessToken": "t",
                "streams": ["contacts": ["personalIDProperty": "National ID"] as KeyValuePairs<String, Any>] as KeyValuePairs<String, Any>,
            ])
        }
        #expect(error?.keyPath == "connectors.crm.streams.contacts.personalIDProperty")
        #expect(error?.description.contains("internal name") == true, "\(error?.description ?? "")")
    }

    @Test func queryValuesAreEncodedForHubSpot() {
        #expect(HubSpotAPI.encode("a,b_c") == "a,b_c")
        #expect(HubSpotAPI.encode("MTAw+/=") == "MTAw%2B%2F%3D")
        #expect(HubSpotAPI.parseHTTPDate("Tue, 15 Nov 1994 08:12:31 GMT") == Timestamps.milliseconds("1994-11-15T08:12:31Z"))
    }

    @Test func dealOutcomeFollowsHubSpotFlagsThenStages() throws {
        let rules = HubSpotMapping.DealRules(wonStages: ["signed"], lostStages: ["closedlost"], lossReasonProperty: "closed_lost_reason")
        func deal(_ members: [(String, JSONValue)]) -> Deal { HubSpotMapping.deal(.object(members), rules: rules) }
        #expect(deal([("hs_is_closed_won", .string("true")), ("hs_is_closed", .string("true"))]).outcome == .won)
        #expect(deal([("hs_is_closed_won", .string("false")), ("hs_is_closed", .string("true"))]).outcome == .lost)
        #expect(deal([("hs_is_closed_won", .string("false")), ("hs_is_closed", .string("false")), ("dealstage", .string("signed"))]).outcome == .open)
        #expect(deal([("dealstage", .string("signed"))]).outcome == .won)
        #expect(deal([("dealstage", .string("closedlost")), ("closed_lost_reason", .string("Price"))]).lossReason == "Price")
        #expect(deal([("amount", .string("1200.50")), ("closedate", .string("2025-03-04T17:00:00Z"))]).amount == 1200.5)
        #expect(deal([("closedate", .string("2025-03-04T17:00:00Z"))]).closeDate == "2025-03-04")
        #expect(HubSpotMapping.mergedIDs("11;12; 13;12", except: "13") == ["11", "12"])
    }
}
