import GRDBSQLite
import SyncHubCore
import SyncHubIdentity

/// What matching reads of a contact (its emails, references, deletion and profile without title), as the compact
/// blob `identity_record.profile` keeps: an incremental resolution scores a changed record's key neighbours from
/// these, one row each, and reads the full contact row only of those that score.
///
/// Layout: a flags byte (bit 0: deleted), the email count, then each text as a length-prefixed UTF-8 string
/// (a LEB128 length plus one; 0 for none): the emails, `same_as`, `merged_into`, and the profile's fields.
enum MatchProfileBlob {
    static func encode(_ record: IdentityRecord) -> [UInt8] {
        var bytes: [UInt8] = [record.isDeleted ? 1 : 0]
        bytes.reserveCapacity(160)
        appendLength(record.emails.count, to: &bytes)
        for email in record.emails { append(email, to: &bytes) }
        append(SameAsText.encode(record.sameAs), to: &bytes)
        append(record.mergedInto, to: &bytes)
        let p = record.profile
        for field in [p.firstName, p.lastName, p.company, p.phone, p.website, p.street, p.city, p.state, p.postalCode, p.country, p.birthDate, p.personalID] {
            append(field, to: &bytes)
        }
        return bytes
    }

    /// The record of `reference` from a blob column; `nil` when the column is empty or malformed.
    static func decode(_ row: SQLiteStep, _ column: Int32, reference: RecordReference) -> IdentityRecord? {
        guard let base = sqlite3_column_blob(row.handle, column) else { return nil }
        let buffer = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: Int(sqlite3_column_bytes(row.handle, column)))
        var reader = Reader(bytes: buffer)
        guard let flags = reader.byte(), let emailCount = reader.length() else { return nil }
        var emails: [String] = []
        emails.reserveCapacity(emailCount)
        for _ in 0..<emailCount {
            guard let email = reader.text() else { return nil }
            emails.append(email ?? "")
        }
        var texts: [String?] = []
        texts.reserveCapacity(14)
        for _ in 0..<14 {
            guard let text = reader.text() else { return nil }
            texts.append(text)
        }
        guard reader.atEnd else { return nil }
        return IdentityRecord(
            reference: reference, emails: emails, sameAs: SameAsText.decode(texts[0]), mergedInto: texts[1], isDeleted: flags & 1 != 0,
            profile: PersonProfile(
                firstName: texts[2], lastName: texts[3], company: texts[4], phone: texts[5], website: texts[6], street: texts[7],
                city: texts[8], state: texts[9], postalCode: texts[10], country: texts[11], birthDate: texts[12],
                personalID: texts[13]))
    }

    private static func appendLength(_ value: Int, to bytes: inout [UInt8]) {
        var rest = UInt64(value)
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func append(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else { return bytes.append(0) }
        appendLength(text.utf8.count + 1, to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func length() -> Int? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while let byte = byte() {
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(exactly: value) }
                shift += 7
                if shift > 56 { return nil }
            }
            return nil
        }

        /// `.some(nil)` for an absent text, `nil` when malformed.
        mutating func text() -> String?? {
            guard let length = length() else { return nil }
            if length == 0 { return .some(nil) }
            let count = length - 1
            guard count <= bytes.count - position else { return nil }
            defer { position += count }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + count]), as: UTF8.self))
        }
    }
}
