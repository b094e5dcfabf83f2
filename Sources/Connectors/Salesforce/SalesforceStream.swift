public import SyncHubCore
import Foundation

/// The streams a Salesforce connector reads: one sObject each, read with `queryAll` in `SystemModstamp, Id` order.
public enum SalesforceStream: String, Sendable, Hashable, CaseIterable {
    case leads
    case contacts
    case accounts
    case opportunities
    case opportunityContactRoles = "opportunity_contact_roles"
    case campaigns
    case campaignMembers = "campaign_members"
    /// Sales activities: calls, emails and to-dos (`Task`), meetings (`Event`).
    case tasks
    case events

    /// The sObject the stream reads.
    public var sObject: String {
        switch self {
        case .leads: "Lead"
        case .contacts: "Contact"
        case .accounts: "Account"
        case .opportunities: "Opportunity"
        case .opportunityContactRoles: "OpportunityContactRole"
        case .campaigns: "Campaign"
        case .campaignMembers: "CampaignMember"
        case .tasks: "Task"
        case .events: "Event"
        }
    }

    public var objectType: ObjectType {
        switch self {
        case .leads, .contacts: .contact
        case .accounts: .account
        case .opportunities: .deal
        case .opportunityContactRoles: .dealContact
        case .campaigns: .campaign
        case .campaignMembers: .touch
        case .tasks, .events: .activity
        }
    }

    public var descriptor: StreamDescriptor {
        StreamDescriptor(name: rawValue, objectType: objectType, cursorField: "SystemModstamp", isSorted: true, isSnapshot: false)
    }

    /// The standard fields read (present in every org and edition): what normalization uses, `IsDeleted` and
    /// `MasterRecordId` for deletes and merges, `SystemModstamp` and `Id` for the cursor. Anything else is added per
    /// object with `fields.<Object>` (a parent's field too, such as `Account.Name`, which contacts use as company).
    ///
    /// Activities read `WhoId` (a contact or lead), `WhatId` (an opportunity or account), `OwnerId`, their dates, type
    /// and status, and no free text (`Subject`, `Description`): synchub needs when and with whom, not what was said.
    var baseFields: [String] { baseFields(apiVersion: 62) }

    /// The standard fields at an API version: `TaskSubtype`, `EventSubtype` and `CompletedDateTime` are read from
    /// v46.0 on (the Task and Event pages of Salesforce's object reference list them in current versions; the
    /// exact version each appeared in is not stated there, so older versions leave them out).
    func baseFields(apiVersion: Int) -> [String] {
        let audit = ["CreatedDate", "LastModifiedDate", "SystemModstamp"]
        switch self {
        case .leads:
            return [
                "Id", "IsDeleted", "MasterRecordId", "FirstName", "LastName", "Email", "Company", "Title", "Phone",
                "MobilePhone", "Website", "Street", "City", "State", "PostalCode", "Country", "Status", "OwnerId",
                "IsConverted", "ConvertedAccountId", "ConvertedContactId",
            ] + audit
        case .contacts:
            return [
                "Id", "IsDeleted", "MasterRecordId", "AccountId", "FirstName", "LastName", "Email", "Title", "Phone",
                "MobilePhone", "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry",
                "Birthdate", "OwnerId",
            ] + audit
        case .accounts:
            return [
                "Id", "IsDeleted", "MasterRecordId", "Name", "Website", "Industry", "BillingCountry", "NumberOfEmployees",
                "OwnerId",
            ] + audit
        case .opportunities:
            return [
                "Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon", "OwnerId",
            ] + audit
        case .opportunityContactRoles:
            return ["Id", "IsDeleted", "OpportunityId", "ContactId", "Role", "IsPrimary"] + audit
        case .campaigns:
            return ["Id", "IsDeleted", "Name", "Type", "Status", "StartDate", "EndDate", "ActualCost"] + audit
        case .campaignMembers:
            return ["Id", "IsDeleted", "CampaignId", "ContactId", "LeadId", "Status", "FirstRespondedDate"] + audit
        case .tasks:
            return ["Id", "IsDeleted", "WhoId", "WhatId", "AccountId", "OwnerId", "ActivityDate", "Status", "IsClosed", "Type", "CallType"]
                + (apiVersion >= 46 ? ["TaskSubtype", "CompletedDateTime"] : []) + audit
        case .events:
            return ["Id", "IsDeleted", "WhoId", "WhatId", "AccountId", "OwnerId", "ActivityDate", "ActivityDateTime", "DurationInMinutes", "Type"]
                + (apiVersion >= 46 ? ["EventSubtype"] : []) + audit
        }
    }

