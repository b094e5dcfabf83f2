public import Foundation
public import SyncHubCore

/// The streams a HubSpot connector offers, in the order they are pulled.
public enum HubSpotStream: String, Sendable, Hashable, CaseIterable, Codable {
    case contacts, companies, deals
    case dealContacts = "deal_contacts"
    case emailEvents = "email_events"
    case formSubmissions = "form_submissions"
    case eventAttendance = "event_attendance"
    case campaigns
    /// Sales activities: the engagement objects logged on CRM records.
    case calls, meetings, emails, tasks

    var objectType: ObjectType {
        switch self {
        case .contacts: .contact
        case .companies: .account
        case .deals: .deal
        case .dealContacts: .dealContact
        case .emailEvents, .formSubmissions, .eventAttendance: .touch
        case .campaigns: .campaign
        case .calls, .meetings, .emails, .tasks: .activity
        }
    }

    /// The engagement (activity) streams.
    static let activities: [HubSpotStream] = [.calls, .meetings, .emails, .tasks]

    var isActivity: Bool { Self.activities.contains(self) }
}

/// The settings of one HubSpot connector instance, validated, with HubSpot's defaults.
///
/// ## Configuration keys
/// - `accessToken` (string, secret): a private app's access token, usually `${HUBSPOT_TOKEN}`.
/// - `oauth.clientId`, `oauth.clientSecret` (secret), `oauth.refreshToken` (secret), `oauth.tokenURL`
///   (default `https://api.hubapi.com/oauth/v1/token`): the OAuth 2 refresh-token flow, instead of `accessToken`.
/// - `baseURL` (default `https://api.hubapi.com`): another data centre (`https://api-eu1.hubapi.com`) or a simulator.
/// - `requestsPerTenSeconds` (default 100), `dailyRequestLimit` (optional), `dailyReserve` (default 1000),
///   `searchRequestsPerSecond` (default 4): the request budget.
/// - `pageSize` (1–100, default 100), `searchPageSize` (1–200, default 200): records per list and search page.
/// - `overlapSeconds` (default 300): how far back each incremental pass re-reads, for changes that reach HubSpot's
///   search index late.
/// - `archivedCheckMinutes` (default 0: every run): how often the archived (deleted) records are listed.
/// - `streams.<name>`: the streams to read (all when `streams` is absent): `contacts`, `companies`, `deals`
///   (`properties`, `extraProperties`), `contacts.personalIDProperty` (optional: the contact property holding a
///   personal id), `deals.wonStages`, `deals.lostStages`, `deals.lossReasonProperty`,
///   `deal_contacts.snapshotHours` (default 24), `email_events.startDate`, `email_events.eventTypes`,
///   `email_events.windowDays` (default 7), `form_submissions.forms` (form GUIDs; default every form),
///   `event_attendance.lookbackDays` (default 30), `campaigns`, and the activity streams `calls`, `meetings`,
///   `emails`, `tasks` (`properties`, `extraProperties`).
/// - `feedback.enabled` (default true), `feedback.propertyGroup` (default `contactinformation`),
///   `feedback.prefix` (default `synchub_`): write win/loss feedback to custom contact properties.
public struct HubSpotConfiguration: Sendable {
    /// How requests are authenticated.
    public enum Credentials: Sendable {
        /// A private app's access token.
        case accessToken(String)
        /// A public app's refresh token, exchanged for access tokens at `tokenURL`.
        case oauth(clientID: String, clientSecret: String, refreshToken: String, tokenURL: URL)
    }

    /// Where feedback goes.
    public struct Feedback: Sendable, Hashable {
        /// The contact property group new properties are created in; it must exist.
        public var propertyGroup: String
        /// Prefix of the property names (`synchub_deal_outcome`).
        public var prefix: String

        public init(propertyGroup: String = "contactinformation", prefix: String = "synchub_") {
            self.propertyGroup = propertyGroup
            self.prefix = prefix
        }
    }

