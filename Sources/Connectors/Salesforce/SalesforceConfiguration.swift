public import Foundation
public import SyncHubCore

/// The settings of one Salesforce connector instance.
public struct SalesforceConfiguration: Sendable {
    /// The connected app's consumer key.
    public var clientID: String
    /// The connected app's consumer secret.
    public var clientSecret: String
    /// The integration user's OAuth refresh token.
    public var refreshToken: String
    /// Where tokens come from: `https://login.salesforce.com`, `https://test.salesforce.com` (sandboxes), a My Domain
    /// URL, or a local simulator. The token endpoint is `<loginURL>/services/oauth2/token`.
    public var loginURL: URL
    /// The API base; `nil` uses the `instance_url` the token endpoint returns.
    public var instanceURL: URL?
    /// `v62.0`.
    public var apiVersion: String
    /// Records per query batch (`Sforce-Query-Options: batchSize`), 200 to 2,000; Salesforce may send fewer.
    public var batchSize: Int
    /// Stop (and resume next run) once Salesforce reports more than this share of the org's daily API requests used.
    public var maxDailyAPIShare: Double
    /// Seconds of changes before the saved cursor read again on every pull (0: none). Catches records whose
    /// transaction committed after a pull with an earlier `SystemModstamp`; re-read records are upserted unchanged.
    public var overlapSeconds: Int
    /// The streams to read, in order.
    public var streams: [SalesforceStream]
    /// Extra fields to read per object (`Contact: [Department]`), landed in the raw payload.
    public var extraFields: [String: [String]]
    /// The opportunity field holding the currency, such as `CurrencyIsoCode` in multi-currency orgs.
    public var currencyField: String?
    /// The currency of every amount when the org is single-currency (or `currencyField` is empty on a record).
    public var defaultCurrency: String?
    /// The opportunity field holding the loss reason, such as `Loss_Reason__c`.
    public var lossReasonField: String?
    /// The Lead and Contact field holding the person's ``Contact/personalID`` (a national, tax or membership number),
    /// such as `National_ID__c`; `nil`: none is read.
    public var personalIDField: String?
    /// Where win/loss feedback is written; `nil`: this instance is not a feedback target.
    public var feedback: SalesforceFeedbackConfiguration?

    public init(
        clientID: String, clientSecret: String, refreshToken: String,
        loginURL: URL = URL(string: "https://login.salesforce.com")!, instanceURL: URL? = nil,
        apiVersion: String = "v62.0", batchSize: Int = 2000, maxDailyAPIShare: Double = 0.8, overlapSeconds: Int = 0,
        streams: [SalesforceStream] = SalesforceStream.allCases, extraFields: [String: [String]] = [:],
        currencyField: String? = nil, defaultCurrency: String? = nil, lossReasonField: String? = nil,
        personalIDField: String? = nil, feedback: SalesforceFeedbackConfiguration? = nil
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.loginURL = loginURL
        self.instanceURL = instanceURL
        self.apiVersion = apiVersion
        self.batchSize = batchSize
        self.maxDailyAPIShare = maxDailyAPIShare
        self.overlapSeconds = overlapSeconds
        self.streams = streams
        self.extraFields = extraFields
        self.currencyField = currencyField
        self.defaultCurrency = defaultCurrency
        self.lossReasonField = lossReasonField
        self.personalIDField = personalIDField
        self.feedback = feedback
    }

    /// The major API version (`62` of `v62.0`).
    var apiMajorVersion: Int { Int(apiVersion.dropFirst().split(separator: ".").first ?? "") ?? 62 }

    /// The token endpoint: `<loginURL>/services/oauth2/token`.
    public var tokenURL: URL {
        var text = loginURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/services/oauth2/token") { return URL(string: text)! }
        return URL(string: text + "/services/oauth2/token")!
    }

