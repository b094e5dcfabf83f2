public import Foundation
import Hummingbird
import Synchronization

/// A local simulation of the Salesforce REST API over a seeded org, for tests and offline trials.
///
/// It speaks Salesforce's wire formats: the OAuth 2.0 refresh-token flow (`POST /services/oauth2/token`), the
/// versions list, `query`/`queryAll` with `nextRecordsUrl` locators and `Sforce-Query-Options: batchSize`, sObject
/// Collections `PATCH /composite/sobjects`, `describe`, record retrieval and `limits`; Salesforce's error bodies
/// (`[{"message","errorCode"}]`), `INVALID_SESSION_ID` after token expiry, and `Sforce-Limit-Info` on every API
/// response with `REQUEST_LIMIT_EXCEEDED` past the daily limit. ``faults`` injects failures and limits; the
/// `touch`, `delete`, `merge` and `add` methods (also over HTTP under `/_sandbox/salesforce/`) change the org the way
/// users, automation and merges do.
///
/// The seeded org holds about `people / 8` accounts, `people / 2` contacts and `people / 2` leads (a quarter of them
/// converted), `people / 6` opportunities with contact roles, campaigns and `people * 3 / 2` campaign members,
/// activities (Task: calls, emails, to-dos; Event: meetings) following up about three quarters of the leads and
/// contacts minutes to days after they were created, with
/// two years of history ending at the start of the UTC day `now()` returns when the simulator is made. The same seed
/// and day give the same org.
public final class SalesforceSimulator: Sendable {
    /// The connected app's consumer key the token endpoint accepts.
    public static let clientID = "synchub-sandbox-client"
    /// The connected app's consumer secret the token endpoint accepts (it may also be omitted).
    public static let clientSecret = "synchub-sandbox-secret"
    /// The refresh token the token endpoint accepts.
    public static let refreshToken = "synchub-sandbox-refresh-token"

    /// Injected failures, latency, token expiry and API limits.
    public let faults = SalesforceFaults()

    let apiVersion: String
    let maxVersion: Int
    let now: @Sendable () -> Date
    /// When the simulation started: its daily API count resets every 24 hours from here (Salesforce's limit is a
    /// rolling 24 hours), never at a midnight in the middle of a run.
    let startMillis: Int64

    struct OrgData: Sendable {
        var org: SFOrg
        var generator: SFGenerator
    }

    struct QueryCursor: Sendable {
        let org: SFOrg
        let plan: SOQLPlan
        let slots: [Int32]
        let batchSize: Int
        var lastUsed: Int64
        var finished = false
    }

    struct Sessions: Sendable {
        /// Access token to the instant it was issued and the token epoch then.
        var tokens: [String: (issued: Int64, epoch: Int)] = [:]
        var cursors: [String: QueryCursor] = [:]
        var counter = 0
        var rng: SplitMix64
    }

    let data: Mutex<OrgData>
    let sessions: Mutex<Sessions>
    let orgID: String

    /// Open query cursors per user, as Salesforce allows; opening another releases the oldest.
    static let maxOpenCursors = 10
    /// A cursor unused this long (15 minutes) is released.
    static let cursorIdleMillis: Int64 = 15 * 60 * 1000

