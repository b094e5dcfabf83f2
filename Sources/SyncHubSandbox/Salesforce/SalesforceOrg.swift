/// One record: its values in field order, and those values pre-encoded as JSON fragments (one contiguous buffer
/// with offsets), so serving a query batch is copying bytes.
struct SFRow: Sendable {
    var values: [SFValue]
    var json: [UInt8] = []
    var offsets: [Int32] = []

    init(values: [SFValue], object: SFObject) {
        self.values = values
        encode(object)
    }

    /// A record not encoded yet: call ``encode(_:)`` before serving it.
    init(unencoded values: [SFValue]) { self.values = values }

    var id: String { values[0].stringValue ?? "" }

    mutating func encode(_ object: SFObject) {
        json.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        json.reserveCapacity(values.count * 16)
        offsets.reserveCapacity(values.count + 1)
        for (index, value) in values.enumerated() {
            offsets.append(Int32(json.count))
            value.appendJSON(to: &json, type: object.fields[index].type)
        }
        offsets.append(Int32(json.count))
    }

    /// The JSON fragment of field `index`.
    func fragment(_ index: Int) -> ArraySlice<UInt8> { json[Int(offsets[index])..<Int(offsets[index + 1])] }

    func isDeleted(_ object: SFObject) -> Bool {
        guard let index = object.isDeletedIndex, case .bool(let deleted) = values[index] else { return false }
        return deleted
    }

    func modstamp(_ object: SFObject) -> Int64 { values[object.systemModstampIndex].dateTimeValue ?? 0 }
}

/// All records of one object, in id (creation) order, with an index ordered by (SystemModstamp, Id).
struct SFTable: Sendable {
    let object: SFObject
    var rows: [SFRow] = []
    /// Slots ordered by (SystemModstamp, slot); slot order is id order.
    var byModstamp: [Int32] = []

    init(object: SFObject) { self.object = object }

    var nextID: String { SalesforceID.make(prefix: object.keyPrefix, counter: rows.count + 1) }

    /// The slot of a canonical 18-character id of this object, or `nil`.
    func slot(of id: String) -> Int? {
        guard id.hasPrefix(object.keyPrefix), let counter = SalesforceID.counter(of: id), counter >= 1,
            counter <= rows.count, rows[counter - 1].id == id
        else { return nil }
        return counter - 1
    }

    func modstamp(_ slot: Int32) -> Int64 { rows[Int(slot)].modstamp(object) }