    public var credentials: Credentials
    public var baseURL: URL
    public var requestsPerTenSeconds: Int
    public var dailyRequestLimit: Int?
    /// Calls of HubSpot's daily allowance left for the other tools sharing it.
    public var dailyReserve: Int
    public var searchRequestsPerSecond: Int
    public var pageSize: Int
    public var searchPageSize: Int
    public var overlapSeconds: Int
    public var archivedCheckMinutes: Int
    /// Enabled streams, in pull order.
    public var streams: [HubSpotStream]
    public var contactProperties: [String]
    public var companyProperties: [String]
    public var dealProperties: [String]
    public var wonStages: Set<String>
    public var lostStages: Set<String>
    public var lossReasonProperty: String
    /// The contact property holding the person's ``Contact/personalID`` (a national, tax or membership number), such
    /// as `national_id`; it is read with the contact properties. `nil`: none is read. Contacts pulled before it was set
    /// get it when they change or on a full refresh.
    public var personalIDProperty: String?
    public var associationSnapshotHours: Int
    /// Email events created at or after this (ms since 1970) are read on the first pull; `nil`: one year back.
    public var emailEventsStart: Int64?
    public var emailEventTypes: Set<String>
    public var emailEventsWindowDays: Int
    /// The forms whose submissions are read (GUIDs); `nil`: every form.
    public var formIDs: [String]?
    /// Participations of marketing events that ended within this many days are read again on every pass.
    public var eventLookbackDays: Int
    /// Properties read per activity stream (`calls`, `meetings`, `emails`, `tasks`).
    public var activityProperties: [HubSpotStream: [String]]
    public var feedback: Feedback?

    public static let defaultBaseURL = URL(string: "https://api.hubapi.com")!
    public static let defaultTokenURL = URL(string: "https://api.hubapi.com/oauth/v1/token")!

    public static let defaultContactProperties = [
        "email", "firstname", "lastname", "company", "jobtitle", "phone", "website", "address", "city", "state", "zip",
        "country", "hubspot_owner_id", "lifecyclestage", "hs_lead_status", "associatedcompanyid", "createdate",
        "lastmodifieddate", "hs_additional_emails", "hs_merged_object_ids", "date_of_birth",
    ]
    public static let defaultCompanyProperties = [
        "name", "domain", "website", "industry", "country", "hubspot_owner_id", "numberofemployees", "createdate",
        "hs_lastmodifieddate", "hs_merged_object_ids",
    ]
    public static let defaultDealProperties = [
        "dealname", "dealstage", "pipeline", "amount", "deal_currency_code", "closedate", "createdate",
        "hs_lastmodifieddate", "hs_is_closed_won", "hs_is_closed", "closed_lost_reason", "hubspot_owner_id",
        "hs_merged_object_ids",
    ]
    /// Properties read from each engagement object by default: when, who, which way and how it went; never
    /// bodies or subjects.
    public static let defaultActivityProperties: [HubSpotStream: [String]] = [
        .calls: ["hs_timestamp", "hubspot_owner_id", "hs_call_direction", "hs_call_status", "hs_call_duration", "hs_createdate", "hs_lastmodifieddate"],
        .meetings: ["hs_timestamp", "hubspot_owner_id", "hs_meeting_start_time", "hs_meeting_end_time", "hs_meeting_outcome", "hs_createdate", "hs_lastmodifieddate"],
        .emails: ["hs_timestamp", "hubspot_owner_id", "hs_email_direction", "hs_email_status", "hs_createdate", "hs_lastmodifieddate"],
        .tasks: ["hs_timestamp", "hubspot_owner_id", "hs_task_status", "hs_task_type", "hs_task_completion_date", "hs_createdate", "hs_lastmodifieddate"],
    ]
    /// Email event types read as touches by default (delivery bookkeeping such as PROCESSED is left out).
    public static let defaultEmailEventTypes: Set<String> = [
        "SENT", "OPEN", "CLICK", "BOUNCE", "STATUSCHANGE", "SPAMREPORT", "FORWARD", "PRINT",
    ]

