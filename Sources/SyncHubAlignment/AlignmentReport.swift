/// The shared numbers for a period: lead volume against the SLA, follow-up times, the funnel, deals, pipeline
/// velocity, win/loss reasons, the same by source, campaign and owner, and attribution of won revenue.
///
/// Money is in ``currency``; deals in a currency without an exchange rate are left out of amounts
/// (``dealsWithoutRate``). Shares are 0…1; `nil` where nothing was there to divide.
public struct AlignmentReport: Sendable, Codable {
    public var period: ReportPeriod
    public var currency: String
    public var dealsWithoutRate: Int
    /// `stages:` defines at least one rule: the funnel, lead volume and follow-up times have data.
    public var stagesConfigured: Bool
    /// Persons by current stage.
    public var currentStages: [String: Int]
    public var leadVolume: LeadVolume
    public var followUp: FollowUp
    public var funnel: [FunnelStep]
    /// People who came in during the period (their first stage entry), and how far each got by the as-of time.
    public var cohort: [CohortStep]
    public var deals: DealMetrics
    public var velocity: [VelocityMonth]
    public var winLoss: WinLoss
    public var bySource: [SegmentRow]
    public var byCampaign: [SegmentRow]
    public var byOwner: [SegmentRow]
    public var attribution: AttributionSummary

    /// Qualified leads (first entries into the SLA's lead stage) per month against the target.
    public struct LeadVolume: Sendable, Codable {
        public var stage: String
        public var targetPerMonth: Int?
        public var total: Int
        public var averagePerMonth: Double
        public var months: [Month]
        /// Months that met the target (`nil` without one).
        public var monthsMet: Int?

        public struct Month: Sendable, Codable {
            public var month: String
            public var leads: Int
            public var target: Int?
            public var met: Bool?
        }
    }

    /// Time from assignment to the first sales activity, for persons assigned in the period.
    public struct FollowUp: Sendable, Codable {
        public var withinHours: Double
        public var targetShare: Double
        /// Persons assigned in the period.
        public var assigned: Int
        /// Followed up within the SLA.
        public var withinSLA: Int
        /// Followed up, but later than the SLA.
        public var late: Int
        /// Not followed up, and past the SLA at the as-of time.
        public var overdue: Int
        /// Not followed up, still within the SLA at the as-of time (left out of the share).
        public var pending: Int
        /// withinSLA ÷ (withinSLA + late + overdue).
        public var share: Double?
        public var medianHours: Double?
        public var p90Hours: Double?
        public var met: Bool?
        /// The same per calendar month of assignment.
        public var months: [Month]

        public struct Month: Sendable, Codable {
            public var month: String
            public var assigned: Int
            public var withinSLA: Int
            public var share: Double?
        }
    }

    /// Persons entering a stage in the period, and how many of them got further by the as-of time.
    public struct FunnelStep: Sendable, Codable {
        public var stage: String
        public var entered: Int
        /// Of those, reached any later funnel stage.
        public var reachedNext: Int
        public var conversion: Double?
        public var medianDaysToNext: Double?
    }

    /// How many of the period's new people reached a stage (or skipped past it) by the as-of time.
    public struct CohortStep: Sendable, Codable {
        public var stage: String
        public var reached: Int
        /// reached ÷ the people who came in.
        public var share: Double?
    }

    public struct DealMetrics: Sendable, Codable {
        /// Opportunities created in the period.
        public var created: Int
        /// Of those, won by the as-of time: the closure rate's numerator.
        public var createdAndWon: Int
        /// createdAndWon ÷ created.
        public var closureRate: Double?
        /// Closed in the period.
        public var won: Int
        public var lost: Int
        /// won ÷ (won + lost).
        public var winRate: Double?
        public var wonAmount: Double
        /// Mean amount of deals won in the period.
        public var averageDeal: Double?
        /// Mean days from creation to close of deals won in the period.
        public var salesCycleDays: Double?
        /// Open at the as-of time.
        public var openOpportunities: Int
        public var openAmount: Double
        /// (open opportunities × win rate × average deal) ÷ sales cycle days: money per day.
        public var velocityPerDay: Double?
    }

    /// Pipeline velocity at each month's end, from deals closed in the 90 days before it.
    public struct VelocityMonth: Sendable, Codable {
        public var month: String
        public var openOpportunities: Int
        public var winRate: Double?
        public var averageDeal: Double?
        public var salesCycleDays: Double?
        public var velocityPerDay: Double?
    }

    public struct WinLoss: Sendable, Codable {
        public var won: Int
        public var wonAmount: Double
        public var lost: Int
        public var lostAmount: Double
        /// Lost deals by loss reason, most first.
        public var reasons: [Reason]

        public struct Reason: Sendable, Codable {
            public var reason: String
            public var deals: Int
            public var amount: Double
        }
    }

    /// The period's numbers for one source, campaign or owner.
    public struct SegmentRow: Sendable, Codable {
        public var key: String
        public var label: String
        /// Qualified leads (entries into the SLA's lead stage) in the period.
        public var leads: Int
        public var assigned: Int
        public var followUpShare: Double?
        public var medianFollowUpHours: Double?
        /// Opportunities created in the period.
        public var opportunities: Int
        public var won: Int
        public var lost: Int
        public var winRate: Double?
        public var wonAmount: Double
        public var averageDeal: Double?
        public var salesCycleDays: Double?
    }

    public struct AttributionSummary: Sendable, Codable {
        public var models: [String]
        /// Won deals closed in the period.
        public var deals: Int
        public var wonRevenue: Double
        /// Won revenue of deals with no touch before their close.
        public var unattributedDeals: Int
        public var unattributedRevenue: Double
        /// Revenue credited per campaign and model, by W-shaped credit, most first.
        public var campaigns: [CampaignCredit]

        public struct CampaignCredit: Sendable, Codable {
            public var campaign: String
            public var name: String
            public var channel: String?
            /// Revenue by model name.
            public var credit: [String: Double]
        }
    }
}
