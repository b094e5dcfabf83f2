import SyncHubCore

/// Builds the simulation's starting data from a seed: the same seed, contact count and anchor day give the same
/// records, ids, timestamps and events.
struct HubSpotSeed {
    var random: HubSpotRandom
    /// The seed, for the generators of later additions (engagements, marketing events), which draw from their own
    /// sequences so that adding them changed none of the records generated before.
    let seed: UInt64
    /// Midnight UTC of the day the data is anchored to; every generated time lies before it.
    let anchorMs: Int64

    init(seed: UInt64, anchorMs: Int64) {
        self.random = HubSpotRandom(seed: seed)
        self.seed = seed
        self.anchorMs = anchorMs - anchorMs % HubSpotTime.dayMs
    }

    mutating func build(contacts contactCount: Int) -> HubSpotStore {
        var store = HubSpotStore()
        let companyCount = max(1, contactCount / 8)
        let dealCount = contactCount / 6

        // Companies.
        var companyNames = Set<String>()
        var companyPositions: [Int] = []
        let companyTimes = clusteredTimes(companyCount)
        for index in 0..<companyCount {
            var name = "\(random.pick(HubSpotSeedVocabulary.companyWords)) \(random.pick(HubSpotSeedVocabulary.companySuffixes))"
            if companyNames.contains(name) { name += " \(index)" }
            companyNames.insert(name)
            let domain = name.lowercased().filter { $0.isLetter || $0.isNumber } + ".example"
            let (city, _, country) = random.pick(HubSpotSeedVocabulary.cities)
            let values: [String: String] = [
                "name": name, "domain": domain, "website": "https://www.\(domain)",
                "industry": random.pick(HubSpotSeedVocabulary.industries), "city": city, "country": country,
                "numberofemployees": String(random.pick([12, 40, 85, 150, 400, 1200, 5000])),
                "annualrevenue": String(random.int(1...500) * 100_000),
                "hubspot_owner_id": random.pick(HubSpotSeedVocabulary.owners),
            ]
            companyPositions.append(insert(.companies, values, modified: companyTimes[index], into: &store))
        }

        // Contacts, each with a primary company.
        var emails = Set<String>()
        var contactsOfCompany: [Int: [Int64]] = [:]
        let contactTimes = clusteredTimes(contactCount)
        for index in 0..<contactCount {
            let companyIndex = random.below(companyCount)
            let company = store[.companies][companyPositions[companyIndex]]
            let first = random.pick(HubSpotSeedVocabulary.firstNames)
            let last = random.pick(HubSpotSeedVocabulary.lastNames)
            let personal = random.chance(0.08)
            let domain = personal ? "mail.example" : company.values["domain"]!
            var local = "\(first).\(last)".lowercased()
            if emails.contains("\(local)@\(domain)") { local += String(index) }
            let email = "\(local)@\(domain)"
            emails.insert(email)
            let (city, state, country) = random.pick(HubSpotSeedVocabulary.cities)
            var values: [String: String] = [
                "email": email, "firstname": first, "lastname": last, "company": company.values["name"]!,
                "jobtitle": random.pick(HubSpotSeedVocabulary.jobTitles),
                "phone": "+1 555 01\(random.int(10...99)) \(random.int(1000...9999))",
                "website": company.values["website"]!, "city": city, "country": country,
                "address": "\(random.int(1...999)) \(random.pick(HubSpotSeedVocabulary.companyWords)) Street",
                "zip": String(random.int(10000...99999)),
                "lifecyclestage": random.pick(weighted: [
                    ("subscriber", 20), ("lead", 35), ("marketingqualifiedlead", 20), ("salesqualifiedlead", 10),
                    ("other", 3),
                ]),
                "hs_lead_status": random.pick(HubSpotSeedVocabulary.leadStatuses),
                "hubspot_owner_id": random.pick(HubSpotSeedVocabulary.owners),
                "associatedcompanyid": company.idText,
                "hs_email_domain": domain,
            ]
            if !state.isEmpty { values["state"] = state }
            if random.chance(0.2) {
                values["date_of_birth"] =
                    "19\(random.int(55...99))-\(pad(random.int(1...12)))-\(pad(random.int(1...28)))"
            }
            if random.chance(0.04) { values["hs_additional_emails"] = "\(local)@mail.example" }
            let position = insert(.contacts, values, modified: contactTimes[index], into: &store)
            let id = store[.contacts][position].id
            store.associations.link(id, .contacts, company.id, .companies)
            contactsOfCompany[companyIndex, default: []].append(id)
        }

        // Deals, linked to a company and one to three of its contacts.
        let dealTimes = clusteredTimes(dealCount)
        for index in 0..<dealCount {
            let companyIndex = random.below(companyCount)
            let company = store[.companies][companyPositions[companyIndex]]
            let stage = random.pick(weighted: [
                (0, 12), (1, 10), (2, 9), (3, 7), (4, 7), (5, 30), (6, 25),
            ])
            let (stageValue, _, isClosed, isWon) = HubSpotSeedVocabulary.dealStages[stage]
            let modified = dealTimes[index]
            var values: [String: String] = [
                "dealname": "\(company.values["name"]!) - \(random.pick(HubSpotSeedVocabulary.products))",
                "amount": String(random.int(10...2500) * 100),
                "deal_currency_code": "USD",
                "pipeline": "default",
                "dealstage": stageValue,
                "hs_is_closed": isClosed ? "true" : "false",
                "hs_is_closed_won": isWon ? "true" : "false",
                "hubspot_owner_id": random.pick(HubSpotSeedVocabulary.owners),
            ]
            let closeMs =
                isClosed
                ? modified - random.int64(0...(20 * HubSpotTime.dayMs))
                : anchorMs + random.int64(1...120) * HubSpotTime.dayMs
            values["closedate"] = HubSpotTime.iso(closeMs - closeMs % 1000)
            if stageValue == "closedlost" { values["closed_lost_reason"] = random.pick(HubSpotSeedVocabulary.lossReasons) }
            let position = insert(.deals, values, modified: modified, earliestCreate: closeMs, into: &store)
            let id = store[.deals][position].id
            store.associations.link(id, .deals, company.id, .companies)
            var candidates = contactsOfCompany[companyIndex] ?? []
            if candidates.isEmpty { candidates = [store[.contacts][random.below(store[.contacts].count)].id] }
            var chosen: [Int64] = []
            for _ in 0..<min(candidates.count, random.int(1...3)) {
                let contact = random.pick(candidates)
                if !chosen.contains(contact) { chosen.append(contact) }
            }
            for contact in chosen { store.associations.link(id, .deals, contact, .contacts) }
        }

        // Lifecycle stages follow the deals: won → customer, open → opportunity.
        for position in 0..<store[.contacts].count {
            let id = store[.contacts][position].id
            let stages = store.associations.targets(of: id, .contacts, to: .deals).compactMap { deal in
                store[.deals].position(of: deal).flatMap { store[.deals][$0].values["dealstage"] }
            }
            if stages.contains("closedwon") {
                store[.contacts][position].values["lifecyclestage"] = "customer"
            } else if stages.contains(where: { $0 != "closedlost" }) {
                store[.contacts][position].values["lifecyclestage"] = "opportunity"
            }
        }

        buildEmail(into: &store)
        buildForms(into: &store)
        buildEngagements(into: &store)
        buildMarketingEvents(into: &store)
        return store
    }

