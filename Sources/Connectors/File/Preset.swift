import SyncHubCore

/// The header names of a system's exports, so a file straight out of HubSpot, Salesforce or Marketo needs no `columns:`.
struct Preset: Sendable {
    var name: String
    /// Canonical field to candidate headers, per object type; the first candidate the file has wins.
    var columns: [ObjectType: [CanonicalField: [String]]]
    /// Stage values meaning won or lost, when a deal has no outcome, `isWon` or `isClosed` column.
    var wonStages: [String]
    var lostStages: [String]

    /// Candidate headers for `field`: the preset's, or the field's own name (and its snake_case) when it names none.
    func candidates(for field: CanonicalField, of objectType: ObjectType) -> [String] {
        columns[objectType]?[field] ?? field.defaultColumns
    }

    static let names = ["hubspot", "salesforce", "marketo", "none"]

    static func named(_ name: String) -> Preset? {
        switch name {
        case "hubspot": hubspot
        case "salesforce": salesforce
        case "marketo": marketo
        case "none": none
        default: nil
        }
    }

    static let defaultWon = ["closedwon", "Closed Won", "won"]
    static let defaultLost = ["closedlost", "Closed Lost", "lost"]

    /// Headers are canonical field names (or their snake_case).
    static let none = Preset(name: "none", columns: [:], wonStages: defaultWon, lostStages: defaultLost)

    /// HubSpot CRM exports.
    static let hubspot = Preset(
        name: "hubspot",
        columns: [
            .contact: [
                .id: ["Record ID"], .email: ["Email"], .firstName: ["First Name"], .lastName: ["Last Name"],
                .company: ["Company Name"], .title: ["Job Title"], .phone: ["Phone Number"],
                .website: ["Website URL"], .street: ["Street Address"], .city: ["City"], .state: ["State/Region"],
                .postalCode: ["Postal Code"], .country: ["Country/Region"], .owner: ["Contact owner"],
                .lifecycleStage: ["Lifecycle Stage"], .leadStatus: ["Lead Status"], .createdAt: ["Create Date"],
                .updatedAt: ["Last Modified Date"], .additionalEmails: ["Additional email addresses"],
                .birthDate: ["Date of birth"], .accountID: ["Associated Company IDs"],
                .mergedIDs: ["Merged Contact IDs", "hs_merged_object_ids"],
            ],
            .account: [
                .id: ["Record ID"], .name: ["Company name"], .domain: ["Company Domain Name"],
                .website: ["Website URL"], .industry: ["Industry"], .country: ["Country/Region"],
                .owner: ["Company owner"], .employees: ["Number of Employees"], .createdAt: ["Create Date"],
                .updatedAt: ["Last Modified Date"],
            ],
            .deal: [
                .id: ["Record ID"], .name: ["Deal Name"], .stage: ["Deal Stage"], .pipeline: ["Pipeline"],
                .amount: ["Amount"], .currency: ["Currency"], .closeDate: ["Close Date"], .createdAt: ["Create Date"],
                .updatedAt: ["Last Modified Date"], .lossReason: ["Closed Lost Reason"], .owner: ["Deal owner"],
            ],
        ],
        wonStages: ["closedwon", "Closed Won"], lostStages: ["closedlost", "Closed Lost"])

    /// Salesforce Data Loader exports (API field names).
    static let salesforce = Preset(
        name: "salesforce",
        columns: [
            .contact: [
                .id: ["Id"], .email: ["Email"], .firstName: ["FirstName"], .lastName: ["LastName"],
                .company: ["Company"], .accountID: ["AccountId"], .title: ["Title"], .phone: ["Phone", "MobilePhone"],
                .street: ["MailingStreet", "Street"], .city: ["MailingCity", "City"], .state: ["MailingState", "State"],
                .postalCode: ["MailingPostalCode", "PostalCode"], .country: ["MailingCountry", "Country"],
                .birthDate: ["Birthdate"], .owner: ["OwnerId"], .lifecycleStage: ["Status"], .leadStatus: ["Status"],
                .createdAt: ["CreatedDate"], .updatedAt: ["SystemModstamp", "LastModifiedDate"],
                .deleted: ["IsDeleted"], .convertedContactID: ["ConvertedContactId"], .mergedInto: ["MasterRecordId"],
                .website: ["Website"],
            ],
            .account: [
                .id: ["Id"], .name: ["Name"], .website: ["Website"], .industry: ["Industry"],
                .country: ["BillingCountry"], .owner: ["OwnerId"], .employees: ["NumberOfEmployees"],
                .createdAt: ["CreatedDate"], .updatedAt: ["SystemModstamp"], .deleted: ["IsDeleted"],
            ],
            .deal: [
                .id: ["Id"], .name: ["Name"], .accountID: ["AccountId"], .stage: ["StageName"], .amount: ["Amount"],
                .currency: ["CurrencyIsoCode"], .closeDate: ["CloseDate"], .createdAt: ["CreatedDate"],
                .updatedAt: ["SystemModstamp"], .isWon: ["IsWon"], .isClosed: ["IsClosed"],
                .lossReason: ["Loss_Reason__c"], .owner: ["OwnerId"], .deleted: ["IsDeleted"],
            ],
            .dealContact: [
                .id: ["Id"], .dealID: ["OpportunityId"], .contactID: ["ContactId"], .role: ["Role"],
                .isPrimary: ["IsPrimary"], .deleted: ["IsDeleted"],
            ],
            .campaign: [
                .id: ["Id"], .name: ["Name"], .channel: ["Type"], .status: ["Status"], .startedAt: ["StartDate"],
                .endedAt: ["EndDate"], .cost: ["ActualCost"], .updatedAt: ["SystemModstamp"], .deleted: ["IsDeleted"],
            ],
            .touch: [
                .id: ["Id"], .contactID: ["ContactId", "LeadId"], .campaignID: ["CampaignId"], .type: ["Status"],
                .occurredAt: ["FirstRespondedDate", "CreatedDate"], .deleted: ["IsDeleted"],
            ],
        ],
        wonStages: ["Closed Won"], lostStages: ["Closed Lost"])

    /// Marketo lead and activity exports.
    static let marketo = Preset(
        name: "marketo",
        columns: [
            .contact: [
                .id: ["Id"], .email: ["Email Address"], .firstName: ["First Name"], .lastName: ["Last Name"],
                .company: ["Company Name"], .title: ["Job Title"], .phone: ["Phone Number"], .street: ["Address"],
                .city: ["City"], .state: ["State"], .postalCode: ["Postal Code"], .country: ["Country"],
                .leadStatus: ["Lead Status"], .createdAt: ["Created At"], .updatedAt: ["Updated At"],
                .owner: ["Lead Owner"],
            ],
            .touch: [
                .id: ["Activity ID"], .contactID: ["Lead ID"], .type: ["Activity Type"],
                .occurredAt: ["Activity Date"], .campaignID: ["Campaign ID"],
                // A Merge Leads activity: the lead ids merged into `Lead ID` (old activities keep the loser's id).
                .mergedIDs: ["Merge IDs", "Merge Ids"],
            ],
        ],
        wonStages: defaultWon, lostStages: defaultLost)
}
