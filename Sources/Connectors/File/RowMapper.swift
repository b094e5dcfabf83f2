import SyncHubCore

/// Why one row was rejected: one sentence naming the column and what to fix, never the value.
struct RowProblem: Error {
    var reason: String
    /// The row's id, when it could be read.
    var externalID: String? = nil
}

/// Turns one row's raw column values into a ``SourceRecord``, or says why it cannot.
struct RowMapper: Sendable {
    /// The connector instance reading the file (converted leads point at its contacts).
    let connector: String
    let objectType: ObjectType
    let defaultKind: String
    /// `sameAs` columns: their slot and the connector instance their ids belong to.
    let sameAs: [(slot: Int, connector: String)]
    let wonStages: Set<String>
    let lostStages: Set<String>

    init(connector: String, stream: FileStreamConfiguration) {
        self.connector = connector
        objectType = stream.objectType
        defaultKind = stream.defaultKind
        sameAs = stream.slots.enumerated().compactMap { index, slot in
            slot.sameAsConnector.map { (index, $0) }
        }
        wonStages = stream.wonStages
        lostStages = stream.lostStages
    }

    /// Maps a row; `values` are indexed by slot (see ``FileStreamConfiguration/slots``), `labels` name each slot's
    /// column for messages. A row naming records the source merged into one (`mergedIDs`: HubSpot's
    /// `hs_merged_object_ids` on the survivor, Marketo's Merge Leads activity) also gives a deletion mark per merged
    /// record, pointing at the survivor; a merge activity gives only those.
    func map(_ values: [String?], labels: [String], payload: [UInt8], location: String) throws(RowProblem) -> [SourceRecord] {
        do throws(RowProblem) {
            let record = try mapRow(values, labels: labels, payload: payload, location: location)
            let row = Row(values: values, labels: labels)
            let merged = row.idList(.mergedIDs)
            guard !merged.isEmpty else { return [record] }
            let survivor: String
            var mergedAt = record.sourceUpdatedAt
            switch record.normalized {
            case .contact: survivor = record.externalID
            case .touch(let touch):
                guard let lead = touch.contactID else { throw row.missing(.contactID, what: "id of the record the others were merged into") }
                survivor = lead
                mergedAt = mergedAt ?? touch.occurredAt
            default: return [record]
            }
            let marks = merged.filter { $0 != survivor }.map { id in
                SourceRecord(
                    objectType: .contact, externalID: id, payload: JSONWriter.object([("id", id), ("mergedInto", survivor)]),
                    sourceUpdatedAt: mergedAt, isDeleted: true, mergedInto: survivor, location: location)
            }
            return record.objectType == .touch ? marks : [record] + marks
        } catch {
            var problem = error
            problem.externalID = objectType == .dealContact ? nil : try? Row(values: values, labels: labels).id()
            throw problem
        }
    }

