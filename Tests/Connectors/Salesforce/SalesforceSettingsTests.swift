import Foundation
import Logging
@testable import SalesforceConnector
import SyncHubCore
import Testing

/// A `connectors.yml` section built in code.
enum Node {
    case scalar(String, secret: Bool = false)
    case list([String])
    case map([(String, Node)])

    var setting: SettingNode {
        let location = SourceLocation(file: "connectors.yml", line: 3, column: 5)
        switch self {
        case .scalar(let text, let secret): return SettingNode(.scalar(text), location: location, isSecret: secret)
        case .list(let items): return SettingNode(.list(items.map { SettingNode(.scalar($0), location: location) }), location: location)
        case .map(let entries):
            return SettingNode(.map(entries.map { ($0.0, location, $0.1.setting) }), location: location)
        }
    }
}

let credentials: [(String, Node)] = [
    ("clientId", .scalar("3MVG9-client")), ("clientSecret", .scalar("s3cr3t-value", secret: true)),
    ("refreshToken", .scalar("5Aep-refresh-value", secret: true)),
]

func settings(_ entries: [(String, Node)]) -> Settings {
    Settings(node: Node.map(entries).setting, path: "connectors.crm")
}

@Suite struct SalesforceSettingsTests {
    @Test func defaultsFollowSalesforce() throws {
        let configuration = try SalesforceConfiguration(settings: settings(credentials))
        #expect(configuration.loginURL.absoluteString == "https://login.salesforce.com")
        #expect(configuration.tokenURL.absoluteString == "https://login.salesforce.com/services/oauth2/token")
        #expect(configuration.instanceURL == nil)
        #expect(configuration.apiVersion == "v62.0")
        #expect(configuration.batchSize == 2000)
        #expect(configuration.maxDailyAPIShare == 0.8)
        #expect(configuration.overlapSeconds == 0)
        #expect(configuration.streams == SalesforceStream.allCases)
        #expect(configuration.feedback == nil)
        #expect(configuration.clientSecret == "s3cr3t-value")
    }

    @Test func readsEverySetting() throws {
        let configuration = try SalesforceConfiguration(settings: settings(credentials + [
            ("loginURL", .scalar("https://test.salesforce.com/")),
            ("instanceURL", .scalar("https://acme--uat.sandbox.my.salesforce.com")),
            ("apiVersion", .scalar("61.0")),
            ("streams", .list(["contacts", "opportunities", "contacts"])),
            ("batchSize", .scalar("500")), ("maxDailyAPIShare", .scalar("0.5")), ("overlapSeconds", .scalar("30")),
            ("fields", .map([("Contact", .list(["Department", "Account.Industry"])), ("Opportunity", .list(["NextStep"]))])),
            ("currencyField", .scalar("CurrencyIsoCode")), ("defaultCurrency", .scalar("eur")),
            ("lossReasonField", .scalar("Loss_Reason__c")),
            ("feedback", .map([
                ("object", .scalar("Contact")), ("includeLeads", .scalar("false")),
                ("fields", .map([("outcome", .scalar("Synchub_Deal_Outcome__c")), ("amount", .scalar("Synchub_Amount__c"))])),
            ])),
        ]))
        #expect(configuration.tokenURL.absoluteString == "https://test.salesforce.com/services/oauth2/token")
        #expect(configuration.instanceURL?.host == "acme--uat.sandbox.my.salesforce.com")
        #expect(configuration.apiVersion == "v61.0")
        #expect(configuration.streams == [.contacts, .opportunities])
        #expect(configuration.batchSize == 500)
        #expect(configuration.maxDailyAPIShare == 0.5)
        #expect(configuration.overlapSeconds == 30)
        #expect(configuration.defaultCurrency == "EUR")
        let opportunityFields = SalesforceStream.opportunities.fields(configuration)
        #expect(opportunityFields.suffix(3) == ["CurrencyIsoCode", "Loss_Reason__c", "NextStep"])
        #expect(SalesforceStream.contacts.fields(configuration).suffix(2) == ["Department", "Account.Industry"])
        let feedback = try #require(configuration.feedback)
        #expect(feedback.includeLeads == false)
        #expect(feedback.fields.map(\.key) == ["outcome", "amount"])
        #expect(feedback.fields.map(\.name) == ["Synchub_Deal_Outcome__c", "Synchub_Amount__c"])
    }

