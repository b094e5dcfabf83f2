/// One run of the sample generator: walks the firms and their people once, writing every file as it goes.
struct SampleGenerator {
    let options: SampleCompanyOptions
    let seed: UInt64
    let campaigns: [SampleCampaign]
    /// Campaign indexes by end time, and those end times, to find the campaigns a contact can still touch.
    let campaignsByEnd: [Int]
    let campaignEnds: [Int64]
    let ownerIDs: [String]
    /// Campaign ids as UTF-8, for touch lines.
    let campaignIDs: [[UInt8]]

    var marketingContacts: SampleOutputFile
    var campaignsFile: SampleOutputFile
    var touches: SampleOutputFile
    var leads: SampleOutputFile
    var crmContacts: SampleOutputFile
    var accounts: SampleOutputFile
    var opportunities: SampleOutputFile
    var roles: SampleOutputFile
    var activities: SampleOutputFile
    var truth: SampleOutputFile

    var marketingCount = 0
    var leadCount = 0
    var contactCount = 0
    var accountCount = 0
    var opportunityCount = 0
    var roleCount = 0
    var touchCount = 0
    var taskCount = 0
    var eventCount = 0
    /// Personal addresses handed out so far, as Gmail would compare them, so no two people share a mailbox.
    var personalMailboxes: Set<String> = []
    var malformed: [String: Int] = [:]
    /// Reused between contacts: campaign indexes still to draw from, and the touches of one contact.
    var pool: [Int] = []
    var pendingTouches: [PendingTouch] = []

    static let hubspotHeaders = [
        "Record ID", "First Name", "Last Name", "Email", "Additional email addresses", "Phone Number", "Company Name",
        "Job Title", "Website URL", "Street Address", "City", "State/Region", "Postal Code", "Country/Region",
        "Contact owner", "Lifecycle Stage", "Lead Status", "Create Date", "Last Modified Date", "Salesforce Contact ID",
        "Became a Lead Date", "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
        "Became an Opportunity Date", "Became a Customer Date",
    ]
    static let leadHeaders = [
        "Id", "FirstName", "LastName", "Email", "Company", "Title", "Phone", "Street", "City", "State", "PostalCode",
        "Country", "Status", "OwnerId", "CreatedDate", "SystemModstamp", "IsDeleted", "ConvertedContactId",
    ]
    static let contactHeaders = [
        "Id", "FirstName", "LastName", "Email", "AccountId", "Title", "Phone", "MailingStreet", "MailingCity",
        "MailingState", "MailingPostalCode", "MailingCountry", "Birthdate", "OwnerId", "CreatedDate", "SystemModstamp",
        "IsDeleted",
    ]
    static let accountHeaders = [
        "Id", "Name", "Website", "Industry", "BillingCountry", "OwnerId", "NumberOfEmployees", "CreatedDate",
        "SystemModstamp", "IsDeleted",
    ]
    static let opportunityHeaders = [
        "Id", "Name", "AccountId", "StageName", "Amount", "CurrencyIsoCode", "CloseDate", "CreatedDate",
        "SystemModstamp", "IsWon", "IsClosed", "Loss_Reason__c", "OwnerId", "IsDeleted",
    ]
    static let roleHeaders = ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"]
    /// Salesforce Task and Event rows in one export: calls and emails are tasks, meetings are events.
    static let activityHeaders = [
        "Id", "WhoId", "WhatId", "AccountId", "OwnerId", "Type", "ActivityDateTime", "Status", "CallType",
        "SystemModstamp", "IsDeleted",
    ]
    static let campaignHeaders = ["id", "name", "channel", "status", "startedAt", "endedAt", "cost"]
    static let truthHeaders = ["source", "record_id", "person_id"]

    init(directory: String, options: SampleCompanyOptions) throws(SampleDataError) {
        self.options = options
        seed = options.seed
        let campaigns = SampleCampaign.make(seed: options.seed)
        let byEnd = campaigns.indices.sorted { (campaigns[$0].end, $0) < (campaigns[$1].end, $1) }
        self.campaigns = campaigns
        campaignIDs = campaigns.map { Array($0.id.utf8) }
        campaignsByEnd = byEnd
        campaignEnds = byEnd.map { campaigns[$0].end }
        ownerIDs = SampleWords.owners.indices.map { SalesforceID.make("005", $0) }
        let paths = SampleCompany.relativePaths(contactsFormat: options.contactsFormat)
        marketingContacts = try SampleOutputFile(directory: directory, relativePath: paths[0])
        campaignsFile = try SampleOutputFile(directory: directory, relativePath: paths[1])
        touches = try SampleOutputFile(directory: directory, relativePath: paths[2])
        leads = try SampleOutputFile(directory: directory, relativePath: paths[3])
        crmContacts = try SampleOutputFile(directory: directory, relativePath: paths[4])
        accounts = try SampleOutputFile(directory: directory, relativePath: paths[5])
        opportunities = try SampleOutputFile(directory: directory, relativePath: paths[6])
        roles = try SampleOutputFile(directory: directory, relativePath: paths[7])
        activities = try SampleOutputFile(directory: directory, relativePath: paths[8])
        truth = try SampleOutputFile(directory: directory, relativePath: paths[9])
    }

    /// Every file, in ``SampleCompany/relativePaths(contactsFormat:)`` order.
    static var fileKeys: [WritableKeyPath<SampleGenerator, SampleOutputFile>] {
        [
            \.marketingContacts, \.campaignsFile, \.touches, \.leads, \.crmContacts, \.accounts, \.opportunities,
            \.roles, \.activities, \.truth,
        ]
    }

