import Foundation
public import SyncHubCore
import SyncHubHTTP

/// Writes win/loss feedback onto Salesforce contacts (and leads) with sObject Collections.
///
/// Items address the connector's own records: a contact id (`003…`), or a lead id (`00Q…`) when leads are included.
/// Per call of at most 200 records: the current values are read first (`SELECT Id, <fields> FROM Contact WHERE Id IN
/// (…)`), records already holding the item's values are answered ``PushReceipt/Status/alreadyApplied`` without a
/// write, and the rest are sent in one `PATCH /services/data/vXX.X/composite/sobjects` with `allOrNone: false`, whose
/// per-record results (in request order) become one receipt per item. Pushing the same items twice therefore writes
/// once. A record key that is not an id of the configured objects fails alone, before any request.
public struct SalesforceFeedback: FeedbackConnector {
    public let api: SalesforceAPI
    public let settings: SalesforceFeedbackConfiguration

    /// Records per sObject Collections call (Salesforce's limit).
    static let maxRecordsPerCall = 200

    public init(api: SalesforceAPI, settings: SalesforceFeedbackConfiguration) {
        self.api = api
        self.settings = settings
    }

    public var addressing: FeedbackAddressing { .ownContacts }

    var connector: String { api.connector }

    /// The object an item's record key addresses, or why it cannot be written.
    enum Target: Equatable {
        case success(String)
        case failure(String)
    }

    func object(for key: String) -> Target {
        guard SalesforceID.isValid(key) else {
            return .failure("the record key is not a Salesforce id (15 or 18 letters and digits); nothing was written")
        }
        switch SalesforceID.prefix(key) {
        case "003" where settings.object == "Contact": return .success("Contact")
        case "00Q" where settings.object == "Lead" || settings.includeLeads: return .success("Lead")
        case "00Q":
            return .failure(
                "\(key) is a lead; set connectors.\(connector).feedback.includeLeads: true to write feedback to leads")
        default:
            return .failure(
                "\(key) is not a \(settings.object) id (\(settings.object == "Contact" ? "003" : "00Q")…); feedback is "
                    + "written to connectors.\(connector).feedback.object (\(settings.object))")
        }
    }

    struct Entry {
        var index: Int
        var object: String
        var id: String
        /// Field name to the value to write (`nil` clears the field).
        var values: [(name: String, value: JSONValue)]
    }

    public func push(_ items: [FeedbackItem]) async throws -> [PushReceipt] {
        var receipts: [PushReceipt?] = Array(repeating: nil, count: items.count)
        var pending: [Entry] = []
        for (index, item) in items.enumerated() {
            switch object(for: item.recordKey) {
            case .failure(let reason):
                receipts[index] = PushReceipt(
                    idempotencyKey: item.idempotencyKey, recordKey: item.recordKey, status: .failed, message: reason)
            case .success(let object):
                pending.append(Entry(
                    index: index, object: object, id: item.recordKey, values: values(of: item.feedback, object: object)))
            }
        }
        // Calls of up to 200 records, each record once per call (Salesforce refuses an id twice in one list).
        var calls: [[Entry]] = []
        var open: [(entries: [Entry], ids: Set<String>)] = []
        for entry in pending {
            let key = SalesforceID.short(entry.id)
            if let slot = open.firstIndex(where: { !$0.ids.contains(key) && $0.entries.count < Self.maxRecordsPerCall }) {
                open[slot].entries.append(entry)
                open[slot].ids.insert(key)
                if open[slot].entries.count == Self.maxRecordsPerCall { calls.append(open.remove(at: slot).entries) }
            } else {
                open.append(([entry], [key]))
            }
        }
        calls += open.map(\.entries)

        for (number, call) in calls.enumerated() {
            let results = try await apply(call, probe: number == 0)
            for (entry, result) in zip(call, results) {
                let item = items[entry.index]
                receipts[entry.index] = PushReceipt(
                    idempotencyKey: item.idempotencyKey, recordKey: item.recordKey, status: result.status,
                    message: result.message)
            }
        }
        return receipts.enumerated().map { index, receipt in
            receipt ?? PushReceipt(
                idempotencyKey: items[index].idempotencyKey, recordKey: items[index].recordKey, status: .failed,
                message: "no result was recorded for this item")
        }
    }