    @Test(arguments: [
        ([("apiVersion", Node.scalar("latest"))], "connectors.crm.apiVersion", "v62.0"),
        ([("streams", .list(["contacs"]))], "connectors.crm.streams", "did you mean `contacts`"),
        ([("fields", .map([("Contacts", .list(["Department"]))]))], "connectors.crm.fields.Contacts", "did you mean `Contact`"),
        ([("fields", .map([("Contact", .list(["Name FROM User --"]))]))], "connectors.crm.fields.Contact", "not a field API name"),
        ([("lossReasonField", .scalar("Loss Reason"))], "connectors.crm.lossReasonField", "not a field API name"),
        ([("personalIDField", .scalar("National ID"))], "connectors.crm.personalIDField", "not a field API name such as `National_ID__c`"),
        ([("maxDailyAPIShare", .scalar("1.5"))], "connectors.crm.maxDailyAPIShare", "at most 1"),
        ([("batchSize", .scalar("5000"))], "connectors.crm.batchSize", "between 200 and 2000"),
        ([("loginURL", .scalar("login.salesforce.com"))], "connectors.crm.loginURL", "http(s) URL"),
        ([("defaultCurrency", .scalar("dollars"))], "connectors.crm.defaultCurrency", "ISO 4217"),
        ([("feedback", .map([("object", .scalar("Contact"))]))], "connectors.crm.feedback.fields", "no feedback field"),
        ([("feedback", .map([("fields", .map([("outcom", .scalar("X__c"))]))]))], "connectors.crm.feedback.fields.outcom", "did you mean `outcome`"),
    ])
    func refusesWrongSettingsNamingTheKey(_ extra: [(String, Node)], keyPath: String, hint: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try SalesforceConfiguration(settings: settings(credentials + extra))
        }
        #expect(error?.keyPath == keyPath)
        #expect(error?.description.contains(hint) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("s3cr3t-value") == false)
        #expect(error?.location != nil)
    }

    @Test func readsPersonalIDField() throws {
        let unset = try SalesforceConfiguration(settings: settings(credentials))
        #expect(unset.personalIDField == nil)
        let blank = try SalesforceConfiguration(settings: settings(credentials + [("personalIDField", .scalar(" "))]))
        #expect(blank.personalIDField == nil)
        let set = try SalesforceConfiguration(settings: settings(credentials + [("personalIDField", .scalar(" National_ID__c "))]))
        #expect(set.personalIDField == "National_ID__c")
    }

    @Test func missingCredentialsAreNamed() throws {
        for missing in ["clientId", "clientSecret", "refreshToken"] {
            let error = #expect(throws: ConfigurationError.self) {
                try SalesforceConfiguration(settings: settings(credentials.filter { $0.0 != missing }))
            }
            #expect(error?.keyPath == "connectors.crm.\(missing)")
        }
    }

    @Test func makeBuildsASourceAndAFeedbackTarget() async throws {
        let context = ConnectorContext(
            name: "crm", settings: settings(credentials + [
                ("streams", .list(["leads", "campaign_members"])),
                ("feedback", .map([("fields", .map([("outcome", .scalar("Synchub_Deal_Outcome__c"))]))])),
            ]), baseDirectory: "/tmp", logger: quietLogger)
        let instance = try SalesforceConnector.make(context)
        let streams = try await #require(instance.source).streams()
        #expect(streams.map(\.name) == ["leads", "campaign_members"])
        #expect(streams.map(\.objectType) == [.contact, .touch])
        #expect(streams.allSatisfy { $0.isSorted && !$0.isSnapshot && $0.cursorField == "SystemModstamp" })
        #expect(instance.feedback?.addressing == .ownContacts)
        #expect(SalesforceConnector.typeName == "salesforce")
        // Every key the configuration reads is declared, so `synchub validate` accepts it.
        let declared = Set(SalesforceConnector.settings.map(\.key))
        for key in ["clientId", "clientSecret", "refreshToken", "loginURL", "instanceURL", "apiVersion", "streams", "batchSize",
                    "maxDailyAPIShare", "overlapSeconds", "fields", "fields.*", "currencyField", "defaultCurrency",
                    "lossReasonField", "personalIDField", "feedback", "feedback.object", "feedback.includeLeads", "feedback.fields",
                    "feedback.fields.outcome", "feedback.fields.lossReason"] {
            #expect(declared.contains(key), "\(key)")
        }
        #expect(SalesforceConnector.settings.filter(\.isSecret).map(\.key) == ["clientSecret", "refreshToken"])
    }

    @Test func feedbackOnlyInstanceHasNoSource() throws {
        let instance = try SalesforceConnector.make(ConnectorContext(
            name: "crm", settings: settings(credentials + [
                ("streams", .list([])),
                ("feedback", .map([("fields", .map([("outcome", .scalar("Synchub_Deal_Outcome__c"))]))])),
            ]), baseDirectory: "/tmp", logger: quietLogger))
        #expect(instance.source == nil)
        #expect(instance.feedback != nil)
    }
}

