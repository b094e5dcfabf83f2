/// Field types of the simulated objects, spelled as `describe` spells them.
enum SFFieldType: String, Sendable {
    case id, reference, string, textarea, picklist, email, phone, url, boolean, datetime, date, double, currency
    case percent, int

    /// Text-valued types: compared case-insensitively, written as JSON strings.
    var isText: Bool {
        switch self {
        case .id, .reference, .string, .textarea, .picklist, .email, .phone, .url: true
        default: false
        }
    }

    var isNumeric: Bool { self == .double || self == .currency || self == .percent || self == .int }

    /// The type name SOQL filter errors use ("must be of type dateTime …").
    var filterTypeName: String {
        switch self {
        case .id: "id"
        case .reference: "reference"
        case .boolean: "boolean"
        case .datetime: "dateTime"
        case .date: "date"
        case .int: "int"
        case .double, .currency, .percent: "double"
        default: "string"
        }
    }
}

/// One field of a simulated object.
struct SFField: Sendable {
    let name: String
    let type: SFFieldType
    let label: String
    let nillable: Bool
    let updateable: Bool
    let referenceTo: String?
    let relationshipName: String?
    let length: Int
    var custom: Bool { name.hasSuffix("__c") }
}

/// The objects the simulated org holds, in a fixed order: a table's index is its kind's raw value.
enum SFObjectKind: Int, CaseIterable, Sendable {
    case user, account, contact, lead, opportunity, opportunityContactRole, campaign, campaignMember
    /// Activities (added after the others so existing table indices stay as they were).
    case task, event
}

/// The shape of one simulated object: its fields, key prefix, relationships.
final class SFObject: Sendable {
    let kind: SFObjectKind
    let name: String
    let label: String
    let labelPlural: String
    let keyPrefix: String
    let fields: [SFField]
    let mergeable: Bool
    /// Lower-cased field name to index.
    let fieldIndex: [String: Int]
    /// Field name, as spelled in the schema, to index.
    let exactIndex: [String: Int]
    /// Lower-cased relationship name to the index of its reference field.
    let relationshipIndex: [String: Int]
    let isDeletedIndex: Int?
    let masterRecordIndex: Int?
    let createdDateIndex: Int
    let createdByIndex: Int
    let lastModifiedDateIndex: Int
    let lastModifiedByIndex: Int
    let systemModstampIndex: Int
    /// `,"Name":` per field: the bytes before a field's value in a record's JSON.
    let jsonKeys: [[UInt8]]

    init(
        kind: SFObjectKind, name: String, label: String, plural: String, keyPrefix: String, mergeable: Bool,
        fields: [SFField]
    ) {
        self.kind = kind
        self.name = name
        self.label = label
        self.labelPlural = plural
        self.keyPrefix = keyPrefix
        self.mergeable = mergeable
        self.fields = fields
        var index: [String: Int] = [:]
        var relationships: [String: Int] = [:]
        for (i, field) in fields.enumerated() {
            index[field.name.lowercased()] = i
            if let relationship = field.relationshipName { relationships[relationship.lowercased()] = i }
        }
        fieldIndex = index
        exactIndex = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.name, $0) })
        relationshipIndex = relationships
        isDeletedIndex = index["isdeleted"]
        masterRecordIndex = index["masterrecordid"]
        createdDateIndex = index["createddate"]!
        createdByIndex = index["createdbyid"]!
        lastModifiedDateIndex = index["lastmodifieddate"]!
        lastModifiedByIndex = index["lastmodifiedbyid"]!
        systemModstampIndex = index["systemmodstamp"]!
        jsonKeys = fields.map { Array(",\"\($0.name)\":".utf8) }
    }

    func field(named name: String) -> Int? { exactIndex[name] ?? fieldIndex[name.lowercased()] }
}

/// The simulated org's objects and fields: the standard fields a sync connector reads, the custom
/// `Loss_Reason__c` on Opportunity, and custom feedback fields on Lead and Contact.
enum SalesforceSchema {
    static let objects: [SFObject] = SFObjectKind.allCases.map(build)
    static let byName: [String: SFObject] = Dictionary(uniqueKeysWithValues: objects.map { ($0.name.lowercased(), $0) })

