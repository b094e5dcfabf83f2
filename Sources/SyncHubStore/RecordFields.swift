import SyncHubCore

/// Receives a normalized record's column values in table order.
protocol FieldSink {
    mutating func bind(_ value: String?)
    mutating func bind(_ value: Double?)
    mutating func bind(_ value: Int?)
    mutating func bind(_ value: Bool)
}

extension SQLiteStep: FieldSink {}

/// Feeds a normalized record's columns (those after `connector, external_id`) to `sink`, in the order of
/// ``StoreSchema/normalizedColumns``.
func writeColumns<Sink: FieldSink>(of record: NormalizedRecord, mergedInto: String?, to sink: inout Sink) {
    switch record {
    case .contact(let c):
        sink.bind(c.kind)
        sink.bind(c.email)
        sink.bind(c.additionalEmails.isEmpty ? nil : c.additionalEmails.joined(separator: ";"))
        sink.bind(c.firstName)
        sink.bind(c.lastName)
        sink.bind(c.company)
        sink.bind(c.title)
        sink.bind(c.phone)
        sink.bind(c.website)
        sink.bind(c.street)
        sink.bind(c.city)
        sink.bind(c.state)
        sink.bind(c.postalCode)
        sink.bind(c.country)
        sink.bind(c.birthDate)
        sink.bind(c.owner)
        sink.bind(c.lifecycleStage)
        sink.bind(c.leadStatus)
        sink.bind(c.accountID)
        sink.bind(c.createdAt)
        sink.bind(SameAsText.encode(c.sameAs))
        sink.bind(mergedInto)
        sink.bind(c.personalID)
    case .account(let a):
        sink.bind(a.name)
        sink.bind(a.domain)
        sink.bind(a.website)
        sink.bind(a.industry)
        sink.bind(a.country)
        sink.bind(a.owner)
        sink.bind(a.employees)
        sink.bind(a.createdAt)
    case .campaign(let c):
        sink.bind(c.name)
        sink.bind(c.channel)
        sink.bind(c.status)
        sink.bind(c.startedAt)
        sink.bind(c.endedAt)
        sink.bind(c.cost)
    case .touch(let t):
        sink.bind(t.contactID)
        sink.bind(t.email)
        sink.bind(t.campaignID)
        sink.bind(t.type)
        sink.bind(t.occurredAt)
    case .deal(let d):
        sink.bind(d.name)
        sink.bind(d.accountID)
        sink.bind(d.stage)
        sink.bind(d.pipeline)
        sink.bind(d.amount)
        sink.bind(d.currency)
        sink.bind(d.closeDate)
        sink.bind(d.createdAt)
        sink.bind(d.outcome.rawValue)
        sink.bind(d.lossReason)
        sink.bind(d.owner)
    case .dealContact(let l):
        sink.bind(l.dealID)
        sink.bind(l.contactID)
        sink.bind(l.role)
        sink.bind(l.isPrimary)
    case .activity(let a):
        sink.bind(a.type)
        sink.bind(a.contactID)
        sink.bind(a.email)
        sink.bind(a.accountID)
        sink.bind(a.dealID)
        sink.bind(a.owner)
        sink.bind(a.occurredAt)
        sink.bind(a.status)
        sink.bind(a.direction)
    }
}

/// The `same_as` column: references as `connector:externalID`, separated by `;`.
enum SameAsText {
    static func encode(_ references: [RecordReference]) -> String? {
        if references.isEmpty { return nil }
        if references.count == 1 { return references[0].connector + ":" + references[0].externalID }
        return references.map { $0.connector + ":" + $0.externalID }.joined(separator: ";")
    }

    static func decode(_ text: String?) -> [RecordReference] {
        guard let text, !text.isEmpty else { return [] }
        var references: [RecordReference] = []
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            guard let colon = part.firstIndex(of: ":") else { continue }
            references.append(RecordReference(
                connector: String(part[..<colon]), objectType: .contact,
                externalID: String(part[part.index(after: colon)...])))
        }
        return references
    }
}

/// A 64-bit FNV-1a fingerprint (as ``ContentHash``) of a raw payload and its normalized columns, so a changed
/// mapping re-normalizes records whose payload did not change.
struct Fingerprint: FieldSink {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    var int64: Int64 { Int64(bitPattern: value) }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var hash = value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        value = hash
    }

    mutating func add(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { add($0) } }

    private mutating func add(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    private mutating func add(word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }

    mutating func bind(_ value: String?) {
        guard var value else { add(byte: 0); return }
        add(byte: 1)
        value.withUTF8 { add($0) }
        add(byte: 0x1F)
    }

    mutating func bind(_ value: Double?) {
        guard let value else { add(byte: 0); return }
        add(byte: 2)
        add(word: value.bitPattern)
    }

    mutating func bind(_ value: Int?) {
        guard let value else { add(byte: 0); return }
        add(byte: 3)
        add(word: UInt64(bitPattern: Int64(value)))
    }

    mutating func bind(_ value: Bool) { add(byte: value ? 5 : 4) }
}
