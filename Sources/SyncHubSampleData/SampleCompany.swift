/// What ``SampleCompany`` generates: how many people, from which seed, in which shape.
public struct SampleCompanyOptions: Sendable {
    /// How the marketing contacts are written.
    public enum ContactsFormat: String, Sendable, Codable, CaseIterable {
        /// `marketing/contacts.csv`, as HubSpot exports it.
        case csv
        /// `marketing/contacts.jsonl`: one JSON object a line with the same member names (the bench reads this).
        case jsonl
    }

    /// People of the fictional company's market; about 85% are marketing contacts and 55% are in the CRM.
    public var people: Int = 2000
    /// The same seed writes the same bytes, on every machine.
    public var seed: UInt64 = 42
    public var contactsFormat: ContactsFormat = .csv
    /// Adds exactly three deliberately bad rows (see ``SampleCompany``) that a reader must quarantine.
    public var includeMalformedRows: Bool = true

    public init(
        people: Int = 2000, seed: UInt64 = 42, contactsFormat: ContactsFormat = .csv, includeMalformedRows: Bool = true
    ) {
        self.people = people
        self.seed = seed
        self.contactsFormat = contactsFormat
        self.includeMalformedRows = includeMalformedRows
    }
}

/// What ``SampleCompany/write(to:options:)`` wrote.
public struct SampleSummary: Sendable, Codable, Equatable {
    /// Data rows (lines after the header; JSONL: lines) per file, by path relative to the output folder.
    /// The counts include the deliberately malformed rows.
    public var files: [String: Int]
    public var people: Int
    /// The deliberately malformed rows per file (empty without ``SampleCompanyOptions/includeMalformedRows``).
    public var malformedRows: [String: Int]

    public init(files: [String: Int], people: Int, malformedRows: [String: Int] = [:]) {
        self.files = files
        self.people = people
        self.malformedRows = malformedRows
    }
}

/// A seeded, fictional B2B company's marketing (HubSpot-style) and sales (Salesforce-style) exports.
///
/// Files, relative to the output folder:
/// - `marketing/contacts.csv` (or `.jsonl`): HubSpot contact export; ~85% of people, a few twice.
/// - `marketing/campaigns.csv`: 30–60 campaigns with canonical headers.
/// - `marketing/touches.jsonl`: about 15 touches per marketing contact.
/// - `crm/leads.csv`, `crm/contacts.csv`, `crm/accounts.csv`, `crm/opportunities.csv`,
///   `crm/opportunity_contact_roles.csv`: Salesforce Data Loader exports; ~55% of people.
/// - `truth.csv`: which person each marketing contact, lead and CRM contact is (`source,record_id,person_id`).
///
/// With ``SampleCompanyOptions/includeMalformedRows`` three bad rows are added halfway through, with ids of their
/// own (so every other byte is the same without them): a `crm/contacts.csv` row with one field too many, a marketing
/// contact whose email is `jane.doe@`, and a `marketing/touches.jsonl` line that is not JSON. None is in `truth.csv`.
public enum SampleCompany {
    /// The files, relative to the output folder.
    public static func relativePaths(contactsFormat: SampleCompanyOptions.ContactsFormat = .csv) -> [String] {
        [
            "marketing/contacts." + contactsFormat.rawValue, "marketing/campaigns.csv", "marketing/touches.jsonl",
            "crm/leads.csv", "crm/contacts.csv", "crm/accounts.csv", "crm/opportunities.csv",
            "crm/opportunity_contact_roles.csv", "crm/activities.csv", "truth.csv",
        ]
    }

    /// Writes the files under `directory`, creating it and its `marketing/` and `crm/` folders; files are mode 0600.
    ///
    /// Streams: memory stays flat however many people (1,000,000 people write about 2.5 GB).
    /// - Returns: the data rows written per file.
    /// - Throws: ``SampleDataError`` when a folder or file cannot be created or written.
    public static func write(to directory: String, options: SampleCompanyOptions = .init()) throws -> SampleSummary {
        precondition(options.people >= 0, "people must not be negative")
        for folder in [directory, directory + "/marketing", directory + "/crm"] {
            try SampleOutputFile.makeDirectory(folder)
        }
        var generator = try SampleGenerator(directory: directory, options: options)
        return try generator.run()
    }