    private func mapRow(_ values: [String?], labels: [String], payload: [UInt8], location: String) throws(RowProblem) -> SourceRecord {
        let row = Row(values: values, labels: labels)
        let updatedAt = try row.timestamp(.updatedAt)
        let isDeleted = try row.bool(.deleted) ?? false
        let externalID: String
        let normalized: NormalizedRecord
        var mergedInto: String?
        switch objectType {
        case .contact:
            externalID = try row.id()
            var contact = Contact()
            contact.kind = row.text(.kind)?.lowercased() ?? defaultKind
            contact.email = try row.email(.email)
            contact.additionalEmails = try row.emailList(.additionalEmails)
            contact.firstName = row.text(.firstName)
            contact.lastName = row.text(.lastName)
            contact.company = row.text(.company)
            contact.title = row.text(.title)
            contact.phone = row.text(.phone)
            contact.website = row.text(.website)
            contact.street = row.text(.street)
            contact.city = row.text(.city)
            contact.state = row.text(.state)
            contact.postalCode = row.text(.postalCode)
            contact.country = row.text(.country)
            contact.birthDate = try row.date(.birthDate)
            contact.personalID = row.text(.personalID)
            contact.owner = row.text(.owner)
            contact.lifecycleStage = row.text(.lifecycleStage)
            contact.leadStatus = row.text(.leadStatus)
            contact.accountID = row.firstOfList(.accountID)
            contact.createdAt = try row.timestamp(.createdAt)
            for (slot, other) in sameAs {
                if let id = values[slot].flatMap(Row.trimmed) {
                    contact.sameAs.append(RecordReference(connector: other, objectType: .contact, externalID: id))
                }
            }
            if let converted = row.text(.convertedContactID) {
                contact.sameAs.append(RecordReference(connector: connector, objectType: .contact, externalID: converted))
            }
            mergedInto = row.text(.mergedInto)
            normalized = .contact(contact)
        case .account:
            externalID = try row.id()
            var account = Account()
            account.name = row.text(.name)
            account.domain = row.text(.domain)
            account.website = row.text(.website)
            account.industry = row.text(.industry)
            account.country = row.text(.country)
            account.owner = row.text(.owner)
            if let employees = try row.number(.employees) {
                guard employees == employees.rounded(), abs(employees) < 1e15 else {
                    throw RowProblem(reason: "the `\(row.label(.employees))` column is not a whole number; fix it in the source")
                }
                account.employees = Int(employees)
            }
            account.createdAt = try row.timestamp(.createdAt)
            normalized = .account(account)
        case .campaign:
            externalID = try row.id()
            var campaign = Campaign()
            campaign.name = row.text(.name)
            campaign.channel = row.text(.channel)
            campaign.status = row.text(.status)
            campaign.startedAt = try row.timestamp(.startedAt)
            campaign.endedAt = try row.timestamp(.endedAt)
            campaign.cost = try row.number(.cost)
            normalized = .campaign(campaign)
        case .touch:
            externalID = try row.id()
            var touch = Touch()
            touch.contactID = row.text(.contactID)
            touch.email = try row.email(.email)
            touch.campaignID = row.text(.campaignID)
            touch.type = row.text(.type)
            touch.occurredAt = try row.timestamp(.occurredAt)
            normalized = .touch(touch)
        case .deal:
            externalID = try row.id()
            var deal = Deal()
            deal.name = row.text(.name)
            deal.accountID = row.firstOfList(.accountID)
            deal.stage = row.text(.stage)
            deal.pipeline = row.text(.pipeline)
            deal.amount = try row.number(.amount)
            deal.currency = row.text(.currency)?.uppercased()
            deal.closeDate = try row.date(.closeDate)
            deal.createdAt = try row.timestamp(.createdAt)
            deal.outcome = try outcome(of: row, stage: deal.stage)
            deal.lossReason = row.text(.lossReason)
            deal.owner = row.text(.owner)
            normalized = .deal(deal)
        case .dealContact:
            guard let dealID = row.text(.dealID) else { throw row.missing(.dealID, what: "deal id") }
            guard let contactID = row.text(.contactID) else { throw row.missing(.contactID, what: "contact id") }
            var link = DealContactLink(dealID: dealID, contactID: contactID)
            link.role = row.text(.role)
            link.isPrimary = try row.bool(.isPrimary) ?? false
            externalID = row.text(.id) ?? link.externalID
            normalized = .dealContact(link)
        case .activity:
            externalID = try row.id()
            var activity = Activity()
            activity.type = row.text(.type)?.lowercased()
            activity.contactID = row.text(.contactID)
            activity.email = try row.email(.email)
            activity.accountID = row.text(.accountID)
            activity.dealID = row.text(.dealID)
            activity.owner = row.text(.owner)
            activity.occurredAt = try row.timestamp(.occurredAt)
            activity.status = row.text(.status)
            activity.direction = row.text(.direction)?.lowercased()
            normalized = .activity(activity)
        }
        return SourceRecord(
            objectType: objectType, externalID: externalID, payload: payload, sourceUpdatedAt: updatedAt,
            isDeleted: isDeleted, mergedInto: mergedInto, normalized: normalized, location: location)
    }

