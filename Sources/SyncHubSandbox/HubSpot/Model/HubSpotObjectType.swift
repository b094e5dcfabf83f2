/// A CRM object type the HubSpot simulation serves.
enum HubSpotObjectType: Int, CaseIterable, Sendable {
    case contacts = 0
    case companies = 1
    case deals = 2

    /// Reads the spellings HubSpot accepts in paths: `contacts`, `contact`, or the type id `0-1`.
    init?(path: some StringProtocol) {
        switch path.lowercased() {
        case "contacts", "contact", "0-1": self = .contacts
        case "companies", "company", "0-2": self = .companies
        case "deals", "deal", "0-3": self = .deals
        default: return nil
        }
    }

    var pathName: String {
        switch self {
        case .contacts: "contacts"
        case .companies: "companies"
        case .deals: "deals"
        }
    }

    var singular: String {
        switch self {
        case .contacts: "contact"
        case .companies: "company"
        case .deals: "deal"
        }
    }

    /// The type id HubSpot uses in errors and association specs (`0-1`).
    var typeID: String {
        switch self {
        case .contacts: "0-1"
        case .companies: "0-2"
        case .deals: "0-3"
        }
    }

    /// Upper-case name HubSpot uses in batch error messages ("Could not get some CONTACT objects…").
    var errorName: String { singular.uppercased() }

    /// The property holding the record's last modification time: contacts use `lastmodifieddate`, others
    /// `hs_lastmodifieddate`.
    var modifiedProperty: String { self == .contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }

    /// Properties returned when a request names none (besides the three always returned).
    var defaultProperties: [String] {
        switch self {
        case .contacts: ["email", "firstname", "lastname"]
        case .companies: ["domain", "name"]
        case .deals: ["amount", "closedate", "dealname", "dealstage", "pipeline"]
        }
    }

    /// Properties every read returns whatever was asked.
    var alwaysReturned: [String] { ["createdate", "hs_object_id", modifiedProperty] }

    /// First id handed out for this type; types use distinct ranges so a mixed-up id is noticed.
    var firstID: Int64 {
        switch self {
        case .contacts: 1_000_001
        case .companies: 5_000_001
        case .deals: 9_000_001
        }
    }
}
