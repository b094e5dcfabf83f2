import SyncHubCore

/// A field of synchub's model that a file column can feed: the keys of `columns:` in `connectors.yml`.
///
/// The raw value is the field's slot in a mapped row; ``name`` is how `connectors.yml` spells it.
enum CanonicalField: Int, Sendable, Hashable, CaseIterable {
    case id, email, additionalEmails, firstName, lastName, company, title, phone, website, street, city, state
    case postalCode, country, birthDate, personalID, owner, lifecycleStage, leadStatus, accountID, createdAt, updatedAt, deleted
    case kind, convertedContactID, mergedInto, mergedIDs
    case name, domain, industry, employees
    case channel, status, startedAt, endedAt, cost
    case contactID, campaignID, type, occurredAt
    case stage, pipeline, amount, currency, closeDate, outcome, isWon, isClosed, lossReason
    case dealID, role, isPrimary
    case direction

    /// The field's name in `columns:`, such as `postalCode`.
    var name: String { Self.names[rawValue] }

    /// The field called `name` in `columns:`.
    init?(name: String) {
        guard let field = Self.byName[name] else { return nil }
        self = field
    }

    static let names: [String] = allCases.map { String(describing: $0) }
    static let byName: [String: CanonicalField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The fields a stream of `objectType` accepts, in documentation order.
    static func fields(of objectType: ObjectType) -> [CanonicalField] {
        switch objectType {
        case .contact:
            [.id, .email, .additionalEmails, .firstName, .lastName, .company, .title, .phone, .website, .street, .city,
             .state, .postalCode, .country, .birthDate, .personalID, .owner, .lifecycleStage, .leadStatus, .accountID, .createdAt,
             .updatedAt, .deleted, .kind, .convertedContactID, .mergedInto, .mergedIDs]
        case .account:
            [.id, .name, .domain, .website, .industry, .country, .owner, .employees, .createdAt, .updatedAt, .deleted]
        case .campaign:
            [.id, .name, .channel, .status, .startedAt, .endedAt, .cost, .updatedAt, .deleted]
        case .touch:
            [.id, .contactID, .email, .campaignID, .type, .occurredAt, .deleted, .mergedIDs]
        case .deal:
            [.id, .name, .accountID, .stage, .pipeline, .amount, .currency, .closeDate, .createdAt, .updatedAt,
             .outcome, .isWon, .isClosed, .lossReason, .owner, .deleted]
        case .dealContact:
            [.id, .dealID, .contactID, .role, .isPrimary, .deleted]
        case .activity:
            [.id, .type, .contactID, .email, .accountID, .dealID, .owner, .occurredAt, .status, .direction, .updatedAt,
             .deleted]
        }
    }

    /// The column names tried when no preset names this field: `postalCode`, then `postal_code`; a personal id also
    /// under the names files commonly give national numbers.
    var defaultColumns: [String] {
        let snake = Self.snakeCase(name)
        let own = snake == name ? [name] : [name, snake]
        return self == .personalID ? own + ["nationalID", "national_id", "ssn", "soc_sec_id"] : own
    }

    static func snakeCase(_ name: String) -> String {
        var out = ""
        var previousWasUpper = true
        for character in name {
            if character.isUppercase {
                if !previousWasUpper { out.append("_") }
                out.append(contentsOf: character.lowercased())
                previousWasUpper = true
            } else {
                out.append(character)
                previousWasUpper = false
            }
        }
        return out
    }

    /// Fields whose values must parse as timestamps; normalized to ISO-8601 UTC.
    var isTimestamp: Bool {
        switch self {
        case .createdAt, .updatedAt, .startedAt, .endedAt, .occurredAt: true
        default: false
        }
    }
}

/// The stream names that imply an object type, and the contact kind they imply.
enum StreamNames {
    static let objectTypes: [String: ObjectType] = [
        "contacts": .contact, "leads": .contact, "accounts": .account, "companies": .account,
        "campaigns": .campaign, "touches": .touch, "campaign_members": .touch,
        "activities": .activity, "tasks": .activity, "events": .activity,
        "deals": .deal, "opportunities": .deal, "deal_contacts": .dealContact, "opportunity_contact_roles": .dealContact,
    ]

    static let known = ["contacts", "leads", "accounts", "campaigns", "touches", "deals", "deal_contacts", "activities"]
}
