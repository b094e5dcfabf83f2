import SyncHubAlignment
import SyncHubCore
import SyncHubStore

/// What a push to one target would change: items to create or update, retractions, and how many are unchanged.
struct FeedbackPlan: Sendable {
    struct Change: Sendable {
        var item: FeedbackItem
        var payload: String
        var payloadHash: Int64
        /// What the target held before (from the last push), `nil` for a create.
        var previous: String?
    }

    var target: String
    var creates: [Change] = []
    var updates: [Change] = []
    /// Records given feedback before whose person no longer has a deal: their deal fields are cleared.
    var retractions: [Change] = []
    var unchanged = 0

    var changes: [Change] { creates + updates + retractions }

    /// Compares what each person's feedback is now with what was last pushed to `target`.
    ///
    /// With `stages`, each item also carries the person's shared stage as the target spells it, never moving the
    /// target backwards from what was last pushed to the record (see ``StagePushPolicy``).
    static func make(
        target: String, addressing: FeedbackAddressing, rows: [PersonFeedbackRow], pushed: [String: PushedState],
        stages: StagePushPolicy? = nil
    ) -> FeedbackPlan {
        var plan = FeedbackPlan(target: target)
        var covered = Set<String>()
        for row in rows {
            let keys: [String]
            switch addressing {
            case .persons: keys = [row.personID]
            case .ownContacts: keys = row.contacts.filter { $0.connector == target }.map(\.externalID).sorted()
            }
            for key in keys {
                covered.insert(key)
                var item = FeedbackItem(recordKey: key, personID: row.personID, email: row.email, feedback: row.feedback, idempotencyKey: "")
                if let stages {
                    let previous = pushed[key].flatMap { try? JSONValue.parse($0.payload) }?["lifecycle_stage"]?.text
                    item.feedback.lifecycleStage = stages.value(for: row.personID, previous: previous)
                }
                plan.add(item, previous: pushed[key])
            }
        }
        // Records that were given feedback and have none now: retract it (once; a retraction is then what was pushed).
        for (key, previous) in pushed.sorted(by: { $0.key < $1.key }) where !covered.contains(key) {
            let email = (try? JSONValue.parse(previous.payload))?["email"]?.text
            plan.add(FeedbackItem(recordKey: key, personID: previous.personID, email: email, feedback: .retraction, idempotencyKey: ""), previous: previous)
        }
        return plan
    }

    /// Files `item` as a create, an update, a retraction or unchanged against what was last pushed for its record,
    /// and gives it its idempotency key. The store's canonical payload is what is compared, byte for byte.
    mutating func add(_ item: FeedbackItem, previous: PushedState?) {
        var item = item
        let payload = PushedState.payload(for: item)
        let hash = PushedState.hash(of: payload)
        item.idempotencyKey = "\(target):\(item.recordKey):\(ContentHash.hex(hash))"
        let change = Change(item: item, payload: payload, payloadHash: hash, previous: previous?.payload)
        if previous == nil {
            creates.append(change)
        } else if previous?.payloadHash == hash {
            unchanged += 1
        } else if item.feedback.isRetraction {
            retractions.append(change)
        } else {
            updates.append(change)
        }
    }

    /// Field-by-field differences between two payloads, for the dry-run sample. Emails are not shown.
    static func diff(from previous: String?, to current: String) -> [(field: String, old: String?, new: String?)] {
        let old = previous.flatMap { try? JSONValue.parse($0) }
        guard case .object(let members)? = try? JSONValue.parse(current) else { return [] }
        var out: [(field: String, old: String?, new: String?)] = []
        for (name, value) in members where name != "email" {
            let before = old?[name]?.text
            if before != value.text || old == nil { out.append((name, before, value.text)) }
        }
        if let previousEmail = old?["email"]?.text, previousEmail != (try? JSONValue.parse(current))?["email"]?.text {
            out.append(("email", "(changed)", "(changed)"))
        }
        return out
    }
}