    static func object(named name: String) -> SFObject? { byName[name.lowercased()] }
    static func object(_ kind: SFObjectKind) -> SFObject { objects[kind.rawValue] }
    static func object(withPrefix prefix: Substring) -> SFObject? { objects.first { $0.keyPrefix == prefix } }

    /// Opportunity stages: default probability, closed, won.
    static let stages: [(name: String, probability: Double, closed: Bool, won: Bool)] = [
        ("Prospecting", 10, false, false), ("Qualification", 10, false, false), ("Needs Analysis", 20, false, false),
        ("Value Proposition", 50, false, false), ("Id. Decision Makers", 60, false, false),
        ("Perception Analysis", 70, false, false), ("Proposal/Price Quote", 75, false, false),
        ("Negotiation/Review", 90, false, false), ("Closed Won", 100, true, true), ("Closed Lost", 0, true, false),
    ]

    /// Custom fields on Lead and Contact a feedback push writes (win/loss outcome pushed back to the CRM).
    static let feedbackFields: [SFField] = [
        field("SyncHub_Deal_Outcome__c", .picklist, "Deal Outcome"),
        field("SyncHub_Deal_Amount__c", .currency, "Deal Amount"),
        field("SyncHub_Close_Date__c", .date, "Deal Close Date"),
        field("SyncHub_Loss_Reason__c", .string, "Deal Loss Reason"),
        field("SyncHub_Lifecycle_Stage__c", .string, "Lifecycle Stage"),
    ]

    static func field(
        _ name: String, _ type: SFFieldType, _ label: String? = nil, nillable: Bool = true, updateable: Bool = true,
        to target: String? = nil, relationship: String? = nil, length: Int? = nil
    ) -> SFField {
        let defaultLength: Int =
            switch type {
            case .id, .reference: 18
            case .textarea: 32000
            case .email, .url, .string, .picklist, .phone: 255
            default: 0
            }
        return SFField(
            name: name, type: type, label: label ?? name, nillable: nillable, updateable: updateable,
            referenceTo: target, relationshipName: relationship, length: length ?? defaultLength)
    }

    static func readOnly(
        _ name: String, _ type: SFFieldType, _ label: String? = nil, nillable: Bool = true, to target: String? = nil,
        relationship: String? = nil
    ) -> SFField {
        field(name, type, label, nillable: nillable, updateable: false, to: target, relationship: relationship)
    }

    static func audit() -> [SFField] {
        [
            readOnly("CreatedDate", .datetime, "Created Date", nillable: false),
            readOnly(
                "CreatedById", .reference, "Created By ID", nillable: false, to: "User", relationship: "CreatedBy"),
            readOnly("LastModifiedDate", .datetime, "Last Modified Date", nillable: false),
            readOnly(
                "LastModifiedById", .reference, "Last Modified By ID", nillable: false, to: "User",
                relationship: "LastModifiedBy"),
            readOnly("SystemModstamp", .datetime, "System Modstamp", nillable: false),
        ]
    }

    static func head(_ object: String, mergeable: Bool) -> [SFField] {
        var fields = [
            readOnly("Id", .id, "\(object) ID", nillable: false),
            readOnly("IsDeleted", .boolean, "Deleted", nillable: false),
        ]
        if mergeable {
            fields.append(
                readOnly("MasterRecordId", .reference, "Master Record ID", to: object, relationship: "MasterRecord"))
        }
        return fields
    }

    /// The fields Task and Event share: whom (`WhoId`, a contact or lead), what (`WhatId`), the account that
    /// follows from them, the subject and the day.
    static func activityFields() -> [SFField] {
        [
            field("WhoId", .reference, "Name ID", relationship: "Who"),
            field("WhatId", .reference, "Related To ID", relationship: "What"),
            readOnly("AccountId", .reference, "Account ID", to: "Account", relationship: "Account"),
            field("Subject", .string), field("ActivityDate", .date, "Due Date Only"),
        ]
    }

    static let owner = field("OwnerId", .reference, "Owner ID", nillable: false, to: "User", relationship: "Owner")