    /// The first position in ``byModstamp`` whose (stamp, slot) is not below the given key.
    func lowerBound(stamp: Int64, slot: Int32) -> Int {
        var low = 0
        var high = byModstamp.count
        while low < high {
            let mid = (low + high) / 2
            let s = byModstamp[mid]
            let m = modstamp(s)
            if m < stamp || (m == stamp && s < slot) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Appends a record whose id must be ``nextID``.
    @discardableResult
    mutating func append(_ values: [SFValue]) -> Int {
        let row = SFRow(values: values, object: object)
        rows.append(row)
        let slot = Int32(rows.count - 1)
        byModstamp.insert(slot, at: lowerBound(stamp: row.modstamp(object), slot: slot))
        return Int(slot)
    }

    mutating func rebuildIndex() {
        byModstamp = (0..<Int32(rows.count)).map { $0 }
        let stamps = rows.map { $0.modstamp(object) }
        byModstamp.sort { stamps[Int($0)] != stamps[Int($1)] ? stamps[Int($0)] < stamps[Int($1)] : $0 < $1 }
    }

    /// Replaces a record's values, re-encodes it and moves it in the modstamp index.
    mutating func replace(slot: Int, values: [SFValue]) {
        let oldStamp = rows[slot].modstamp(object)
        let oldPosition = lowerBound(stamp: oldStamp, slot: Int32(slot))
        rows[slot].values = values
        rows[slot].encode(object)
        let newStamp = rows[slot].modstamp(object)
        guard newStamp != oldStamp else { return }
        if oldPosition < byModstamp.count, byModstamp[oldPosition] == Int32(slot) {
            byModstamp.remove(at: oldPosition)
        } else if let position = byModstamp.firstIndex(of: Int32(slot)) {
            byModstamp.remove(at: position)
        }
        byModstamp.insert(Int32(slot), at: lowerBound(stamp: newStamp, slot: Int32(slot)))
    }
}

/// The whole simulated org: one table per object. A value: copying it is cheap (copy on write), so an open query
/// cursor keeps the org as it was when the query ran.
struct SFOrg: Sendable {
    var tables: [SFTable]
    let orgID: String
    /// The user API calls act as (`LastModifiedById` of API writes).
    var apiUserID: String

    init() {
        tables = SFObjectKind.allCases.map { SFTable(object: SalesforceSchema.object($0)) }
        orgID = SalesforceID.make(prefix: "00D", counter: 1)
        apiUserID = ""
    }

    subscript(kind: SFObjectKind) -> SFTable {
        get { tables[kind.rawValue] }
        _modify { yield &tables[kind.rawValue] }
    }

    /// The table and slot of a canonical id.
    func locate(_ id: String) -> (kind: SFObjectKind, slot: Int)? {
        guard let object = SalesforceSchema.object(withPrefix: id.prefix(3)),
            let slot = tables[object.kind.rawValue].slot(of: id)
        else { return nil }
        return (object.kind, slot)
    }

    func row(_ kind: SFObjectKind, id: String) -> SFRow? {
        guard let slot = self[kind].slot(of: id) else { return nil }
        return self[kind].rows[slot]
    }

    // MARK: Writes

    /// Sets fields of one record, recomputes derived fields, stamps the audit fields with `now`.
    mutating func update(_ kind: SFObjectKind, slot: Int, changes: [(Int, SFValue)], now: Int64, by user: String? = nil)
    {
        let object = SalesforceSchema.object(kind)
        var values = self[kind].rows[slot].values
        var touched = Set<Int>()
        for (index, value) in changes {
            values[index] = value
            touched.insert(index)
        }
        Self.derive(object, &values, touched: touched, now: now)
        values[object.lastModifiedDateIndex] = .dateTime(now)
        values[object.lastModifiedByIndex] = .string(user ?? apiUserID)
        values[object.systemModstampIndex] = .dateTime(now)
        self[kind].replace(slot: slot, values: values)
    }

    /// Recomputes read-only fields that follow from others: `Name`, `IsClosed`/`IsWon`, `HasResponded`.
    static func derive(_ object: SFObject, _ values: inout [SFValue], touched: Set<Int>, now: Int64) {
        func index(_ name: String) -> Int { object.field(named: name)! }
        switch object.kind {
        case .contact, .lead, .user:
            let first = values[index("FirstName")].stringValue
            let last = values[index("LastName")].stringValue ?? ""
            values[index("Name")] = .string(
                [first, last].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "))
        case .opportunity:
            let stageIndex = index("StageName")
            guard touched.contains(stageIndex), let stageName = values[stageIndex].stringValue else { return }
            let stage = SalesforceSchema.stages.first { $0.name == stageName }
            values[index("IsClosed")] = .bool(stage?.closed ?? false)
            values[index("IsWon")] = .bool(stage?.won ?? false)
            if let stage, !touched.contains(index("Probability")) {
                values[index("Probability")] = .number(stage.probability)
            }
        case .task:
            let status = values[index("Status")].stringValue ?? ""
            let closed = SFGenerator.closedTaskStatuses.contains(status)
            if closed, values[index("IsClosed")] != .bool(true) { values[index("CompletedDateTime")] = .dateTime(now / 1000 * 1000) }
            if !closed { values[index("CompletedDateTime")] = .null }
            values[index("IsClosed")] = .bool(closed)
        case .campaignMember:
            let statusIndex = index("Status")
            guard touched.contains(statusIndex) else { return }
            let responded = SFGenerator.respondedStatuses.contains(values[statusIndex].stringValue ?? "")
            if responded, values[index("HasResponded")] == .bool(false) {
                values[index("FirstRespondedDate")] = .date(SFTime.day(ofMilliseconds: now))
            }
            if responded { values[index("HasResponded")] = .bool(true) }
        default:
            break
        }
    }

    /// Changes one field of each live record (as a user or an automation would) and bumps its modstamp.
    mutating func touch(_ kind: SFObjectKind, ids: [String], now: Int64) -> [String] {
        let object = SalesforceSchema.object(kind)
        var done: [String] = []
        for id in ids {
            guard let canonical = SalesforceID.canonical(id), let slot = self[kind].slot(of: canonical),
                !self[kind].rows[slot].isDeleted(object)
            else { continue }
            let values = self[kind].rows[slot].values
            var changes: [(Int, SFValue)] = []
            func bump(_ name: String, by step: Double) {
                let i = object.field(named: name)!
                if case .number(let n) = values[i] {
                    changes.append((i, .number(n + step)))
                } else {
                    changes.append((i, .number(step)))
                }
            }
            switch kind {
            case .contact, .lead:
                let i = object.field(named: "Phone")!
                let phone = values[i].stringValue ?? "+1 555 0100"
                let last = phone.last.flatMap { $0.wholeNumberValue } ?? 0
                changes.append((i, .string(String(phone.dropLast()) + String((last + 1) % 10))))
            case .account: bump("NumberOfEmployees", by: 1)
            case .opportunity: bump("Amount", by: 100)
            case .campaign: bump("ActualCost", by: 10)
            case .opportunityContactRole:
                let i = object.field(named: "Role")!
                let roles = SFGenerator.roles
                let next = roles[((roles.firstIndex(of: values[i].stringValue ?? "") ?? -1) + 1) % roles.count]
                changes.append((i, .string(next)))
            case .campaignMember:
                changes.append((object.field(named: "Status")!, .string("Responded")))
            case .user:
                let i = object.field(named: "Title")!
                changes.append((i, .string((values[i].stringValue ?? "Rep") + "+")))
            case .task:
                let i = object.field(named: "Status")!
                let statuses = SFGenerator.taskStatuses
                let next = statuses[((statuses.firstIndex(of: values[i].stringValue ?? "") ?? -1) + 1) % statuses.count]
                changes.append((i, .string(next)))
            case .event: bump("DurationInMinutes", by: 15)
            }
            update(kind, slot: slot, changes: changes, now: now)
            done.append(canonical)
        }
        return done
    }

    /// Which reference fields of which objects point at `kind`, and whether deleting the parent deletes the child.
    static func children(of kind: SFObjectKind) -> [(kind: SFObjectKind, field: String, cascade: Bool)] {
        switch kind {
        case .account:
            [(.contact, "AccountId", true), (.opportunity, "AccountId", true), (.task, "WhatId", true), (.event, "WhatId", true)]
        case .contact:
            [(.opportunityContactRole, "ContactId", true), (.campaignMember, "ContactId", true), (.task, "WhoId", true),
             (.event, "WhoId", true)]
        case .lead: [(.campaignMember, "LeadId", true), (.task, "WhoId", true), (.event, "WhoId", true)]
        case .opportunity: [(.opportunityContactRole, "OpportunityId", true), (.task, "WhatId", true), (.event, "WhatId", true)]
        case .campaign: [(.campaignMember, "CampaignId", true)]
        default: []
        }
    }

    /// Moves live records to the recycle bin (`IsDeleted = true`, modstamp bumped), cascading as Salesforce does:
    /// an account takes its contacts and opportunities, a contact its contact roles and campaign memberships.
    mutating func delete(_ kind: SFObjectKind, ids: [String], now: Int64) -> [String] {
        var deleted: [String] = []
        var pending: [(SFObjectKind, String)] = ids.compactMap { SalesforceID.canonical($0) }.map { (kind, $0) }
        while !pending.isEmpty {
            var next: [(SFObjectKind, String)] = []
            var byKind: [SFObjectKind: Set<String>] = [:]
            for (k, id) in pending {
                let object = SalesforceSchema.object(k)
                guard let deletedIndex = object.isDeletedIndex, let slot = self[k].slot(of: id),
                    !self[k].rows[slot].isDeleted(object)
                else { continue }
                update(k, slot: slot, changes: [(deletedIndex, .bool(true))], now: now)
                deleted.append(id)
                byKind[k, default: []].insert(id)
            }
            for (k, parentIDs) in byKind {
                for child in Self.children(of: k) {
                    let childObject = SalesforceSchema.object(child.kind)
                    let field = childObject.field(named: child.field)!
                    for row in self[child.kind].rows where !row.isDeleted(childObject) {
                        guard let parent = row.values[field].stringValue, parentIDs.contains(parent) else { continue }
                        // A converted lead's membership also names the contact: it stays with the contact.
                        if child.kind == .campaignMember, child.field == "LeadId",
                            row.values[childObject.field(named: "ContactId")!].stringValue != nil
                        {
                            continue
                        }
                        next.append((child.kind, row.id))
                    }
                }
            }
            pending = next
        }
        return deleted
    }

    /// Merges `loser` into `master` as Salesforce's merge does: the loser goes to the recycle bin with
    /// `MasterRecordId` = master, the master's modstamp moves, the loser's child records move to the master.
    mutating func merge(_ kind: SFObjectKind, loser: String, into master: String, now: Int64) -> Bool {
        let object = SalesforceSchema.object(kind)
        guard object.mergeable, let loserID = SalesforceID.canonical(loser),
            let masterID = SalesforceID.canonical(master),
            loserID != masterID, let loserSlot = self[kind].slot(of: loserID),
            let masterSlot = self[kind].slot(of: masterID), !self[kind].rows[loserSlot].isDeleted(object),
            !self[kind].rows[masterSlot].isDeleted(object), let deletedIndex = object.isDeletedIndex,
            let masterIndex = object.masterRecordIndex
        else { return false }
        for child in Self.children(of: kind) {
            let childObject = SalesforceSchema.object(child.kind)
            let field = childObject.field(named: child.field)!
            for slot in self[child.kind].rows.indices {
                let row = self[child.kind].rows[slot]
                guard row.values[field].stringValue == loserID else { continue }
                update(child.kind, slot: slot, changes: [(field, .string(masterID))], now: now)
            }
        }
        update(kind, slot: masterSlot, changes: [], now: now)
        update(
            kind, slot: loserSlot, changes: [(deletedIndex, .bool(true)), (masterIndex, .string(masterID))], now: now)
        return true
    }
}
