import Foundation
public import SyncHubCore
import Synchronization

/// Writes win/loss feedback to custom contact properties (`synchub_deal_outcome`, `synchub_deal_amount`, ...),
/// addressing HubSpot's own contact ids.
///
/// On the first push it creates the properties that are missing (`GET`, then `POST /crm/v3/properties/contacts`;
/// one created meanwhile by someone else is fine). Each push reads the contacts' current values
/// (`POST /crm/v3/objects/contacts/batch/read`, 100 per call) and writes only the contacts whose values differ
/// (`POST /crm/v3/objects/contacts/batch/update`): a contact already holding the values is `alreadyApplied` and
/// is not written, so pushing twice equals pushing once, and unchanged contacts keep their `lastmodifieddate`
/// (a write would make the next pull read them again and could re-trigger HubSpot workflows). Per-contact refusals
/// (an unknown or deleted id) fail that contact's receipt only; a batch HubSpot refuses as a whole is retried one
/// contact at a time so one bad value fails one receipt.
public final class HubSpotFeedbackTarget: FeedbackConnector {
    public let name: String
    public let settings: HubSpotConfiguration.Feedback
    let api: HubSpotAPI
    private let state = Mutex(State())

    private struct State {
        var propertiesReady = false
        var created: [String] = []
        /// The account's lifecycle stages in pipeline order (`lifecyclestage`'s options by display order).
        var stages: [String]?
    }

    /// HubSpot's standard contact property the shared stage is written to. synchub never creates it.
    static let lifecycleProperty = "lifecyclestage"

    /// HubSpot takes at most 100 inputs per batch read or update.
    static let batchLimit = 100
    static let readScope = "crm.objects.contacts.read"
    static let writeScope = "crm.objects.contacts.write"
    static let schemaScope = "crm.schemas.contacts.write"

    init(name: String, settings: HubSpotConfiguration.Feedback, api: HubSpotAPI) {
        self.name = name
        self.settings = settings
        self.api = api
    }

    public var addressing: FeedbackAddressing { .ownContacts }

    /// Properties this instance created (normally on its first push only).
    public var createdProperties: [String] { state.withLock { $0.created } }

    // MARK: - Properties

    struct PropertyDefinition: Sendable {
        /// The `PersonFeedback.fields` name.
        var field: String
        var label: String
        var type: String
        var fieldType: String
        var options: [String] = []
    }

    static let definitions: [PropertyDefinition] = [
        PropertyDefinition(field: "deal_outcome", label: "Deal outcome (synchub)", type: "enumeration", fieldType: "select", options: ["won", "lost", "open"]),
        PropertyDefinition(field: "deal_amount", label: "Deal amount (synchub)", type: "number", fieldType: "number"),
        PropertyDefinition(field: "deal_currency", label: "Deal currency (synchub)", type: "string", fieldType: "text"),
        PropertyDefinition(field: "deal_close_date", label: "Deal close date (synchub)", type: "date", fieldType: "date"),
        PropertyDefinition(field: "deal_loss_reason", label: "Deal loss reason (synchub)", type: "string", fieldType: "textarea"),
        PropertyDefinition(field: "deal_reference", label: "Deal reference (synchub)", type: "string", fieldType: "text"),
        PropertyDefinition(field: "deal_count", label: "Deal count (synchub)", type: "number", fieldType: "number"),
        PropertyDefinition(field: "won_revenue", label: "Won revenue (synchub)", type: "number", fieldType: "number"),
    ]

    /// The HubSpot property a `PersonFeedback.fields` entry is written to: `lifecycle_stage` goes to the standard
    /// `lifecyclestage`, the others to `<prefix><field>`.
    func propertyName(_ field: String) -> String { field == "lifecycle_stage" ? Self.lifecycleProperty : settings.prefix + field }

    /// The properties read before a push: the custom ones and the lifecycle stage.
    var propertyNames: [String] { Self.definitions.map { propertyName($0.field) } + [Self.lifecycleProperty] }

    /// The lifecycle stages in pipeline order, read once per instance from the property's options
    /// (`GET /crm/v3/properties/contacts/lifecyclestage`; an account can add and remove stages).
    func lifecycleStages() async throws -> [String] {
        if let stages = state.withLock({ $0.stages }) { return stages }
        let reply = try await api.get(
            "/crm/v3/properties/contacts/\(Self.lifecycleProperty)", stream: "feedback", scope: "crm.schemas.contacts.read")
        let options = (reply.json["options"]?.items ?? []).enumerated().compactMap { index, option -> (Int, Int, String)? in
            guard let value = option["value"]?.text, !value.isEmpty, option["hidden"] != .bool(true) else { return nil }
            return (option["displayOrder"]?.text.flatMap { Int($0) } ?? index, index, value)
        }
        let stages = options.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        state.withLock { $0.stages = stages }
        return stages
    }

