import SyncHubCore

/// Which properties a read returns: a sorted, de-duplicated list of names, interned so that a record can cache
/// its JSON for the projection it was last read with.
struct HubSpotProjection: Sendable {
    var key: Int
    var names: [String]
}

/// Everything the simulation holds. Lives behind one lock in ``HubSpotSimulator``.
struct HubSpotStore: Sendable {
    var tables: [HubSpotTable] = HubSpotObjectType.allCases.map { HubSpotTable(type: $0) }
    var catalogs: [HubSpotPropertyCatalog] = HubSpotObjectType.allCases.map { HubSpotPropertyCatalog.standard(for: $0) }
    var associations = HubSpotAssociations()
    var email = HubSpotEmailLog()
    var forms: [HubSpotForm] = []
    var marketingEvents: [HubSpotMarketingEvent] = []
    /// The next participation (attendance-state record) id.
    var nextParticipationID: Int64 = 700_000_001
    private var nextIDs: [Int64] = HubSpotObjectType.allCases.map(\.firstID)
    private var projectionKeys: [[String]: Int] = [:]

    subscript(type: HubSpotObjectType) -> HubSpotTable {
        _read { yield tables[type.rawValue] }
        _modify { yield &tables[type.rawValue] }
    }

    func catalog(_ type: HubSpotObjectType) -> HubSpotPropertyCatalog { catalogs[type.rawValue] }

    mutating func takeID(_ type: HubSpotObjectType) -> Int64 {
        defer { nextIDs[type.rawValue] += 1 }
        return nextIDs[type.rawValue]
    }

    // MARK: - Projections

    /// The projection for a request's `properties` (nil or empty: the type's defaults). Names not defined for
    /// the type are dropped, as HubSpot ignores them.
    mutating func projection(_ type: HubSpotObjectType, requested: [String]?) -> HubSpotProjection {
        let catalog = catalogs[type.rawValue]
        var names = Set(type.alwaysReturned)
        let asked = (requested ?? []).filter { !$0.isEmpty }
        for name in asked.isEmpty ? type.defaultProperties : asked where catalog.contains(name) { names.insert(name) }
        let sorted = names.sorted()
        let lookupKey = [type.pathName] + sorted
        if let key = projectionKeys[lookupKey] { return HubSpotProjection(key: key, names: sorted) }
        let key = projectionKeys.count
        projectionKeys[lookupKey] = key
        return HubSpotProjection(key: key, names: sorted)
    }

    // MARK: - Serialization

    /// Appends the record at `position` as HubSpot's `SimplePublicObject` JSON, reusing the cached bytes when the
    /// record was last read with the same projection.
    mutating func appendRecord(
        _ type: HubSpotObjectType, at position: Int, projection: HubSpotProjection, to out: inout [UInt8]
    ) {
        if tables[type.rawValue][position].cachedProjection == projection.key {
            out.append(contentsOf: tables[type.rawValue][position].cachedJSON)
            return
        }
        var json: [UInt8] = []
        json.reserveCapacity(64 + projection.names.count * 40)
        Self.encode(tables[type.rawValue][position], projection: projection.names, to: &json)
        out.append(contentsOf: json)
        tables[type.rawValue][position].cachedProjection = projection.key
        tables[type.rawValue][position].cachedJSON = json
    }

