/// The kinds of objects synchub understands, whatever the system calls them.
public enum ObjectType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A person: a marketing contact, a CRM lead or a CRM contact.
    case contact
    /// A company: HubSpot company, Salesforce account.
    case account
    /// A marketing campaign (email, webinar, event, form, ad).
    case campaign
    /// One interaction of a person with a campaign.
    case touch
    /// A deal or opportunity.
    case deal
    /// A link between a deal and a contact.
    case dealContact = "deal_contact"
    /// A sales activity with a person: a call, meeting, email or task (Salesforce Task/Event, HubSpot engagements).
    case activity
}

/// Points at one record of one connector, for example `crm:003A000001`.
public struct RecordReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The connector instance name in `connectors.yml` (not its type).
    public var connector: String
    public var objectType: ObjectType
    public var externalID: String

    public init(connector: String, objectType: ObjectType = .contact, externalID: String) {
        self.connector = connector
        self.objectType = objectType
        self.externalID = externalID
    }

    public var description: String { "\(connector):\(externalID)" }
}

/// One record as a source delivered it: the raw payload for audit and replay, plus its normalized form.
public struct SourceRecord: Sendable {
    public var objectType: ObjectType
    /// The source system's id of the record.
    public var externalID: String
    /// The record exactly as received, as JSON (an object).
    public var payload: [UInt8]
    /// When the source last changed the record, ISO-8601 (see ``Timestamps``), when it says.
    public var sourceUpdatedAt: String?
    /// The source deleted (or archived) this record.
    public var isDeleted: Bool
    /// The source merged this record into another one (its survivor's external id).
    public var mergedInto: String?
    /// The record mapped to synchub's model; `nil` for a bare delete.
    public var normalized: NormalizedRecord?
    /// Where the record came from, for messages (`contacts.csv:12`); never its values.
    public var location: String?

    public init(
        objectType: ObjectType, externalID: String, payload: [UInt8], sourceUpdatedAt: String? = nil,
        isDeleted: Bool = false, mergedInto: String? = nil, normalized: NormalizedRecord? = nil,
        location: String? = nil
    ) {
        self.objectType = objectType
        self.externalID = externalID
        self.payload = payload
        self.sourceUpdatedAt = sourceUpdatedAt
        self.isDeleted = isDeleted
        self.mergedInto = mergedInto
        self.normalized = normalized
        self.location = location
    }
}

/// A record the source sent that synchub could not accept; it is quarantined, never dropped.
public struct RejectedRecord: Sendable, Hashable {
    /// Where it was found, such as `sample/crm/contacts.csv:812` or `GET /crm/v3/objects/contacts page 3`.
    public var location: String
    /// Why it was rejected and what to do about it. Never contains field values.
    public var reason: String
    /// The raw input, kept so the record can be replayed after a fix.
    public var payload: [UInt8]
    /// The record's id when it could be read: a stored record whose new version is rejected is not deleted.
    public var externalID: String?

    public init(location: String, reason: String, payload: [UInt8], externalID: String? = nil) {
        self.location = location
        self.reason = reason
        self.payload = payload
        self.externalID = externalID
    }
}

/// A record in synchub's model.
public enum NormalizedRecord: Sendable, Hashable {
    case contact(Contact)
    case account(Account)
    case campaign(Campaign)
    case touch(Touch)
    case deal(Deal)
    case dealContact(DealContactLink)
    case activity(Activity)

    public var objectType: ObjectType {
        switch self {
        case .contact: .contact
        case .account: .account
        case .campaign: .campaign
        case .touch: .touch
        case .deal: .deal
        case .dealContact: .dealContact
        case .activity: .activity
        }
    }
}

