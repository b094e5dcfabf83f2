public import SyncHubCore

/// What identity resolution needs to know of one contact record.
public struct IdentityRecord: Sendable, Hashable {
    public var reference: RecordReference
    /// Every email the record carries, as the source wrote them (normalized by the resolver).
    public var emails: [String]
    /// Records known to be the same person (cross-system id fields, converted leads).
    public var sameAs: [RecordReference]
    /// The source merged this record into another of the same connector (its survivor's external id).
    public var mergedInto: String?
    public var isDeleted: Bool
    /// The person the store links it to today, if any.
    public var currentPersonID: String?
    /// What probabilistic matching compares, as the source wrote it (matchers normalize).
    public var profile: PersonProfile

    public init(
        reference: RecordReference, emails: [String], sameAs: [RecordReference] = [], mergedInto: String? = nil,
        isDeleted: Bool = false, currentPersonID: String? = nil, profile: PersonProfile = PersonProfile()
    ) {
        self.reference = reference
        self.emails = emails
        self.sameAs = sameAs
        self.mergedInto = mergedInto
        self.isDeleted = isDeleted
        self.currentPersonID = currentPersonID
        self.profile = profile
    }
}

/// The fields of a contact record that say who a person is, beyond email. Raw values; `nil` when absent.
public struct PersonProfile: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    public var title: String?
    public var phone: String?
    public var website: String?
    public var street: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?
    /// `YYYY-MM-DD`.
    public var birthDate: String?
    /// A national, tax, membership or customer number (``Contact/personalID``).
    public var personalID: String?
    /// When the source last changed the record (ISO-8601), for survivorship.
    public var updatedAt: String?

    public init(
        firstName: String? = nil, lastName: String? = nil, company: String? = nil, title: String? = nil,
        phone: String? = nil, website: String? = nil, street: String? = nil, city: String? = nil, state: String? = nil,
        postalCode: String? = nil, country: String? = nil, birthDate: String? = nil, personalID: String? = nil,
        updatedAt: String? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.title = title
        self.phone = phone
        self.website = website
        self.street = street
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
        self.birthDate = birthDate
        self.personalID = personalID
        self.updatedAt = updatedAt
    }
}

/// One field compared between two records, and the weight it added to (or took from) their match score.
public struct FieldComparison: Sendable, Hashable, Codable {
    /// `firstName`, `lastName`, `phone`, `postalCode`, `domain`...
    public var field: String
    /// How the values compared: `exact`, `nickname`, `fuzzy`, `different`, `missing`...
    public var outcome: String
    /// The log2 match weight this comparison contributed (0 for missing).
    public var weight: Double

    public init(field: String, outcome: String, weight: Double) {
        self.field = field
        self.outcome = outcome
        self.weight = weight
    }
}

/// Decisions a person made that resolution must respect (`synchub people merge` / `split` / review answers).
public struct IdentityOverrides: Sendable, Hashable {
    /// Pairs of records that are the same person, whatever the rules say.
    public var sameperson: [Pair]
    /// Pairs of records that are different persons: no rule may link them (directly).
    public var differentPersons: [Pair]
    /// Records split out: each stands alone unless a `sameperson` override links it.
    public var detached: Set<RecordReference>

    public struct Pair: Sendable, Hashable {
        public var first: RecordReference
        public var second: RecordReference
        public init(_ first: RecordReference, _ second: RecordReference) {
            self.first = first
            self.second = second
        }
    }

    public init(sameperson: [Pair] = [], differentPersons: [Pair] = [], detached: Set<RecordReference> = []) {
        self.sameperson = sameperson
        self.differentPersons = differentPersons
        self.detached = detached
    }
}

/// Why a record belongs to its person.
public struct IdentityLink: Sendable, Hashable {
    public var reference: RecordReference
    public var personID: String
    /// The rule that linked it: `email`, `same_as`, `upstream_merge`, or `single` (no evidence shared with others).
    public var rule: String
    /// The evidence, such as the normalized email key or the referenced record; stays in the store.
    public var evidence: String

    public init(reference: RecordReference, personID: String, rule: String, evidence: String) {
        self.reference = reference
        self.personID = personID
        self.rule = rule
        self.evidence = evidence
    }
}

/// A person that resolution created.
public struct PersonSeed: Sendable, Hashable {
    public var id: String
    /// The record whose arrival created the person.
    public var foundedBy: RecordReference
    public init(id: String, foundedBy: RecordReference) {
        self.id = id
        self.foundedBy = foundedBy
    }
}

/// An edge between two records, by reference: what the store keeps of a link (or of a pair to review), and what
/// `synchub people show` explains.
public struct MatchedPair: Sendable, Hashable {
    public var first: RecordReference
    public var second: RecordReference
    /// The rule that found the pair: `upstream_merge`, `same_as`, `email`, `probabilistic`, `override`.
    public var rule: String
    /// What matched (the normalized email, the referenced record, the blocking key...).
    public var evidence: String
    /// The probabilistic score (sum of `comparisons`' weights); `nil` for deterministic rules.
    public var score: Double?
    /// The fields compared and their weights (probabilistic rules only).
    public var comparisons: [FieldComparison]

    public init(first: RecordReference, second: RecordReference, rule: String, evidence: String, score: Double? = nil, comparisons: [FieldComparison] = []) {
        self.first = first
        self.second = second
        self.rule = rule
        self.evidence = evidence
        self.score = score
        self.comparisons = comparisons
    }
}

/// The outcome of a resolution pass: what to write to the store.
public struct IdentityResolution: Sendable {
    /// Links whose person, rule or evidence changed (or that are new).
    public var changedLinks: [IdentityLink]
    /// Persons that did not exist before.
    public var newPersons: [PersonSeed]
    /// Persons absorbed into another: `(absorbed, survivor)`. The absorbed id keeps resolving to the survivor.
    public var merges: [(absorbed: String, survivor: String)]
    /// Records examined.
    public var recordsExamined: Int
    /// The edges that linked records (deterministic and probabilistic, after overrides and guards), in a
    /// deterministic order. With a `focus`, only edges touching a focus record; without, all of them.
    public var matches: [MatchedPair]
    /// Pairs scored between the review and link thresholds that were not linked: for `synchub people review`.
    /// With a `focus`, only pairs touching a focus record.
    public var reviews: [MatchedPair]
    /// The probabilistic model used (estimated this run when none was given): persist it to reuse on incremental runs.
    public var model: MatchModel?
    /// Wall-clock seconds of each phase of the pass (for benchmarks and logs).
    public var phases: [Phase] = []

    public struct Phase: Sendable, Hashable {
        public var name: String
        public var seconds: Double
    }

    public init(
        changedLinks: [IdentityLink] = [], newPersons: [PersonSeed] = [], merges: [(absorbed: String, survivor: String)] = [],
        recordsExamined: Int = 0, matches: [MatchedPair] = [], reviews: [MatchedPair] = [], model: MatchModel? = nil
    ) {
        self.changedLinks = changedLinks
        self.newPersons = newPersons
        self.merges = merges
        self.recordsExamined = recordsExamined
        self.matches = matches
        self.reviews = reviews
        self.model = model
    }
}