    mutating func run() throws(SampleDataError) -> SampleSummary {
        do {
            return try generate()
        } catch {
            for key in Self.fileKeys { self[keyPath: key].abandon() }
            throw error
        }
    }

    mutating func generate() throws(SampleDataError) -> SampleSummary {
        if options.contactsFormat == .csv {
            try marketingContacts.writeCSV(Self.hubspotHeaders, countsAsRow: false)
        }
        try leads.writeCSV(Self.leadHeaders, countsAsRow: false)
        try crmContacts.writeCSV(Self.contactHeaders, countsAsRow: false)
        try accounts.writeCSV(Self.accountHeaders, countsAsRow: false)
        try opportunities.writeCSV(Self.opportunityHeaders, countsAsRow: false)
        try roles.writeCSV(Self.roleHeaders, countsAsRow: false)
        try activities.writeCSV(Self.activityHeaders, countsAsRow: false)
        try truth.writeCSV(Self.truthHeaders, countsAsRow: false)
        try writeCampaigns()

        var personIndex = 0
        var firmIndex = 0
        var malformedWritten = !options.includeMalformedRows
        while personIndex < options.people {
            if !malformedWritten && personIndex >= options.people / 2 {
                try writeMalformedRows()
                malformedWritten = true
            }
            var firm = SampleFirm(seed: seed, index: firmIndex)
            firm.size = min(firm.size, options.people - personIndex)
            try writeFirm(firm, firstPerson: personIndex)
            personIndex += firm.size
            firmIndex += 1
        }
        if !malformedWritten { try writeMalformedRows() }

        var files: [String: Int] = [:]
        for key in Self.fileKeys {
            try self[keyPath: key].finish()
            files[self[keyPath: key].relativePath] = self[keyPath: key].rows
        }
        return SampleSummary(files: files, people: options.people, malformedRows: malformed)
    }

    // MARK: Campaigns

    mutating func writeCampaigns() throws(SampleDataError) {
        try campaignsFile.writeCSV(Self.campaignHeaders, countsAsRow: false)
        for campaign in campaigns {
            try campaignsFile.writeCSV([
                campaign.id, campaign.name, campaign.channel.rawValue, campaign.isActive ? "active" : "completed",
                SampleTime.format(campaign.start, .date),
                campaign.isActive ? "" : SampleTime.format(campaign.end, .date),
                String(campaign.cost) + ".00",
            ])
        }
    }

    // MARK: Firms

    /// One deal of a firm, decided before any of the firm's rows are written.
    struct Deal {
        enum Outcome { case won, lost, open }
        var id: String
        var outcome: Outcome
        var roles: [Int]
        /// When the opportunity was created and when it closed (or is expected to), seconds since 1970.
        var created: Int64
        var close: Int64
    }

    mutating func writeFirm(_ firm: SampleFirm, firstPerson: Int) throws(SampleDataError) {
        var people: [SamplePerson] = []
        people.reserveCapacity(firm.size)
        var workLocals: Set<String> = []
        for offset in 0..<firm.size {
            var person = SamplePerson(seed: seed, index: firstPerson + offset, firm: firm)
            assignEmails(&person, firm: firm, workLocals: &workLocals)
            people.append(person)
        }

        // CRM ids first: marketing rows point at contacts, converted leads at their contact.
        var leadIDs = [String?](repeating: nil, count: people.count)
        var contactIDs = [String?](repeating: nil, count: people.count)
        for index in people.indices {
            if people[index].isLead {
                leadIDs[index] = SalesforceID.make("00Q", leadCount)
                leadCount += 1
            }
            if people[index].isContact {
                contactIDs[index] = SalesforceID.make("003", contactCount)
                contactCount += 1
            }
        }
        let accountMembers = people.indices.filter { people[$0].isContact }
        var accountID: String?
        if !accountMembers.isEmpty {
            accountID = SalesforceID.make("001", accountCount)
            accountCount += 1
        }

        // Deals, and what they make of each person's stage.
        var dealStatus = [Deal.Outcome?](repeating: nil, count: people.count)
        var personDeals = [[Deal]](repeating: [], count: people.count)
        if let accountID {
            let deals = try writeDeals(
                firm: firm, accountID: accountID, members: accountMembers, people: people,
                contactIDs: contactIDs)
            for deal in deals {
                for role in deal.roles {
                    personDeals[role].append(deal)
                    switch (dealStatus[role], deal.outcome) {
                    case (.won, _): break
                    case (_, .won): dealStatus[role] = .won
                    case (.open, _): break
                    default: dealStatus[role] = deal.outcome
                    }
                }
            }
        }

        for index in people.indices where people[index].inMarketing {
            try writeMarketing(
                &people[index], firm: firm, contactID: contactIDs[index], dealStatus: dealStatus[index],
                deals: personDeals[index])
        }
        if let accountID {
            let created = max(
                SampleTime.start,
                accountMembers.map { people[$0].contactCreated }.min()! - Int64(firm.index % 30) * SampleTime.day)
            try writeAccount(firm, id: accountID, created: created)
        }
        for index in people.indices where people[index].inCRM {
            try writeCRM(
                &people[index], firm: firm, leadID: leadIDs[index], contactID: contactIDs[index],
                accountID: accountID, deals: personDeals[index])
        }
    }

    // MARK: Email addresses

