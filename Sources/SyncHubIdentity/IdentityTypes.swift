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

    public init(
        reference: RecordReference, emails: [String], sameAs: [RecordReference] = [], mergedInto: String? = nil,
        isDeleted: Bool = false, currentPersonID: String? = nil
    ) {
        self.reference = reference
        self.emails = emails
        self.sameAs = sameAs
        self.mergedInto = mergedInto
        self.isDeleted = isDeleted
        self.currentPersonID = currentPersonID
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

    public init(changedLinks: [IdentityLink] = [], newPersons: [PersonSeed] = [], merges: [(absorbed: String, survivor: String)] = [], recordsExamined: Int = 0) {
        self.changedLinks = changedLinks
        self.newPersons = newPersons
        self.merges = merges
        self.recordsExamined = recordsExamined
    }
}