    /// Creates the feedback properties HubSpot does not have yet; once per instance.
    func ensureProperties() async throws {
        if state.withLock({ $0.propertiesReady }) { return }
        let reply = try await api.get("/crm/v3/properties/contacts", stream: "feedback", scope: "crm.schemas.contacts.read")
        let existing = Set((reply.json["results"]?.items ?? []).compactMap { $0["name"]?.text })
        for definition in Self.definitions where !existing.contains(propertyName(definition.field)) {
            let name = propertyName(definition.field)
            var members: [(String, JSONValue)] = [
                ("name", .string(name)), ("label", .string(definition.label)), ("type", .string(definition.type)),
                ("fieldType", .string(definition.fieldType)), ("groupName", .string(settings.propertyGroup)),
                ("description", .string("Written by synchub from the person's deals; do not edit by hand.")),
            ]
            if !definition.options.isEmpty {
                members.append((
                    "options",
                    .array(definition.options.enumerated().map { index, option in
                        .object([
                            ("label", .string(option.capitalized)), ("value", .string(option)),
                            ("displayOrder", .number(String(index))),
                        ])
                    })))
            }
            do {
                _ = try await api.post(
                    "/crm/v3/properties/contacts", json: .object(members), stream: "feedback", scope: Self.schemaScope)
                state.withLock { $0.created.append(name) }
            } catch var error as ConnectorError where error.code == .rejected {
                // 409: created meanwhile. Anything else: say what to check.
                if (try? await api.get("/crm/v3/properties/contacts/\(name)", stream: "feedback", scope: Self.schemaScope)) != nil {
                    continue
                }
                error.message += "; synchub creates contact property \(name) in group `\(settings.propertyGroup)`: "
                    + "check that connectors.\(self.name).feedback.propertyGroup names an existing contact property group"
                throw error
            }
        }
        state.withLock { $0.propertiesReady = true }
    }

    // MARK: - Push

    public func push(_ items: [FeedbackItem]) async throws -> [PushReceipt] {
        guard !items.isEmpty else { return [] }
        try await ensureProperties()
        var receipts = [PushReceipt?](repeating: nil, count: items.count)
        let stages = items.contains { $0.feedback.lifecycleStage != nil } ? try await lifecycleStages() : []
        // Chunks of at most 100 distinct contact ids, in order.
        var chunks: [[Int]] = []
        var current: [Int] = []
        var ids = Set<String>()
        for (index, item) in items.enumerated() {
            guard Self.isContactID(item.recordKey) else {
                receipts[index] = receipt(item, .failed, "`\(item.recordKey)` is not a HubSpot contact id")
                continue
            }
            if let stage = item.feedback.lifecycleStage, !stages.contains(stage) {
                receipts[index] = receipt(
                    item, .failed,
                    "`\(stage)` is not a lifecycle stage of this HubSpot account (stages: \(stages.joined(separator: ", "))); "
                        + "map the shared stages to these values in the push section of connectors.yml")
                continue
            }
            if current.count == Self.batchLimit || ids.contains(item.recordKey) {
                chunks.append(current)
                current = []
                ids = []
            }
            current.append(index)
            ids.insert(item.recordKey)
        }
        if !current.isEmpty { chunks.append(current) }
        for chunk in chunks {
            for (index, result) in try await pushChunk(chunk.map { items[$0] }, stages: stages).enumerated() {
                receipts[chunk[index]] = result
            }
        }
        return zip(items, receipts).map { item, receipt in
            receipt ?? self.receipt(item, .failed, "no result for this contact; push again")
        }
    }

    /// Pushes up to 100 items with distinct contact ids.
    private func pushChunk(_ items: [FeedbackItem], stages: [String]) async throws -> [PushReceipt] {
        let names = propertyNames
        let read = try await api.post(
            "/crm/v3/objects/contacts/batch/read",
            json: .object([
                ("properties", .array(names.map(JSONValue.string))),
                ("inputs", .array(items.map { .object([("id", .string($0.recordKey))]) })),
            ]), stream: "feedback", scope: Self.readScope)
        var current: [String: JSONValue] = [:]
        for result in read.json["results"]?.items ?? [] {
            if let id = result["id"]?.text { current[id] = result["properties"] ?? .object([]) }
        }
        let missing = Self.failures(read.json)
        var receipts = [PushReceipt?](repeating: nil, count: items.count)
        var changed: [Int] = []
        for (index, item) in items.enumerated() {
            if let problem = missing[item.recordKey] {
                receipts[index] = receipt(
                    item, .failed, "HubSpot has no contact \(item.recordKey) (deleted or merged away): \(problem)")
            } else if let values = current[item.recordKey], matches(values, item.feedback) {
                receipts[index] = receipt(item, .alreadyApplied)
            } else {
                changed.append(index)
            }
        }
        // HubSpot moves lifecyclestage only forward: a stage earlier than the current one is written after clearing
        // the property (synchub sends an earlier stage only when the push section allows moving backwards).
        let backward = changed.filter { index in
            guard let wanted = items[index].feedback.lifecycleStage,
                let held = current[items[index].recordKey]?[Self.lifecycleProperty]?.text, !held.isEmpty, held != wanted
            else { return false }
            guard let from = stages.firstIndex(of: held), let to = stages.firstIndex(of: wanted) else { return true }
            return to < from
        }
        if !backward.isEmpty {
            let cleared = try await clearStages(backward.map { items[$0] })
            for (offset, index) in backward.enumerated() where cleared[offset].status == .failed {
                receipts[index] = cleared[offset]
            }
            changed.removeAll { receipts[$0] != nil }
        }
        if !changed.isEmpty {
            let results = try await update(changed.map { items[$0] })
            for (offset, index) in changed.enumerated() { receipts[index] = results[offset] }
        }
        return zip(items, receipts).map { item, receipt in receipt ?? self.receipt(item, .failed, "no result; push again") }
    }