    /// The `connectors.yml` text that reads the files written by ``write(to:options:)``.
    ///
    /// - Parameters:
    ///   - dataDirectory: the output folder as the configuration should name it: relative to the configuration
    ///     file's folder (for example `sample`), or absolute.
    ///   - feedbackPath: where the marketing connector writes win/loss feedback (`.jsonl` or `.csv`).
    ///   - store: the SQLite store path.
    ///   - contactsFormat: the format the contacts were written in.
    public static func configuration(
        dataDirectory: String, feedbackPath: String, store: String,
        contactsFormat: SampleCompanyOptions.ContactsFormat = .csv
    ) -> String {
        var folder = dataDirectory
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        func path(_ relative: String) -> String { yamlQuoted(folder.isEmpty ? relative : folder + "/" + relative) }
        return """
            # The sample company: HubSpot-style marketing exports and Salesforce-style CRM exports.
            version: 1
            store: \(yamlQuoted(store))
            connectors:
              marketing:
                type: file
                system: marketing
                streams:
                  contacts:
                    path: \(path("marketing/contacts." + contactsFormat.rawValue))
                    preset: hubspot
                    sameAs: { crm: "Salesforce Contact ID" }
                  campaigns:
                    path: \(path("marketing/campaigns.csv"))
                  touches:
                    path: \(path("marketing/touches.jsonl"))
                    columns: { contactID: contact_id, campaignID: campaign_id, occurredAt: occurred_at }
                feedback:
                  path: \(yamlQuoted(feedbackPath))
              crm:
                type: file
                system: sales
                streams:
                  leads: { path: \(path("crm/leads.csv")), preset: salesforce }
                  contacts: { path: \(path("crm/contacts.csv")), preset: salesforce }
                  accounts: { path: \(path("crm/accounts.csv")), preset: salesforce }
                  deals: { path: \(path("crm/opportunities.csv")), preset: salesforce }
                  deal_contacts: { path: \(path("crm/opportunity_contact_roles.csv")), preset: salesforce }
                  activities:
                    path: \(path("crm/activities.csv"))
                    columns: \(activityColumns)

            """ + alignmentSections
    }

    /// The `columns:` mapping of `crm/activities.csv` (a Salesforce Task and Event export) to canonical fields.
    public static let activityColumns = """
        { id: Id, contactID: WhoId, dealID: WhatId, accountID: AccountId, owner: OwnerId, type: Type, \
        occurredAt: ActivityDateTime, status: Status, direction: CallType, updatedAt: SystemModstamp, deleted: IsDeleted }
        """

    /// The alignment sections for the sample's connectors `marketing` and `crm`: the shared stages as each system
    /// spells them, the SLA between the teams and the limits of `synchub check`, how reports count money and name
    /// owners, and the stage pushed back to marketing. The root `connectors.yml` carries the same text.
    public static var alignmentSections: String {
        let owners = SampleWords.owners.enumerated().map { index, name in
            "    \"\(SalesforceID.make("005", index))\": \(name)"
        }.joined(separator: "\n")
        return """
            # Shared stages: what each system's records say about where a person is (docs/alignment.md). Values
            # compare ignoring case, spaces and punctuation. enteredAt: the date field that says when the record
            # entered the stage, or createdAt for records at the stage since they were created.
            stages:
              lead:
                marketing:
                  lifecycleStage: [subscriber, lead]
                  enteredAt: ["Became a Lead Date", createdAt]
                crm:
                  kind: lead
                  enteredAt: createdAt
              mql:
                marketing:
                  lifecycleStage: marketingqualifiedlead
                  enteredAt: "Became a Marketing Qualified Lead Date"
              sal:
                crm:
                  lifecycleStage: "Working - Contacted"
                  activityType: any
              sql:
                marketing:
                  lifecycleStage: salesqualifiedlead
                  enteredAt: "Became a Sales Qualified Lead Date"
                crm:
                  kind: contact
                  enteredAt: createdAt
              opportunity:
                marketing:
                  lifecycleStage: opportunity
                  enteredAt: "Became an Opportunity Date"
                crm:
                  dealOutcome: open
              customer:
                marketing:
                  lifecycleStage: customer
                  enteredAt: "Became a Customer Date"
                crm:
                  dealOutcome: won
              recycled:
                marketing:
                  leadStatus: "Bad Timing"
                crm:
                  lifecycleStage: Recycled
              disqualified:
                marketing:
                  leadStatus: Unqualified
                crm:
                  lifecycleStage: "Closed - Not Converted"

            # The agreement between marketing and sales, and how far `synchub check --strict` lets each check go.
            sla:
              leadStage: mql
              leadsPerMonth: 50
              followUpWithin: 24h
              followUpShare: 0.9
              limits:
                mqlWithoutOwner: 25
                followUpOverdue: 25
                stageDrift: 10
                opportunityWithoutTouch: 15
                unsubscribedButActive: 0

            # Amounts in USD (EUR deals converted); owner ids shown by name.
            report:
              currency: USD
              exchangeRates: { EUR: 1.08 }
              owners:
            \(owners)

            # The shared stage goes back to marketing with the win/loss feedback, never backwards.
            push:
              marketing:
                stages:
                  lead: lead
                  mql: marketingqualifiedlead
                  sql: salesqualifiedlead
                  opportunity: opportunity
                  customer: customer

            """
    }

    /// `text` as a YAML double-quoted scalar.
    static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\x" + String(scalar.value >> 4, radix: 16) + String(scalar.value & 15, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
