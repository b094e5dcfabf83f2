import SyncHubCore

/// How won revenue is shared among the touches that led to it.
public enum AttributionModel: String, Sendable, Hashable, Codable, CaseIterable {
    /// All to the first touch.
    case firstTouch = "first-touch"
    /// All to the last touch before the close.
    case lastTouch = "last-touch"
    /// Equal shares.
    case linear
    /// 40% to the first touch, 40% to the lead-creation touch, 20% shared by the others.
    case uShaped = "u-shaped"
    /// 30% each to the first, lead-creation and opportunity-creation touches, 10% shared by the others.
    case wShaped = "w-shaped"

    public var title: String {
        switch self {
        case .firstTouch: "first touch"
        case .lastTouch: "last touch"
        case .linear: "linear"
        case .uShaped: "U-shaped"
        case .wShaped: "W-shaped"
        }
    }
}

/// One won deal's revenue shared among its touches, with why each touch got what it got.
public struct DealAttribution: Sendable, Hashable, Codable {
    public struct TouchCredit: Sendable, Hashable, Codable {
        /// `connector:externalID` of the touch.
        public var touch: String
        public var person: String
        /// `connector:campaignID`, or `nil` for a touch without a campaign.
        public var campaign: String?
        public var campaignName: String?
        public var type: String
        public var occurredAt: String
        /// The milestones this touch stands for: `first touch`, `lead creation`, `opportunity creation`,
        /// `last touch`.
        public var roles: [String]
        /// Share of the deal per model (0…1), by model name.
        public var shares: [String: Double]
        /// Revenue credited per model, by model name.
        public var credit: [String: Double]
    }

    /// `connector:externalID` of the deal.
    public var deal: String
    /// In the report currency; `nil` when the deal has no amount or no rate converts it.
    public var amount: Double?
    public var currency: String
    public var createdAt: String?
    public var closeDate: String?
    /// Persons linked to the deal, whose touches count.
    public var persons: [String]
    /// When the first of them became a lead (stage ledger, else their first record), the lead-creation milestone.
    public var leadCreatedAt: String?
    /// Touches before the close, in time order; empty when none: the revenue is unattributed.
    public var touches: [TouchCredit]
}

/// Attribution of won revenue to campaigns under every model.
public enum Attribution {
    /// Shares of each touch (by index in time order) under `model`, summing to 1.
    ///
    /// Milestone touches: the first touch, the last touch, and for a milestone time (lead creation, opportunity
    /// creation) the latest touch at or before it, else the first touch. A touch standing for several milestones
    /// gets each one's weight. The rest-share goes evenly to touches that are no milestone, or, when every touch is
    /// one, evenly to the milestone touches.
    public static func shares(
        model: AttributionModel, times: [Int64], leadCreatedAt: Int64?, opportunityCreatedAt: Int64?
    ) -> [Double] {
        let count = times.count
        guard count > 0 else { return [] }
        var shares = [Double](repeating: 0, count: count)
        func milestone(_ time: Int64?) -> Int {
            guard let time else { return 0 }
            return times.lastIndex { $0 <= time } ?? 0
        }
        func positional(_ weights: [(index: Int, weight: Double)], rest: Double) {
            for (index, weight) in weights { shares[index] += weight }
            let milestones = Set(weights.map(\.index))
            let others = (0..<count).filter { !milestones.contains($0) }
            let receivers = others.isEmpty ? milestones.sorted() : others
            for index in receivers { shares[index] += rest / Double(receivers.count) }
        }
        switch model {
        case .firstTouch: shares[0] = 1
        case .lastTouch: shares[count - 1] = 1
        case .linear: shares = shares.map { _ in 1 / Double(count) }
        case .uShaped: positional([(0, 0.4), (milestone(leadCreatedAt), 0.4)], rest: 0.2)
        case .wShaped:
            positional([(0, 0.3), (milestone(leadCreatedAt), 0.3), (milestone(opportunityCreatedAt), 0.3)], rest: 0.1)
        }
        return shares
    }

    /// Explains one won deal: its touches before the close (excluding non-credit types) and each one's share.
    static func explain(
        deal: AlignmentSnapshot.DealRecord, amount: Double?, currency: String, touches: [AlignmentSnapshot.TouchRecord],
        leadCreatedAt: Int64?, campaigns: [String: AlignmentSnapshot.CampaignInfo]
    ) -> DealAttribution {
        let times = touches.map(\.time)
        var perModel: [AttributionModel: [Double]] = [:]
        for model in AttributionModel.allCases {
            perModel[model] = shares(
                model: model, times: times, leadCreatedAt: leadCreatedAt, opportunityCreatedAt: deal.createdAt)
        }
        let leadIndex = leadCreatedAt.flatMap { time in times.lastIndex { $0 <= time } } ?? 0
        let opportunityIndex = deal.createdAt.flatMap { time in times.lastIndex { $0 <= time } } ?? 0
        let credits = touches.enumerated().map { index, touch in
            var roles: [String] = []
            if index == 0 { roles.append("first touch") }
            if index == leadIndex { roles.append("lead creation") }
            if index == opportunityIndex { roles.append("opportunity creation") }
            if index == touches.count - 1 { roles.append("last touch") }
            var shares: [String: Double] = [:]
            var credit: [String: Double] = [:]
            for model in AttributionModel.allCases {
                let share = perModel[model]![index]
                shares[model.rawValue] = share
                credit[model.rawValue] = (amount ?? 0) * share
            }
            return DealAttribution.TouchCredit(
                touch: touch.reference, person: touch.personID, campaign: touch.campaign,
                campaignName: touch.campaign.flatMap { campaigns[$0]?.name }, type: touch.type,
                occurredAt: isoTime(touch.time), roles: roles, shares: shares, credit: credit)
        }
        return DealAttribution(
            deal: deal.reference, amount: amount, currency: currency, createdAt: deal.createdAt.map(isoTime),
            closeDate: deal.closeDate.map(isoDate), persons: deal.persons, leadCreatedAt: leadCreatedAt.map(isoTime),
            touches: credits)
    }
}