    /// Writes the items (distinct ids) with one batch update; a batch refused as a whole is retried per contact.
    private func update(_ items: [FeedbackItem]) async throws -> [PushReceipt] {
        let inputs: [JSONValue] = items.map { item in
            .object([("id", .string(item.recordKey)), ("properties", properties(item.feedback))])
        }
        let reply: HubSpotReply
        do {
            reply = try await api.post(
                "/crm/v3/objects/contacts/batch/update", json: .object([("inputs", .array(inputs))]), stream: "feedback",
                scope: Self.writeScope)
        } catch let error as ConnectorError where error.code == .rejected || error.code == .notFound {
            guard items.count > 1 else { return [receipt(items[0], .failed, Self.clean(error.message))] }
            var receipts: [PushReceipt] = []
            for item in items { receipts += try await update([item]) }
            return receipts
        }
        let updated = Set((reply.json["results"]?.items ?? []).compactMap { $0["id"]?.text })
        let failures = Self.failures(reply.json)
        return items.map { item in
            if let problem = failures[item.recordKey] { return receipt(item, .failed, "HubSpot refused the update: \(problem)") }
            if updated.contains(item.recordKey) { return receipt(item, .applied) }
            return receipt(item, .failed, "HubSpot did not confirm the update of contact \(item.recordKey); push again")
        }
    }

    /// Clears `lifecyclestage` of the items' contacts, so that an earlier stage can be written next; an item whose
    /// contact HubSpot refuses to clear fails.
    private func clearStages(_ items: [FeedbackItem]) async throws -> [PushReceipt] {
        let inputs: [JSONValue] = items.map { item in
            .object([("id", .string(item.recordKey)), ("properties", .object([(Self.lifecycleProperty, .string(""))]))])
        }
        let reply = try await api.post(
            "/crm/v3/objects/contacts/batch/update", json: .object([("inputs", .array(inputs))]), stream: "feedback",
            scope: Self.writeScope)
        let failures = Self.failures(reply.json)
        return items.map { item in
            if let problem = failures[item.recordKey] {
                return receipt(item, .failed, "HubSpot refused to clear the lifecycle stage before moving it back: \(problem)")
            }
            return receipt(item, .applied)
        }
    }

    /// The item's values as HubSpot property values; an absent value clears the property (the lifecycle stage is
    /// only written when the item carries one).
    func properties(_ feedback: PersonFeedback) -> JSONValue {
        .object(feedback.fields.map { (propertyName($0.name), .string($0.value ?? "")) })
    }

    /// Whether the contact already holds exactly the item's values.
    func matches(_ values: JSONValue, _ feedback: PersonFeedback) -> Bool {
        for field in feedback.fields {
            let wanted = field.value.flatMap { $0.isEmpty ? nil : $0 }
            let held = values[propertyName(field.name)]?.text.flatMap { $0.isEmpty ? nil : $0 }
            switch (wanted, held) {
            case (nil, nil): continue
            case (let wanted?, let held?):
                if wanted == held { continue }
                if let a = Double(wanted), let b = Double(held), a == b { continue }
                if field.name.hasSuffix("_date"), let a = Timestamps.date(wanted), a == Timestamps.date(held) { continue }
                return false
            default: return false
            }
        }
        return true
    }

    /// Contact id → the system's message, from a batch answer's `errors` (`context.ids`).
    static func failures(_ json: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for error in json["errors"]?.items ?? [] {
            let category = error["category"]?.text
            let text = [category, error["message"]?.text].compactMap { $0 }.joined(separator: ": ")
            var ids = error["context"]?["ids"]?.items.compactMap(\.text) ?? []
            if let id = error["id"]?.text { ids.append(id) }
            for id in ids { out[id] = clean(text) }
        }
        return out
    }

    static func isContactID(_ key: String) -> Bool { !key.isEmpty && key.allSatisfy(\.isASCII) && key.allSatisfy(\.isNumber) }

    /// A system message made safe to store: short, without anything shaped like an email address.
    static func clean(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            word.contains("@") && word.contains(".") ? "<email>" : String(word)
        }
        let joined = words.joined(separator: " ")
        return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
    }

    private func receipt(_ item: FeedbackItem, _ status: PushReceipt.Status, _ message: String? = nil) -> PushReceipt {
        PushReceipt(idempotencyKey: item.idempotencyKey, recordKey: item.recordKey, status: status, message: message)
    }
}