    /// The values to write for `feedback` on a record of `object`, in the configured fields' order. A lifecycle
    /// stage the item does not carry leaves the field alone (it is not cleared).
    func values(of feedback: PersonFeedback, object: String = "Contact") -> [(name: String, value: JSONValue)] {
        let flat = Dictionary(feedback.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        return settings.fields(for: object).compactMap { field in
            if field.key == "lifecycleStage", feedback.lifecycleStage == nil { return nil }
            let source = SalesforceFeedbackConfiguration.keys.first { $0.key == field.key }!.feedbackField
            guard let text = flat[source] ?? nil, !text.isEmpty else { return (field.name, JSONValue.null) }
            switch field.key {
            case "amount", "dealCount", "wonRevenue":
                return (field.name, Double(text) != nil ? .number(text) : .string(text))
            default:
                return (field.name, .string(text))
            }
        }
    }

    /// Applies one call's entries; one result per entry, in order.
    /// - Parameter probe: the push's first call, sent even above the API budget (see ``SalesforceAPI``).
    func apply(_ entries: [Entry], probe: Bool) async throws -> [(status: PushReceipt.Status, message: String?)] {
        let current = try await currentValues(entries, probe: probe)
        var results: [(status: PushReceipt.Status, message: String?)?] = Array(repeating: nil, count: entries.count)
        var changed: [Int] = []
        for (offset, entry) in entries.enumerated() {
            if let record = current[SalesforceID.short(entry.id)], entry.values.allSatisfy({ Self.same($0.value, record.field($0.name)) }) {
                results[offset] = (.alreadyApplied, nil)
            } else {
                changed.append(offset)
            }
        }
        guard !changed.isEmpty else { return results.map { $0! } }
        // Contacts first, then leads: a list is processed in chunks of one type, at most 10 per call.
        changed.sort { (entries[$0].object == "Contact" ? 0 : 1, $0) < (entries[$1].object == "Contact" ? 0 : 1, $1) }
        let records: [JSONValue] = changed.map { offset in
            let entry = entries[offset]
            return .object(
                [("attributes", .object([("type", .string(entry.object))])), ("id", .string(entry.id))]
                    + entry.values.map { ($0.name, $0.value) })
        }
        let body = JSONValue.object([("allOrNone", .bool(false)), ("records", .array(records))])
        let response = try await api.patch("\(api.dataPath)/composite/sobjects", json: body, stream: "feedback")
        guard case .array(let saveResults) = try response.json(), saveResults.count == changed.count else {
            throw ConnectorError(
                .invalidData,
                "PATCH \(api.dataPath)/composite/sobjects answered without one result per record; the outcome of "
                    + "\(changed.count) record(s) is unknown and they will be sent again on the next push",
                connector: connector, stream: "feedback")
        }
        for (offset, result) in zip(changed, saveResults) {
            if result["success"] == .bool(true) {
                results[offset] = (.applied, nil)
            } else {
                results[offset] = (.failed, Self.describe(result["errors"], id: entries[offset].id, object: entries[offset].object))
            }
        }
        return results.map { $0 ?? (.failed, "no result was recorded for this record") }
    }

    /// The records' current values of the feedback fields, by 15-character id; deleted or unknown records are absent.
    func currentValues(_ entries: [Entry], probe: Bool) async throws -> [String: SalesforceRecord] {
        var found: [String: SalesforceRecord] = [:]
        var probe = probe
        for object in ["Contact", "Lead"] {
            let ids = entries.filter { $0.object == object }.map(\.id)
            guard !ids.isEmpty else { continue }
            let names = settings.fields(for: object).map(\.name)
            let soql = "SELECT Id, \(names.joined(separator: ", ")) FROM \(object) WHERE Id IN ("
                + ids.map(SOQL.string).joined(separator: ", ") + ")"
            var page: QueryPage
            do {
                page = try await api.query(soql, includeDeleted: false, batchSize: nil, stream: "feedback", probe: probe)
                probe = false
            } catch var error as ConnectorError where error.code == .rejected {
                if error.message.contains("INVALID_FIELD") || error.message.contains("No such column") {
                    error.code = .invalidConfiguration
                    error.message += "; a feedback field does not exist on \(object) or is hidden from the integration "
                        + "user: check connectors.\(connector).feedback.\(object == "Lead" && !settings.leadFields.isEmpty ? "leadFields" : "fields")"
                }
                throw error
            }
            while true {
                for json in page.records {
                    let record = SalesforceRecord(json: json)
                    if let id = record.id { found[SalesforceID.short(id)] = record }
                }
                guard let next = page.nextRecordsURL else { break }
                page = try await api.more(next, batchSize: nil, stream: "feedback")
            }
        }
        return found
    }

    /// Whether Salesforce's current value equals the value to write (numbers by value, empty text as null).
    static func same(_ wanted: JSONValue, _ current: JSONValue?) -> Bool {
        let currentText = current?.text.flatMap { $0.isEmpty ? nil : $0 }
        switch wanted {
        case .null: return currentText == nil
        case .number(let text):
            guard let a = Double(text), let b = currentText.flatMap(Double.init) else { return false }
            return abs(a - b) < 0.005
        case .string(let text):
            guard let currentText else { return false }
            if currentText == text { return true }
            // A date field may come back as a date of the same day.
            if let a = Timestamps.date(text), a.count == text.count, let b = Timestamps.date(currentText) { return a == b }
            return false
        default:
            return wanted == current
        }
    }

    /// A failed SaveResult's errors, without field values: `FIELD_CUSTOM_VALIDATION_EXCEPTION: … (fields: X__c)`.
    static func describe(_ errors: JSONValue?, id: String, object: String) -> String {
        guard case .array(let list)? = errors, !list.isEmpty else { return "Salesforce refused \(object) \(id) without a reason" }
        let parts = list.prefix(3).map { error -> String in
            var text = error["statusCode"]?.text ?? "ERROR"
            if let message = error["message"]?.text, !message.isEmpty {
                text += ": " + Self.redacted(message)
            }
            if case .array(let fields)? = error["fields"], !fields.isEmpty {
                text += " (fields: \(fields.compactMap(\.text).joined(separator: ", ")))"
            }
            return text
        }
        return "Salesforce refused \(object) \(id): " + parts.joined(separator: "; ")
    }

    /// Salesforce echoes rejected values in messages: drop anything shaped like an email address and cap the length.
    static func redacted(_ message: String) -> String {
        var words: [String] = []
        for word in message.split(separator: " ", omittingEmptySubsequences: false) {
            words.append(word.contains("@") ? "<redacted>" : String(word))
        }
        let text = words.joined(separator: " ")
        return text.count > 240 ? String(text.prefix(240)) + "…" : text
    }
}

extension SalesforceRecord {
    /// A field's value, found regardless of the case of its name (Salesforce answers with the field's own spelling).
    func field(_ name: String) -> JSONValue? {
        if let value = json[name] { return value }
        guard case .object(let members) = json else { return nil }
        let lowered = name.lowercased()
        return members.first { $0.0.lowercased() == lowered }?.1
    }
}