    /// Reads a connector's section of `connectors.yml`.
    ///
    /// ## Configuration keys
    /// - `clientId` (string, required): the connected app's consumer key, usually `${SF_CLIENT_ID}`.
    /// - `clientSecret` (string, required, secret): the consumer secret, `${SF_CLIENT_SECRET}`.
    /// - `refreshToken` (string, required, secret): the integration user's refresh token, `${SF_REFRESH_TOKEN}`.
    /// - `loginURL` (string, default `https://login.salesforce.com`): `https://test.salesforce.com` for sandboxes,
    ///   a My Domain URL, or a local simulator.
    /// - `instanceURL` (string, optional): the API base; default the token response's `instance_url`.
    /// - `apiVersion` (string, default `v62.0`).
    /// - `overlapSeconds` (int, default 0, 0–86400): seconds of changes before the cursor read again each pull, for
    ///   transactions that commit late with an earlier `SystemModstamp`.
    /// - `streams` (list, default all): which of `leads`, `contacts`, `accounts`, `opportunities`,
    ///   `opportunity_contact_roles`, `campaigns`, `campaign_members`, `tasks`, `events` to read.
    /// - `batchSize` (int, default 2000, 200–2000): records per query batch.
    /// - `maxDailyAPIShare` (double, default 0.8): stop cleanly above this share of the org's daily API requests.
    /// - `fields.<Object>` (list): extra fields to read for `Lead`, `Contact`, `Account`, `Opportunity`,
    ///   `OpportunityContactRole`, `Campaign`, `CampaignMember`, `Task`, `Event`.
    /// - `currencyField` (string, optional): `CurrencyIsoCode` in multi-currency orgs.
    /// - `defaultCurrency` (string, optional): the org's currency (ISO 4217) when single-currency.
    /// - `lossReasonField` (string, optional): the opportunity field holding the loss reason, e.g. `Loss_Reason__c`.
    /// - `personalIDField` (string, optional): the field on both Lead and Contact holding a personal id (national, tax
    ///   or membership number), e.g. `National_ID__c`; read into ``Contact/personalID``.
    /// - `feedback.object` (`Contact` | `Lead`, default `Contact`), `feedback.includeLeads` (bool, default true),
    ///   `feedback.fields.<outcome|amount|currency|closeDate|lossReason|dealReference|dealCount|wonRevenue>`
    ///   (string): the fields win/loss feedback is written to.
    public init(settings: Settings) throws {
        let clientID = try settings.requiredString("clientId")
        let clientSecret = try settings.requiredString("clientSecret")
        let refreshToken = try settings.requiredString("refreshToken")
        let loginURL = try Self.url(settings, "loginURL", default: "https://login.salesforce.com")!
        let instanceURL = try Self.url(settings, "instanceURL", default: nil)

        var version = try settings.string("apiVersion", default: "v62.0").trimmingCharacters(in: .whitespaces)
        if !version.hasPrefix("v") { version = "v" + version }
        if !version.contains(".") { version += ".0" }
        let number = version.dropFirst().split(separator: ".")
        guard number.count == 2, let major = Int(number[0]), major >= 31, Int(number[1]) != nil else {
            throw settings.error("expected an API version such as `v62.0` (31.0 or later)", key: "apiVersion")
        }

        let batchSize = try settings.int("batchSize", default: 2000, range: 200...2000)
        let share = try settings.double("maxDailyAPIShare", default: 0.8)
        guard share > 0, share <= 1 else {
            throw settings.error("must be a share of the daily API limit above 0 and at most 1, such as 0.8", key: "maxDailyAPIShare")
        }

        let overlapSeconds = try settings.int("overlapSeconds", default: 0, range: 0...86_400)

        var streams = SalesforceStream.allCases
        if settings.contains("streams") {
            let names = try settings.stringList("streams")
            streams = []
            for name in names {
                guard let stream = SalesforceStream(rawValue: name) else {
                    var message = "`\(name)` is not a Salesforce stream; expected one of "
                        + SalesforceStream.allCases.map(\.rawValue).joined(separator: ", ")
                    if let guess = Suggestions.closest(to: name, among: SalesforceStream.allCases.map(\.rawValue)) {
                        message += "; did you mean `\(guess)`?"
                    }
                    throw settings.error(message, key: "streams")
                }
                if !streams.contains(stream) { streams.append(stream) }
            }
        }

        var extraFields: [String: [String]] = [:]
        if let fields = try settings.section("fields") {
            let objects = SalesforceStream.allCases.map(\.sObject)
            for object in fields.keys {
                guard objects.contains(object) else {
                    var message = "`\(object)` is not an object this connector reads; expected one of "
                        + objects.joined(separator: ", ")
                    if let guess = Suggestions.closest(to: object, among: objects) { message += "; did you mean `\(guess)`?" }
                    throw fields.error(message, key: object)
                }
                let names = try fields.stringList(object)
                for name in names where !SOQL.isFieldPath(name) {
                    throw fields.error(
                        "`\(name)` is not a field API name (letters, digits, `_`, and `.` for a parent's field)", key: object)
                }
                extraFields[object] = names
            }
        }

        func fieldSetting(_ key: String, example: String) throws -> String? {
            guard let name = try settings.string(key)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
            guard SOQL.isFieldPath(name) else {
                throw settings.error("`\(name)` is not a field API name such as `\(example)`", key: key)
            }
            return name
        }
        let currencyField = try fieldSetting("currencyField", example: "CurrencyIsoCode")
        let lossReasonField = try fieldSetting("lossReasonField", example: "Loss_Reason__c")
        let personalIDField = try fieldSetting("personalIDField", example: "National_ID__c")
        var defaultCurrency = try settings.string("defaultCurrency")?.trimmingCharacters(in: .whitespaces).uppercased()
        if defaultCurrency?.isEmpty == true { defaultCurrency = nil }
        if let code = defaultCurrency, code.count != 3 || !code.allSatisfy({ $0.isLetter && $0.isASCII }) {
            throw settings.error("expected an ISO 4217 currency code such as `USD`", key: "defaultCurrency")
        }

        var feedback: SalesforceFeedbackConfiguration?
        if let section = try settings.section("feedback") {
            feedback = try SalesforceFeedbackConfiguration(settings: section)
        }

        self.init(
            clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken, loginURL: loginURL,
            instanceURL: instanceURL, apiVersion: version, batchSize: batchSize, maxDailyAPIShare: share,
            overlapSeconds: overlapSeconds,
            streams: streams, extraFields: extraFields, currencyField: currencyField, defaultCurrency: defaultCurrency,
            lossReasonField: lossReasonField, personalIDField: personalIDField, feedback: feedback)
    }