    /// The fields a query selects: the base fields, then the configured ones, each once (names compare
    /// case-insensitively, as Salesforce's do).
    func fields(_ configuration: SalesforceConfiguration) -> [String] {
        var fields = baseFields(apiVersion: configuration.apiMajorVersion)
        var extra = configuration.extraFields[sObject] ?? []
        switch self {
        case .opportunities: extra = [configuration.currencyField, configuration.lossReasonField].compactMap { $0 } + extra
        case .leads, .contacts: extra = [configuration.personalIDField].compactMap { $0 } + extra
        default: break
        }
        var seen = Set(fields.map { $0.lowercased() })
        for name in extra where seen.insert(name.lowercased()).inserted { fields.append(name) }
        return fields
    }
}

/// A record of a query result, read by field name.
struct SalesforceRecord {
    let json: JSONValue

    /// A field's value as text (numbers and booleans spelled out), `nil` when null or empty; `Account.Name` reads a
    /// parent's field.
    func text(_ path: String) -> String? {
        var value: JSONValue? = json
        for part in path.split(separator: ".") { value = value?[String(part)] }
        guard let text = value?.text, !text.isEmpty else { return nil }
        return text
    }

    func bool(_ name: String) -> Bool { json[name] == .bool(true) || json[name]?.text == "true" }

    func double(_ name: String) -> Double? { text(name).flatMap(Double.init) }

    var id: String? { text("Id") }
}

extension SalesforceStream {
    /// The record mapped to synchub's model.
    func normalize(
        _ record: SalesforceRecord, connector: String, configuration: SalesforceConfiguration
    ) -> NormalizedRecord? {
        let r = record
        switch self {
        case .leads, .contacts:
            var contact = Contact()
            contact.kind = self == .leads ? "lead" : "contact"
            contact.email = r.text("Email")
            contact.firstName = r.text("FirstName")
            contact.lastName = r.text("LastName")
            contact.title = r.text("Title")
            contact.phone = r.text("Phone") ?? r.text("MobilePhone")
            contact.owner = r.text("OwnerId")
            contact.createdAt = r.text("CreatedDate").flatMap(Timestamps.normalize)
            contact.personalID = configuration.personalIDField.flatMap { r.text($0) }
            if self == .leads {
                contact.company = r.text("Company")
                contact.website = r.text("Website")
                contact.street = r.text("Street")
                contact.city = r.text("City")
                contact.state = r.text("State")
                contact.postalCode = r.text("PostalCode")
                contact.country = r.text("Country")
                contact.lifecycleStage = r.text("Status")
                contact.leadStatus = r.text("Status")
                contact.accountID = r.text("ConvertedAccountId")
                if let converted = r.text("ConvertedContactId") {
                    contact.sameAs = [RecordReference(connector: connector, objectType: .contact, externalID: converted)]
                }
            } else {
                contact.company = r.text("Account.Name")
                contact.street = r.text("MailingStreet")
                contact.city = r.text("MailingCity")
                contact.state = r.text("MailingState")
                contact.postalCode = r.text("MailingPostalCode")
                contact.country = r.text("MailingCountry")
                contact.birthDate = r.text("Birthdate").flatMap(Timestamps.date)
                contact.accountID = r.text("AccountId")
            }
            return .contact(contact)
        case .accounts:
            var account = Account()
            account.name = r.text("Name")
            account.website = r.text("Website")
            account.domain = account.website.flatMap(Self.domain)
            account.industry = r.text("Industry")
            account.country = r.text("BillingCountry")
            account.owner = r.text("OwnerId")
            account.employees = r.double("NumberOfEmployees").map { Int($0) }
            account.createdAt = r.text("CreatedDate").flatMap(Timestamps.normalize)
            return .account(account)
        case .opportunities:
            var deal = Deal()
            deal.name = r.text("Name")
            deal.accountID = r.text("AccountId")
            deal.stage = r.text("StageName")
            deal.amount = r.double("Amount")
            deal.currency = configuration.currencyField.flatMap { r.text($0) } ?? configuration.defaultCurrency
            deal.closeDate = r.text("CloseDate").flatMap(Timestamps.date)
            deal.createdAt = r.text("CreatedDate").flatMap(Timestamps.normalize)
            deal.outcome = r.bool("IsClosed") ? (r.bool("IsWon") ? .won : .lost) : .open
            deal.lossReason = configuration.lossReasonField.flatMap { r.text($0) }
            deal.owner = r.text("OwnerId")
            return .deal(deal)
        case .opportunityContactRoles:
            guard let deal = r.text("OpportunityId"), let contact = r.text("ContactId") else { return nil }
            return .dealContact(DealContactLink(dealID: deal, contactID: contact, role: r.text("Role"), isPrimary: r.bool("IsPrimary")))
        case .campaigns:
            var campaign = Campaign()
            campaign.name = r.text("Name")
            campaign.channel = r.text("Type")
            campaign.status = r.text("Status")
            campaign.startedAt = r.text("StartDate").flatMap(Timestamps.date)
            campaign.endedAt = r.text("EndDate").flatMap(Timestamps.date)
            campaign.cost = r.double("ActualCost")
            return .campaign(campaign)
        case .tasks, .events:
            return .activity(Self.activity(r, isTask: self == .tasks))
        case .campaignMembers:
            var touch = Touch()
            touch.contactID = r.text("ContactId") ?? r.text("LeadId")
            touch.campaignID = r.text("CampaignId")
            touch.type = r.text("Status")
            touch.occurredAt = (r.text("FirstRespondedDate") ?? r.text("CreatedDate")).flatMap(Timestamps.normalize)
            return .touch(touch)
        }
    }

