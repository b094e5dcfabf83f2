import Foundation
import SyncHubCore

/// One option of an enumeration property.
struct HubSpotPropertyOption: Sendable {
    var label: String
    var value: String
}

/// A property definition as the properties API describes it.
struct HubSpotPropertyDefinition: Sendable {
    /// How values compare in search filters and sorts.
    enum Kind: String, Sendable {
        case string, number, datetime, date, enumeration, bool
    }

    var name: String
    var label: String
    var type: Kind
    var fieldType: String
    var groupName: String
    var description: String = ""
    var options: [HubSpotPropertyOption] = []
    var displayOrder: Int = -1
    var hubspotDefined: Bool = true
    var calculated: Bool = false
    var readOnlyValue: Bool = false
    var hasUniqueValue: Bool = false
    var formField: Bool = false
    var createdAtMs: Int64 = 1_565_059_268_029
    var updatedAtMs: Int64 = 1_571_085_941_796

    /// The definition as HubSpot's properties API returns it.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("updatedAt", .string(HubSpotTime.iso(updatedAtMs))),
            ("createdAt", .string(HubSpotTime.iso(createdAtMs))),
            ("name", .string(name)),
            ("label", .string(label)),
            ("type", .string(type.rawValue)),
            ("fieldType", .string(fieldType)),
            ("description", .string(description)),
            ("groupName", .string(groupName)),
            (
                "options",
                .array(
                    options.enumerated().map { index, option in
                        .object([
                            ("label", .string(option.label)), ("value", .string(option.value)),
                            ("displayOrder", .number(String(index))), ("hidden", .bool(false)),
                        ])
                    })
            ),
            ("displayOrder", .number(String(displayOrder))),
            ("calculated", .bool(calculated)),
            ("externalOptions", .bool(false)),
            ("hasUniqueValue", .bool(hasUniqueValue)),
            ("hidden", .bool(false)),
            ("hubspotDefined", .bool(hubspotDefined)),
            (
                "modificationMetadata",
                .object([
                    ("archivable", .bool(!hubspotDefined)), ("readOnlyDefinition", .bool(hubspotDefined)),
                    ("readOnlyValue", .bool(readOnlyValue)),
                ])
            ),
            ("formField", .bool(formField)),
            ("dataSensitivity", .string("non_sensitive")),
        ]
        if !hubspotDefined { members.removeAll { $0.0 == "hubspotDefined" } }
        return .object(members)
    }
}

/// The properties of one object type, in display order, with lookup by name.
struct HubSpotPropertyCatalog: Sendable {
    private(set) var ordered: [HubSpotPropertyDefinition] = []
    private var positions: [String: Int] = [:]

    init(_ definitions: [HubSpotPropertyDefinition]) {
        for definition in definitions { add(definition) }
    }

    subscript(name: String) -> HubSpotPropertyDefinition? {
        positions[name].map { ordered[$0] }
    }

    func contains(_ name: String) -> Bool { positions[name] != nil }

    mutating func add(_ definition: HubSpotPropertyDefinition) {
        if let index = positions[definition.name] {
            ordered[index] = definition
        } else {
            positions[definition.name] = ordered.count
            ordered.append(definition)
        }
    }