    static func build(_ kind: SFObjectKind) -> SFObject {
        switch kind {
        case .user:
            return SFObject(
                kind: kind, name: "User", label: "User", plural: "Users", keyPrefix: "005", mergeable: false,
                fields: [readOnly("Id", .id, "User ID", nillable: false)] + [
                    field("Username", .string, nillable: false), field("FirstName", .string, "First Name"),
                    field("LastName", .string, "Last Name", nillable: false),
                    readOnly("Name", .string, "Full Name", nillable: false),
                    field("Email", .email, nillable: false), field("Title", .string),
                    field("IsActive", .boolean, "Active", nillable: false),
                ] + audit())
        case .account:
            return SFObject(
                kind: kind, name: "Account", label: "Account", plural: "Accounts", keyPrefix: "001", mergeable: true,
                fields: head("Account", mergeable: true) + [
                    field("Name", .string, "Account Name", nillable: false), field("Type", .picklist, "Account Type"),
                    field("Industry", .picklist), field("Website", .url), field("Phone", .phone, "Account Phone"),
                    field("BillingStreet", .textarea, "Billing Street"), field("BillingCity", .string, "Billing City"),
                    field("BillingState", .string, "Billing State/Province"),
                    field("BillingPostalCode", .string, "Billing Zip/Postal Code"),
                    field("BillingCountry", .string, "Billing Country"),
                    field("NumberOfEmployees", .int, "Employees"), field("AnnualRevenue", .currency, "Annual Revenue"),
                    field("AccountSource", .picklist, "Account Source"), owner,
                ] + audit())
        case .contact:
            return SFObject(
                kind: kind, name: "Contact", label: "Contact", plural: "Contacts", keyPrefix: "003", mergeable: true,
                fields: head("Contact", mergeable: true) + [
                    field("AccountId", .reference, "Account ID", to: "Account", relationship: "Account"),
                    field("LastName", .string, "Last Name", nillable: false), field("FirstName", .string, "First Name"),
                    readOnly("Name", .string, "Full Name", nillable: false), field("Title", .string),
                    field("Email", .email), field("Phone", .phone, "Business Phone"),
                    field("MobilePhone", .phone, "Mobile Phone"),
                    field("MailingStreet", .textarea, "Mailing Street"), field("MailingCity", .string, "Mailing City"),
                    field("MailingState", .string, "Mailing State/Province"),
                    field("MailingPostalCode", .string, "Mailing Zip/Postal Code"),
                    field("MailingCountry", .string, "Mailing Country"), field("Birthdate", .date),
                    field("LeadSource", .picklist, "Lead Source"), owner,
                ] + feedbackFields + audit())
        case .lead:
            return SFObject(
                kind: kind, name: "Lead", label: "Lead", plural: "Leads", keyPrefix: "00Q", mergeable: true,
                fields: head("Lead", mergeable: true) + [
                    field("LastName", .string, "Last Name", nillable: false), field("FirstName", .string, "First Name"),
                    readOnly("Name", .string, "Full Name", nillable: false), field("Title", .string),
                    field("Company", .string, nillable: false), field("Email", .email), field("Phone", .phone),
                    field("MobilePhone", .phone, "Mobile Phone"), field("Website", .url),
                    field("Street", .textarea), field("City", .string), field("State", .string, "State/Province"),
                    field("PostalCode", .string, "Zip/Postal Code"), field("Country", .string),
                    field("LeadSource", .picklist, "Lead Source"), field("Status", .picklist, nillable: false),
                    field("Industry", .picklist), field("NumberOfEmployees", .int, "Employees"), owner,
                    readOnly("IsConverted", .boolean, "Converted", nillable: false),
                    readOnly("ConvertedDate", .date, "Converted Date"),
                    readOnly(
                        "ConvertedAccountId", .reference, "Converted Account ID", to: "Account",
                        relationship: "ConvertedAccount"),
                    readOnly(
                        "ConvertedContactId", .reference, "Converted Contact ID", to: "Contact",
                        relationship: "ConvertedContact"),
                    readOnly(
                        "ConvertedOpportunityId", .reference, "Converted Opportunity ID", to: "Opportunity",
                        relationship: "ConvertedOpportunity"),
                ] + feedbackFields + audit())
        case .opportunity:
            return SFObject(
                kind: kind, name: "Opportunity", label: "Opportunity", plural: "Opportunities", keyPrefix: "006",
                mergeable: false,
                fields: head("Opportunity", mergeable: false) + [
                    field("AccountId", .reference, "Account ID", to: "Account", relationship: "Account"),
                    field("Name", .string, nillable: false), field("StageName", .picklist, "Stage", nillable: false),
                    field("Amount", .currency), field("Probability", .percent, "Probability (%)"),
                    field("CloseDate", .date, "Close Date", nillable: false),
                    field("Type", .picklist, "Opportunity Type"),
                    field("LeadSource", .picklist, "Lead Source"),
                    readOnly("IsClosed", .boolean, "Closed", nillable: false),
                    readOnly("IsWon", .boolean, "Won", nillable: false),
                    field("CampaignId", .reference, "Campaign ID", to: "Campaign", relationship: "Campaign"), owner,
                    field("Loss_Reason__c", .picklist, "Loss Reason"),
                ] + audit())
        case .opportunityContactRole:
            return SFObject(
                kind: kind, name: "OpportunityContactRole", label: "Opportunity Contact Role",
                plural: "Opportunity Contact Role", keyPrefix: "00K", mergeable: false,
                fields: head("OpportunityContactRole", mergeable: false) + [
                    field(
                        "OpportunityId", .reference, "Opportunity ID", nillable: false, to: "Opportunity",
                        relationship: "Opportunity"),
                    field(
                        "ContactId", .reference, "Contact ID", nillable: false, to: "Contact", relationship: "Contact"),
                    field("Role", .picklist), field("IsPrimary", .boolean, "Primary", nillable: false),
                ] + audit())
        case .campaign:
            return SFObject(
                kind: kind, name: "Campaign", label: "Campaign", plural: "Campaigns", keyPrefix: "701",
                mergeable: false,
                fields: head("Campaign", mergeable: false) + [
                    field("Name", .string, nillable: false), field("Type", .picklist), field("Status", .picklist),
                    field("StartDate", .date, "Start Date"), field("EndDate", .date, "End Date"),
                    field("IsActive", .boolean, "Active", nillable: false),
                    field("BudgetedCost", .currency, "Budgeted Cost in Campaign"),
                    field("ActualCost", .currency, "Actual Cost in Campaign"), owner,
                ] + audit())
        case .campaignMember:
            return SFObject(
                kind: kind, name: "CampaignMember", label: "Campaign Member", plural: "Campaign Members",
                keyPrefix: "00v", mergeable: false,
                fields: head("CampaignMember", mergeable: false) + [
                    field(
                        "CampaignId", .reference, "Campaign ID", nillable: false, to: "Campaign",
                        relationship: "Campaign"),
                    field("LeadId", .reference, "Lead ID", to: "Lead", relationship: "Lead"),
                    field("ContactId", .reference, "Contact ID", to: "Contact", relationship: "Contact"),
                    field("Status", .picklist), readOnly("HasResponded", .boolean, "Responded", nillable: false),
                    readOnly("FirstRespondedDate", .date, "First Responded Date"),
                    readOnly("Type", .picklist),
                ] + audit())
        case .task:
            // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_task.htm: WhoId is a
            // contact or lead, WhatId any other object (an opportunity, an account…); AccountId follows from them.
            return SFObject(
                kind: kind, name: "Task", label: "Task", plural: "Tasks", keyPrefix: "00T", mergeable: false,
                fields: head("Task", mergeable: false) + activityFields() + [
                    field("Status", .picklist, nillable: false), field("Priority", .picklist, nillable: false),
                    readOnly("IsClosed", .boolean, "Closed", nillable: false), field("Type", .picklist),
                    field("TaskSubtype", .picklist, "Task Subtype"), field("CallType", .picklist, "Call Type"),
                    field("CallDurationInSeconds", .int, "Call Duration"),
                    readOnly("CompletedDateTime", .datetime, "Completed Date/Time"), owner,
                ] + audit())
        case .event:
            // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_event.htm
            return SFObject(
                kind: kind, name: "Event", label: "Event", plural: "Events", keyPrefix: "00U", mergeable: false,
                fields: head("Event", mergeable: false) + activityFields() + [
                    field("ActivityDateTime", .datetime, "Due Date Time"),
                    field("StartDateTime", .datetime, "Start Date Time"), field("EndDateTime", .datetime, "End Date Time"),
                    field("DurationInMinutes", .int, "Duration"), field("Type", .picklist),
                    field("EventSubtype", .picklist, "Event Subtype"), owner,
                ] + audit())
        }
    }
}
