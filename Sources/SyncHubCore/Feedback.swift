/// The closed-loop feedback synchub derives for one person from the deals linked to them.
public struct PersonFeedback: Sendable, Hashable, Codable {
    /// `won`, `lost` or `open`: the outcome of the person's latest deal. `nil` in a ``retraction``.
    public var outcome: DealOutcome?
    public var amount: Double?
    public var currency: String?
    /// `YYYY-MM-DD`.
    public var closeDate: String?
    public var lossReason: String?
    /// The deal the outcome comes from, as `connector:externalID`.
    public var dealReference: String?
    /// How many deals are linked to the person.
    public var dealCount: Int
    /// Total amount of the person's won deals.
    public var wonRevenue: Double
    /// The person's shared stage as the target system spells it (HubSpot `lifecyclestage` value `customer`), when
    /// the `push` section of `connectors.yml` maps stages for this target; `nil` leaves the target's stage alone.
    public var lifecycleStage: String?

    public init(
        outcome: DealOutcome?, amount: Double? = nil, currency: String? = nil, closeDate: String? = nil,
        lossReason: String? = nil, dealReference: String? = nil, dealCount: Int = 1, wonRevenue: Double = 0
    ) {
        self.outcome = outcome
        self.amount = amount
        self.currency = currency
        self.closeDate = closeDate
        self.lossReason = lossReason
        self.dealReference = dealReference
        self.dealCount = dealCount
        self.wonRevenue = wonRevenue
    }

    /// The feedback as flat fields, in a stable order; what targets write and diffs compare.
    public var fields: [(name: String, value: String?)] {
        [
            ("deal_outcome", outcome?.rawValue),
            ("deal_amount", amount.map { Self.format($0) }),
            ("deal_currency", currency),
            ("deal_close_date", closeDate),
            ("deal_loss_reason", lossReason),
            ("deal_reference", dealReference),
            ("deal_count", String(dealCount)),
            ("won_revenue", Self.format(wonRevenue)),
        ] + (lifecycleStage.map { [("lifecycle_stage", $0)] } ?? [])
    }

    /// What a target is sent for a record it was given feedback for whose person no longer has any deal (the deals
    /// were deleted or unlinked, or the record now belongs to another person): every deal field cleared, no deals,
    /// no won revenue; the lifecycle stage is left alone.
    public static let retraction = PersonFeedback(outcome: nil, dealCount: 0)

    /// Whether this is a ``retraction``.
    public var isRetraction: Bool { outcome == nil && dealCount == 0 }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// One change to send to a feedback target.
public struct FeedbackItem: Sendable, Hashable, Codable {
    /// Who the target addresses: its own record id, or synchub's person id for targets that key by person.
    public var recordKey: String
    public var personID: String
    /// The person's best email, for targets that match on it.
    public var email: String?
    public var feedback: PersonFeedback
    /// Stable across retries of the same change: pushing the same key twice must equal pushing it once.
    public var idempotencyKey: String

    public init(recordKey: String, personID: String, email: String?, feedback: PersonFeedback, idempotencyKey: String) {
        self.recordKey = recordKey
        self.personID = personID
        self.email = email
        self.feedback = feedback
        self.idempotencyKey = idempotencyKey
    }
}

/// What a target did with one ``FeedbackItem``.
public struct PushReceipt: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// The target now holds the item's feedback.
        case applied
        /// The target already held exactly this feedback; nothing changed.
        case alreadyApplied
        /// The target refused this item; ``PushReceipt/message`` says why. Other items are unaffected.
        case failed
    }

    public var idempotencyKey: String
    public var recordKey: String
    public var status: Status
    public var message: String?

    public init(idempotencyKey: String, recordKey: String, status: Status, message: String? = nil) {
        self.idempotencyKey = idempotencyKey
        self.recordKey = recordKey
        self.status = status
        self.message = message
    }
}

/// How a feedback target addresses the people it updates.
public enum FeedbackAddressing: Sendable, Hashable {
    /// By synchub person id: one item per person (files, warehouses).
    case persons
    /// By the target's own contact records, which must have been pulled from the same connector instance.
    case ownContacts
}