    /// HubSpot's built-in properties of `type` (the subset the simulation fills or is asked for).
    static func standard(for type: HubSpotObjectType) -> HubSpotPropertyCatalog {
        func text(_ name: String, _ label: String, _ group: String, readOnly: Bool = false) -> HubSpotPropertyDefinition {
            HubSpotPropertyDefinition(
                name: name, label: label, type: .string, fieldType: "text", groupName: group, readOnlyValue: readOnly,
                formField: true)
        }
        func number(_ name: String, _ label: String, _ group: String, readOnly: Bool = false) -> HubSpotPropertyDefinition {
            HubSpotPropertyDefinition(
                name: name, label: label, type: .number, fieldType: "number", groupName: group, readOnlyValue: readOnly)
        }
        func datetime(_ name: String, _ label: String, _ group: String, readOnly: Bool = false) -> HubSpotPropertyDefinition {
            HubSpotPropertyDefinition(
                name: name, label: label, type: .datetime, fieldType: "date", groupName: group, readOnlyValue: readOnly)
        }
        func choice(_ name: String, _ label: String, _ group: String, _ values: [(String, String)])
            -> HubSpotPropertyDefinition
        {
            HubSpotPropertyDefinition(
                name: name, label: label, type: .enumeration, fieldType: "select", groupName: group,
                options: values.map { HubSpotPropertyOption(label: $0.1, value: $0.0) })
        }
        let ownerOptions = HubSpotSeedVocabulary.owners.map { ($0, "Owner \($0.suffix(3))") }
        var definitions: [HubSpotPropertyDefinition]
        switch type {
        case .contacts:
            definitions = [
                text("email", "Email", "contactinformation"),
                text("firstname", "First Name", "contactinformation"),
                text("lastname", "Last Name", "contactinformation"),
                text("company", "Company Name", "contactinformation"),
                text("jobtitle", "Job Title", "contactinformation"),
                text("phone", "Phone Number", "contactinformation"),
                text("website", "Website URL", "contactinformation"),
                text("address", "Street Address", "contactinformation"),
                text("city", "City", "contactinformation"),
                text("state", "State/Region", "contactinformation"),
                text("zip", "Postal Code", "contactinformation"),
                text("country", "Country/Region", "contactinformation"),
                HubSpotPropertyDefinition(
                    name: "date_of_birth", label: "Date of birth", type: .date, fieldType: "date",
                    groupName: "contactinformation"),
                HubSpotPropertyDefinition(
                    name: "hs_additional_emails", label: "Additional email addresses", type: .enumeration,
                    fieldType: "checkbox", groupName: "contactinformation", readOnlyValue: true),
                choice(
                    "lifecyclestage", "Lifecycle Stage", "contactinformation",
                    HubSpotSeedVocabulary.lifecycleStages.map { ($0, $0.capitalized) }),
                choice(
                    "hs_lead_status", "Lead Status", "sales_properties",
                    HubSpotSeedVocabulary.leadStatuses.map { ($0, $0.capitalized) }),
                choice("hubspot_owner_id", "Contact owner", "sales_properties", ownerOptions),
                number("associatedcompanyid", "Primary Associated Company ID", "contactinformation"),
                HubSpotPropertyDefinition(
                    name: "hs_merged_object_ids", label: "Merged Contact IDs", type: .enumeration,
                    fieldType: "checkbox", groupName: "contactinformation", calculated: true, readOnlyValue: true),
                HubSpotPropertyDefinition(
                    name: "hs_email_domain", label: "Email Domain", type: .string, fieldType: "text",
                    groupName: "contactinformation", calculated: true, readOnlyValue: true),
                datetime("createdate", "Create Date", "contactinformation", readOnly: true),
                datetime("lastmodifieddate", "Last Modified Date", "contactinformation", readOnly: true),
                number("hs_object_id", "Record ID", "contactinformation", readOnly: true),
            ]
        case .companies:
            definitions = [
                text("name", "Company name", "companyinformation"),
                text("domain", "Company Domain Name", "companyinformation"),
                text("website", "Website URL", "companyinformation"),
                choice(
                    "industry", "Industry", "companyinformation",
                    HubSpotSeedVocabulary.industries.map { ($0, $0.replacingUnderscores()) }),
                text("city", "City", "companyinformation"),
                text("country", "Country/Region", "companyinformation"),
                number("numberofemployees", "Number of Employees", "companyinformation"),
                number("annualrevenue", "Annual Revenue", "companyinformation"),
                choice("hubspot_owner_id", "Company owner", "companyinformation", ownerOptions),
                HubSpotPropertyDefinition(
                    name: "hs_merged_object_ids", label: "Merged Company IDs", type: .enumeration,
                    fieldType: "checkbox", groupName: "companyinformation", calculated: true, readOnlyValue: true),
                datetime("createdate", "Create Date", "companyinformation", readOnly: true),
                datetime("hs_lastmodifieddate", "Last Modified Date", "companyinformation", readOnly: true),
                number("hs_object_id", "Record ID", "companyinformation", readOnly: true),
            ]
        case .deals:
            definitions = [
                text("dealname", "Deal Name", "dealinformation"),
                number("amount", "Amount", "dealinformation"),
                choice("deal_currency_code", "Currency", "dealinformation", [("USD", "US Dollar"), ("EUR", "Euro")]),
                datetime("closedate", "Close Date", "dealinformation"),
                choice("pipeline", "Pipeline", "dealinformation", [("default", "Sales Pipeline")]),
                choice(
                    "dealstage", "Deal Stage", "dealinformation",
                    HubSpotSeedVocabulary.dealStages.map { ($0.value, $0.label) }),
                HubSpotPropertyDefinition(
                    name: "closed_lost_reason", label: "Closed Lost Reason", type: .string, fieldType: "textarea",
                    groupName: "dealinformation"),
                HubSpotPropertyDefinition(
                    name: "hs_is_closed_won", label: "Is Closed Won", type: .bool, fieldType: "booleancheckbox",
                    groupName: "dealinformation", calculated: true, readOnlyValue: true),
                HubSpotPropertyDefinition(
                    name: "hs_is_closed", label: "Is Deal Closed?", type: .bool, fieldType: "booleancheckbox",
                    groupName: "dealinformation", calculated: true, readOnlyValue: true),
                choice("hubspot_owner_id", "Deal owner", "dealinformation", ownerOptions),
                HubSpotPropertyDefinition(
                    name: "hs_merged_object_ids", label: "Merged Deal IDs", type: .enumeration,
                    fieldType: "checkbox", groupName: "dealinformation", calculated: true, readOnlyValue: true),
                datetime("createdate", "Create Date", "dealinformation", readOnly: true),
                datetime("hs_lastmodifieddate", "Last Modified Date", "dealinformation", readOnly: true),
                number("hs_object_id", "Record ID", "dealinformation", readOnly: true),
            ]
        case .calls, .meetings, .emails, .tasks:
            // Engagement properties per https://developers.hubspot.com/docs/guides/api/crm/engagements/calls (and
            // meetings, email, tasks): the subset synchub reads and the simulation fills.
            let group = "engagement"
            definitions = [
                datetime("hs_timestamp", "Activity date", group),
                choice("hubspot_owner_id", "Activity assigned to", group, ownerOptions),
            ]
            switch type {
            case .calls:
                definitions += [
                    text("hs_call_title", "Call Title", group),
                    choice("hs_call_direction", "Call direction", group, [("INBOUND", "Inbound"), ("OUTBOUND", "Outbound")]),
                    choice("hs_call_status", "Call status", group, HubSpotSeedVocabulary.callStatuses.map { ($0, $0.capitalized) }),
                    number("hs_call_duration", "Call duration", group),
                ]
            case .meetings:
                definitions += [
                    text("hs_meeting_title", "Meeting name", group),
                    datetime("hs_meeting_start_time", "Start Time", group),
                    datetime("hs_meeting_end_time", "End Time", group),
                    choice("hs_meeting_outcome", "Meeting outcome", group, HubSpotSeedVocabulary.meetingOutcomes.map { ($0, $0.capitalized) }),
                ]
            case .emails:
                definitions += [
                    text("hs_email_subject", "Email subject", group),
                    choice("hs_email_direction", "Email direction", group, [
                        ("EMAIL", "Email sent from CRM"), ("INCOMING_EMAIL", "Incoming email"),
                        ("FORWARDED_EMAIL", "Forwarded email"),
                    ]),
                    choice("hs_email_status", "Email send status", group, HubSpotSeedVocabulary.emailStatuses.map { ($0, $0.capitalized) }),
                ]
            default:
                definitions += [
                    text("hs_task_subject", "Task Title", group),
                    choice("hs_task_status", "Task Status", group, HubSpotSeedVocabulary.taskStatuses.map { ($0, $0.capitalized) }),
                    choice("hs_task_type", "Task Type", group, [("CALL", "Call"), ("EMAIL", "Email"), ("TODO", "To-do")]),
                    choice("hs_task_priority", "Priority", group, [("LOW", "Low"), ("MEDIUM", "Medium"), ("HIGH", "High")]),
                    datetime("hs_task_completion_date", "Completed at", group, readOnly: true),
                ]
            }
            definitions += [
                datetime("hs_createdate", "Created at", group, readOnly: true),
                datetime("hs_lastmodifieddate", "Last Modified Date", group, readOnly: true),
                number("hs_object_id", "Record ID", group, readOnly: true),
            ]
        }
        for index in definitions.indices { definitions[index].displayOrder = index < 6 ? index : -1 }
        return HubSpotPropertyCatalog(definitions)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        split(separator: "_").map { $0.prefix(1) + $0.dropFirst().lowercased() }.joined(separator: " ")
    }
}
