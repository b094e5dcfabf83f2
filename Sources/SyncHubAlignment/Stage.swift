/// The shared lifecycle stages marketing and sales agree on, whatever each system calls them.
///
/// The first six are the funnel, in order; ``recycled`` and ``disqualified`` are off the funnel: a person sent back
/// to marketing, or out.
public enum Stage: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// A person showing interest.
    case lead
    /// Marketing qualified lead: meets marketing's agreed score and fit criteria.
    case mql
    /// Sales accepted lead: sales agreed to work it.
    case sal
    /// Sales qualified lead: sales confirmed a real opportunity.
    case sql
    /// In the pipeline: an open deal.
    case opportunity
    /// Won.
    case customer
    /// Sent back to marketing for nurture.
    case recycled
    /// Out: not a fit.
    case disqualified

    /// The funnel, in order.
    public static let funnel: [Stage] = [.lead, .mql, .sal, .sql, .opportunity, .customer]

    /// The position in the funnel (0 for lead), or `nil` for recycled and disqualified.
    public var rank: Int? { Self.funnel.firstIndex(of: self) }

    public var isFunnel: Bool { rank != nil }

    /// How reports spell it: `MQL`, `opportunity`.
    public var label: String {
        switch self {
        case .mql, .sal, .sql: rawValue.uppercased()
        default: rawValue
        }
    }

    public var description: String { rawValue }

    /// Funnel stages in funnel order, then recycled, then disqualified.
    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        (Self.allCases.firstIndex(of: lhs) ?? 0) < (Self.allCases.firstIndex(of: rhs) ?? 0)
    }

    /// Whether moving a person (or a target's field) from `old` to `new` goes backwards: down the funnel, or out of
    /// the pipeline (an opportunity or customer turned recycled or disqualified). Leaving recycled or disqualified
    /// for a funnel stage is re-qualification, not backwards.
    public static func isBackwards(from old: Stage, to new: Stage) -> Bool {
        switch (old.rank, new.rank) {
        case (let old?, let new?): new < old
        case (let old?, nil): old >= Stage.opportunity.rank!
        default: false
        }
    }
}