    public init(
        credentials: Credentials, baseURL: URL = HubSpotConfiguration.defaultBaseURL, requestsPerTenSeconds: Int = 100,
        dailyRequestLimit: Int? = nil, dailyReserve: Int = 1000, searchRequestsPerSecond: Int = 4,
        pageSize: Int = 100, searchPageSize: Int = 200, overlapSeconds: Int = 300, archivedCheckMinutes: Int = 0,
        streams: [HubSpotStream] = HubSpotStream.allCases,
        contactProperties: [String] = HubSpotConfiguration.defaultContactProperties,
        companyProperties: [String] = HubSpotConfiguration.defaultCompanyProperties,
        dealProperties: [String] = HubSpotConfiguration.defaultDealProperties,
        wonStages: Set<String> = ["closedwon"], lostStages: Set<String> = ["closedlost"],
        lossReasonProperty: String = "closed_lost_reason", personalIDProperty: String? = nil,
        associationSnapshotHours: Int = 24,
        emailEventsStart: Int64? = nil, emailEventTypes: Set<String> = HubSpotConfiguration.defaultEmailEventTypes,
        emailEventsWindowDays: Int = 7, formIDs: [String]? = nil, eventLookbackDays: Int = 30,
        activityProperties: [HubSpotStream: [String]] = HubSpotConfiguration.defaultActivityProperties,
        feedback: Feedback? = nil
    ) {
        self.credentials = credentials
        self.baseURL = baseURL
        self.requestsPerTenSeconds = max(1, requestsPerTenSeconds)
        self.dailyRequestLimit = dailyRequestLimit
        self.dailyReserve = max(0, dailyReserve)
        self.searchRequestsPerSecond = max(1, searchRequestsPerSecond)
        self.pageSize = min(100, max(1, pageSize))
        self.searchPageSize = min(200, max(1, searchPageSize))
        self.overlapSeconds = max(0, overlapSeconds)
        self.archivedCheckMinutes = max(0, archivedCheckMinutes)
        self.streams = HubSpotStream.allCases.filter { streams.contains($0) }
        self.contactProperties = contactProperties
        self.companyProperties = companyProperties
        self.dealProperties = dealProperties
        self.wonStages = Set(wonStages.map { $0.lowercased() })
        self.lostStages = Set(lostStages.map { $0.lowercased() })
        self.lossReasonProperty = lossReasonProperty
        self.personalIDProperty = personalIDProperty
        self.associationSnapshotHours = max(0, associationSnapshotHours)
        self.emailEventsStart = emailEventsStart
        self.emailEventTypes = Set(emailEventTypes.map { $0.uppercased() })
        self.emailEventsWindowDays = max(1, emailEventsWindowDays)
        self.formIDs = formIDs
        self.eventLookbackDays = max(0, eventLookbackDays)
        self.activityProperties = activityProperties
        self.feedback = feedback
    }

