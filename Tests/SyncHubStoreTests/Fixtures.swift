import Foundation
import SyncHubCore
import SyncHubStore

/// Records for store tests, built the way connectors build them.
enum Fixtures {
    static func reference(_ connector: String, _ id: String) -> RecordReference {
        RecordReference(connector: connector, objectType: .contact, externalID: id)
    }

    /// Commits contact records of `connector` to `store`, as a pull's batch of its `contacts` stream.
    static func land(_ store: StoreDatabase, _ connector: String, _ records: [SourceRecord]) throws {
        let contacts = StreamDescriptor(name: "contacts", objectType: .contact)
        _ = try store.commit(batch(records), connector: connector, stream: contacts, deletingAllExcept: nil, runID: nil)
    }

    static func contact(
        _ id: String, email: String? = nil, updatedAt: String = "2025-01-01T00:00:00Z", firstName: String = "Ada",
        sameAs: [RecordReference] = [], additionalEmails: [String] = [], kind: String = "contact",
        mergedInto: String? = nil, isDeleted: Bool = false, lastName: String = "Lovelace", phone: String = "+44 20 7946 0000",
        city: String = "London"
    ) -> SourceRecord {
        var contact = Contact()
        contact.kind = kind
        contact.email = email ?? "person\(id)@example.com"
        contact.additionalEmails = additionalEmails
        contact.firstName = firstName
        contact.lastName = lastName
        contact.company = "Analytical Engines Ltd"
        contact.title = "Engineer"
        contact.phone = phone
        contact.city = city
        contact.country = "GB"
        contact.lifecycleStage = "lead"
        contact.createdAt = "2024-06-01T10:00:00Z"
        contact.sameAs = sameAs
        let payload = JSONWriter.object([
            ("id", id), ("email", contact.email), ("first_name", firstName), ("last_name", contact.lastName),
            ("company", contact.company), ("title", contact.title), ("phone", contact.phone), ("city", contact.city),
            ("country", contact.country), ("lifecycle_stage", contact.lifecycleStage), ("created_at", contact.createdAt),
            ("updated_at", updatedAt), ("deleted", isDeleted ? "true" : "false"),
            ("notes", "Met at the 2024 conference; interested in the enterprise plan and the API."),
        ])
        return SourceRecord(
            objectType: .contact, externalID: id, payload: payload, sourceUpdatedAt: updatedAt, isDeleted: isDeleted,
            mergedInto: mergedInto, normalized: .contact(contact), location: "contacts.jsonl:\(id)")
    }

    static func contactBatch(range: Range<Int>, checkpoint: String?) -> RecordBatch {
        RecordBatch(
            records: range.map { contact(String($0)) },
            checkpoint: checkpoint.map { Checkpoint(payload: Data($0.utf8)) })
    }
}

extension Fixtures {
    static func deal(
        _ id: String, outcome: DealOutcome, amount: Double?, closeDate: String?, createdAt: String = "2024-01-01T00:00:00Z",
        lossReason: String? = nil, isDeleted: Bool = false
    ) -> SourceRecord {
        var deal = Deal()
        deal.name = "Deal \(id)"
        deal.outcome = outcome
        deal.amount = amount
        deal.currency = "EUR"
        deal.closeDate = closeDate
        deal.createdAt = createdAt
        deal.lossReason = lossReason
        let payload = JSONWriter.object([("Id", id), ("Amount", amount.map { String($0) }), ("CloseDate", closeDate)])
        return SourceRecord(
            objectType: .deal, externalID: id, payload: payload, isDeleted: isDeleted, normalized: .deal(deal))
    }

    static func dealContact(_ dealID: String, _ contactID: String, isDeleted: Bool = false) -> SourceRecord {
        let link = DealContactLink(dealID: dealID, contactID: contactID, role: "Decision Maker", isPrimary: true)
        return SourceRecord(
            objectType: .dealContact, externalID: link.externalID,
            payload: JSONWriter.object([("OpportunityId", dealID), ("ContactId", contactID)]), isDeleted: isDeleted,
            normalized: .dealContact(link))
    }

    /// A bare delete, as a source's delete log reports it.
    static func deletion(_ id: String, objectType: ObjectType = .contact, mergedInto: String? = nil) -> SourceRecord {
        SourceRecord(
            objectType: objectType, externalID: id, payload: JSONWriter.object([("id", id), ("deleted", "true")]),
            isDeleted: true, mergedInto: mergedInto)
    }

    static func batch(_ records: [SourceRecord], checkpoint: String? = nil, rejected: [RejectedRecord] = []) -> RecordBatch {
        RecordBatch(records: records, rejected: rejected, checkpoint: checkpoint.map { Checkpoint(payload: Data($0.utf8)) })
    }
}