    mutating func assignEmails(_ person: inout SamplePerson, firm: SampleFirm, workLocals: inout Set<String>) {
        let first = person.firstName.ascii
        let last = person.lastName.ascii
        var local: String =
            switch firm.emailPattern {
            case 0: first + "." + last
            case 1: String(first.prefix(1)) + last
            case 2: first
            default: first + String(last.prefix(1))
            }
        if workLocals.contains(local) {
            var suffix = 2
            while workLocals.contains(local + String(suffix)) { suffix += 1 }
            local += String(suffix)
        }
        workLocals.insert(local)
        person.workEmail = local + "@" + firm.domain

        if person.random.chance(250) || person.hasDuplicate {
            person.personalEmail = makePersonalEmail(&person)
            person.marketingUsesPersonal = person.random.chance(500)
            person.crmUsesPersonal = person.marketingUsesPersonal ? person.random.chance(350) : person.random.chance(60)
        }
    }

    mutating func makePersonalEmail(_ person: inout SamplePerson) -> String {
        let first = person.firstName.ascii
        let last = person.lastName.ascii
        let domain = person.random.pick(SampleWords.personalDomains)
        var local: String =
            switch person.random.weighted([40, 25, 20, 15]) {
            case 0: first + "." + last
            case 1: first + last
            case 2: String(first.prefix(1)) + last
            default: domain == "gmail.com" ? first + "." + last : first + "_" + last
            }
        if person.random.chance(700) { local += String(person.random.int(10...99)) }
        while true {
            let mailbox = domain == "gmail.com" ? local.filter { $0 != "." } + "@gmail.com" : local + "@" + domain
            if !personalMailboxes.contains(mailbox) {
                personalMailboxes.insert(mailbox)
                return local + "@" + domain
            }
            local += String(person.random.below(10))
        }
    }

    /// An address as one system holds it: Gmail dots, `+tags` and `googlemail.com`, capitals, stray spaces.
    static func vary(_ email: String, random: inout SampleRandom, marketing: Bool) -> String {
        var address = email
        if address.hasSuffix("@gmail.com") {
            var local = String(address.dropLast("@gmail.com".count))
            var domain = "gmail.com"
            if local.contains("."), random.chance(250) { local = local.filter { $0 != "." } }
            if random.chance(marketing ? 200 : 30) { local += "+" + random.pick(SampleWords.gmailTags) }
            if random.chance(150) { domain = "googlemail.com" }
            address = local + "@" + domain
        }
        let capitals = marketing ? 50 : 150
        switch random.below(1000) {
        case ..<capitals: address = capitalized(address)
        case ..<(capitals + (marketing ? 0 : 30)): address = address.uppercased()
        default: break
        }
        if marketing {
            if random.chance(10) { address += " " }
        } else if random.chance(30) {
            address = " " + address + " "
        }
        return address
    }