    /// A task or an event as an activity.
    ///
    /// - `contactID`: `WhoId` when it is a contact (`003`) or lead (`00Q`); `dealID`: `WhatId` when it is an
    ///   opportunity (`006`); `accountID`: `WhatId` when it is an account (`001`), else the activity's `AccountId`.
    /// - type: a task's `TaskSubtype` (`Call` → `call`, `Email`/`ListEmail` → `email`), else its `Type` when that is
    ///   call, email or meeting, else `task`; an event is a `meeting` unless its `Type` says call or email.
    /// - direction: `CallType` lower-cased (`inbound`, `outbound`, `internal`); an email task is `outbound`.
    /// - status: a task's `Status` lower-cased with `_` for spaces (`completed`, `not_started`); events have none.
    /// - occurredAt: a closed task's `CompletedDateTime` (else `CreatedDate`), an open task's `ActivityDate` (its
    ///   due day), an event's `ActivityDateTime` (else `ActivityDate`, else `CreatedDate`).
    static func activity(_ r: SalesforceRecord, isTask: Bool) -> Activity {
        var activity = Activity()
        if let who = r.text("WhoId"), ["003", "00Q"].contains(SalesforceID.prefix(who)) { activity.contactID = who }
        if let what = r.text("WhatId") {
            switch SalesforceID.prefix(what) {
            case "006": activity.dealID = what
            case "001": activity.accountID = what
            default: break
            }
        }
        activity.accountID = activity.accountID ?? r.text("AccountId")
        activity.owner = r.text("OwnerId")
        let declared = r.text("Type")?.lowercased()
        let created = r.text("CreatedDate").flatMap(Timestamps.normalize)
        if isTask {
            switch r.text("TaskSubtype")?.lowercased() {
            case "call": activity.type = "call"
            case "email", "listemail": activity.type = "email"
            default: activity.type = ["call", "email", "meeting"].contains(declared ?? "") ? declared : "task"
            }
            activity.direction = r.text("CallType")?.lowercased() ?? (activity.type == "email" ? "outbound" : nil)
            activity.status = r.text("Status").map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }
            if r.bool("IsClosed") {
                activity.occurredAt = r.text("CompletedDateTime").flatMap(Timestamps.normalize) ?? created
            } else {
                activity.occurredAt = r.text("ActivityDate").flatMap(Timestamps.normalize) ?? created
            }
        } else {
            activity.type = ["call", "email"].contains(declared ?? "") ? declared : "meeting"
            activity.occurredAt = (r.text("ActivityDateTime") ?? r.text("ActivityDate")).flatMap(Timestamps.normalize) ?? created
        }
        return activity
    }

    /// `acme.com` from `https://www.acme.com/about`.
    static func domain(_ website: String) -> String? {
        var text = website.trimmingCharacters(in: .whitespaces).lowercased()
        if let range = text.range(of: "://") { text = String(text[range.upperBound...]) }
        if let end = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { text = String(text[..<end]) }
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
        if let colon = text.firstIndex(of: ":") { text = String(text[..<colon]) }
        if text.hasPrefix("www.") { text.removeFirst(4) }
        return text.contains(".") ? text : nil
    }
}