    /// A deal's outcome: its `outcome` column, else `isWon`/`isClosed`, else its stage among the won and lost stages.
    func outcome(of row: Row, stage: String?) throws(RowProblem) -> DealOutcome {
        if let written = row.text(.outcome) {
            guard let outcome = DealOutcome(rawValue: written.lowercased()) else {
                throw RowProblem(reason: "the `\(row.label(.outcome))` column should be open, won or lost; fix it in the source")
            }
            return outcome
        }
        let isWon = try row.bool(.isWon)
        let isClosed = try row.bool(.isClosed)
        if let isClosed { return isClosed ? (isWon == true ? .won : .lost) : .open }
        if isWon == true { return .won }
        if let stage {
            let key = stage.lowercased()
            if wonStages.contains(key) { return .won }
            if lostStages.contains(key) { return .lost }
        }
        return .open
    }
}

/// One row's values by slot, with typed, normalized readers.
struct Row {
    let values: [String?]
    let labels: [String]

    func label(_ field: CanonicalField) -> String { labels[field.rawValue] }

    /// The value trimmed of surrounding whitespace; `nil` when empty.
    func text(_ field: CanonicalField) -> String? { values[field.rawValue].flatMap(Self.trimmed) }

    func id() throws(RowProblem) -> String {
        guard let id = text(.id) else { throw missing(.id, what: "id") }
        return id
    }

    func missing(_ field: CanonicalField, what: String) -> RowProblem {
        RowProblem(reason: "row has no \(what) in column `\(label(field))`; fill it, or map `\(field.name)` to the right column in `columns:`")
    }

    /// Ids in a list: `103;104`, `103, 104` or `[103,104]` (quotes and spaces ignored).
    func idList(_ field: CanonicalField) -> [String] {
        guard let value = text(field) else { return [] }
        return value.split { ";,[]\" \t".contains($0) }.map(String.init)
    }

    /// The first of a `;`-separated list (HubSpot's associated ids).
    func firstOfList(_ field: CanonicalField) -> String? {
        guard let value = text(field) else { return nil }
        guard value.utf8.contains(UInt8(ascii: ";")) else { return value }
        return value.split(separator: ";").lazy.compactMap { Self.trimmed(String($0)) }.first
    }

    func timestamp(_ field: CanonicalField) throws(RowProblem) -> String? {
        guard let value = text(field) else { return nil }
        if Self.isCanonicalTimestamp(value) { return value }
        guard let normalized = Timestamps.normalize(value) else { throw unreadableDate(field) }
        return normalized
    }

    func date(_ field: CanonicalField) throws(RowProblem) -> String? {
        guard let value = text(field) else { return nil }
        if Self.isCanonicalDate(value) { return value }
        guard let normalized = Timestamps.date(value) else { throw unreadableDate(field) }
        return normalized
    }

