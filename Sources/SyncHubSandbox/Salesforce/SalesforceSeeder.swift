/// Builds the seeded org: two years of history ending at the start of the day `now` falls on (UTC), with converted
/// leads, lead/contact duplicates, won and lost deals, contact roles and campaign memberships, and
/// `SystemModstamp` values that often tie (automation, data loads) so cursors must break ties on `Id`.
enum SFSeeder {
    static func seed(seed: UInt64, people: Int, now: Int64) -> (org: SFOrg, generator: SFGenerator) {
        var g = SFGenerator(seed: seed)
        var org = SFOrg()
        let people = max(0, people)
        let end = SFTime.day(ofMilliseconds: now) * SFTime.msPerDay
        let start = end - 730 * SFTime.msPerDay
        let today = SFTime.day(ofMilliseconds: now)

        func finalize(_ kind: SFObjectKind, _ drafts: [SFDraft]) {
            let sorted = drafts.enumerated().sorted {
                ($0.element.created, $0.offset) < ($1.element.created, $1.offset)
            }
            for (counter, item) in sorted.enumerated() {
                var values = item.element.values
                values[0] = .string(SalesforceID.make(prefix: item.element.object.keyPrefix, counter: counter + 1))
                org[kind].rows.append(SFRow(unencoded: values))  // encoded once its stamps are final
            }
        }
        func randomTime(_ from: Int64, _ to: Int64) -> Int64 { g.int64(from..<max(from + 1, to)) }

        // Users: the integration user API writes act as, and five owners.
        var users = [g.user(created: start - 60 * SFTime.msPerDay, first: "Integration", last: "User", title: "API")]
        for (first, last) in [
            ("Dana", "Reyes"), ("Omar", "Farouk"), ("Lena", "Vogel"), ("Ravi", "Menon"), ("Kate", "Olsen"),
        ] {
            users.append(
                g.user(created: start - 59 * SFTime.msPerDay, first: first, last: last, title: "Account Executive"))
        }
        finalize(.user, users)
        let userIDs = org[.user].rows.map(\.id)
        org.apiUserID = userIDs[0]
        let userObject = SalesforceSchema.object(.user)
        for slot in org[.user].rows.indices {
            var values = org[.user].rows[slot].values
            values[userObject.createdByIndex] = .string(userIDs[0])
            values[userObject.lastModifiedByIndex] = .string(userIDs[0])
            org[.user].rows[slot] = SFRow(values: values, object: userObject)
        }
        org[.user].rebuildIndex()
        let owners = Array(userIDs.dropFirst())

        // Accounts.
        let accountObject = SalesforceSchema.object(.account)
        finalize(
            .account,
            (0..<max(1, people / 8)).map { _ in
                g.account(created: randomTime(start, end - 30 * SFTime.msPerDay), owner: g.pick(owners))
            })
        let accounts = org[.account].rows

        // Contacts: most belong to an account.
        let contactCount = people - people / 2
        finalize(
            .contact,
            (0..<contactCount).map { _ in
                let account: SFRow? = g.chance(0.95) ? g.pick(accounts) : nil
                let from = account.map { $0.values[accountObject.createdDateIndex].dateTimeValue ?? start } ?? start
                return g.contact(
                    created: randomTime(from, end), owner: g.pick(owners), account: account,
                    accountObject: accountObject)
            })
        let contactObject = SalesforceSchema.object(.contact)
        let contacts = org[.contact].rows
        let accountField = contactObject.field(named: "AccountId")!
        var contactsByAccount: [String: [String]] = [:]
        for contact in contacts {
            if let account = contact.values[accountField].stringValue {
                contactsByAccount[account, default: []].append(contact.id)
            }
        }

        // Campaigns.
        finalize(
            .campaign,
            (0..<max(3, people / 40)).map { _ in
                g.campaign(
                    created: randomTime(start - 60 * SFTime.msPerDay, end - 30 * SFTime.msPerDay),
                    owner: g.pick(owners), today: today)
            })
        let campaigns = org[.campaign].rows
        let campaignObject = SalesforceSchema.object(.campaign)

        // Opportunities, on accounts that have contacts where possible.
        let accountsWithContacts = accounts.filter { contactsByAccount[$0.id] != nil }
        finalize(
            .opportunity,
            (0..<max(1, people / 6)).map { _ in
                let account = g.pick(accountsWithContacts.isEmpty ? accounts : accountsWithContacts)
                let from = account.values[accountObject.createdDateIndex].dateTimeValue ?? start
                let campaign = g.chance(0.3) ? g.pick(campaigns).id : nil
                return g.opportunity(
                    created: randomTime(from, end), owner: g.pick(owners), account: account,
                    accountObject: accountObject,
                    campaign: campaign, end: end)
            })
        let opportunityObject = SalesforceSchema.object(.opportunity)
        let opportunities = org[.opportunity].rows
        var opportunitiesByAccount: [String: [SFRow]] = [:]
        for opportunity in opportunities {
            if let account = opportunity.values[opportunityObject.field(named: "AccountId")!].stringValue {
                opportunitiesByAccount[account, default: []].append(opportunity)
            }
        }

        // Contact roles: one to three contacts of the deal's account, the first primary.
        var roles: [SFDraft] = []
        for opportunity in opportunities {
            guard let account = opportunity.values[opportunityObject.field(named: "AccountId")!].stringValue,
                var candidates = contactsByAccount[account]
            else { continue }
            let created = opportunity.values[opportunityObject.createdDateIndex].dateTimeValue ?? start
            for index in 0..<min(candidates.count, g.int(1...3)) {
                let contact = candidates.remove(at: g.int(0...(candidates.count - 1)))
                roles.append(
                    g.contactRole(
                        created: min(end - 1000, created + g.int64(0..<7 * SFTime.msPerDay)),
                        opportunity: opportunity.id,
                        contact: contact, primary: index == 0, owner: g.pick(owners)))
            }
        }
        finalize(.opportunityContactRole, roles)

        // Leads: a quarter converted into contacts that have accounts; some duplicate a contact or another lead.
        let leadObject = SalesforceSchema.object(.lead)
        let leadCount = people / 2
        var convertible = contacts.filter { $0.values[accountField].stringValue != nil }
        var leads: [SFDraft] = []
        for index in 0..<leadCount {
            if index % 4 == 0, !convertible.isEmpty {
                let contact = convertible.remove(at: g.int(0...(convertible.count - 1)))
                let converted = contact.values[contactObject.createdDateIndex].dateTimeValue ?? start
                var lead = g.lead(
                    created: max(
                        start - 60 * SFTime.msPerDay, converted - g.int64(SFTime.msPerDay..<60 * SFTime.msPerDay)),
                    owner: g.pick(owners))
                for name in ["FirstName", "LastName", "Name", "Email", "Title", "Phone"] {
                    lead[name] = contact.values[contactObject.field(named: name)!]
                }
                let account = contact.values[accountField].stringValue!
                if let accountRow = org.row(.account, id: account) {
                    lead["Company"] = accountRow.values[accountObject.field(named: "Name")!]
                }
                lead["Status"] = .string("Closed - Converted")
                lead["IsConverted"] = .bool(true)
                lead["ConvertedDate"] = .date(SFTime.day(ofMilliseconds: converted))
                lead["ConvertedContactId"] = .string(contact.id)
                lead["ConvertedAccountId"] = .string(account)
                if g.chance(0.5),
                    let deal = opportunitiesByAccount[account]?.first(where: {
                        ($0.values[opportunityObject.createdDateIndex].dateTimeValue ?? 0) >= converted
                    })
                {
                    lead["ConvertedOpportunityId"] = .string(deal.id)
                }
                lead.stamp(created: lead.created, modified: converted, stamp: converted, by: g.pick(owners))
                leads.append(lead)
            } else {
                var lead = g.lead(created: randomTime(start, end), owner: g.pick(owners))
                if g.chance(0.05), !contacts.isEmpty {
                    lead["Email"] = g.pick(contacts).values[contactObject.field(named: "Email")!]
                } else if g.chance(0.03), let earlier = leads.last(where: { $0["Email"].stringValue != nil }) {
                    lead["Email"] = .string(earlier["Email"].stringValue!.uppercased())
                }
                leads.append(lead)
            }
        }
        finalize(.lead, leads)
        let leadRows = org[.lead].rows

        // Campaign members: unique (campaign, person); a converted lead's membership also names its contact.
        let memberTarget = people * 3 / 2
        var seen = Set<String>()
        var members: [SFDraft] = []
        var attempts = 0
        while members.count < memberTarget, attempts < memberTarget * 3, !campaigns.isEmpty {
            attempts += 1
            let campaign = g.pick(campaigns)
            let useLead = g.chance(0.55) ? !leadRows.isEmpty : contacts.isEmpty
            guard useLead || !contacts.isEmpty else { break }
            let person = useLead ? g.pick(leadRows) : g.pick(contacts)
            guard seen.insert("\(campaign.id)|\(person.id)").inserted else { continue }
            let personObject = useLead ? leadObject : contactObject
            let from = max(
                campaign.values[campaignObject.createdDateIndex].dateTimeValue ?? start,
                person.values[personObject.createdDateIndex].dateTimeValue ?? start)
            var created = from + g.int64(0..<30 * SFTime.msPerDay)
            if created >= end { created = end - g.int64(1000..<3_600_000) }
            let contact: String? =
                useLead ? person.values[leadObject.field(named: "ConvertedContactId")!].stringValue : person.id
            members.append(
                g.campaignMember(
                    created: created, campaign: campaign.id,
                    campaignType: campaign.values[campaignObject.field(named: "Type")!].stringValue ?? "Email",
                    lead: useLead ? person.id : nil, contact: contact, owner: g.pick(owners)))
        }
        finalize(.campaignMember, members)

        // Later edits, automation, ties and data loads.
        for kind in SFObjectKind.allCases where kind != .user {
            spreadModifications(&org[kind], generator: &g, start: start, end: end, integrationUser: org.apiUserID)
        }

        // Activities, from their own sequence so that adding them changed none of the records above.
        var a = SFGenerator(seed: seed ^ 0xAC71_7173)
        var tasks: [SFDraft] = []
        var events: [SFDraft] = []
        let ownerField = contactObject.field(named: "OwnerId")!
        var opportunitiesOfAccount: [String: [String]] = [:]
        for (account, rows) in opportunitiesByAccount { opportunitiesOfAccount[account] = rows.map(\.id) }
        for (kind, rows) in [(SFObjectKind.lead, org[.lead].rows), (.contact, org[.contact].rows)] {
            let object = SalesforceSchema.object(kind)
            for person in rows {
                // About a quarter of the people are never followed up.
                guard a.chance(0.72) else { continue }
                let created = person.values[object.createdDateIndex].dateTimeValue ?? start
                let owner = person.values[kind == .lead ? leadObject.field(named: "OwnerId")! : ownerField].stringValue ?? owners[0]
                let account = kind == .contact ? person.values[accountField].stringValue : nil
                var time: Int64
                switch a.int(0...9) {
                case 0...3: time = created + a.int64(120_000..<3_600_000)
                case 4...6: time = created + a.int64(3_600_000..<24 * 3_600_000)
                default: time = created + a.int64(24 * 3_600_000..<12 * SFTime.msPerDay)
                }
                for _ in 0..<a.int(1...4) {
                    guard time < end - 60_000 else { break }
                    var what: String? = account
                    if let account, let deals = opportunitiesOfAccount[account], a.chance(0.35) { what = a.pick(deals) }
                    if a.chance(0.2) {
                        events.append(a.activity(.event, at: time, created: max(created, time - a.int64(0..<2 * SFTime.msPerDay)), who: person.id, what: what, account: account, owner: owner))
                    } else {
                        // The last one is sometimes a to-do still open, due later.
                        let open = a.chance(0.12)
                        let due = open ? time + a.int64(SFTime.msPerDay..<6 * SFTime.msPerDay) : time
                        tasks.append(a.activity(.task, at: due, created: time, who: person.id, what: what, account: account, owner: owner, open: open))
                        if open { break }
                    }
                    time += a.int64(6 * 3_600_000..<15 * SFTime.msPerDay)
                }
            }
        }
        finalize(.task, tasks)
        finalize(.event, events)
        for kind in [SFObjectKind.task, .event] {
            spreadModifications(&org[kind], generator: &a, start: start, end: end, integrationUser: org.apiUserID)
        }
        return (org, g)
    }