/// A person as one system knows them: a marketing contact, a CRM lead or a CRM contact.
public struct Contact: Sendable, Hashable, Codable {
    /// `lead` or `contact` where the system distinguishes them (Salesforce), else `contact`.
    public var kind: String = "contact"
    public var email: String?
    /// Further addresses the system holds for the person (HubSpot `hs_additional_emails`).
    public var additionalEmails: [String] = []
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    public var title: String?
    public var phone: String?
    public var website: String?
    public var street: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?
    /// `YYYY-MM-DD`.
    public var birthDate: String?
    /// An identifier given to the person outside these systems that several sources record: a national, tax or
    /// membership number, a customer number. Personal data, compared for matching like a birth date.
    public var personalID: String?
    public var owner: String?
    /// The system's own lifecycle value (HubSpot `lifecyclestage`, Salesforce lead `Status`).
    public var lifecycleStage: String?
    /// The system's own lead status (HubSpot `hs_lead_status`).
    public var leadStatus: String?
    /// The account this person belongs to, as an external id of the same connector.
    public var accountID: String?
    public var createdAt: String?
    /// Records in this or other connectors known to be the same person (cross-system id columns,
    /// a converted lead's contact). Identity links them deterministically.
    public var sameAs: [RecordReference] = []

    public init() {}
}

/// A company.
public struct Account: Sendable, Hashable, Codable {
    public var name: String?
    public var domain: String?
    public var website: String?
    public var industry: String?
    public var country: String?
    public var owner: String?
    public var employees: Int?
    public var createdAt: String?

    public init() {}
}

/// A marketing campaign.
public struct Campaign: Sendable, Hashable, Codable {
    public var name: String?
    /// Channel or type: `email`, `webinar`, `event`, `form`, `paid`, `content`...
    public var channel: String?
    public var status: String?
    public var startedAt: String?
    public var endedAt: String?
    public var cost: Double?

    public init() {}
}

/// One marketing interaction of a person with a campaign.
public struct Touch: Sendable, Hashable, Codable {
    /// The contact's external id in the same connector, when known.
    public var contactID: String?
    /// The person's email, for sources that only know that.
    public var email: String?
    public var campaignID: String?
    /// `email_send`, `email_open`, `email_click`, `form_fill`, `webinar`, `event`, `list_membership`...
    public var type: String?
    public var occurredAt: String?

    public init() {}
}

/// How a deal ended, or that it has not yet.
public enum DealOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case open, won, lost
}

/// A deal or opportunity.
public struct Deal: Sendable, Hashable, Codable {
    public var name: String?
    public var accountID: String?
    public var stage: String?
    public var pipeline: String?
    public var amount: Double?
    /// ISO-4217 code.
    public var currency: String?
    /// `YYYY-MM-DD`.
    public var closeDate: String?
    public var createdAt: String?
    public var outcome: DealOutcome = .open
    public var lossReason: String?
    public var owner: String?

    public init() {}
}

/// A link between a deal and a contact of the same connector.
public struct DealContactLink: Sendable, Hashable, Codable {
    public var dealID: String
    public var contactID: String
    public var role: String?
    public var isPrimary: Bool

    public init(dealID: String, contactID: String, role: String? = nil, isPrimary: Bool = false) {
        self.dealID = dealID
        self.contactID = contactID
        self.role = role
        self.isPrimary = isPrimary
    }

    /// The external id under which the link is stored: `deal:contact`.
    public var externalID: String { "\(dealID):\(contactID)" }
}

/// A sales activity with a person: what follow-up times are measured from.
public struct Activity: Sendable, Hashable, Codable {
    /// `call`, `meeting`, `email`, `task`, `event`, `note`...
    public var type: String?
    /// The contact or lead it was with, as an external id of the same connector.
    public var contactID: String?
    /// The person's email, for sources that only know that.
    public var email: String?
    /// The account, as an external id of the same connector.
    public var accountID: String?
    /// The deal, as an external id of the same connector.
    public var dealID: String?
    /// The sales rep who did it (an owner id or name).
    public var owner: String?
    /// When it happened (or is due, for open tasks), ISO-8601 UTC.
    public var occurredAt: String?
    /// `completed`, `open`, `cancelled`... as the system says.
    public var status: String?
    /// `inbound` or `outbound` where the system says.
    public var direction: String?

    public init() {}
}
