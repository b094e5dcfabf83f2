import Foundation
import SyncHubCore

/// A marketing email campaign (the legacy email API's "campaign": one send of one marketing email).
struct HubSpotEmailCampaign: Sendable {
    var id: Int64
    var appID: Int
    var appName: String
    var contentID: Int64
    var name: String
    var subject: String
    var sentMs: Int64
    var counters: [String: Int] = [:]
    /// The campaign's latest activity or edit: the list of recent campaigns is ordered by it (`lastUpdatedTime`).
    var updatedMs: Int64

    init(id: Int64, appID: Int, appName: String, contentID: Int64, name: String, subject: String, sentMs: Int64) {
        self.id = id
        self.appID = appID
        self.appName = appName
        self.contentID = contentID
        self.name = name
        self.subject = subject
        self.sentMs = sentMs
        self.updatedMs = sentMs + 540_000
    }

    /// The campaign as `GET /email/public/v1/campaigns/{id}` returns it.
    var json: JSONValue {
        let counterNames = ["sent", "delivered", "open", "click", "bounce", "unsubscribed", "dropped", "processed"]
        return .object([
            ("appId", .number(String(appID))),
            ("appName", .string(appName)),
            ("contentId", .number(String(contentID))),
            ("counters", .object(counterNames.map { ($0, .number(String(counters[$0] ?? 0))) })),
            ("id", .number(String(id))),
            ("lastProcessingFinishedAt", .number(String(sentMs + 540_000))),
            ("lastProcessingStartedAt", .number(String(sentMs))),
            ("lastProcessingStateChangeAt", .number(String(sentMs + 540_000))),
            ("name", .string(name)),
            ("numIncluded", .number(String(counters["sent"] ?? 0))),
            ("numQueued", .number(String(counters["sent"] ?? 0))),
            ("processingState", .string("DONE")),
            ("subType", .string("batch")),
            ("subject", .string(subject)),
            ("type", .string("BATCH_EMAIL")),
        ])
    }
}

/// One email event, pre-encoded as the events API returns it.
struct HubSpotEmailEvent: Sendable {
    var id: String
    var created: Int64
    var type: String
    var recipient: String
    var campaignID: Int64
    var appID: Int
    var json: [UInt8]

    /// Sort key: events are stored ascending and served newest first.
    var key: (Int64, String) { (created, id) }
}

/// The legacy email events log, kept sorted by (created, id).
struct HubSpotEmailLog: Sendable {
    static let portalID = 62_515
    static let appID = 113
    static let appName = "Batch"

    var campaigns: [HubSpotEmailCampaign] = []
    private(set) var events: [HubSpotEmailEvent] = []

    mutating func append(contentsOf new: [HubSpotEmailEvent]) {
        events.append(contentsOf: new)
        events.sort { $0.key < $1.key }
    }

    /// Index of the first event whose key is not less than `key`.
    func lowerBound(_ key: (Int64, String)) -> Int {
        var low = 0
        var high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func campaign(id: Int64) -> HubSpotEmailCampaign? { campaigns.first { $0.id == id } }

    /// Encodes an event with HubSpot's common fields first, then the type-specific ones.
    static func encode(
        id: String, created: Int64, type: String, recipient: String, campaignID: Int64, sentBy: (String, Int64)?,
        extra: [(String, JSONValue)]
    ) -> HubSpotEmailEvent {
        var members: [(String, JSONValue)] = [
            ("appId", .number(String(appID))),
            ("appName", .string(appName)),
            ("created", .number(String(created))),
            ("emailCampaignId", .number(String(campaignID))),
            ("id", .string(id)),
            ("portalId", .number(String(portalID))),
            ("recipient", .string(recipient)),
            ("type", .string(type)),
        ]
        if let (sentID, sentCreated) = sentBy {
            members.append(
                ("sentBy", .object([("id", .string(sentID)), ("created", .number(String(sentCreated)))])))
        }
        members.append(contentsOf: extra)
        return HubSpotEmailEvent(
            id: id, created: created, type: type, recipient: recipient, campaignID: campaignID, appID: appID,
            json: HubSpotJSON.bytes(JSONValue.object(members)))
    }
}

/// A HubSpot form and its submissions (newest first, pre-encoded as the forms v1 submissions API returns them).
struct HubSpotForm: Sendable {
    struct Submission: Sendable {
        var conversionID: String
        var submittedAt: Int64
        var json: [UInt8]
    }

    var id: String
    var name: String
    var createdMs: Int64
    var updatedMs: Int64
    var archived = false
    var submissions: [Submission] = []

    init(id: String, name: String, createdMs: Int64) {
        self.id = id
        self.name = name
        self.createdMs = createdMs
        self.updatedMs = createdMs
    }

    /// The form as `GET /marketing/v3/forms/` lists it (`FormDefinitionBase`, the fields synchub reads and a few more).
    var json: JSONValue {
        .object([
            ("id", .string(id)), ("name", .string(name)), ("createdAt", .string(HubSpotTime.iso(createdMs))),
            ("updatedAt", .string(HubSpotTime.iso(updatedMs))), ("archived", .bool(archived)),
            ("formType", .string("hubspot")),
            ("fieldGroups", .array(["email", "firstname", "lastname", "company"].map { name in
                .object([
                    ("groupType", .string("default_group")), ("richTextType", .string("text")),
                    ("fields", .array([.object([
                        ("objectTypeId", .string("0-1")), ("name", .string(name)), ("label", .string(name.capitalized)),
                        ("required", .bool(name == "email")), ("hidden", .bool(false)),
                        ("fieldType", .string(name == "email" ? "email" : "single_line_text")),
                    ])])),
                ])
            })),
        ])
    }

    /// A submission by a person whose contact values are `values`: the form's fields they filled.
    static func submission(conversionID: String, submittedAt: Int64, values: [String: String], form: HubSpotForm) -> Submission {
        var fields: [JSONValue] = ["email", "firstname", "lastname", "company"].compactMap { name in
            values[name].map { .object([("name", .string(name)), ("value", .string($0))]) }
        }
        if form.name == "Demo request" {
            fields.append(.object([("name", .string("message")), ("value", .string("Please get in touch about pricing."))]))
        }
        let slug = form.name.lowercased().filter { $0.isLetter }
        let json = HubSpotJSON.bytes(
            .object([
                ("conversionId", .string(conversionID)), ("submittedAt", .number(String(submittedAt))),
                ("values", .array(fields)), ("pageUrl", .string("https://www.sandbox.example/\(slug)")),
            ]))
        return Submission(conversionID: conversionID, submittedAt: submittedAt, json: json)
    }
}