    /// The settings `connectors.yml` accepts.
    static let specs: [SettingSpec] = [
        SettingSpec("accessToken", .string, secret: true, help: "A private app's access token, such as ${HUBSPOT_TOKEN}; or use `oauth`."),
        SettingSpec("oauth", .map, help: "The OAuth 2 refresh-token flow of a public app, instead of `accessToken`."),
        SettingSpec("oauth.clientId", .string, required: true, help: "The app's client id."),
        SettingSpec("oauth.clientSecret", .string, required: true, secret: true, help: "The app's client secret."),
        SettingSpec("oauth.refreshToken", .string, required: true, secret: true, help: "The refresh token the install gave."),
        SettingSpec("oauth.tokenURL", .string, default: defaultTokenURL.absoluteString, help: "The token endpoint."),
        SettingSpec("baseURL", .string, default: defaultBaseURL.absoluteString, help: "The API's address: another data centre (https://api-eu1.hubapi.com) or a local simulator."),
        SettingSpec("requestsPerTenSeconds", .int, default: "100", help: "Requests allowed in any 10 seconds (HubSpot allows 100 to 250 by plan)."),
        SettingSpec("dailyRequestLimit", .int, help: "At most this many requests per run; the stream stops cleanly and resumes next run."),
        SettingSpec("dailyReserve", .int, default: "1000", help: "Stop when HubSpot reports this many calls or fewer left today (kept for other tools)."),
        SettingSpec("searchRequestsPerSecond", .int, default: "4", help: "Search requests per second (HubSpot allows about 5)."),
        SettingSpec("pageSize", .int, default: "100", help: "Records per list page (1 to 100)."),
        SettingSpec("searchPageSize", .int, default: "200", help: "Records per search page (1 to 200)."),
        SettingSpec("overlapSeconds", .int, default: "300", help: "How far back each incremental pass re-reads, for changes that reach search late."),
        SettingSpec("archivedCheckMinutes", .int, default: "0", help: "How often archived (deleted) records are listed; 0: every run."),
        SettingSpec("streams", .map, help: "The streams to read (all when absent): contacts, companies, deals, deal_contacts, email_events, form_submissions, event_attendance, campaigns, calls, meetings, emails, tasks."),
        SettingSpec("streams.contacts", .map, help: "Contacts (CRM v3)."),
        SettingSpec("streams.contacts.properties", .list, help: "The contact properties to read, replacing the defaults."),
        SettingSpec("streams.contacts.extraProperties", .list, help: "Contact properties to read besides the defaults."),
        SettingSpec("streams.contacts.personalIDProperty", .string, help: "The contact property holding a personal id (national, tax or membership number), e.g. national_id; identity matching weighs it strongly. Unset: none. Contacts read before it was set get it on `synchub pull --full-refresh`."),
        SettingSpec("streams.companies", .map, help: "Companies, as accounts."),
        SettingSpec("streams.companies.properties", .list, help: "The company properties to read, replacing the defaults."),
        SettingSpec("streams.companies.extraProperties", .list, help: "Company properties to read besides the defaults."),
        SettingSpec("streams.deals", .map, help: "Deals."),
        SettingSpec("streams.deals.properties", .list, help: "The deal properties to read, replacing the defaults."),
        SettingSpec("streams.deals.extraProperties", .list, help: "Deal properties to read besides the defaults."),
        SettingSpec("streams.deals.wonStages", .list, default: "closedwon", help: "Stage ids meaning won, for deals without hs_is_closed_won."),
        SettingSpec("streams.deals.lostStages", .list, default: "closedlost", help: "Stage ids meaning lost, for deals without hs_is_closed."),
        SettingSpec("streams.deals.lossReasonProperty", .string, default: "closed_lost_reason", help: "The deal property holding the loss reason."),
        SettingSpec("streams.deal_contacts", .map, help: "Deal-to-contact links (associations v4)."),
        SettingSpec("streams.deal_contacts.snapshotHours", .int, default: "24", help: "Hours between complete re-reads of every deal's contacts, which also drop removed links; 0: every run."),
        SettingSpec("streams.email_events", .map, help: "Marketing email events as touches."),
        SettingSpec("streams.email_events.startDate", .string, help: "Read events from this date on the first pull (YYYY-MM-DD); default one year back."),
        SettingSpec("streams.email_events.eventTypes", .list, help: "Event types to keep (default SENT, OPEN, CLICK, BOUNCE, STATUSCHANGE, SPAMREPORT, FORWARD, PRINT)."),
        SettingSpec("streams.email_events.windowDays", .int, default: "7", help: "Days per request window while catching up."),
        SettingSpec("streams.form_submissions", .map, help: "Form submissions as form_fill touches (scope forms)."),
        SettingSpec("streams.form_submissions.forms", .list, help: "The form GUIDs to read; default every form."),
        SettingSpec("streams.event_attendance", .map, help: "Marketing-event registrations and attendance as touches (scope crm.objects.marketing_events.read)."),
        SettingSpec("streams.event_attendance.lookbackDays", .int, default: "30", help: "Events that ended within this many days are read again every pass."),
        SettingSpec("streams.campaigns", .map, help: "Email campaigns, and the forms and marketing events of the touch streams above, refreshed when they change."),
    ] + HubSpotStream.activities.flatMap { stream in [
        SettingSpec("streams.\(stream.rawValue)", .map, help: "Sales activities: \(stream.rawValue) logged on CRM records (scope crm.objects.contacts.read)."),
        SettingSpec("streams.\(stream.rawValue).properties", .list, help: "The \(stream.rawValue) properties to read, replacing the defaults."),
        SettingSpec("streams.\(stream.rawValue).extraProperties", .list, help: "\(stream.rawValue.capitalized) properties to read besides the defaults."),
    ] } + [
        SettingSpec("feedback", .map, help: "Write win/loss feedback to custom contact properties."),
        SettingSpec("feedback.enabled", .bool, default: "true", help: "Turn feedback off without removing the section."),
        SettingSpec("feedback.propertyGroup", .string, default: "contactinformation", help: "The existing contact property group the properties are created in."),
        SettingSpec("feedback.prefix", .string, default: "synchub_", help: "Prefix of the contact property names."),
    ]

