/// A CRM object type the HubSpot simulation serves: the three core objects and four engagement (activity) objects.
enum HubSpotObjectType: Int, CaseIterable, Sendable {
    case contacts = 0
    case companies = 1
    case deals = 2
    case calls = 3
    case meetings = 4
    case emails = 5
    case tasks = 6

    /// The engagement objects (sales activities logged on CRM records).
    static let engagements: [HubSpotObjectType] = [.calls, .meetings, .emails, .tasks]

    /// Reads the spellings HubSpot accepts in paths: `contacts`, `contact`, or the type id `0-1`.
    init?(path: some StringProtocol) {
        switch path.lowercased() {
        case "contacts", "contact", "0-1": self = .contacts
        case "companies", "company", "0-2": self = .companies
        case "deals", "deal", "0-3": self = .deals
        case "calls", "call", "0-48": self = .calls
        case "meetings", "meeting", "meeting_event", "meeting_events", "0-47": self = .meetings
        case "emails", "email", "0-49": self = .emails
        case "tasks", "task", "0-27": self = .tasks
        default: return nil
        }
    }

    var isEngagement: Bool { rawValue >= HubSpotObjectType.calls.rawValue }

    var pathName: String {
        switch self {
        case .contacts: "contacts"
        case .companies: "companies"
        case .deals: "deals"
        case .calls: "calls"
        case .meetings: "meetings"
        case .emails: "emails"
        case .tasks: "tasks"
        }
    }

    var singular: String {
        switch self {
        case .contacts: "contact"
        case .companies: "company"
        case .deals: "deal"
        case .calls: "call"
        case .meetings: "meeting"
        case .emails: "email"
        case .tasks: "task"
        }
    }

    /// The type id HubSpot uses in errors and association specs (`0-1`); engagements per
    /// https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm (object type ids).
    var typeID: String {
        switch self {
        case .contacts: "0-1"
        case .companies: "0-2"
        case .deals: "0-3"
        case .calls: "0-48"
        case .meetings: "0-47"
        case .emails: "0-49"
        case .tasks: "0-27"
        }
    }

    /// Upper-case name HubSpot uses in batch error messages ("Could not get some CONTACT objects…").
    var errorName: String { singular.uppercased() }

    /// The property holding the record's last modification time: contacts use `lastmodifieddate`, others
    /// `hs_lastmodifieddate`.
    var modifiedProperty: String { self == .contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }

    /// The property holding the creation time: `createdate`, and `hs_createdate` on engagements.
    var createdProperty: String { isEngagement ? "hs_createdate" : "createdate" }

    /// Properties returned when a request names none (besides the three always returned).
    var defaultProperties: [String] {
        switch self {
        case .contacts: ["email", "firstname", "lastname"]
        case .companies: ["domain", "name"]
        case .deals: ["amount", "closedate", "dealname", "dealstage", "pipeline"]
        case .calls: ["hs_call_title", "hs_timestamp"]
        case .meetings: ["hs_meeting_title", "hs_timestamp"]
        case .emails: ["hs_email_subject", "hs_timestamp"]
        case .tasks: ["hs_task_subject", "hs_timestamp"]
        }
    }

    /// Properties every read returns whatever was asked.
    var alwaysReturned: [String] { [createdProperty, "hs_object_id", modifiedProperty] }

    /// First id handed out for this type; types use distinct ranges so a mixed-up id is noticed.
    var firstID: Int64 {
        switch self {
        case .contacts: 1_000_001
        case .companies: 5_000_001
        case .deals: 9_000_001
        case .calls: 20_000_001
        case .meetings: 30_000_001
        case .emails: 40_000_001
        case .tasks: 50_000_001
        }
    }
}