    /// Whether `text` is already exactly what ``Timestamps/normalize(_:)`` returns for it
    /// (`2025-03-04T05:06:07Z` or `2025-03-04T05:06:07.123Z`), so the common case skips reformatting.
    static func isCanonicalTimestamp(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count == 20 || bytes.count == 24, isCanonicalDate(bytes) else { return false }
            guard bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let hour = twoDigits(bytes, 11), hour < 24, let minute = twoDigits(bytes, 14), minute < 60,
                let second = twoDigits(bytes, 17), second < 60
            else { return false }
            if bytes.count == 20 { return bytes[19] == UInt8(ascii: "Z") }
            guard bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z"), let tens = twoDigits(bytes, 20),
                let last = digit(bytes[22])
            else { return false }
            return tens != 0 || last != 0
        } ?? false
    }

    /// Whether `text` is a valid `YYYY-MM-DD`, which ``Timestamps/date(_:)`` returns unchanged.
    static func isCanonicalDate(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.count == 10 && isCanonicalDate($0) } ?? false
    }

    private static func isCanonicalDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let century = twoDigits(bytes, 0), let yearInCentury = twoDigits(bytes, 2),
            let month = twoDigits(bytes, 5), (1...12).contains(month), let day = twoDigits(bytes, 8), day >= 1
        else { return false }
        let year = century * 100 + yearInCentury
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    @inline(__always) private static func digit(_ byte: UInt8) -> Int? {
        byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
    }

    @inline(__always) private static func twoDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        guard let high = digit(bytes[at]), let low = digit(bytes[at + 1]) else { return nil }
        return high * 10 + low
    }

    func unreadableDate(_ field: CanonicalField) -> RowProblem {
        RowProblem(reason: "the `\(label(field))` column holds a date that cannot be read; write it as ISO-8601 (2025-03-04T05:06:07Z), YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY")
    }

    func number(_ field: CanonicalField) throws(RowProblem) -> Double? {
        guard let value = text(field) else { return nil }
        guard let number = Self.parseNumber(value) else {
            throw RowProblem(reason: "the `\(label(field))` column is not a number; keep only digits, a sign, a decimal point and a currency symbol")
        }
        return number
    }

    func bool(_ field: CanonicalField) throws(RowProblem) -> Bool? {
        guard let value = text(field) else { return nil }
        guard let flag = Self.parseBool(value) else {
            throw RowProblem(reason: "the `\(label(field))` column should be true or false (or yes/no, 1/0); fix it in the source")
        }
        return flag
    }

    func email(_ field: CanonicalField) throws(RowProblem) -> String? {
        guard let value = text(field) else { return nil }
        guard Self.isValidEmail(value) else { throw invalidEmail(field) }
        return value
    }

    func emailList(_ field: CanonicalField) throws(RowProblem) -> [String] {
        guard let value = text(field) else { return [] }
        var emails: [String] = []
        for part in value.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            guard let email = Self.trimmed(String(part)) else { continue }
            guard Self.isValidEmail(email) else { throw invalidEmail(field) }
            emails.append(email)
        }
        return emails
    }

    func invalidEmail(_ field: CanonicalField) -> RowProblem {
        RowProblem(reason: "the `\(label(field))` column does not hold a valid email address; fix or clear it in the source")
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

    static func trimmed(_ text: String) -> String? {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return nil }
        if !isSpace(first) && !isSpace(last) { return text }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return start == end ? nil : String(text[start..<end])
    }

    /// One `@`, a non-empty local part, a domain with a dot inside it, no whitespace or control characters.
    static func isValidEmail(_ text: String) -> Bool {
        var at = -1
        var count = 0
        var lastDot = -1
        var dotAfterAt = false
        for byte in text.utf8 {
            if byte <= 32 || byte == 127 { return false }
            if byte == UInt8(ascii: "@") {
                if at >= 0 { return false }
                at = count
            } else if byte == UInt8(ascii: "."), at >= 0 {
                if count == at + 1 { return false }  // domain starts with a dot
                dotAfterAt = true
                lastDot = count
            }
            count += 1
        }
        return at > 0 && at < count - 1 && dotAfterAt && lastDot < count - 1
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "t", "yes", "y", "1": true
        case "false", "f", "no", "n", "0": false
        default: nil
        }
    }

    /// A number written with currency symbols or codes, thousands separators, or parentheses for negatives.
    static func parseNumber(_ text: String) -> Double? {
        if let value = Double(text) { return value.isFinite ? value : nil }
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") {
            negative = true
            bytes = Array(bytes.dropFirst().dropLast())
        }
        func isLetterOrSymbol(_ byte: UInt8) -> Bool {
            byte >= 0x80 || byte == UInt8(ascii: "$") || isSpace(byte)
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        }
        while let first = bytes.first, isLetterOrSymbol(first) { bytes.removeFirst() }
        while let last = bytes.last, isLetterOrSymbol(last) { bytes.removeLast() }
        bytes.removeAll { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "'") || $0 == 32 }
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }),
            let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite
        else { return nil }
        return negative ? -value : value
    }
}