    static func encode(_ record: HubSpotRecord, projection names: [String], to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        HubSpotJSON.appendString(record.idText, to: &out)
        out.append(contentsOf: #","properties":{"#.utf8)
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            HubSpotJSON.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            if let value = record.values[name] {
                HubSpotJSON.appendString(value, to: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        }
        out.append(contentsOf: #"},"createdAt":"#.utf8)
        HubSpotJSON.appendString(HubSpotTime.iso(record.createdMs), to: &out)
        out.append(contentsOf: #","updatedAt":"#.utf8)
        HubSpotJSON.appendString(HubSpotTime.iso(record.archivedMs ?? record.modifiedMs), to: &out)
        if let archivedMs = record.archivedMs {
            out.append(contentsOf: #","archived":true,"archivedAt":"#.utf8)
            HubSpotJSON.appendString(HubSpotTime.iso(archivedMs), to: &out)
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(contentsOf: #","archived":false}"#.utf8)
        }
    }

    /// Appends the v3 `associations` member for a list or read with `associations=…`: the closing brace of the
    /// record must not be written yet.
    func appendAssociations(
        _ type: HubSpotObjectType, id: Int64, to targets: [HubSpotObjectType], out: inout [UInt8]
    ) {
        var members: [(String, JSONValue)] = []
        for target in targets {
            let linked = associations.targets(of: id, type, to: target)
            if linked.isEmpty { continue }
            var results: [JSONValue] = []
            for peer in linked {
                for spec in HubSpotAssociationType.types(from: type, to: target)
                where !spec.primaryOnly || associations.isPrimary(id, type, target: peer, target) {
                    results.append(.object([("id", .string(String(peer))), ("type", .string(spec.name))]))
                }
            }
            members.append((target.pathName, .object([("results", .array(results))])))
        }
        if members.isEmpty { return }
        out.append(contentsOf: #","associations":"#.utf8)
        HubSpotJSON.write(JSONValue.object(members), to: &out)
    }

    // MARK: - Mutations

    /// Creates a record with `values`, created at `ms` and modified at `modifiedMs` (default: `ms`).
    @discardableResult
    mutating func create(
        _ type: HubSpotObjectType, values: [String: String], at ms: Int64, modifiedMs: Int64? = nil
    ) -> Int {
        let id = takeID(type)
        var values = values
        if type == .contacts, let email = values["email"], let at = email.lastIndex(of: "@") {
            values["hs_email_domain"] = String(email[email.index(after: at)...]).lowercased()
        }
        tables[type.rawValue].insert(
            HubSpotRecord(id: id, values: values, createdMs: ms, modifiedMs: max(ms, modifiedMs ?? ms), type: type))
        return tables[type.rawValue].count - 1
    }

    /// Creates many records at once (see ``HubSpotTable/append(contentsOf:)``); returns their ids in order.
    @discardableResult
    mutating func createAll(_ type: HubSpotObjectType, _ drafts: [(values: [String: String], created: Int64, modified: Int64)]) -> [Int64] {
        var records: [HubSpotRecord] = []
        records.reserveCapacity(drafts.count)
        for draft in drafts {
            records.append(
                HubSpotRecord(
                    id: takeID(type), values: draft.values, createdMs: draft.created,
                    modifiedMs: max(draft.created, draft.modified), type: type))
        }
        tables[type.rawValue].append(contentsOf: records)
        return records.map(\.id)
    }

    /// Writes `values` (empty strings clear) and bumps the modification time to `ms`.
    ///
    /// As in HubSpot, `lifecyclestage` only moves forward (in the order of its options): a value earlier than the
    /// current one is not written; clearing it first (an empty value) and then setting it moves it back (HubSpot's
    /// lifecycle-stage help pages). The API's exact answer to a backward move is a guess: the simulation answers 200
    /// and keeps the old value.
    mutating func update(_ type: HubSpotObjectType, at position: Int, values: [String: String], at ms: Int64) {
        for (name, value) in values {
            if name == "lifecyclestage", isBackward(type, from: tables[type.rawValue][position].values[name], to: value) {
                continue
            }
            tables[type.rawValue].setValue(value, for: name, at: position)
            if type == .contacts, name == "email" {
                let domain = value.lastIndex(of: "@").map { String(value[value.index(after: $0)...]).lowercased() }
                tables[type.rawValue].setValue(domain, for: "hs_email_domain", at: position)
            }
        }
        tables[type.rawValue].setModified(position, to: max(ms, tables[type.rawValue][position].modifiedMs))
    }

    /// Whether setting `lifecyclestage` from `current` to `value` moves it to an earlier stage.
    func isBackward(_ type: HubSpotObjectType, from current: String?, to value: String) -> Bool {
        guard let current, !current.isEmpty, !value.isEmpty, let options = catalog(type)["lifecyclestage"]?.options else {
            return false
        }
        guard let from = options.firstIndex(where: { $0.value == current }),
            let to = options.firstIndex(where: { $0.value == value })
        else { return false }
        return to < from
    }

    /// Merges `absorbed` into `primary` the way HubSpot merges contacts and companies today: a new record with a
    /// new id replaces both, taking the primary's current values (the secondary's fill gaps), both old ids resolve
    /// to it, and `hs_merged_object_ids` lists every id merged into it. Returns the new record's position.
    mutating func merge(
        _ type: HubSpotObjectType, primary: Int, absorbed: Int, at ms: Int64
    ) -> Int {
        let first = tables[type.rawValue][primary]
        let second = tables[type.rawValue][absorbed]
        var values = second.values
        for (name, value) in first.values { values[name] = value }
        var merged: [String] = []
        for record in [first, second] {
            if let earlier = record.values["hs_merged_object_ids"] {
                merged.append(contentsOf: earlier.split(separator: ";").map(String.init))
            }
            merged.append(record.idText)
        }
        values["hs_merged_object_ids"] = merged.joined(separator: ";")
        if type == .contacts, let secondEmail = second.values["email"], secondEmail != first.values["email"] {
            let extra = [values["hs_additional_emails"], secondEmail].compactMap { $0 }.filter { !$0.isEmpty }
            values["hs_additional_emails"] = extra.joined(separator: ";")
        }
        let id = takeID(type)
        var record = HubSpotRecord(
            id: id, values: values, createdMs: min(first.createdMs, second.createdMs), modifiedMs: ms, type: type)
        record.values[type.createdProperty] = HubSpotTime.iso(record.createdMs)
        tables[type.rawValue].retire(primary, mergedInto: id)
        tables[type.rawValue].retire(absorbed, mergedInto: id)
        tables[type.rawValue].insert(record)
        associations.merge([first.id, second.id], into: id, type)
        if type == .contacts, let company = associations.targets(of: id, .contacts, to: .companies).first(where: {
            associations.isPrimary(id, .contacts, target: $0, .companies)
        }) {
            tables[type.rawValue].setValue(String(company), for: "associatedcompanyid", at: tables[type.rawValue].count - 1)
        }
        return tables[type.rawValue].count - 1
    }
}
