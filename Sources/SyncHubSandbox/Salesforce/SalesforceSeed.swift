/// A small, fast, seedable random number generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Makes plausible record values; the seed and ``SalesforceSimulator/add(_:count:)`` share it.
struct SFGenerator: Sendable {
    var rng: SplitMix64
    var serial = 0

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let firstNames = [
        "Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Maya",
        "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
        "Amara", "Bruno", "Carla", "Diego", "Emil", "Fatima", "Gustav", "Hana", "Igor", "Julia", "Kenji", "Lucia",
    ]
    static let lastNames = [
        "Lopez", "Smith", "Nakamura", "Okafor", "Schmidt", "Rossi", "Kowalski", "Dubois", "Silva", "Haddad",
        "Johansson", "Patel", "Kim", "Novak", "Garcia", "Brown", "Murphy", "Costa", "Fischer", "Moreau", "Ivanova",
        "Tanaka", "Nguyen", "Hughes", "Berg", "Alvarez", "Chen", "Walsh", "Meyer", "Santos",
    ]
    static let companyWords = [
        "Blue", "Harbor", "Summit", "Cedar", "Nova", "Atlas", "Bright", "Iron", "Maple", "Pioneer", "Quartz",
        "River", "Signal", "Terra", "Vertex", "Willow", "Zenith", "Orbit", "Lumen", "Granite", "Falcon", "Echo",
    ]
    static let companySuffixes = [
        "Systems", "Labs", "Logistics", "Health", "Analytics", "Foods", "Energy", "Partners", "Retail", "Robotics",
    ]
    static let industries = [
        "Technology", "Healthcare", "Manufacturing", "Retail", "Finance", "Energy", "Education", "Transportation",
    ]
    static let places: [(city: String, state: String?, country: String)] = [
        ("Austin", "TX", "United States"), ("Boston", "MA", "United States"), ("Denver", "CO", "United States"),
        ("Toronto", "ON", "Canada"), ("London", nil, "United Kingdom"), ("Berlin", nil, "Germany"),
        ("Paris", nil, "France"), ("Madrid", nil, "Spain"), ("Sydney", "NSW", "Australia"), ("Tokyo", nil, "Japan"),
    ]
    static let titles = [
        "Marketing Manager", "VP Sales", "Head of Operations", "CTO", "Data Analyst", "Procurement Lead",
        "IT Director", "CFO", "Product Manager", "Office Manager",
    ]
    static let leadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]
    static let leadStatusesOpen = ["Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"]
    static let lossReasons = ["Price", "Competitor", "No Decision", "Timing", "Product Fit", "Budget"]
    static let roles = [
        "Business User", "Decision Maker", "Economic Buyer", "Economic Decision Maker", "Evaluator",
        "Executive Sponsor", "Influencer", "Technical Buyer", "Other",
    ]
    static let campaignTypes = ["Webinar", "Email", "Conference", "Trade Show", "Advertisement", "Direct Mail"]
    static let respondedStatuses: Set<String> = ["Responded", "Attended", "Clicked"]
    /// Task statuses in a new org, and the one that closes a task.
    static let taskStatuses = ["Not Started", "In Progress", "Waiting on someone else", "Deferred", "Completed"]
    static let closedTaskStatuses: Set<String> = ["Completed"]
    static let activitySubjects = ["Call", "Follow-up email", "Intro call", "Send proposal", "Check in", "Demo"]

    static func memberStatuses(forCampaignType type: String) -> [String] {
        switch type {
        case "Webinar": ["Registered", "Attended", "No Show"]
        case "Email": ["Sent", "Opened", "Clicked"]
        case "Conference", "Trade Show": ["Invited", "Registered", "Attended"]
        default: ["Sent", "Responded"]
        }
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func int64(_ range: Range<Int64>) -> Int64 {
        range.isEmpty ? range.lowerBound : Int64.random(in: range, using: &rng)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    mutating func companyName() -> String {
        serial += 1
        return "\(pick(Self.companyWords)) \(pick(Self.companyWords)) \(pick(Self.companySuffixes))"
    }

    static func domain(of company: String) -> String {
        String(company.lowercased().filter { $0.isLetter || $0.isNumber }) + ".example"
    }

    /// A unique email for a person at `domain`.
    mutating func email(first: String, last: String, domain: String) -> String {
        serial += 1
        return "\(first.lowercased()).\(last.lowercased())\(serial)@\(domain)"
    }

    mutating func phone() -> String { "+1 555 \(int(100...999)) \(int(1000...9999))" }
}

/// A record being built: values in field order.
struct SFDraft {
    let object: SFObject
    var values: [SFValue]

    init(_ kind: SFObjectKind) {
        object = SalesforceSchema.object(kind)
        values = Array(repeating: .null, count: object.fields.count)
        if let i = object.isDeletedIndex { values[i] = .bool(false) }
    }

    subscript(name: String) -> SFValue {
        get { values[object.field(named: name)!] }
        set { values[object.field(named: name)!] = newValue }
    }

    var created: Int64 { values[object.createdDateIndex].dateTimeValue ?? 0 }
    var modstamp: Int64 { values[object.systemModstampIndex].dateTimeValue ?? 0 }

    /// Sets the audit fields: created at `created` by `user`, last modified at `modified` (≥ created), system
    /// modstamp at `stamp` (≥ modified). All at second precision.
    mutating func stamp(created: Int64, modified: Int64, stamp: Int64, by user: String) {
        let c = created / 1000 * 1000
        let m = max(c, modified / 1000 * 1000)
        let s = max(m, stamp / 1000 * 1000)
        self["CreatedDate"] = .dateTime(c)
        self["CreatedById"] = .string(user)
        self["LastModifiedDate"] = .dateTime(m)
        self["LastModifiedById"] = .string(user)
        self["SystemModstamp"] = .dateTime(s)
    }
}

extension SFGenerator {
    // MARK: Record makers (shared by the seed and `add`)

    mutating func account(created: Int64, owner: String) -> SFDraft {
        var d = SFDraft(.account)
        let name = companyName()
        let place = pick(Self.places)
        d["Name"] = .string(name)
        d["Type"] = .string(pick(["Prospect", "Customer - Direct", "Customer - Channel", "Partner"]))
        d["Industry"] = .string(pick(Self.industries))
        d["Website"] = .string("https://www.\(Self.domain(of: name))")
        d["Phone"] = .string(phone())
        d["BillingStreet"] = .string("\(int(1...999)) \(pick(Self.companyWords)) Street")
        d["BillingCity"] = .string(place.city)
        d["BillingState"] = place.state.map(SFValue.string) ?? .null
        d["BillingPostalCode"] = .string(String(int(10000...99999)))
        d["BillingCountry"] = .string(place.country)
        d["NumberOfEmployees"] = .number(Double(pick([12, 45, 80, 150, 320, 800, 1500, 4200])))
        d["AnnualRevenue"] = chance(0.8) ? .number(Double(int(5...900)) * 100_000) : .null
        d["AccountSource"] = .string(pick(Self.leadSources))
        d["OwnerId"] = .string(owner)
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    mutating func contact(created: Int64, owner: String, account: SFRow?, accountObject: SFObject) -> SFDraft {
        var d = SFDraft(.contact)
        let first = pick(Self.firstNames)
        let last = pick(Self.lastNames)
        let company = account.flatMap { $0.values[accountObject.field(named: "Name")!].stringValue }
        d["AccountId"] = account.map { .string($0.id) } ?? .null
        d["FirstName"] = .string(first)
        d["LastName"] = .string(last)
        d["Name"] = .string("\(first) \(last)")
        d["Title"] = .string(pick(Self.titles))
        d["Email"] = .string(email(first: first, last: last, domain: company.map(Self.domain) ?? "mail.example"))
        d["Phone"] = .string(phone())
        d["MobilePhone"] = chance(0.4) ? .string(phone()) : .null
        if let account {
            for (to, from) in [
                ("MailingStreet", "BillingStreet"), ("MailingCity", "BillingCity"), ("MailingState", "BillingState"),
                ("MailingPostalCode", "BillingPostalCode"), ("MailingCountry", "BillingCountry"),
            ] {
                d[to] = account.values[accountObject.field(named: from)!]
            }
        } else {
            let place = pick(Self.places)
            d["MailingCity"] = .string(place.city)
            d["MailingCountry"] = .string(place.country)
        }
        d["Birthdate"] =
            chance(0.3)
            ? .date(SFTime.days(fromCivil: Int64(int(1960...2000)), Int64(int(1...12)), Int64(int(1...28)))) : .null
        d["LeadSource"] = .string(pick(Self.leadSources))
        d["OwnerId"] = .string(owner)
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    mutating func lead(created: Int64, owner: String) -> SFDraft {
        var d = SFDraft(.lead)
        let first = pick(Self.firstNames)
        let last = pick(Self.lastNames)
        let company = companyName()
        let place = pick(Self.places)
        d["FirstName"] = .string(first)
        d["LastName"] = .string(last)
        d["Name"] = .string("\(first) \(last)")
        d["Title"] = .string(pick(Self.titles))
        d["Company"] = .string(company)
        d["Email"] = chance(0.97) ? .string(email(first: first, last: last, domain: Self.domain(of: company))) : .null
        d["Phone"] = .string(phone())
        d["Website"] = chance(0.5) ? .string("https://www.\(Self.domain(of: company))") : .null
        d["City"] = .string(place.city)
        d["State"] = place.state.map(SFValue.string) ?? .null
        d["Country"] = .string(place.country)
        d["LeadSource"] = .string(pick(Self.leadSources))
        d["Status"] = .string(pick(Self.leadStatusesOpen))
        d["Industry"] = .string(pick(Self.industries))
        d["NumberOfEmployees"] = chance(0.6) ? .number(Double(pick([10, 50, 200, 1000]))) : .null
        d["OwnerId"] = .string(owner)
        d["IsConverted"] = .bool(false)
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    mutating func campaign(created: Int64, owner: String, today: Int64) -> SFDraft {
        var d = SFDraft(.campaign)
        let type = pick(Self.campaignTypes)
        let start = SFTime.day(ofMilliseconds: created) + Int64(int(0...30))
        let end = start + Int64(int(1...60))
        let (year, month, _) = SFTime.civil(fromDays: start)
        d["Name"] = .string(
            "\(year)-\(month < 10 ? "0" : "")\(month) \(type): \(pick(Self.companyWords)) \(pick(["Launch", "Nurture", "Roadshow", "Summit", "Digest"]))"
        )
        d["Type"] = .string(type)
        d["Status"] = .string(end < today ? "Completed" : start <= today ? "In Progress" : "Planned")
        d["StartDate"] = .date(start)
        d["EndDate"] = .date(end)
        d["IsActive"] = .bool(end >= today)
        d["BudgetedCost"] = .number(Double(int(5...200)) * 500)
        d["ActualCost"] = .number(Double(int(5...200)) * 450)
        d["OwnerId"] = .string(owner)
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    mutating func opportunity(
        created: Int64, owner: String, account: SFRow?, accountObject: SFObject, campaign: String?, end: Int64,
        open: Bool = false
    ) -> SFDraft {
        var d = SFDraft(.opportunity)
        let roll = Double.random(in: 0..<1, using: &rng)
        let stage =
            open
            ? SalesforceSchema.stages[int(0...7)]
            : roll < 0.3
                ? SalesforceSchema.stages[8]
                : roll < 0.6 ? SalesforceSchema.stages[9] : SalesforceSchema.stages[int(0...7)]
        let accountName = account.flatMap { $0.values[accountObject.field(named: "Name")!].stringValue } ?? "Direct"
        d["AccountId"] = account.map { .string($0.id) } ?? .null
        d["Name"] = .string("\(accountName) - \(pick(["Platform", "Renewal", "Expansion", "Pilot", "Services"]))")
        d["StageName"] = .string(stage.name)
        d["Amount"] = chance(0.95) ? .number(Double(int(10...500)) * 500) : .null
        d["Probability"] = .number(stage.probability)
        d["Type"] = .string(pick(["New Business", "Existing Business"]))
        d["LeadSource"] = .string(pick(Self.leadSources))
        d["IsClosed"] = .bool(stage.closed)
        d["IsWon"] = .bool(stage.won)
        d["CampaignId"] = campaign.map(SFValue.string) ?? .null
        d["OwnerId"] = .string(owner)
        let createdDay = SFTime.day(ofMilliseconds: created)
        let lastDay = SFTime.day(ofMilliseconds: end) - 1
        var modified = created
        if stage.closed {
            let closeDay = min(lastDay, createdDay + Int64(int(10...120)))
            d["CloseDate"] = .date(max(createdDay, closeDay))
            modified = max(
                created, min(end - 1000, max(createdDay, closeDay) * SFTime.msPerDay + Int64(int(9...17)) * 3_600_000))
            if !stage.won, chance(0.8) { d["Loss_Reason__c"] = .string(pick(Self.lossReasons)) }
        } else {
            d["CloseDate"] = .date(lastDay + Int64(int(10...180)))
        }
        d.stamp(created: created, modified: modified, stamp: modified, by: owner)
        return d
    }

    mutating func contactRole(created: Int64, opportunity: String, contact: String, primary: Bool, owner: String)
        -> SFDraft
    {
        var d = SFDraft(.opportunityContactRole)
        d["OpportunityId"] = .string(opportunity)
        d["ContactId"] = .string(contact)
        d["Role"] = .string(primary ? pick(["Decision Maker", "Economic Buyer"]) : pick(Self.roles))
        d["IsPrimary"] = .bool(primary)
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    mutating func campaignMember(
        created: Int64, campaign: String, campaignType: String, lead: String?, contact: String?, owner: String
    ) -> SFDraft {
        var d = SFDraft(.campaignMember)
        let status = pick(Self.memberStatuses(forCampaignType: campaignType))
        let responded = Self.respondedStatuses.contains(status)
        d["CampaignId"] = .string(campaign)
        d["LeadId"] = lead.map(SFValue.string) ?? .null
        d["ContactId"] = contact.map(SFValue.string) ?? .null
        d["Status"] = .string(status)
        d["HasResponded"] = .bool(responded)
        d["FirstRespondedDate"] = responded ? .date(SFTime.day(ofMilliseconds: created)) : .null
        d["Type"] = .string(contact != nil ? "Contact" : "Lead")
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    /// A task (a call, an email or a to-do, by `TaskSubtype`) or an event (a meeting) with `who` at `time`;
    /// an open task is due on `time`'s day.
    mutating func activity(
        _ kind: SFObjectKind, at time: Int64, created: Int64, who: String?, what: String?, account: String?,
        owner: String, open: Bool = false
    ) -> SFDraft {
        var d = SFDraft(kind)
        d["WhoId"] = who.map(SFValue.string) ?? .null
        d["WhatId"] = what.map(SFValue.string) ?? .null
        d["AccountId"] = account.map(SFValue.string) ?? .null
        d["OwnerId"] = .string(owner)
        d["ActivityDate"] = .date(SFTime.day(ofMilliseconds: time))
        let second = time / 1000 * 1000
        if kind == .task {
            let subtype = pick(["Call", "Call", "Call", "Email", "Email", "Task"])
            d["TaskSubtype"] = .string(subtype)
            d["Type"] = .string(subtype == "Task" ? "Other" : subtype)
            d["Subject"] = .string(subtype == "Task" ? pick(Self.activitySubjects) : subtype)
            d["Priority"] = .string(pick(["Normal", "Normal", "High"]))
            if subtype == "Call" {
                d["CallType"] = .string(chance(0.85) ? "Outbound" : "Inbound")
                d["CallDurationInSeconds"] = .number(Double(int(20...1800)))
            }
            d["Status"] = .string(open ? "Not Started" : "Completed")
            d["IsClosed"] = .bool(!open)
            d["CompletedDateTime"] = open ? .null : .dateTime(second)
        } else {
            d["Subject"] = .string(pick(["Discovery meeting", "Demo", "Proposal review"]))
            d["Type"] = .string("Meeting")
            d["EventSubtype"] = .string("Event")
            let minutes = pick([30, 45, 60])
            d["ActivityDateTime"] = .dateTime(second)
            d["StartDateTime"] = .dateTime(second)
            d["EndDateTime"] = .dateTime(second + Int64(minutes) * 60_000)
            d["DurationInMinutes"] = .number(Double(minutes))
        }
        d.stamp(created: created, modified: created, stamp: created, by: owner)
        return d
    }

    mutating func user(created: Int64, first: String, last: String, title: String) -> SFDraft {
        var d = SFDraft(.user)
        d["FirstName"] = .string(first)
        d["LastName"] = .string(last)
        d["Name"] = .string("\(first) \(last)")
        d["Username"] = .string("\(first.lowercased()).\(last.lowercased())@synchub-sandbox.example")
        d["Email"] = .string("\(first.lowercased()).\(last.lowercased())@synchub-sandbox.example")
        d["Title"] = .string(title)
        d["IsActive"] = .bool(true)
        d.stamp(created: created, modified: created, stamp: created, by: "")
        return d
    }
}

extension SFGenerator {
    /// A random live record of `kind`, or `nil` when there is none.
    mutating func liveRow(_ kind: SFObjectKind, in org: SFOrg) -> SFRow? {
        let table = org[kind]
        guard !table.rows.isEmpty else { return nil }
        for _ in 0..<20 {
            let row = table.rows[int(0...(table.rows.count - 1))]
            if !row.isDeleted(table.object) { return row }
        }
        return table.rows.last { !$0.isDeleted(table.object) }
    }

    /// A new record of `kind` created now, linked to random live parents; its id is left for the caller to set.
    mutating func newRecord(_ kind: SFObjectKind, in org: SFOrg, now: Int64) -> SFDraft {
        let owner = liveRow(.user, in: org).map(\.id) ?? org.apiUserID
        let accountObject = SalesforceSchema.object(.account)
        let today = SFTime.day(ofMilliseconds: now)
        switch kind {
        case .user:
            return user(
                created: now, first: pick(Self.firstNames), last: pick(Self.lastNames), title: "Account Executive")
        case .account:
            return account(created: now, owner: owner)
        case .contact:
            return contact(
                created: now, owner: owner, account: liveRow(.account, in: org), accountObject: accountObject)
        case .lead:
            return lead(created: now, owner: owner)
        case .campaign:
            return campaign(created: now, owner: owner, today: today)
        case .opportunity:
            return opportunity(
                created: now, owner: owner, account: liveRow(.account, in: org), accountObject: accountObject,
                campaign: nil, end: (today + 1) * SFTime.msPerDay, open: true)
        case .opportunityContactRole:
            let opportunity = liveRow(.opportunity, in: org)?.id ?? ""
            let contact = liveRow(.contact, in: org)?.id ?? ""
            return contactRole(created: now, opportunity: opportunity, contact: contact, primary: false, owner: owner)
        case .task, .event:
            let useLead = chance(0.5)
            let person = liveRow(useLead ? .lead : .contact, in: org)
            return activity(kind, at: now, created: now, who: person?.id, what: nil, account: nil, owner: owner, open: kind == .task)
        case .campaignMember:
            let campaignObject = SalesforceSchema.object(.campaign)
            let campaign = liveRow(.campaign, in: org)
            let type = campaign.flatMap { $0.values[campaignObject.field(named: "Type")!].stringValue } ?? "Email"
            let useLead = chance(0.5)
            let person = liveRow(useLead ? .lead : .contact, in: org)?.id
            return campaignMember(
                created: now, campaign: campaign?.id ?? "", campaignType: type, lead: useLead ? person : nil,
                contact: useLead ? nil : person, owner: owner)
        }
    }
}
