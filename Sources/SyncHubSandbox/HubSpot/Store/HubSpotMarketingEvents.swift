import SyncHubCore

/// A marketing event (webinar, conference) and the contacts' participations in it, as the marketing events API
/// serves them (https://developers.hubspot.com/docs/api-reference/legacy/marketing/marketing-events/get-marketing-events,
/// and the participant state API, .../participant-state/get-breakdown).
struct HubSpotMarketingEvent: Sendable {
    struct Participation: Sendable {
        /// The attendance-state record's id (numeric, as HubSpot's CRM object ids).
        var id: String
        var contactID: Int64
        var email: String?
        var firstName: String?
        var lastName: String?
        /// `REGISTERED`, `ATTENDED`, `CANCELLED`, `NO_SHOW`.
        var state: String
        var occurredMs: Int64
        var createdMs: Int64
        var durationSeconds: Int?
    }

    var objectID: String
    var externalEventID: String
    var name: String
    var type: String
    var organizer: String
    var startMs: Int64
    var endMs: Int64
    var createdMs: Int64
    var updatedMs: Int64
    var cancelled = false
    var participations: [Participation] = []

    static let externalAccountID = "synchub-sandbox-events"

    func count(_ state: String) -> Int { participations.filter { $0.state == state }.count }

    /// The event as `GET /marketing/v3/marketing-events/` lists it (`MarketingEventPublicReadResponseV2`).
    func json(nowMs: Int64) -> JSONValue {
        .object([
            ("objectId", .string(objectID)),
            ("eventName", .string(name)),
            ("eventType", .string(type)),
            ("eventOrganizer", .string(organizer)),
            ("eventDescription", .string("\(name), hosted by \(organizer).")),
            ("eventUrl", .string("https://events.sandbox.example/\(externalEventID)")),
            ("startDateTime", .string(HubSpotTime.iso(startMs))),
            ("endDateTime", .string(HubSpotTime.iso(endMs))),
            ("eventCancelled", .bool(cancelled)),
            ("eventCompleted", .bool(!cancelled && endMs < nowMs)),
            ("eventStatus", .string(cancelled ? "CANCELLED" : endMs < nowMs ? "PAST" : startMs <= nowMs ? "ONGOING" : "UPCOMING")),
            ("externalEventId", .string(externalEventID)),
            ("registrants", .number(String(participations.count))),
            ("attendees", .number(String(count("ATTENDED")))),
            ("noShows", .number(String(count("NO_SHOW")))),
            ("cancellations", .number(String(count("CANCELLED")))),
            ("customProperties", .array([])),
            ("appInfo", .object([("id", .string("113")), ("name", .string("Sandbox events"))])),
            ("createdAt", .string(HubSpotTime.iso(createdMs))),
            ("updatedAt", .string(HubSpotTime.iso(updatedMs))),
        ])
    }

    /// One participation as the breakdown endpoints return it (`ParticipationBreakdown`).
    func json(_ participation: Participation) -> JSONValue {
        var contact: [(String, JSONValue)] = [("contactId", .string(String(participation.contactID)))]
        if let email = participation.email { contact.append(("email", .string(email))) }
        if let first = participation.firstName { contact.append(("firstname", .string(first))) }
        if let last = participation.lastName { contact.append(("lastname", .string(last))) }
        var properties: [(String, JSONValue)] = [
            ("attendanceState", .string(participation.state)),
            ("occurredAt", .number(String(participation.occurredMs))),
        ]
        if let seconds = participation.durationSeconds {
            properties.append(("attendanceDurationSeconds", .number(String(seconds))))
            properties.append(("attendancePercentage", .string(String(min(100, seconds * 100 / max(1, Int((endMs - startMs) / 1000)))))))
        }
        return .object([
            ("associations", .object([
                ("contact", .object(contact)),
                ("marketingEvent", .object([
                    ("marketingEventId", .string(objectID)), ("name", .string(name)),
                    ("externalAccountId", .string(Self.externalAccountID)), ("externalEventId", .string(externalEventID)),
                ])),
            ])),
            ("createdAt", .string(HubSpotTime.iso(participation.createdMs))),
            ("id", .string(participation.id)),
            ("properties", .object(properties)),
        ])
    }
}