    /// "Jane.Doe@Northwind-Analytics.Example": capitals after the start, dots, hyphens and the at sign.
    static func capitalized(_ address: String) -> String {
        var bytes = Array(address.utf8)
        var atBoundary = true
        for index in bytes.indices {
            let byte = bytes[index]
            if atBoundary && byte >= 97 && byte <= 122 { bytes[index] = byte - 32 }
            atBoundary = byte == 46 || byte == 45 || byte == 64
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The trimmed, lower-cased address a marketing tool logs events under.
    static func eventAddress(_ email: String) -> String {
        String(decoding: email.utf8.filter { $0 != 32 }.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    // MARK: Names, phones, places

    static func firstName(_ person: inout SamplePerson, nicknamePermille: Int) -> String {
        let name = person.firstName
        if let nickname = name.nickname, person.random.chance(nicknamePermille) { return nickname }
        if person.random.chance(120) { return name.plain }
        return name.name
    }

    static func lastName(_ person: inout SamplePerson) -> String {
        person.random.chance(120) ? person.lastName.plain : person.lastName.name
    }

    /// A fictional number (US 555, Ofcom, Bundesnetzagentur and ARCEP drama ranges) as somebody typed it.
    static func phone(_ person: inout SamplePerson) -> String {
        let city = SampleWords.cities[person.city]
        let area = city.areaCode
        let line = person.phoneLine
        switch city.country {
        case .us:
            let number = SampleTime.pad(Int64(line), 4)
            return switch person.random.below(5) {
            case 0: "(" + area + ") 555-" + number
            case 1: area + "-555-" + number
            case 2: "+1 " + area + " 555 " + number
            case 3: area + ".555." + number
            default: "+1-" + area + "-555-" + number
            }
        case .uk:
            let exchange = area == "20" ? "7946 0" : "496 0"
            let number = exchange + SampleTime.pad(Int64(line % 1000), 3)
            return person.random.chance(500) ? "0" + area + " " + number : "+44 " + area + " " + number
        case .de:
            let number = "23125 " + SampleTime.pad(Int64(line % 1000), 3)
            return person.random.chance(500) ? "0" + area + " " + number : "+49 " + area + " " + number
        case .fr:
            let block =
                switch area {
                case "1": "99 00"
                case "2": "61 91"
                case "4": "65 71"
                default: "36 49"
                }
            let digits = SampleTime.pad(Int64(line), 4)
            let number = block + " " + String(digits.prefix(2)) + " " + String(digits.suffix(2))
            return person.random.chance(500) ? "0" + area + " " + number : "+33 " + area + " " + number
        }
    }

    static func street(_ person: inout SamplePerson, country: SampleWords.Country, multiline: Bool) -> String {
        let number = String(person.streetNumber)
        var street =
            switch country {
            case .de: person.street + " " + number
            default: number + " " + person.street
            }
        if let suite = person.suite {
            street += (multiline && person.random.chance(100) ? "\nSuite " : ", Suite ") + String(suite)
        }
        return street
    }

    // MARK: Marketing

    /// One marketing contact record of a person: its id, the address it holds, when it was created.
    struct MarketingRecord {
        var id: String
        var eventAddress: String
        var created: Int64
    }

    static func hubspotID(_ number: Int) -> String { String(51_000_001 + number * 3) }

    mutating func writeMarketing(
        _ person: inout SamplePerson, firm: SampleFirm, contactID: String?, dealStatus: Deal.Outcome?, deals: [Deal]
    ) throws(SampleDataError) {
        let primaryAddress = person.marketingUsesPersonal ? person.personalEmail! : person.workEmail
        let otherAddress = person.marketingUsesPersonal ? person.workEmail : person.personalEmail
        let email = Self.vary(primaryAddress, random: &person.random, marketing: true)
        var additional = ""
        if let otherAddress, !person.hasDuplicate, person.random.chance(person.marketingUsesPersonal ? 400 : 300) {
            additional = otherAddress
        }
        var lifecycleRandom = SampleRandom(seed: seed, stream: .lifecycle, index: person.index)
        var step = Self.lifecycleStep(&person, dealStatus: dealStatus)
        // A few people with deals never reach marketing's copy: it still says Lead (stage drift between systems).
        if dealStatus != nil && lifecycleRandom.chance(30) { step = 1 }
        let lifecycle = Self.lifecycleLadder[step]
        let became = Self.lifecycleDates(person, step: step, deals: deals, random: &lifecycleRandom)
        let leadStatus = Self.marketingLeadStatus(&person, dealStatus: dealStatus)
        let crossID = contactID.map { person.random.chance(330) ? $0 : "" } ?? ""
        let owner =
            person.inCRM
            ? (person.random.chance(700) ? SampleWords.owners[person.owner] : "")
            : (person.random.chance(100) ? SampleWords.owners[person.random.below(SampleWords.owners.count)] : "")
        let modified = max(
            person.marketingCreated + person.random.int64(0...(SampleTime.end - person.marketingCreated)),
            became.last.map { $0.time } ?? 0)

        let primary = MarketingRecord(
            id: Self.hubspotID(marketingCount), eventAddress: Self.eventAddress(email),
            created: person.marketingCreated)
        marketingCount += 1
        try writeMarketingRow(
            &person, firm: firm, id: primary.id, email: email, additional: additional, lifecycle: lifecycle,
            leadStatus: leadStatus, owner: owner, created: person.marketingCreated, modified: modified,
            crossID: crossID, sparse: false, became: became.map(\.time))
        var records = [primary]

        if person.hasDuplicate, let otherAddress {
            let duplicateEmail = Self.vary(otherAddress, random: &person.random, marketing: true)
            let duplicate = MarketingRecord(
                id: Self.hubspotID(marketingCount), eventAddress: Self.eventAddress(duplicateEmail),
                created: person.duplicateCreated)
            marketingCount += 1
            let modified = duplicate.created + person.random.int64(0...(SampleTime.end - duplicate.created))
            let duplicateStage = person.random.chance(500) ? "Subscriber" : "Lead"
            try writeMarketingRow(
                &person, firm: firm, id: duplicate.id, email: duplicateEmail, additional: "",
                lifecycle: duplicateStage, leadStatus: "", owner: "",
                created: duplicate.created, modified: modified, crossID: "", sparse: true,
                became: duplicateStage == "Lead" ? [duplicate.created] : [])
            records.append(duplicate)
        }
        try writeTouches(for: person, records: records)
    }

    mutating func writeMarketingRow(
        _ person: inout SamplePerson, firm: SampleFirm, id: String, email: String, additional: String,
        lifecycle: String, leadStatus: String, owner: String, created: Int64, modified: Int64, crossID: String,
        sparse: Bool, became: [Int64]
    ) throws(SampleDataError) {
        var first = Self.firstName(&person, nicknamePermille: 350)
        var last = Self.lastName(&person)
        if person.random.chance(30) {
            first = first.lowercased()
            last = last.lowercased()
        }
        let city = SampleWords.cities[person.city]
        let hasCity = person.random.chance(sparse ? 300 : 700)
        let fields = [
            id, first, last, email, additional,
            person.random.chance(sparse ? 200 : 550) ? Self.phone(&person) : "",
            person.random.chance(sparse ? 500 : 950) ? firm.typedName(&person.random) : "",
            person.random.chance(sparse ? 300 : 750) ? person.title : "",
            person.random.chance(500) ? firm.website : "",
            person.random.chance(300) ? Self.street(&person, country: city.country, multiline: false) : "",
            hasCity ? city.name : "",
            hasCity && person.random.chance(900) ? city.state : "",
            hasCity && person.random.chance(700) ? city.postalCode : "",
            person.random.chance(850) ? city.country.name : "",
            owner, lifecycle, leadStatus,
            SampleTime.format(created, .hubspot), SampleTime.format(modified, .hubspot), crossID,
        ]
        // "Became a … Date" for lead, MQL, SQL, opportunity and customer: the stages the record went through.
        let dates = (0..<5).map { $0 < became.count ? SampleTime.format(became[$0], .hubspot) : "" }
        try writeMarketingFields(fields + dates)
    }

    mutating func writeMarketingFields(_ fields: [String]) throws(SampleDataError) {
        switch options.contactsFormat {
        case .csv:
            try marketingContacts.writeCSV(fields)
        case .jsonl:
            marketingContacts.append(byte: 123)
            for (index, header) in Self.hubspotHeaders.enumerated() {
                if index > 0 { marketingContacts.append(byte: 44) }
                marketingContacts.append(jsonString: header)
                marketingContacts.append(byte: 58)
                if fields[index].isEmpty {
                    marketingContacts.append("null")
                } else {
                    marketingContacts.append(jsonString: fields[index])
                }
            }
            marketingContacts.append("}\n")
            try marketingContacts.endRow()
        }
    }

    static let lifecycleLadder = [
        "Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer",
    ]

    /// The person's step on ``lifecycleLadder`` in marketing's copy.
    static func lifecycleStep(_ person: inout SamplePerson, dealStatus: Deal.Outcome?) -> Int {
        var step: Int
        switch dealStatus {
        case .won: step = 5
        case .open: step = 4
        case .lost: step = 3
        case nil:
            if person.isContact {
                step = 3
            } else if person.isLead {
                step = person.random.chance(700) ? 2 : 1
            } else {
                step = person.random.weighted([40, 45, 15])
            }
        }
        // Marketing's copy lags behind now and then.
        if step > 0 && person.random.chance(100) { step -= 1 }
        return step
    }

    /// When marketing's record entered each stage from Lead up to `step` (HubSpot's "Became a … Date"), in order:
    /// a person becomes a lead when created, an MQL shortly before the CRM lead is created (that hand-over is the
    /// sales assignment) or weeks later for people who never reach the CRM, an SQL when their CRM contact is created,
    /// an opportunity when their first deal opens, a customer when their first deal is won. A skipped stage gets the
    /// date of the stage that skipped it, as HubSpot sets them.
    static func lifecycleDates(
        _ person: SamplePerson, step: Int, deals: [Deal], random: inout SampleRandom
    ) -> [(stage: Int, time: Int64)] {
        guard step >= 1 else { return [] }
        let hour = SampleTime.hour
        let day = SampleTime.day
        let latest = SampleTime.end - hour
        var lead = person.marketingCreated
        // Some people subscribe first and turn into leads later.
        if !person.inCRM && random.chance(300) { lead = min(lead + random.int64(day...45 * day), latest) }
        var times = [lead]
        if step >= 2 {
            let mql =
                person.inCRM
                ? person.leadCreated - random.int64(600...6 * hour)
                : lead + random.int64(day...120 * day)
            times.append(min(max(mql, lead), latest))
        }
        if step >= 3 { times.append(max(person.contactCreated, times.last!)) }
        if step >= 4 { times.append(max(deals.map(\.created).min() ?? times.last!, times.last!)) }
        if step >= 5 {
            let won = deals.filter { $0.outcome == .won }.map(\.close).min()
            times.append(max(won ?? times.last!, times.last!))
        }
        return times.enumerated().map { (stage: $0.offset + 1, time: min($0.element, SampleTime.end)) }
    }

    static func marketingLeadStatus(_ person: inout SamplePerson, dealStatus: Deal.Outcome?) -> String {
        if dealStatus != nil { return person.random.chance(800) ? "Open Deal" : "" }
        if person.inCRM { return person.random.pick(["In Progress", "Connected", "Attempted to Contact", ""]) }
        return ["", "New", "Open", "Attempted to Contact", "Unqualified", "Bad Timing"][
            person.random.weighted([40, 25, 15, 8, 7, 5])]
    }

    // MARK: Touches

    enum TouchType: Int, Comparable {
        case listMembership, formFill, emailSend, emailOpen, emailClick, webinar, event, unsubscribe

        var name: StaticString {
            switch self {
            case .listMembership: "list_membership"
            case .formFill: "form_fill"
            case .emailSend: "email_send"
            case .emailOpen: "email_open"
            case .emailClick: "email_click"
            case .webinar: "webinar"
            case .event: "event"
            case .unsubscribe: "unsubscribe"
            }
        }

        static func < (lhs: TouchType, rhs: TouchType) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    struct PendingTouch {
        var time: Int64
        var type: TouchType
        var campaign: Int
        var record: Int
    }

    /// About 15 touches per contact, from campaigns that ran after it was created, in time order.
    mutating func writeTouches(for person: SamplePerson, records: [MarketingRecord]) throws(SampleDataError) {
        var random = SampleRandom(seed: seed, stream: .touches, index: person.index)
        let target = random.int(0...16) + random.int(0...16)
        let created = records.map(\.created).min()!
        // Campaigns ending at or after the contact was created.
        var low = 0
        var high = campaignEnds.count
        while low < high {
            let middle = (low + high) / 2
            if campaignEnds[middle] < created { low = middle + 1 } else { high = middle }
        }
        pool.removeAll(keepingCapacity: true)
        pool.append(contentsOf: campaignsByEnd[low...])
        pendingTouches.removeAll(keepingCapacity: true)
        let day = SampleTime.day
        let hour = SampleTime.hour
        while pendingTouches.count < target && !pool.isEmpty {
            let pick = random.below(pool.count)
            let campaignIndex = pool[pick]
            pool.swapAt(pick, pool.count - 1)
            pool.removeLast()
            let campaign = campaigns[campaignIndex]
            let record = records.count > 1 && random.chance(250) ? 1 : 0
            let floor = records[record].created
            func add(_ type: TouchType, _ time: Int64) {
                var time = time
                if time < floor { time = floor + random.int64(60...hour) }
                pendingTouches.append(
                    PendingTouch(
                        time: min(time, SampleTime.end), type: type, campaign: campaignIndex, record: record))
            }
            switch campaign.channel {
            case .email:
                if random.chance(40) { add(.listMembership, campaign.start - random.int64(day...30 * day)) }
                let send = campaign.start + random.int64(0...6 * hour)
                add(.emailSend, send)
                if random.chance(450) {
                    let open = send + random.int64(300...72 * hour)
                    add(.emailOpen, open)
                    if random.chance(350) { add(.emailClick, open + random.int64(60...2 * hour)) }
                }
            case .webinar:
                let registers = random.chance(800)
                if registers { add(.formFill, random.int64(campaign.start...campaign.end - hour)) }
                if random.chance(550) || !registers { add(.webinar, campaign.end + 2 * hour + random.int64(0...900)) }
            case .event:
                let registers = random.chance(500)
                if registers { add(.formFill, random.int64(campaign.start...campaign.end - 2 * day)) }
                if random.chance(700) || !registers {
                    add(.event, campaign.end - random.int64(0...2) * day - random.int64(0...8 * hour))
                }
            case .paid:
                add(.formFill, random.int64(campaign.start...campaign.end))
            case .content:
                add(random.chance(700) ? .formFill : .listMembership, random.int64(campaign.start...campaign.end))
            }
        }
        if pendingTouches.count > target { pendingTouches.removeLast(pendingTouches.count - target) }
        // About 4% unsubscribe from marketing email after one of their sends: no email reaches them afterwards.
        if random.chance(40), !pendingTouches.isEmpty {
            let sends = pendingTouches.filter { $0.type == .emailSend }
            if !sends.isEmpty {
                let send = sends[random.below(sends.count)]
                let time = min(send.time + random.int64(hour...72 * hour), SampleTime.end)
                pendingTouches.removeAll {
                    $0.time >= time && ($0.type == .emailSend || $0.type == .emailOpen || $0.type == .emailClick)
                }
                pendingTouches.append(
                    PendingTouch(time: time, type: .unsubscribe, campaign: send.campaign, record: send.record))
            }
        }
        pendingTouches.sort { ($0.time, $0.type, $0.campaign) < ($1.time, $1.type, $1.campaign) }

        // What every touch line of a record repeats, serialized once.
        let middles = records.map { record -> [UInt8] in
            var middle = Array("\",\"contact_id\":\"".utf8) + Array(record.id.utf8) + Array("\",\"email\":".utf8)
            JSONEscaping.appendString(Array(record.eventAddress.utf8), to: &middle)
            middle += Array(",\"campaign_id\":\"".utf8)
            return middle
        }
        for touch in pendingTouches {
            touchCount += 1
            touches.append("{\"id\":\"evt-")
            touches.append(number: touchCount)
            touches.append(bytes: middles[touch.record])
            touches.append(bytes: campaignIDs[touch.campaign])
            touches.append("\",\"type\":\"")
            touches.append(touch.type.name)
            touches.append("\",\"occurred_at\":\"")
            touches.append(timestamp: touch.time, .iso)
            touches.append("\"}\n")
            try touches.endRow()
        }
        for record in records {
            try truth.writeCSV(["marketing", record.id, person.personID])
        }
    }

    // MARK: CRM

    mutating func writeCRM(
        _ person: inout SamplePerson, firm: SampleFirm, leadID: String?, contactID: String?, accountID: String?,
        deals: [Deal]
    ) throws(SampleDataError) {
        let email =
            person.crmHasNoEmail
            ? ""
            : Self.vary(
                person.crmUsesPersonal ? person.personalEmail! : person.workEmail, random: &person.random,
                marketing: false)
        let first = Self.firstName(&person, nicknamePermille: 100)
        let last = Self.lastName(&person)
        let city = SampleWords.cities[person.city]
        let hasCity = person.random.chance(920)
        let title = person.random.chance(900) ? person.title : ""
        let phone = person.random.chance(850) ? Self.phone(&person) : ""
        let street = person.random.chance(700) ? Self.street(&person, country: city.country, multiline: true) : ""
        let country = person.random.pick(city.country.salesforceSpellings)
        let ownerID = ownerIDs[person.owner]
        let followUp = try writeActivities(
            for: person, leadID: leadID, contactID: contactID, accountID: accountID, deals: deals)

        if let leadID {
            let converted = person.crmForm == .convertedLead
            // A lead nobody called is still "Open - Not Contacted"; one that was worked moved on.
            let drawn = person.random.weighted([45, 35, 20])
            let status: String
            if converted {
                status = "Closed - Converted"
            } else if followUp.first == nil {
                status = "Open - Not Contacted"
            } else if drawn < 2 {
                status = "Working - Contacted"
            } else {
                status = followUp.recycled ? "Recycled" : "Closed - Not Converted"
            }
            let drawnModified = person.leadCreated + person.random.int64(0...(SampleTime.end - person.leadCreated))
            let modified: Int64
            switch status {
            case "Closed - Converted": modified = person.contactCreated
            case "Working - Contacted":
                modified = min(followUp.first! + drawnModified % (2 * SampleTime.hour), SampleTime.end)
            case "Open - Not Contacted": modified = drawnModified
            default: modified = min(followUp.last! + drawnModified % (3 * SampleTime.day), SampleTime.end)
            }
            let deleted = !converted && person.random.chance(10)
            try leads.writeCSV([
                leadID, first, last, email, firm.typedName(&person.random), title, phone, street,
                hasCity ? city.name : "", hasCity ? city.state : "", hasCity ? city.postalCode : "", country, status,
                ownerID, SampleTime.format(person.leadCreated, .salesforce), SampleTime.format(modified, .salesforce),
                deleted ? "true" : "false", converted ? contactID! : "",
            ])
            try truth.writeCSV(["crm", leadID, person.personID])
        }
        if let contactID {
            let modified =
                person.contactCreated
                + person.random.int64(0...(SampleTime.end - person.contactCreated))
            try crmContacts.writeCSV([
                contactID, first, last, email, accountID!, title, phone, street,
                hasCity ? city.name : "", hasCity ? city.state : "", hasCity ? city.postalCode : "", country,
                person.birthDate.map { SampleTime.format($0, .date) } ?? "", ownerID,
                SampleTime.format(person.contactCreated, .salesforce), SampleTime.format(modified, .salesforce),
                "false",
            ])
            try truth.writeCSV(["crm", contactID, person.personID])
        }
    }

    // MARK: Sales activities

    /// When sales first and last worked a person, and whether an unconverted lead they closed goes back to
    /// marketing (recycled) rather than out (disqualified).
    struct FollowUp {
        var first: Int64?
        var last: Int64?
        var recycled = false
    }

    /// How each sales rep follows up leads: the chance in 1,000 that a lead is never called, and that the first
    /// call comes within 8 hours. Reps differ, so follow-up times by owner tell them apart.
    static let repHabits: [(never: Int, fast: Int)] = [
        (20, 800), (40, 700), (70, 520), (30, 760), (160, 380), (50, 640), (100, 480), (40, 720),
    ]

    /// Calls, emails and meetings with a CRM person, from their assignment (the CRM record's creation) on:
    /// a first follow-up after a delay that depends on the owner (some leads are never followed up, some late),
    /// a few more touches over the following weeks, and meetings and calls around each of their deals.
    /// Nothing after the export's end is written. Calls and emails are tasks (`00T`), meetings events (`00U`);
    /// before a lead converts, activities are with the lead, afterwards with the contact.
    mutating func writeActivities(
        for person: SamplePerson, leadID: String?, contactID: String?, accountID: String?, deals: [Deal]
    ) throws(SampleDataError) -> FollowUp {
        var random = SampleRandom(seed: seed, stream: .activities, index: person.index)
        let hour = SampleTime.hour
        let day = SampleTime.day
        let assigned = person.leadCreated
        let habits = Self.repHabits[person.owner % Self.repHabits.count]
        enum Kind { case call, email, meeting }
        var planned: [(time: Int64, kind: Kind, deal: String?, open: Bool)] = []
        func kind(_ random: inout SampleRandom) -> Kind {
            [Kind.call, .email, .meeting][random.weighted([50, 40, 10])]
        }

        if !deals.isEmpty || !random.chance(habits.never) {
            let delay: Int64
            if random.chance(habits.fast) {
                delay = random.int64(300...8 * hour)
            } else {
                switch random.weighted([35, 40, 25]) {
                case 0: delay = random.int64(8 * hour...24 * hour)
                case 1: delay = random.int64(24 * hour...72 * hour)
                default: delay = random.int64(3 * day...20 * day)
                }
            }
            var time = assigned + delay
            planned.append((time, random.chance(600) ? .call : .email, nil, false))
            for _ in 0..<random.int(0...4) {
                time += random.int64(day...14 * day)
                planned.append((time, kind(&random), nil, false))
            }
        }
        for deal in deals {
            planned.append((deal.created - random.int64(0...3 * day), .meeting, deal.id, false))
            let until = deal.outcome == .open ? SampleTime.end : deal.close
            for _ in 0..<random.int(1...4) {
                planned.append((random.int64(deal.created...max(deal.created, until)), kind(&random), deal.id, false))
            }
        }
        let recycled = random.chance(400)
        if let latest = planned.map(\.time).max(), random.chance(80) {
            planned.append((latest + random.int64(3 * day...10 * day), .call, nil, true))
        }
        // Nothing before the assignment, nothing after the export was taken.
        planned = planned.map { (max($0.time, assigned + 60), $0.kind, $0.deal, $0.open) }
            .filter { $0.time <= SampleTime.end }
        planned.sort { ($0.time, $0.open ? 1 : 0) < ($1.time, $1.open ? 1 : 0) }

        var followUp = FollowUp(recycled: recycled)
        for activity in planned {
            let id: String
            switch activity.kind {
            case .meeting:
                id = SalesforceID.make("00U", eventCount)
                eventCount += 1
            case .call, .email:
                id = SalesforceID.make("00T", taskCount)
                taskCount += 1
            }
            let withContact = contactID != nil && (leadID == nil || activity.time >= person.contactCreated)
            let who = withContact || activity.deal != nil ? contactID ?? leadID! : leadID ?? contactID!
            let type =
                switch activity.kind {
                case .call: "Call"
                case .email: "Email"
                case .meeting: "Meeting"
                }
            let callType = activity.kind == .call ? (random.chance(850) ? "Outbound" : "Inbound") : ""
            let modified = min(activity.time + random.int64(0...2 * hour), SampleTime.end)
            try activities.writeCSV([
                id, who, activity.deal ?? "", who.hasPrefix("003") ? accountID ?? "" : "", ownerIDs[person.owner],
                type, SampleTime.format(activity.time, .salesforce), activity.open ? "Open" : "Completed", callType,
                SampleTime.format(activity.open ? max(assigned, activity.time - 2 * day) : modified, .salesforce),
                "false",
            ])
            if !activity.open {
                if followUp.first == nil { followUp.first = activity.time }
                followUp.last = activity.time
            }
        }
        return followUp
    }

    mutating func writeAccount(_ firm: SampleFirm, id: String, created: Int64) throws(SampleDataError) {
        var random = SampleRandom(seed: seed, stream: .accounts, index: firm.index)
        let website =
            switch random.below(4) {
            case 0: firm.website
            case 1: "www." + firm.domain
            case 2: firm.domain
            default: "http://" + firm.domain + "/"
            }
        try accounts.writeCSV([
            id, firm.accountName, random.chance(900) ? website : "", firm.industry,
            random.pick(firm.country.salesforceSpellings), ownerIDs[firm.owner], String(firm.employees),
            SampleTime.format(created, .salesforce),
            SampleTime.format(created + random.int64(0...(SampleTime.end - created)), .salesforce), "false",
        ])
    }

    // MARK: Deals

    mutating func writeDeals(
        firm: SampleFirm, accountID: String, members: [Int], people: [SamplePerson], contactIDs: [String?]
    ) throws(SampleDataError) -> [Deal] {
        var random = SampleRandom(seed: seed, stream: .deals, index: firm.index)
        var count = random.weighted([30, 42, 20, 8])
        if members.count >= 5 && random.chance(400) { count += 1 }
        var deals: [Deal] = []
        let day = SampleTime.day
        for _ in 0..<count {
            let outcome = [Deal.Outcome.won, .lost, .open][random.weighted([35, 40, 25])]
            var candidates = members
            var chosen: [Int] = []
            for _ in 0..<min(random.int(1...3), candidates.count) {
                chosen.append(candidates.remove(at: random.below(candidates.count)))
            }
            // The account's first contact opens its history; contacts join deals later too.
            let opened = members.map { people[$0].contactCreated }.min()!
            let created: Int64
            let close: Int64
            if outcome == .open {
                let low = min(max(opened, SampleTime.end - 240 * day), SampleTime.end - 8 * day)
                created = random.int64(low...SampleTime.end - 7 * day)
                close = min(created + random.int64(30...150) * day, SampleTime.end)
            } else {
                // Close dates spread over the months after the account opened; the cycle runs back from them.
                let earliestClose = min(max(opened + 14 * day, SampleTime.start + 45 * day), SampleTime.end)
                close = random.int64(earliestClose...SampleTime.end)
                created = max(close - random.int64(14...150) * day, min(opened, close - 7 * day))
            }
            let modified =
                outcome == .open
                ? created + random.int64(0...(SampleTime.end - created))
                : min(close + random.int64(0...5 * day), SampleTime.end)
            let amount =
                switch random.weighted([40, 35, 17, 8]) {
                case 0: random.int(50...200) * 100
                case 1: random.int(201...600) * 100
                case 2: random.int(601...1_200) * 100
                default: random.int(1_201...2_500) * 100
                }
            let currency = (firm.country == .de || firm.country == .fr) && random.chance(700) ? "EUR" : "USD"
            let (year, _, _) = SampleTime.civil(fromDays: created / day)
            let id = SalesforceID.make("006", opportunityCount)
            opportunityCount += 1
            let stage =
                switch outcome {
                case .won: "Closed Won"
                case .lost: "Closed Lost"
                case .open: random.pick(SampleWords.openStages)
                }
            try opportunities.writeCSV([
                id, firm.baseName + " - " + random.pick(SampleWords.dealProducts) + " " + String(year), accountID,
                stage, String(amount) + ".00", currency, SampleTime.format(close, .date),
                SampleTime.format(created, .salesforce), SampleTime.format(modified, .salesforce),
                outcome == .won ? "true" : "false", outcome == .open ? "false" : "true",
                outcome == .lost ? random.pick(SampleWords.lossReasons) : "", ownerIDs[firm.owner], "false",
            ])
            var roleNames = SampleWords.contactRoles
            for (position, member) in chosen.enumerated() {
                let role = roleNames.remove(at: random.below(roleNames.count))
                try roles.writeCSV([
                    SalesforceID.make("00K", roleCount), id, contactIDs[member]!, role,
                    position == 0 ? "true" : "false",
                ])
                roleCount += 1
            }
            deals.append(Deal(id: id, outcome: outcome, roles: chosen, created: created, close: close))
        }
        return deals
    }

    // MARK: Malformed rows

    /// Three rows a reader must quarantine, with ids no generated record uses.
    mutating func writeMalformedRows() throws(SampleDataError) {
        let contactID = SalesforceID.make("003", 56_000_000_000 - 1_000_001)
        // "VP, Sales" unquoted: one field too many.
        crmContacts.append(contactID + ",Jane,Doe,jane.doe@example.com,,VP, Sales,,,,,,,,")
        crmContacts.append(ownerIDs[0] + ",2025-11-03T09:15:00.000Z,2025-11-03T09:15:00.000Z,false\n")
        try crmContacts.endRow()
        malformed[crmContacts.relativePath] = 1

        var fields = [String](repeating: "", count: Self.hubspotHeaders.count)
        fields[0] = "49999999"
        fields[1] = "Jane"
        fields[2] = "Doe"
        fields[3] = "jane.doe@"
        fields[15] = "Subscriber"
        fields[17] = "2025-11-03 09:15"
        fields[18] = "2025-11-03 09:15"
        try writeMarketingFields(fields)
        malformed[marketingContacts.relativePath] = 1

        // Cut off mid-object, as a crashed exporter leaves it.
        touches.append("{\"id\":\"evt-0\",\"contact_id\":\"49999999\",\"email\":\"jane.doe@\",\"campaign_id\":\"")
        touches.append(campaigns[0].id)
        touches.append("\",\"type\":\"email_open\",\"occurred_at\":\"2025-11-\n")
        try touches.endRow()
        malformed[touches.relativePath] = 1
    }
}