    /// Moves `LastModifiedDate`/`SystemModstamp` forward: ordinary later edits, automation that touches only
    /// `SystemModstamp`, runs of records sharing one second, and two bulk loads stamping many records at one instant
    /// (at 3,000 people, the larger load stamps more contacts than the smallest query batch, 200).
    static func spreadModifications(
        _ table: inout SFTable, generator g: inout SFGenerator, start: Int64, end: Int64, integrationUser: String
    ) {
        let object = table.object
        let lm = object.lastModifiedDateIndex
        let sm = object.systemModstampIndex
        var values = table.rows.map(\.values)
        let span = end - start
        // Bulk loads: a tenth, then three tenths, of the records that exist at an instant get stamped in that one
        // second; for them the load stays their last change.
        var loaded = Set<Int>()
        if values.count >= 50 {
            for (share, window) in [(0.1, (30, 60)), (0.3, (70, 95))] {
                let instant =
                    (start + g.int64(span * Int64(window.0) / 100..<span * Int64(window.1) / 100)) / 1000 * 1000
                var eligible = values.indices.filter {
                    !loaded.contains($0) && (values[$0][object.createdDateIndex].dateTimeValue ?? 0) <= instant
                        && (values[$0][sm].dateTimeValue ?? 0) <= instant
                }
                for _ in 0..<Int(Double(eligible.count) * share) {
                    let i = eligible.remove(at: g.int(0...(eligible.count - 1)))
                    values[i][lm] = .dateTime(instant)
                    values[i][sm] = .dateTime(instant)
                    values[i][object.lastModifiedByIndex] = .string(integrationUser)
                    loaded.insert(i)
                }
            }
        }
        // Later edits, and automation that moves only SystemModstamp.
        for i in values.indices where !loaded.contains(i) {
            let created = values[i][object.createdDateIndex].dateTimeValue ?? start
            var modified = values[i][lm].dateTimeValue ?? created
            if g.chance(0.6) { modified = max(modified, created + g.int64(0..<max(1, end - created))) }
            var stamp = max(modified, values[i][sm].dateTimeValue ?? modified)
            if g.chance(0.15) { stamp = min(end - 1000, stamp + g.int64(0..<30 * SFTime.msPerDay)) }
            values[i][lm] = .dateTime(modified / 1000 * 1000)
            values[i][sm] = .dateTime(max(modified, stamp) / 1000 * 1000)
        }
        // Runs of ties: some records take the stamp of the next one in stamp order.
        let order = values.indices.sorted { (values[$0][sm].dateTimeValue!, $0) < (values[$1][sm].dateTimeValue!, $1) }
        if order.count > 1 {
            for position in stride(from: order.count - 2, through: 0, by: -1) where g.chance(0.3) {
                values[order[position]][sm] = values[order[position + 1]][sm]
            }
        }
        table.rows = values.map { SFRow(values: $0, object: object) }
        table.rebuildIndex()
    }
}