    private static func url(_ settings: Settings, _ key: String, default fallback: String?) throws -> URL? {
        guard let text = try settings.string(key)?.trimmingCharacters(in: .whitespaces) ?? fallback, !text.isEmpty else {
            return nil
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            url.host != nil
        else {
            throw settings.error("expected an http(s) URL such as `https://login.salesforce.com`", key: key)
        }
        return url
    }
}

/// Where win/loss feedback goes in Salesforce.
public struct SalesforceFeedbackConfiguration: Sendable {
    /// One feedback value and the Salesforce field it is written to.
    public struct Field: Sendable, Hashable {
        /// The key under `feedback.fields` (`outcome`, `amount`, ...).
        public var key: String
        /// The field's API name on Contact (and Lead), such as `Synchub_Deal_Outcome__c`.
        public var name: String

        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }
    }

    /// The feedback values that can be written, by their key under `feedback.fields`, with the name of the
    /// ``PersonFeedback/fields`` entry they come from.
    public static let keys: [(key: String, feedbackField: String)] = [
        ("outcome", "deal_outcome"), ("amount", "deal_amount"), ("currency", "deal_currency"),
        ("closeDate", "deal_close_date"), ("lossReason", "deal_loss_reason"), ("dealReference", "deal_reference"),
        ("dealCount", "deal_count"), ("wonRevenue", "won_revenue"), ("lifecycleStage", "lifecycle_stage"),
    ]

    /// `Contact` or `Lead`: the object whose records receive feedback.
    public var object: String
    /// With `object: Contact`, items whose record key is a lead id (`00Q…`) are written to that Lead.
    public var includeLeads: Bool
    /// The fields written, in a stable order.
    public var fields: [Field]
    /// Fields written instead on Lead records, by key (`lifecycleStage: Status` writes the stage to `Lead.Status`
    /// while contacts get `fields.lifecycleStage`); keys absent here use ``fields``.
    public var leadFields: [Field]

    public init(object: String = "Contact", includeLeads: Bool = true, fields: [Field], leadFields: [Field] = []) {
        self.object = object
        self.includeLeads = includeLeads
        self.fields = fields
        self.leadFields = leadFields
    }

    /// The fields written on records of `object` (`Contact` or `Lead`).
    public func fields(for object: String) -> [Field] {
        guard object == "Lead", !leadFields.isEmpty else { return fields }
        var out = fields.map { field in leadFields.first { $0.key == field.key } ?? field }
        for field in leadFields where !out.contains(where: { $0.key == field.key }) { out.append(field) }
        return out
    }

    /// Reads the `feedback` section.
    public init(settings: Settings) throws {
        let object = try settings.choice("object", among: ["Contact", "Lead"], default: "Contact") ?? "Contact"
        let includeLeads = try settings.bool("includeLeads", default: true)
        let section = try settings.section("fields")
        let fields = try section.map(Self.fields) ?? []
        let leadFields = try settings.section("leadFields").map(Self.fields) ?? []
        guard !fields.isEmpty else {
            throw (section ?? settings).error(
                "no feedback field is set; add `fields: { outcome: Synchub_Deal_Outcome__c, amount: ... }`",
                key: section == nil ? "fields" : nil)
        }
        let configuration = SalesforceFeedbackConfiguration(
            object: object, includeLeads: includeLeads, fields: fields, leadFields: leadFields)
        for (object, key) in [("Contact", "fields"), ("Lead", "leadFields")] {
            let names = configuration.fields(for: object).map { $0.name.lowercased() }
            if Set(names).count != names.count {
                throw settings.error("two feedback values are written to the same field; give each its own field", key: key)
            }
        }
        self = configuration
    }

    /// The feedback fields of a `fields` or `leadFields` section.
    private static func fields(_ section: Settings) throws -> [Field] {
        let known = keys.map(\.key)
        for key in section.keys {
            guard known.contains(key) else {
                var message = "`\(key)` is not a feedback value; expected one of \(known.joined(separator: ", "))"
                if let guess = Suggestions.closest(to: key, among: known) { message += "; did you mean `\(guess)`?" }
                throw section.error(message, key: key)
            }
        }
        var fields: [Field] = []
        for key in known {
            guard let name = try section.string(key)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { continue }
            guard SOQL.isFieldPath(name), !name.contains(".") else {
                throw section.error("`\(name)` is not a field API name such as `Synchub_Deal_Outcome__c`", key: key)
            }
            fields.append(Field(key: key, name: name))
        }
        return fields
    }
}