    /// Makes a simulator over a seeded org.
    /// - Parameters:
    ///   - seed: Seeds every generated value.
    ///   - people: About how many leads and contacts the org holds.
    ///   - apiVersion: The newest API version served, like `v62.0`; versions from `v31.0` up to it are accepted.
    ///   - now: The clock: token expiry, `SystemModstamp` of changes, relative dates in SOQL, the daily API count.
    public init(
        seed: UInt64 = 1, people: Int = 1000, apiVersion: String = "v62.0",
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.apiVersion = apiVersion
        self.maxVersion = Self.versionNumber(apiVersion) ?? 62
        self.now = now
        startMillis = Self.millis(now())
        let seeded = SFSeeder.seed(seed: seed, people: people, now: startMillis)
        orgID = seeded.org.orgID
        data = Mutex(OrgData(org: seeded.org, generator: seeded.generator))
        sessions = Mutex(Sessions(rng: SplitMix64(seed: seed ^ 0x5A17_5EED)))
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    var nowMillis: Int64 { Self.millis(now()) }

    /// `v62.0` → 62; `nil` unless the text is `v<major>.0`.
    static func versionNumber(_ text: String) -> Int? {
        guard text.hasPrefix("v"), text.hasSuffix(".0"), let number = Int(text.dropFirst().dropLast(2)) else {
            return nil
        }
        return number
    }

    /// API requests counted today.
    public var apiCallsUsed: Int { faults.usage.used }

    // MARK: Changing the org

    static func kind(_ sobject: String) -> SFObjectKind? { SalesforceSchema.object(named: sobject)?.kind }

    /// Changes one field of each live record and bumps its `SystemModstamp` (and `LastModifiedDate`) to now.
    /// Returns the ids changed; unknown or deleted ids are skipped.
    @discardableResult
    public func touch(_ sobject: String, ids: [String]) -> [String] {
        guard let kind = Self.kind(sobject) else { return [] }
        let now = nowMillis
        return data.withLock { $0.org.touch(kind, ids: ids, now: now) }
    }

    /// Touches `count` live records picked at random; returns their ids.
    @discardableResult
    public func touch(_ sobject: String, count: Int) -> [String] {
        guard let kind = Self.kind(sobject) else { return [] }
        let now = nowMillis
        return data.withLock { data in
            let ids = Self.randomLive(kind, count: count, in: data.org, generator: &data.generator)
            return data.org.touch(kind, ids: ids, now: now)
        }
    }

    /// Moves records to the recycle bin (`IsDeleted = true`): hidden from `query`, visible in `queryAll`. Cascades
    /// as Salesforce does (an account's contacts and opportunities go with it). Returns every id deleted.
    @discardableResult
    public func delete(_ sobject: String, ids: [String]) -> [String] {
        guard let kind = Self.kind(sobject) else { return [] }
        let now = nowMillis
        return data.withLock { $0.org.delete(kind, ids: ids, now: now) }
    }

    /// Merges `loser` into `master` (Lead, Contact or Account): the loser is deleted with `MasterRecordId` = master,
    /// its children move to the master. Returns `false` when the records cannot be merged.
    @discardableResult
    public func merge(_ sobject: String, loser: String, into master: String) -> Bool {
        guard let kind = Self.kind(sobject) else { return false }
        let now = nowMillis
        return data.withLock { $0.org.merge(kind, loser: loser, into: master, now: now) }
    }

    /// Creates `count` new records created and modified now; returns their ids.
    @discardableResult
    public func add(_ sobject: String, count: Int) -> [String] {
        guard let kind = Self.kind(sobject) else { return [] }
        let now = nowMillis
        return data.withLock { data in
            (0..<max(0, count)).map { _ in
                var draft = data.generator.newRecord(kind, in: data.org, now: now)
                let id = data.org[kind].nextID
                draft.values[0] = .string(id)
                data.org[kind].append(draft.values)
                return id
            }
        }
    }

    /// Ids of the records of `sobject`, in id order; deleted ones only when `includeDeleted`.
    public func ids(_ sobject: String, includeDeleted: Bool = false) -> [String] {
        guard let kind = Self.kind(sobject) else { return [] }
        return data.withLock { data in
            let table = data.org[kind]
            return table.rows.filter { includeDeleted || !$0.isDeleted(table.object) }.map(\.id)
        }
    }

    static func randomLive(_ kind: SFObjectKind, count: Int, in org: SFOrg, generator: inout SFGenerator) -> [String] {
        let table = org[kind]
        var live = table.rows.filter { !$0.isDeleted(table.object) }.map(\.id)
        var picked: [String] = []
        while picked.count < count, !live.isEmpty {
            picked.append(live.remove(at: generator.int(0...(live.count - 1))))
        }
        return picked
    }

    // MARK: Sessions

    /// Issues an access token.
    func issueToken(at instant: Int64) -> String {
        let (epoch, lifetime) = faults.state.withLock { ($0.tokenEpoch, $0.accessTokenLifetime) }
        return sessions.withLock { sessions in
            if sessions.tokens.count > 1000 {
                let horizon = instant - lifetime.components.seconds * 1000
                sessions.tokens = sessions.tokens.filter { $0.value.epoch == epoch && $0.value.issued > horizon }
            }
            sessions.counter += 1
            var chars: [UInt8] = []
            for _ in 0..<96 { chars.append(SalesforceID.digits[Int(sessions.rng.next() % 62)]) }
            let token = "\(orgID.prefix(15))!AQ\(sessions.counter).\(String(decoding: chars, as: UTF8.self))"
            sessions.tokens[token] = (instant, epoch)
            return token
        }
    }

    /// Whether `token` is a live access token.
    func isValid(token: String, at instant: Int64) -> Bool {
        guard let issued = sessions.withLock({ $0.tokens[token] }) else { return false }
        let (epoch, lifetime) = faults.state.withLock { ($0.tokenEpoch, $0.accessTokenLifetime) }
        let lifetimeMillis =
            lifetime.components.seconds * 1000 + lifetime.components.attoseconds / 1_000_000_000_000_000
        return issued.epoch == epoch && instant - issued.issued < lifetimeMillis
    }

    func randomBytes(_ count: Int) -> [UInt8] {
        sessions.withLock { sessions in (0..<count).map { _ in UInt8(truncatingIfNeeded: sessions.rng.next()) } }
    }

    // MARK: Query cursors

    /// Keeps a cursor for the rest of a result; returns its locator.
    func openCursor(_ cursor: QueryCursor) -> String {
        sessions.withLock { sessions in
            sessions.counter += 1
            let locator = SalesforceID.make(prefix: "01g", counter: sessions.counter)
            sessions.cursors = sessions.cursors.filter { cursor.lastUsed - $0.value.lastUsed < Self.cursorIdleMillis }
            while sessions.cursors.count >= Self.maxOpenCursors {
                let victim =
                    sessions.cursors.filter(\.value.finished).min { $0.value.lastUsed < $1.value.lastUsed }
                    ?? sessions.cursors.min { $0.value.lastUsed < $1.value.lastUsed }
                guard let victim else { break }
                sessions.cursors[victim.key] = nil
            }
            sessions.cursors[locator] = cursor
            return locator
        }
    }

    /// The cursor of `locator`, marked used now; `nil` when unknown, released or idle too long.
    func useCursor(_ locator: String, at instant: Int64, finishing: @Sendable (QueryCursor) -> Bool) -> QueryCursor? {
        sessions.withLock { sessions in
            guard var cursor = sessions.cursors[locator] else { return nil }
            guard instant - cursor.lastUsed < Self.cursorIdleMillis else {
                sessions.cursors[locator] = nil
                return nil
            }
            cursor.lastUsed = instant
            if finishing(cursor) { cursor.finished = true }
            sessions.cursors[locator] = cursor
            return cursor
        }
    }
}
