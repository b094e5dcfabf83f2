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
    /// Links read with every page (v4 associations) and merged into the records.
    var links: [Link] = []

    /// Links to one other object type, read for every page of records, and how they go into a normalized record.
    struct Link: Sendable {
        /// The linked type's path name (`companies`).
        var to: String
        var apply: @Sendable (inout NormalizedRecord, [HubSpotAssociation]) -> Void
    }

    var objectType: ObjectType { stream.objectType }

    /// Contacts, with ``HubSpotConfiguration/personalIDProperty`` read besides the contact properties when set.
    static func contacts(_ configuration: HubSpotConfiguration) -> HubSpotObjectKind {
        let personalIDProperty = configuration.personalIDProperty
        let required = ["lastmodifieddate", "hs_merged_object_ids"] + [personalIDProperty].compactMap { $0 }
        return HubSpotObjectKind(
            stream: .contacts, path: "contacts", modifiedProperty: "lastmodifieddate",
            scope: "crm.objects.contacts.read", properties: with(configuration.contactProperties, required),
            normalize: { .contact(HubSpotMapping.contact($0, personalIDProperty: personalIDProperty)) })
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
            normalize: { .deal(HubSpotMapping.deal($0, rules: rules)) },
            links: [
                // The deal's company: the link labelled Primary, else the first one.
                Link(to: "companies") { record, links in
                    guard case .deal(var deal) = record else { return }
                    deal.accountID = HubSpotMapping.primary(links)
                    record = .deal(deal)
                },
            ])
    }

    /// One engagement object (`calls`, `meetings`, `emails`, `tasks`) as activities, with its contact, company and
    /// deal (https://developers.hubspot.com/docs/guides/api/crm/engagements/calls and the pages beside it). Reading
    /// engagements takes the contacts scope.
    static func activities(_ stream: HubSpotStream, _ configuration: HubSpotConfiguration) -> HubSpotObjectKind {
        let properties = configuration.activityProperties[stream] ?? HubSpotConfiguration.defaultActivityProperties[stream] ?? []
        return HubSpotObjectKind(
            stream: stream, path: stream.rawValue, modifiedProperty: "hs_lastmodifieddate",
            scope: "crm.objects.contacts.read", properties: with(properties, ["hs_lastmodifieddate"]),
            normalize: { .activity(HubSpotMapping.activity(stream, $0)) },
            links: [
                Link(to: "contacts") { record, links in
                    guard case .activity(var activity) = record else { return }
                    activity.contactID = links.first?.toID
                    record = .activity(activity)
                },
                Link(to: "companies") { record, links in
                    guard case .activity(var activity) = record else { return }
                    activity.accountID = HubSpotMapping.primary(links)
                    record = .activity(activity)
                },
                Link(to: "deals") { record, links in
                    guard case .activity(var activity) = record else { return }
                    activity.dealID = links.first?.toID
                    record = .activity(activity)
                },
            ])
    }

    private static func with(_ list: [String], _ required: [String]) -> [String] {
        var out = list
        for name in required where !out.contains(name) { out.append(name) }
        return out
    }

    /// The links of `ids` to every type in ``links``: linked type → record id → links.
    func readLinks(_ ids: [String], api: HubSpotAPI) async throws -> [String: [String: [HubSpotAssociation]]] {
        guard !links.isEmpty, !ids.isEmpty else { return [:] }
        let readers = links.map {
            HubSpotAssociationReader(api: api, from: path, to: $0.to, stream: stream.rawValue, scope: scope)
        }
        return try await withThrowingTaskGroup(of: (String, [String: [HubSpotAssociation]]).self) { group in
            for reader in readers { group.addTask { (reader.to, try await reader.byRecord(ids)) } }
            var out: [String: [String: [HubSpotAssociation]]] = [:]
            for try await (to, links) in group { out[to] = links }
            return out
        }
    }

    /// The records one API object yields: itself, and for each id merged into it (`hs_merged_object_ids`) a
    /// deleted record pointing at it, so identity keeps the alias. `linked` (linked type → record id → links) goes
    /// into the normalized record and, as `associations`, into the raw payload.
    func records(
        from object: JSONValue, linked: [String: [String: [HubSpotAssociation]]] = [:], location: String
    ) -> (records: [SourceRecord], rejected: RejectedRecord?) {
        guard let id = object["id"]?.text, !id.isEmpty else {
            return ([], RejectedRecord(location: location, reason: "a \(path) result has no id; it was kept for review", payload: object.serialized))
        }
        let properties = object["properties"] ?? .object([])
        let modified = properties[modifiedProperty]?.text ?? object["updatedAt"]?.text
        var normalized = normalize(properties)
        var payloadObject = object
        if !links.isEmpty, case .object(var members) = object {
            var associations: [(String, JSONValue)] = []
            for link in links {
                let found = linked[link.to]?[id] ?? []
                link.apply(&normalized, found)
                associations.append((link.to, .array(found.map(\.payload))))
            }
            members.removeAll { $0.0 == "associations" }
            members.append(("associations", .object(associations)))
            payloadObject = .object(members)
        }
        var records = [
            SourceRecord(
                objectType: objectType, externalID: id, payload: payloadObject.serialized,
                sourceUpdatedAt: modified.flatMap(Timestamps.normalize), normalized: normalized,
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

    /// A contact; `personalIDProperty` names the property holding its ``Contact/personalID``, if any.
    static func contact(_ p: JSONValue, personalIDProperty: String? = nil) -> Contact {
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
        contact.personalID = personalIDProperty.flatMap { value(p, $0) }
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

    /// An engagement as an activity. Status and direction are HubSpot's values lower-cased (`completed`,
    /// `no_answer`, `outbound`); an email's direction `EMAIL` (sent from the CRM) and `FORWARDED_EMAIL` are
    /// `outbound`, `INCOMING_EMAIL` is `inbound`. When: `hs_timestamp` (a meeting's start time; a completed task's
    /// completion date; an open task's due date).
    static func activity(_ stream: HubSpotStream, _ p: JSONValue) -> Activity {
        var activity = Activity()
        activity.owner = value(p, "hubspot_owner_id")
        var when = value(p, "hs_timestamp")
        switch stream {
        case .calls:
            activity.type = "call"
            activity.direction = value(p, "hs_call_direction")?.lowercased()
            activity.status = value(p, "hs_call_status")?.lowercased()
        case .meetings:
            activity.type = "meeting"
            activity.status = value(p, "hs_meeting_outcome")?.lowercased()
            when = value(p, "hs_meeting_start_time") ?? when
        case .emails:
            activity.type = "email"
            switch value(p, "hs_email_direction")?.uppercased() {
            case "INCOMING_EMAIL": activity.direction = "inbound"
            case "EMAIL", "FORWARDED_EMAIL": activity.direction = "outbound"
            default: break
            }
            activity.status = value(p, "hs_email_status")?.lowercased()
        default:
            activity.type = "task"
            activity.status = value(p, "hs_task_status")?.lowercased()
            if activity.status == "completed" { when = value(p, "hs_task_completion_date") ?? when }
        }
        activity.occurredAt = (when ?? value(p, "hs_createdate")).flatMap(Timestamps.normalize)
        return activity
    }

    static func isTrue(_ text: String) -> Bool { ["true", "1", "yes"].contains(text.lowercased()) }

    /// The linked record labelled Primary, else the first one.
    static func primary(_ links: [HubSpotAssociation]) -> String? {
        (links.first(where: \.isPrimary) ?? links.first)?.toID
    }

    /// Ids in a `hs_merged_object_ids` value (`"a;b"`), without `except` and duplicates.
    static func mergedIDs(_ text: String?, except own: String) -> [String] {
        guard let text else { return [] }
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != own && seen.insert($0).inserted }
    }
}