@Suite struct SalesforceQueryTextTests {
    let cursor = SalesforceCursor(systemModstamp: "2025-06-15T08:30:00Z", id: "003000000000001AAA", fields: "f")

    @Test func firstReadHasNoConditionAndIsOrderedWithTieBreak() {
        let text = SalesforceSource.soql(.contacts, fields: ["Id", "SystemModstamp"], after: nil)
        #expect(text == "SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id")
    }

    @Test func resumedReadBreaksSecondTiesOnId() {
        let text = SalesforceSource.soql(.leads, fields: ["Id"], after: cursor)
        #expect(text == "SELECT Id FROM Lead WHERE (SystemModstamp > 2025-06-15T08:30:00Z OR (SystemModstamp = "
            + "2025-06-15T08:30:00Z AND Id > '003000000000001AAA')) ORDER BY SystemModstamp, Id")
    }

    @Test func overlapReadsTheLastSecondsAgain() {
        #expect(cursor.condition(overlapSeconds: 90) == "SystemModstamp >= 2025-06-15T08:28:30Z")
    }

    @Test func millisecondsAreKeptWhenAStampHasThem() {
        let precise = SalesforceCursor(systemModstamp: "2025-06-15T08:30:00.250Z", id: "x", fields: "f")
        #expect(precise.condition()?.contains("2025-06-15T08:30:00.250Z") == true)
    }

    @Test func stringLiteralsAreEscaped() {
        #expect(SOQL.string("O'Brien\\") == #"'O\'Brien\\'"#)
        #expect(SOQL.encodeQueryParameter("a+b c'") == "a%2Bb%20c%27")
    }

    @Test(arguments: [
        ("api-usage=18/5000", 18, 5000),
        ("api-usage=10018/100000; api-bursts=1/750", 10018, 100_000),
        ("api-usage=25/5000, per-app-api-usage=17/250(appName=sample-connected-app)", 25, 5000),
    ])
    func readsLimitInfo(_ header: String, used: Int, limit: Int) {
        #expect(SalesforceAPI.apiUsage(header) == SalesforceAPI.Usage(used: used, limit: limit))
    }

    @Test func domainsComeFromWebsites() {
        #expect(SalesforceStream.domain("https://www.Acme.com/about?x=1") == "acme.com")
        #expect(SalesforceStream.domain("acme.io") == "acme.io")
        #expect(SalesforceStream.domain("localhost") == nil)
    }
}
