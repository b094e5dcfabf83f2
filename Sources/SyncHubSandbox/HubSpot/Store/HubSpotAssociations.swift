/// One association type between two object types, as HubSpot defines it.
struct HubSpotAssociationType: Sendable {
    var typeID: Int
    /// `"Primary"` for the primary-company labels, `nil` for unlabeled ones.
    var label: String?
    /// The v3 name (`contact_to_company`), used in the `associations` of object reads.
    var name: String
    /// Whether this type applies only to the primary link.
    var primaryOnly: Bool

    /// HubSpot-defined types from `from` to `to`: the primary-labelled one (when the pair has one) first.
    static func types(from: HubSpotObjectType, to: HubSpotObjectType) -> [HubSpotAssociationType] {
        switch (from, to) {
        case (.contacts, .companies):
            [.init(typeID: 1, label: "Primary", name: "contact_to_company", primaryOnly: true),
             .init(typeID: 279, label: nil, name: "contact_to_company_unlabeled", primaryOnly: false)]
        case (.companies, .contacts):
            [.init(typeID: 2, label: "Primary", name: "company_to_contact", primaryOnly: true),
             .init(typeID: 280, label: nil, name: "company_to_contact_unlabeled", primaryOnly: false)]
        case (.deals, .contacts):
            [.init(typeID: 3, label: nil, name: "deal_to_contact", primaryOnly: false)]
        case (.contacts, .deals):
            [.init(typeID: 4, label: nil, name: "contact_to_deal", primaryOnly: false)]
        case (.deals, .companies):
            [.init(typeID: 5, label: "Primary", name: "deal_to_company", primaryOnly: true),
             .init(typeID: 341, label: nil, name: "deal_to_company_unlabeled", primaryOnly: false)]
        case (.companies, .deals):
            [.init(typeID: 6, label: "Primary", name: "company_to_deal", primaryOnly: true),
             .init(typeID: 342, label: nil, name: "company_to_deal_unlabeled", primaryOnly: false)]
        default:
            engagementTypes(from: from, to: to)
        }
    }

    /// HubSpot-defined types between engagements and contacts, companies and deals, per
    /// https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4 (association type ids).
    private static func engagementTypes(from: HubSpotObjectType, to: HubSpotObjectType) -> [HubSpotAssociationType] {
        // (engagement → contact, contact → engagement, engagement → company, company → engagement,
        //  engagement → deal, deal → engagement)
        let ids: [HubSpotObjectType: [Int]] = [
            .calls: [194, 193, 182, 181, 206, 205], .emails: [198, 197, 186, 185, 210, 209],
            .meetings: [200, 199, 188, 187, 212, 211], .tasks: [204, 203, 192, 191, 216, 215],
        ]
        let engagement = from.isEngagement ? from : to
        let other = from.isEngagement ? to : from
        guard engagement.isEngagement, !other.isEngagement, let row = ids[engagement] else { return [] }
        let base = other == .contacts ? 0 : other == .companies ? 2 : 4
        let outward = from.isEngagement
        let name = engagement == .meetings ? "meeting_event" : engagement.singular
        let typeName = outward ? "\(name)_to_\(other.singular)" : "\(other.singular)_to_\(name)"
        return [.init(typeID: row[base + (outward ? 0 : 1)], label: nil, name: typeName, primaryOnly: false)]
    }
}

/// Links between records, kept in both directions, with the primary company of contacts and deals.
struct HubSpotAssociations: Sendable {
    private var edges: [[[Int64: [Int64]]]] = Array(
        repeating: Array(repeating: [:], count: HubSpotObjectType.allCases.count),
        count: HubSpotObjectType.allCases.count)
    /// Contact or deal id → its primary company id.
    private var primaryCompany: [[Int64: Int64]] = Array(repeating: [:], count: HubSpotObjectType.allCases.count)

    /// Ids of `to` records linked to `id`, in the order they were linked.
    func targets(of id: Int64, _ from: HubSpotObjectType, to: HubSpotObjectType) -> [Int64] {
        edges[from.rawValue][to.rawValue][id] ?? []
    }

    /// Whether the link from `id` to `target` carries the primary label.
    func isPrimary(_ id: Int64, _ from: HubSpotObjectType, target: Int64, _ to: HubSpotObjectType) -> Bool {
        switch (from, to) {
        case (.contacts, .companies), (.deals, .companies): primaryCompany[from.rawValue][id] == target
        case (.companies, .contacts), (.companies, .deals): primaryCompany[to.rawValue][target] == id
        default: false
        }
    }

    mutating func link(_ a: Int64, _ aType: HubSpotObjectType, _ b: Int64, _ bType: HubSpotObjectType) {
        if !(edges[aType.rawValue][bType.rawValue][a]?.contains(b) ?? false) {
            edges[aType.rawValue][bType.rawValue][a, default: []].append(b)
            edges[bType.rawValue][aType.rawValue][b, default: []].append(a)
        }
        if bType == .companies, aType != .companies, primaryCompany[aType.rawValue][a] == nil {
            primaryCompany[aType.rawValue][a] = b
        }
        if aType == .companies, bType != .companies, primaryCompany[bType.rawValue][b] == nil {
            primaryCompany[bType.rawValue][b] = a
        }
    }

    /// Moves every link of the records `sources` (primary first) to `target`; the first source's primary company
    /// stays primary.
    mutating func merge(_ sources: [Int64], into target: Int64, _ type: HubSpotObjectType) {
        for other in HubSpotObjectType.allCases where other != type {
            for source in sources {
                let linked = edges[type.rawValue][other.rawValue][source] ?? []
                edges[type.rawValue][other.rawValue][source] = nil
                for peer in linked {
                    edges[other.rawValue][type.rawValue][peer]?.removeAll { $0 == source }
                    let wasPrimary: Bool
                    if other == .companies {
                        wasPrimary = primaryCompany[type.rawValue][source] == peer
                    } else {
                        wasPrimary = type == .companies && primaryCompany[other.rawValue][peer] == source
                        if wasPrimary { primaryCompany[other.rawValue][peer] = nil }
                    }
                    link(target, type, peer, other)
                    if wasPrimary, other != .companies { primaryCompany[other.rawValue][peer] = target }
                }
                if other == .companies, let company = primaryCompany[type.rawValue][source] {
                    primaryCompany[type.rawValue][source] = nil
                    if primaryCompany[type.rawValue][target] == nil || source == sources.first {
                        primaryCompany[type.rawValue][target] = company
                    }
                }
            }
        }
    }
}