    /// Reads and validates a connector section of `connectors.yml`.
    public init(settings: Settings) throws {
        let oauth = try settings.section("oauth")
        let token = try settings.string("accessToken")
        let credentials: Credentials
        switch (token, oauth) {
        case (let token?, nil):
            guard !token.isEmpty else {
                throw settings.error("the access token is empty; set it, usually as `accessToken: ${HUBSPOT_TOKEN}`", key: "accessToken")
            }
            credentials = .accessToken(token)
        case (nil, let oauth?):
            let tokenURL = try Self.url(oauth, "tokenURL", default: Self.defaultTokenURL)
            credentials = .oauth(
                clientID: try oauth.requiredString("clientId"), clientSecret: try oauth.requiredString("clientSecret"),
                refreshToken: try oauth.requiredString("refreshToken"), tokenURL: tokenURL)
        case (_?, _?):
            throw settings.error("set either `accessToken` (a private app) or `oauth` (a public app), not both", key: "oauth")
        case (nil, nil):
            throw settings.error(
                "no credentials; add `accessToken: ${HUBSPOT_TOKEN}` (a private app token) or an `oauth:` section")
        }
        var streams = HubSpotStream.allCases
        var contactProperties = Self.defaultContactProperties
        var companyProperties = Self.defaultCompanyProperties
        var dealProperties = Self.defaultDealProperties
        var wonStages: Set<String> = ["closedwon"]
        var lostStages: Set<String> = ["closedlost"]
        var lossReasonProperty = "closed_lost_reason"
        var personalIDProperty: String?
        var snapshotHours = 24
        var eventsStart: Int64?
        var eventTypes = Self.defaultEmailEventTypes
        var windowDays = 7
        var formIDs: [String]?
        var lookbackDays = 30
        var activityProperties = Self.defaultActivityProperties
        if settings.contains("streams") {
            let section = try settings.section("streams") ?? Settings(node: SettingNode(.map([])), path: "\(settings.path).streams")
            streams = []
            for name in section.keys {
                guard let stream = HubSpotStream(rawValue: name) else {
                    throw section.error(
                        "`\(name)` is not a HubSpot stream; streams: \(HubSpotStream.allCases.map(\.rawValue).joined(separator: ", "))",
                        key: name)
                }
                streams.append(stream)
                guard let options = try section.section(name) else { continue }
                func properties(_ defaults: [String]) throws -> [String] {
                    var list = options.contains("properties") ? try options.stringList("properties") : defaults
                    for extra in try options.stringList("extraProperties") where !list.contains(extra) { list.append(extra) }
                    return list
                }
                switch stream {
                case .contacts:
                    contactProperties = try properties(contactProperties)
                    personalIDProperty = try Self.propertyName(options, "personalIDProperty")
                case .companies: companyProperties = try properties(companyProperties)
                case .deals:
                    dealProperties = try properties(dealProperties)
                    if options.contains("wonStages") { wonStages = Set(try options.stringList("wonStages")) }
                    if options.contains("lostStages") { lostStages = Set(try options.stringList("lostStages")) }
                    lossReasonProperty = try options.string("lossReasonProperty", default: lossReasonProperty)
                    if !dealProperties.contains(lossReasonProperty) { dealProperties.append(lossReasonProperty) }
                case .dealContacts:
                    snapshotHours = try options.int("snapshotHours", default: 24, range: 0...10_000)
                case .emailEvents:
                    if let text = try options.string("startDate") {
                        guard let ms = Timestamps.milliseconds(text) else {
                            throw options.error("expected a date such as 2024-01-01", key: "startDate")
                        }
                        eventsStart = ms
                    }
                    if options.contains("eventTypes") {
                        eventTypes = Set(try options.stringList("eventTypes").map { $0.uppercased() })
                    }
                    windowDays = try options.int("windowDays", default: 7, range: 1...366)
                case .formSubmissions:
                    if options.contains("forms") { formIDs = try options.stringList("forms") }
                case .eventAttendance:
                    lookbackDays = try options.int("lookbackDays", default: 30, range: 0...3_650)
                case .campaigns: break
                case .calls, .meetings, .emails, .tasks:
                    activityProperties[stream] = try properties(activityProperties[stream] ?? [])
                }
            }
            if streams.isEmpty {
                throw settings.error("`streams` names no stream; list some, or remove `streams` to read them all", key: "streams")
            }
        }
        var feedback: Feedback?
        if let section = try settings.section("feedback"), try section.bool("enabled", default: true) {
            let prefix = try section.string("prefix", default: "synchub_")
            guard !prefix.isEmpty, prefix.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), prefix.first!.isLetter
            else {
                throw section.error(
                    "a property name prefix uses lower-case letters, digits and `_` and starts with a letter, such as `synchub_`",
                    key: "prefix")
            }
            feedback = Feedback(
                propertyGroup: try section.string("propertyGroup", default: "contactinformation"), prefix: prefix)
        }
        self.init(
            credentials: credentials, baseURL: try Self.url(settings, "baseURL", default: Self.defaultBaseURL),
            requestsPerTenSeconds: try settings.int("requestsPerTenSeconds", default: 100, range: 1...10_000),
            dailyRequestLimit: settings.contains("dailyRequestLimit")
                ? try settings.int("dailyRequestLimit", default: 0, range: 1...100_000_000) : nil,
            dailyReserve: try settings.int("dailyReserve", default: 1000, range: 0...100_000_000),
            searchRequestsPerSecond: try settings.int("searchRequestsPerSecond", default: 4, range: 1...100),
            pageSize: try settings.int("pageSize", default: 100, range: 1...100),
            searchPageSize: try settings.int("searchPageSize", default: 200, range: 1...200),
            overlapSeconds: try settings.int("overlapSeconds", default: 300, range: 0...86_400),
            archivedCheckMinutes: try settings.int("archivedCheckMinutes", default: 0, range: 0...100_000),
            streams: streams, contactProperties: contactProperties, companyProperties: companyProperties,
            dealProperties: dealProperties, wonStages: wonStages, lostStages: lostStages,
            lossReasonProperty: lossReasonProperty, personalIDProperty: personalIDProperty,
            associationSnapshotHours: snapshotHours,
            emailEventsStart: eventsStart, emailEventTypes: eventTypes, emailEventsWindowDays: windowDays,
            formIDs: formIDs, eventLookbackDays: lookbackDays, activityProperties: activityProperties,
            feedback: feedback)
    }

    /// An optional property's internal name: unset or empty is `nil`; a label (`National ID`) is refused.
    private static func propertyName(_ settings: Settings, _ key: String) throws -> String? {
        guard let name = try settings.string(key)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw settings.error(
                "`\(name)` is not a property's internal name such as `national_id`; use the internal name HubSpot shows in "
                    + "the property's details, not its label", key: key)
        }
        return name
    }

    private static func url(_ settings: Settings, _ key: String, default fallback: URL) throws -> URL {
        guard let text = try settings.string(key) else { return fallback }
        guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text), let scheme = url.scheme,
            ["http", "https"].contains(scheme.lowercased()), url.host != nil
        else {
            throw settings.error("expected an http(s) address such as https://api.hubapi.com", key: key)
        }
        return url
    }

    /// The setting holding the credentials, for messages.
    var credentialSettings: [String] {
        switch credentials {
        case .accessToken: ["accessToken"]
        case .oauth: ["oauth.clientId", "oauth.clientSecret", "oauth.refreshToken"]
        }
    }
}
