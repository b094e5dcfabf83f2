/// One CRM record: its property values (all strings, as HubSpot stores them) and its lifecycle.
struct HubSpotRecord: Sendable {
    let id: Int64
    let idText: String
    /// Property values by name; `createdate`, `hs_object_id` and the modified-date property are kept in step
    /// with the fields below.
    var values: [String: String]
    var createdMs: Int64
    var modifiedMs: Int64
    var archivedMs: Int64?
    /// Set when the record was merged away: the id of the record that replaced it.
    var mergedInto: Int64?

    /// The last JSON this record was serialized to, and for which projection (see ``HubSpotStore``).
    var cachedProjection = -1
    var cachedJSON: [UInt8] = []

    init(id: Int64, values: [String: String], createdMs: Int64, modifiedMs: Int64, type: HubSpotObjectType) {
        self.id = id
        self.idText = String(id)
        self.values = values
        self.createdMs = createdMs
        self.modifiedMs = modifiedMs
        self.values["hs_object_id"] = idText
        self.values[type.createdProperty] = HubSpotTime.iso(createdMs)
        self.values[type.modifiedProperty] = HubSpotTime.iso(modifiedMs)
    }

    /// Present in reads, lists and searches (not archived, not merged away).
    var isLive: Bool { archivedMs == nil && mergedInto == nil }

    mutating func invalidate() {
        cachedProjection = -1
        cachedJSON = []
    }
}

/// The records of one object type: in id order, with an index in modification order for searches.
struct HubSpotTable: Sendable {
    let type: HubSpotObjectType
    /// Ascending ids: new records always get a larger id than any before.
    private(set) var records: [HubSpotRecord] = []
    private var positions: [Int64: Int] = [:]
    /// Positions of live records sorted by (modifiedMs, id).
    private(set) var modifiedOrder: [Int] = []
    /// Merged-away id → id of the record that replaced it.
    private(set) var aliases: [Int64: Int64] = [:]
    /// Lower-cased email → position, live contacts only.
    private var emails: [String: Int] = [:]

    init(type: HubSpotObjectType) { self.type = type }

    var count: Int { records.count }
    var liveCount: Int { modifiedOrder.count }

    subscript(position: Int) -> HubSpotRecord {
        _read { yield records[position] }
        _modify { yield &records[position] }
    }

    /// Position of the record with `id`, following merges when `followMerges` is set.
    func position(of id: Int64, followMerges: Bool = true) -> Int? {
        var current = id
        if followMerges {
            var hops = 0
            while let next = aliases[current], hops < 64 {
                current = next
                hops += 1
            }
        }
        return positions[current]
    }

    func position(ofText text: some StringProtocol, followMerges: Bool = true) -> Int? {
        Int64(text).flatMap { position(of: $0, followMerges: followMerges) }
    }

    func position(ofEmail email: String) -> Int? { emails[email.lowercased()] }

    /// Position of the first record whose id is at least `id`.
    func firstPosition(atLeast id: Int64) -> Int {
        var low = 0
        var high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low
    }

    mutating func insert(_ record: HubSpotRecord) {
        precondition(records.last.map { $0.id < record.id } ?? true, "ids must grow")
        let position = records.count
        records.append(record)
        positions[record.id] = position
        if record.isLive {
            insertInModifiedOrder(position)
            indexEmail(of: position)
        }
    }

    /// Appends records with growing ids (larger than any before) and sorts the modification order once: for seeding
    /// many records, where inserting each in order would be quadratic.
    mutating func append(contentsOf new: [HubSpotRecord]) {
        for record in new {
            precondition(records.last.map { $0.id < record.id } ?? true, "ids must grow")
            positions[record.id] = records.count
            records.append(record)
            if record.isLive { indexEmail(of: records.count - 1) }
        }
        var order = records.indices.filter { records[$0].isLive }
        order.sort { modifiedKey($0) < modifiedKey($1) }
        modifiedOrder = order
    }

    /// Sets the modification time of a live record and moves it in the modification order.
    mutating func setModified(_ position: Int, to ms: Int64) {
        let live = records[position].isLive
        if live { removeFromModifiedOrder(position) }
        records[position].modifiedMs = ms
        records[position].values[type.modifiedProperty] = HubSpotTime.iso(ms)
        records[position].invalidate()
        if live { insertInModifiedOrder(position) }
    }

    /// Sets (or with `nil` clears) a property value; the email index follows `email`.
    mutating func setValue(_ value: String?, for name: String, at position: Int) {
        if name == "email", records[position].isLive { unindexEmail(of: position) }
        if let value, !value.isEmpty {
            records[position].values[name] = value
        } else {
            records[position].values[name] = nil
        }
        if name == "email", records[position].isLive { indexEmail(of: position) }
        records[position].invalidate()
    }

    mutating func archive(_ position: Int, at ms: Int64) {
        guard records[position].isLive else { return }
        removeFromModifiedOrder(position)
        unindexEmail(of: position)
        records[position].archivedMs = ms
        records[position].invalidate()
    }

    /// Marks the record at `position` as merged into `survivor`: it leaves every read, and its id resolves to
    /// the survivor from now on.
    mutating func retire(_ position: Int, mergedInto survivor: Int64) {
        if records[position].isLive {
            removeFromModifiedOrder(position)
            unindexEmail(of: position)
        }
        records[position].mergedInto = survivor
        aliases[records[position].id] = survivor
        records[position].invalidate()
    }

    // MARK: - Modification order

    private func modifiedKey(_ position: Int) -> (Int64, Int64) {
        (records[position].modifiedMs, records[position].id)
    }

    /// First index in `modifiedOrder` whose key is not less than `key`.
    func lowerBound(modified ms: Int64, id: Int64 = .min) -> Int {
        var low = 0
        var high = modifiedOrder.count
        while low < high {
            let mid = (low + high) / 2
            if modifiedKey(modifiedOrder[mid]) < (ms, id) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private mutating func insertInModifiedOrder(_ position: Int) {
        let (ms, id) = modifiedKey(position)
        modifiedOrder.insert(position, at: lowerBound(modified: ms, id: id))
    }

    private mutating func removeFromModifiedOrder(_ position: Int) {
        let (ms, id) = modifiedKey(position)
        let index = lowerBound(modified: ms, id: id)
        if index < modifiedOrder.count, modifiedOrder[index] == position {
            modifiedOrder.remove(at: index)
        } else if let index = modifiedOrder.firstIndex(of: position) {
            modifiedOrder.remove(at: index)
        }
    }

    private mutating func indexEmail(of position: Int) {
        guard type == .contacts, let email = records[position].values["email"] else { return }
        emails[email.lowercased()] = position
    }

    private mutating func unindexEmail(of position: Int) {
        guard type == .contacts, let email = records[position].values["email"] else { return }
        if emails[email.lowercased()] == position { emails[email.lowercased()] = nil }
    }
}