    /// Inserts a record modified at `modified` and created some time before it.
    private mutating func insert(
        _ type: HubSpotObjectType, _ values: [String: String], modified: Int64, earliestCreate: Int64? = nil,
        into store: inout HubSpotStore
    ) -> Int {
        let oldest = anchorMs - 900 * HubSpotTime.dayMs
        var created = max(oldest, modified - random.int64(0...(400 * HubSpotTime.dayMs)))
        if let earliestCreate { created = min(created, earliestCreate - random.int64(0...(60 * HubSpotTime.dayMs))) }
        return store.create(type, values: values, at: created, modifiedMs: modified)
    }

    /// Modification times over the last nine months, many of them shared: bulk imports and workflows touch
    /// dozens of records in the same millisecond or second.
    private mutating func clusteredTimes(_ count: Int) -> [Int64] {
        let start = anchorMs - 270 * HubSpotTime.dayMs
        let end = anchorMs - 3_600_000
        var times: [Int64] = []
        times.reserveCapacity(count)
        while times.count < count {
            let size: Int
            switch random.below(10) {
            case 0..<5: size = 1
            case 5..<8: size = random.int(2...5)
            default: size = random.int(6...40)
            }
            let base = random.int64(start...end)
            let second = base - base % 1000
            let sameMillisecond = random.chance(0.5)
            for _ in 0..<min(size, count - times.count) {
                times.append(sameMillisecond ? base : second + Int64(random.below(1000)))
            }
        }
        for index in stride(from: times.count - 1, to: 0, by: -1) {
            times.swapAt(index, random.below(index + 1))
        }
        return times
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    // MARK: - Forms

    /// Three forms; about a third of the contacts submitted one, some time after they were created.
    private mutating func buildForms(into store: inout HubSpotStore) {
        let names = ["Contact us", "Demo request", "Newsletter sign-up"]
        var forms = names.enumerated().map { index, name in
            HubSpotForm(id: random.uuid(), name: name, createdMs: anchorMs - Int64(700 - index * 50) * HubSpotTime.dayMs)
        }
        for position in 0..<store[.contacts].count where random.chance(0.3) {
            let record = store[.contacts][position]
            let formIndex = random.below(forms.count)
            let submitted = min(anchorMs - 60_000, record.createdMs + random.int64(0...(30 * HubSpotTime.dayMs)))
            forms[formIndex].submissions.append(
                HubSpotForm.submission(conversionID: random.uuid(), submittedAt: submitted, values: record.values, form: forms[formIndex]))
        }
        for index in forms.indices { forms[index].submissions.sort { $0.submittedAt > $1.submittedAt } }
        store.forms = forms
    }

    // MARK: - Email

    private mutating func buildEmail(into store: inout HubSpotStore) {
        let contactCount = store[.contacts].count
        let campaignCount = max(5, contactCount / 40)
        var campaigns: [HubSpotEmailCampaign] = []
        for index in 0..<campaignCount {
            let theme = random.pick(HubSpotSeedVocabulary.campaignThemes)
            let sent = random.int64((anchorMs - 300 * HubSpotTime.dayMs)...(anchorMs - 2 * HubSpotTime.dayMs))
            campaigns.append(
                HubSpotEmailCampaign(
                    id: 291_004_000 + Int64(index) * 7_919, appID: HubSpotEmailLog.appID,
                    appName: HubSpotEmailLog.appName, contentID: 9_800_000_000 + Int64(index) * 13,
                    name: "\(theme) \(HubSpotTime.day(sent))", subject: "\(theme): news for you",
                    sentMs: sent - sent % 60_000))
        }
        var events: [HubSpotEmailEvent] = []
        events.reserveCapacity(contactCount * 5)
        for position in 0..<contactCount {
            guard let recipient = store[.contacts][position].values["email"] else { continue }
            let sends = random.pick(weighted: [(1, 35), (2, 35), (3, 30)])
            var used: [Int] = []
            for _ in 0..<sends {
                let campaignIndex = random.below(campaigns.count)
                if used.contains(campaignIndex) { continue }
                used.append(campaignIndex)
                events.append(
                    contentsOf: send(campaign: &campaigns[campaignIndex], to: recipient))
            }
        }
        store.email.campaigns = campaigns
        store.email.append(contentsOf: events)
    }

    /// The events of one email sent to one recipient: SENT, then DELIVERED or BOUNCE, maybe OPEN, CLICK and an
    /// unsubscribe (STATUSCHANGE).
    mutating func send(campaign: inout HubSpotEmailCampaign, to recipient: String) -> [HubSpotEmailEvent] {
        var out: [HubSpotEmailEvent] = []
        let sentAt = campaign.sentMs + random.int64(0...600_000)
        let sentID = random.uuid()
        let sentBy = (sentID, sentAt)
        func event(_ type: String, _ created: Int64, _ extra: [(String, JSONValue)]) -> HubSpotEmailEvent {
            HubSpotEmailLog.encode(
                id: type == "SENT" ? sentID : random.uuid(), created: created, type: type, recipient: recipient,
                campaignID: campaign.id, sentBy: type == "SENT" ? nil : sentBy, extra: extra)
        }
        out.append(
            event("SENT", sentAt, [("subject", .string(campaign.subject)), ("from", .string("Marketing <news@sandbox.example>"))]))
        campaign.counters["sent", default: 0] += 1
        campaign.counters["processed", default: 0] += 1
        if random.chance(0.05) {
            let category = random.pick(HubSpotSeedVocabulary.bounceCategories)
            out.append(
                event("BOUNCE", sentAt + random.int64(1_000...30_000), [
                    ("category", .string(category)), ("response", .string("550 5.1.1 mailbox unavailable")),
                    ("status", .string("5.1.1")),
                ]))
            campaign.counters["bounce", default: 0] += 1
            return out
        }
        let delivered = sentAt + random.int64(1_000...30_000)
        out.append(event("DELIVERED", delivered, [("response", .string("250 2.0.0 OK")), ("smtpId", .null)]))
        campaign.counters["delivered", default: 0] += 1
        let (city, state, country) = random.pick(HubSpotSeedVocabulary.cities)
        let agent = random.pick(HubSpotSeedVocabulary.userAgents)
        let engagement: [(String, JSONValue)] = [
            ("userAgent", .string(agent)),
            ("browser", .object([
                ("name", .string(agent.contains("Chrome") ? "Chrome" : "Safari")), ("family", .string("Browser")),
                ("type", .string("Browser")),
            ])),
            ("location", .object([("country", .string(country)), ("state", .string(state)), ("city", .string(city))])),
        ]
        if random.chance(0.45) {
            let opened = delivered + random.int64(60_000...(3 * HubSpotTime.dayMs))
            out.append(event("OPEN", opened, engagement + [("duration", .number(String(random.int(800...40_000))))]))
            campaign.counters["open", default: 0] += 1
            if random.chance(0.3) {
                let url = "https://www.sandbox.example/\(campaign.name.lowercased().filter { $0.isLetter })"
                out.append(event("CLICK", opened + random.int64(5_000...3_600_000), engagement + [("url", .string(url))]))
                campaign.counters["click", default: 0] += 1
            }
        }
        if random.chance(0.03) {
            out.append(
                event("STATUSCHANGE", delivered + random.int64(60_000...(5 * HubSpotTime.dayMs)), [
                    ("source", .string("SOURCE_RECIPIENT")), ("requestedBy", .string(recipient)),
                    ("portalSubscriptionStatus", .string("UNSUBSCRIBED")),
                    ("subscriptions", .array([.object([("id", .number("4981334")), ("status", .string("UNSUBSCRIBED"))])])),
                ]))
            campaign.counters["unsubscribed", default: 0] += 1
        }
        return out
    }
}
