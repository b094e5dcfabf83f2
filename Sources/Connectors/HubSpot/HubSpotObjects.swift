import Foundation
import SyncHubCore

/// One CRM object type as a stream reads it: its API path, cursor property, scope and mapping.
struct HubSpotObjectKind: Sendable {
    let stream: HubSpotStream
    /// `contacts`, `companies`, `deals`.
    let path: String
    /// `lastmodifieddate` for contacts, `hs_lastmodifieddate` for the others.
    let modifiedProperty: String
    /// The OAuth scope reading it needs.
    let scope: String
    let properties: [String]
    let normalize: @Sendable (JSONValue) -> NormalizedRecord

    var objectType: ObjectType { stream.objectType }

    static func contacts(_ configuration: HubSpotConfiguration) -> HubSpotObjectKind {
        HubSpotObjectKind(
            stream: .contacts, path: "contacts", modifiedProperty: "lastmodifieddate",
            scope: "crm.objects.contacts.read", properties: with(configuration.contactProperties, ["lastmodifieddate", "hs_merged_object_ids"]),
            normalize: { .contact(HubSpotMapping.contact($0)) })
    }

    static func companies(_ configuration: HubSpotConfiguration) -> HubSpotObjectKind {
        HubSpotObjectKind(
            stream: .companies, path: "companies", modifiedProperty: "hs_lastmodifieddate",
            scope: "crm.objects.companies.read", properties: with(configuration.companyProperties, ["hs_lastmodifieddate", "hs_merged_object_ids"]),
            normalize: { .account(HubSpotMapping.account($0)) })
    }

    static func deals(_ configuration: HubSpotConfiguration) -> HubSpotObjectKind {
        let rules = HubSpotMapping.DealRules(
            wonStages: configuration.wonStages, lostStages: configuration.lostStages,
            lossReasonProperty: configuration.lossReasonProperty)
        return HubSpotObjectKind(
            stream: .deals, path: "deals", modifiedProperty: "hs_lastmodifieddate", scope: "crm.objects.deals.read",
            properties: with(configuration.dealProperties, ["hs_lastmodifieddate", "hs_merged_object_ids"]),
            normalize: { .deal(HubSpotMapping.deal($0, rules: rules)) })
    }

    private static func with(_ list: [String], _ required: [String]) -> [String] {
        var out = list
        for name in required where !out.contains(name) { out.append(name) }
        return out
    }

    /// The records one API object yields: itself, and for each id merged into it (`hs_merged_object_ids`) a
    /// deleted record pointing at it, so identity keeps the alias.
    func records(from object: JSONValue, location: String) -> (records: [SourceRecord], rejected: RejectedRecord?) {
        let payload = object.serialized
        guard let id = object["id"]?.text, !id.isEmpty else {
            return ([], RejectedRecord(location: location, reason: "a \(path) result has no id; it was kept for review", payload: payload))
        }
        let properties = object["properties"] ?? .object([])
        let modified = properties[modifiedProperty]?.text ?? object["updatedAt"]?.text
        var records = [
            SourceRecord(
                objectType: objectType, externalID: id, payload: payload,
                sourceUpdatedAt: modified.flatMap(Timestamps.normalize), normalized: normalize(properties),
                location: location)
        ]
        for alias in HubSpotMapping.mergedIDs(properties["hs_merged_object_ids"]?.text, except: id) {
            let aliasPayload = JSONWriter.object([
                ("id", alias), ("mergedInto", id), ("hs_merged_object_ids", properties["hs_merged_object_ids"]?.text),
            ])
            records.append(
                SourceRecord(
                    objectType: objectType, externalID: alias, payload: aliasPayload,
                    sourceUpdatedAt: modified.flatMap(Timestamps.normalize), isDeleted: true, mergedInto: id,
                    location: location))
        }
        return (records, nil)
    }
}

/// HubSpot's properties mapped to synchub's model.
enum HubSpotMapping {
    static func value(_ properties: JSONValue, _ name: String) -> String? {
        guard let text = properties[name]?.text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func contact(_ p: JSONValue) -> Contact {
        var contact = Contact()
        contact.email = value(p, "email")
        contact.additionalEmails = (value(p, "hs_additional_emails") ?? "").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        contact.firstName = value(p, "firstname")
        contact.lastName = value(p, "lastname")
        contact.company = value(p, "company")
        contact.title = value(p, "jobtitle")
        contact.phone = value(p, "phone") ?? value(p, "mobilephone")
        contact.website = value(p, "website")
        contact.street = value(p, "address")
        contact.city = value(p, "city")
        contact.state = value(p, "state")
        contact.postalCode = value(p, "zip")
        contact.country = value(p, "country")
        contact.birthDate = value(p, "date_of_birth").flatMap(Timestamps.date)
        contact.owner = value(p, "hubspot_owner_id")
        contact.lifecycleStage = value(p, "lifecyclestage")
        contact.leadStatus = value(p, "hs_lead_status")
        contact.accountID = value(p, "associatedcompanyid")
        contact.createdAt = value(p, "createdate").flatMap(Timestamps.normalize)
        return contact
    }

    static func account(_ p: JSONValue) -> Account {
        var account = Account()
        account.name = value(p, "name")
        account.domain = value(p, "domain")
        account.website = value(p, "website")
        account.industry = value(p, "industry")
        account.country = value(p, "country")
        account.owner = value(p, "hubspot_owner_id")
        account.employees = value(p, "numberofemployees").flatMap { Double($0) }.map { Int($0) }
        account.createdAt = value(p, "createdate").flatMap(Timestamps.normalize)
        return account
    }

    struct DealRules: Sendable {
        var wonStages: Set<String>
        var lostStages: Set<String>
        var lossReasonProperty: String
    }

    /// Outcome from `hs_is_closed_won` / `hs_is_closed` when HubSpot sent them, else from the stage id.
    static func deal(_ p: JSONValue, rules: DealRules) -> Deal {
        var deal = Deal()
        deal.name = value(p, "dealname")
        deal.stage = value(p, "dealstage")
        deal.pipeline = value(p, "pipeline")
        deal.amount = value(p, "amount").flatMap { Double($0) }
        deal.currency = value(p, "deal_currency_code")
        deal.closeDate = value(p, "closedate").flatMap(Timestamps.date)
        deal.createdAt = value(p, "createdate").flatMap(Timestamps.normalize)
        deal.owner = value(p, "hubspot_owner_id")
        deal.lossReason = value(p, rules.lossReasonProperty)
        let won = value(p, "hs_is_closed_won").map(isTrue)
        let closed = value(p, "hs_is_closed").map(isTrue)
        if won == true {
            deal.outcome = .won
        } else if closed == true {
            deal.outcome = .lost
        } else if won == nil, closed == nil, let stage = deal.stage?.lowercased() {
            deal.outcome = rules.wonStages.contains(stage) ? .won : rules.lostStages.contains(stage) ? .lost : .open
        } else {
            deal.outcome = .open
        }
        return deal
    }

    static func isTrue(_ text: String) -> Bool { ["true", "1", "yes"].contains(text.lowercased()) }

    /// Ids in a `hs_merged_object_ids` value (`"a;b"`), without `except` and duplicates.
    static func mergedIDs(_ text: String?, except own: String) -> [String] {
        guard let text else { return [] }
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != own && seen.insert($0).inserted }
    }
}
