public import Foundation
public import Hummingbird
import HTTPTypes
import SyncHubCore
import Synchronization

/// A local simulation of HubSpot's CRM APIs with HubSpot's wire formats: CRM v3 objects (contacts, companies,
/// deals and the engagement objects calls, meetings, emails and tasks: list, read, search, batch
/// read/update/upsert, merge), properties, v4 association batch reads, the legacy email events and campaigns API,
/// forms and their submissions, marketing events and their participations, the OAuth v1 token endpoint,
/// rate-limit headers and 429s, and fault injection.
///
/// Data is generated from `seed`: the same seed, contact count and day give the same records. Timestamps are
/// spread over the nine months before the day `now` falls on, and many records share a modification second
/// (or millisecond), as after imports and workflow runs.
///
/// ```swift
/// let simulator = HubSpotSimulator(seed: 7, contacts: 2_000)
/// let router = Router()
/// simulator.addRoutes(to: router)
/// ```
///
/// Routes (bearer token required unless noted):
/// - `GET /crm/v3/objects/{contacts|companies|deals|calls|meetings|emails|tasks}` (`limit` ≤ 100, `after`, `properties`, `archived`,
///   `associations`), `GET /crm/v3/objects/{type}/{id}` (`idProperty`, `properties`, `archived`)
/// - `POST /crm/v3/objects/{type}/search` (≤ 200 per page, 10,000 results per query, 5 per second),
///   `POST …/batch/read`, `POST …/batch/update`, `POST …/batch/upsert` (≤ 100 inputs), `POST …/merge`
/// - `GET|POST /crm/v3/properties/{type}`, `GET /crm/v3/properties/{type}/{name}`
/// - `POST /crm/v4/associations/{from}/{to}/batch/read`
/// - `GET /email/public/v1/events`, `GET /email/public/v1/campaigns[/by-id]`, `GET /email/public/v1/campaigns/{id}`
/// - `GET /marketing/v3/forms/` (`limit` ≤ 100, `after`), `GET /form-integrations/v1/submissions/forms/{guid}` (≤ 50)
/// - `GET /marketing/v3/marketing-events/`, `GET /marketing/v3/marketing-events/participations/{id}/breakdown` (≤ 100)
/// - `POST /oauth/v1/token` (form-encoded; no bearer token)
/// - `GET|POST /_sandbox/hubspot/faults`, `POST /_sandbox/hubspot/{touch|archive|merge|add|submit|participate|rename}`
///   (no token, never faulted)
public final class HubSpotSimulator: Sendable {
    let store: Mutex<HubSpotStore>
    let ledger: Mutex<HubSpotRateLedger>
    let mutationRandom: Mutex<HubSpotRandom>
    let clock: @Sendable () -> Date

    /// Fault switches and budgets.
    public let faults: HubSpotFaults
    /// The private-app token and the OAuth app the simulation accepts.
    public let accessTokens: HubSpotAccessTokens

    /// - Parameters:
    ///   - seed: Seed of the generated data.
    ///   - contacts: Contacts to generate; companies are about an eighth of that, deals a sixth, and each contact
    ///     gets about five email events; about three quarters are followed up by one to four engagements (calls,
    ///     emails, meetings, tasks) minutes to days after they were created; a contact in six takes part in one of
    ///     `contacts / 250` marketing events; three forms hold submissions by about a third of the contacts.
    ///   - now: The simulation's clock (record mutations, token expiry, rate windows).
    public init(seed: UInt64 = 1, contacts: Int = 1000, now: @escaping @Sendable () -> Date = Date.init) {
        let tokens = HubSpotAccessTokens()
        accessTokens = tokens
        clock = now
        faults = HubSpotFaults(expireNow: { tokens.expireAll(nowMs: HubSpotTime.milliseconds(now())) })
        let startMs = HubSpotTime.milliseconds(now())
        ledger = Mutex(HubSpotRateLedger(dayStartMs: startMs))
        var seedBuilder = HubSpotSeed(seed: seed, anchorMs: startMs)
        store = Mutex(seedBuilder.build(contacts: max(0, contacts)))
        mutationRandom = Mutex(HubSpotRandom(seed: seed &+ 0xA11CE))
    }

    var nowMs: Int64 { HubSpotTime.milliseconds(clock()) }

    // MARK: - Mutations between pulls

    /// Changes a property of each contact (its job title) and bumps its `lastmodifieddate` to now, which moves it
    /// to the end of the modification order. Unknown, archived or merged ids are skipped.
    public func touch(contacts ids: [String]) {
        touch(.contacts, ids: ids)
    }

    func touch(_ type: HubSpotObjectType, ids: [String]) {
        let now = nowMs
        let titles = HubSpotSeedVocabulary.jobTitles
        store.withLock { store in
            for id in ids {
                guard let position = store[type].position(ofText: id, followMerges: false),
                    store[type][position].isLive
                else { continue }
                var values: [String: String]
                switch type {
                case .contacts:
                    let current = store[type][position].values["jobtitle"]
                    let next = titles[((titles.firstIndex { $0 == current } ?? -1) + 1) % titles.count]
                    values = ["jobtitle": next]
                case .companies:
                    values = ["numberofemployees": String((Int(store[type][position].values["numberofemployees"] ?? "") ?? 0) + 1)]
                case .deals:
                    values = ["amount": String((Double(store[type][position].values["amount"] ?? "") ?? 0) + 100)]
                case .calls:
                    values = ["hs_call_duration": String((Int(store[type][position].values["hs_call_duration"] ?? "") ?? 0) + 1000)]
                case .meetings:
                    values = ["hs_meeting_outcome": Self.next(store[type][position].values["hs_meeting_outcome"], in: HubSpotSeedVocabulary.meetingOutcomes)]
                case .emails:
                    values = ["hs_email_status": Self.next(store[type][position].values["hs_email_status"], in: HubSpotSeedVocabulary.emailStatuses)]
                case .tasks:
                    let status = Self.next(store[type][position].values["hs_task_status"], in: HubSpotSeedVocabulary.taskStatuses)
                    values = ["hs_task_status": status, "hs_task_completion_date": status == "COMPLETED" ? HubSpotTime.iso(now) : ""]
                }
                store.update(type, at: position, values: values, at: now)
            }
        }
    }

    /// The value after `current` in `values` (the first when `current` is not one of them).
    static func next(_ current: String?, in values: [String]) -> String {
        values[((values.firstIndex { $0 == current } ?? -1) + 1) % values.count]
    }

    /// Changes one property of each record of `objectType` (`contacts`, `deals`, `calls`…) and bumps its
    /// modification time to now.
    public func touch(_ objectType: String, ids: [String]) {
        guard let type = HubSpotObjectType(path: objectType) else { return }
        touch(type, ids: ids)
    }

    /// Archives records of `objectType` (`contacts`, `deals`, `calls`…).
    public func archive(_ objectType: String, ids: [String]) {
        guard let type = HubSpotObjectType(path: objectType) else { return }
        archive(type, ids: ids)
    }

    /// Ids of live records of `objectType` in (modification time, id) order.
    public func idsInModificationOrder(_ objectType: String) -> [String] {
        guard let type = HubSpotObjectType(path: objectType) else { return [] }
        return store.withLock { store in store[type].modifiedOrder.map { store[type][$0].idText } }
    }

    /// Archives contacts: they leave lists and searches and appear in `archived=true` lists.
    public func archive(contacts ids: [String]) {
        archive(.contacts, ids: ids)
    }

    func archive(_ type: HubSpotObjectType, ids: [String]) {
        let now = nowMs
        store.withLock { store in
            for id in ids {
                guard let position = store[type].position(ofText: id, followMerges: false) else { continue }
                store[type].archive(position, at: now)
            }
        }
    }

    /// Merges contact `absorbed` into `survivor` as HubSpot does since its 2024 merge change: a new contact with a
    /// new id replaces both, keeps the survivor's values (the absorbed one's fill gaps), lists both old ids in
    /// `hs_merged_object_ids` ("survivor;absorbed"), takes both records' associations, and both old ids disappear
    /// from lists and searches while reads by them return the new contact.
    /// - Returns: The new contact's id, or nil when either id is not a live contact or they are the same.
    @discardableResult
    public func merge(contact absorbed: String, into survivor: String) -> String? {
        merge(.contacts, absorbed: absorbed, into: survivor)
    }

    func merge(_ type: HubSpotObjectType, absorbed: String, into survivor: String) -> String? {
        let now = nowMs
        return store.withLock { store -> String? in
            guard let primary = store[type].position(ofText: survivor, followMerges: false),
                let secondary = store[type].position(ofText: absorbed, followMerges: false),
                primary != secondary, store[type][primary].isLive, store[type][secondary].isLive
            else { return nil }
            let position = store.merge(type, primary: primary, absorbed: secondary, at: now)
            return store[type][position].idText
        }
    }

    /// Creates `count` contacts, created and modified now (so they share a timestamp), each with a primary company.
    /// - Returns: Their ids.
    @discardableResult
    public func addContacts(_ count: Int) -> [String] {
        let now = nowMs
        return mutationRandom.withLock { random in
            store.withLock { store -> [String] in
                var ids: [String] = []
                for _ in 0..<max(0, count) {
                    let first = random.pick(HubSpotSeedVocabulary.firstNames)
                    let last = random.pick(HubSpotSeedVocabulary.lastNames)
                    let companyPosition = store[.companies].count > 0 ? random.below(store[.companies].count) : nil
                    let company = companyPosition.map { store[.companies][$0] }
                    let domain = company?.values["domain"] ?? "mail.example"
                    var email = "\(first).\(last)".lowercased() + "@\(domain)"
                    if store[.contacts].position(ofEmail: email) != nil {
                        email = "\(first).\(last)\(store[.contacts].count)".lowercased() + "@\(domain)"
                    }
                    var values = [
                        "email": email, "firstname": first, "lastname": last, "lifecyclestage": "lead",
                        "hs_lead_status": "NEW", "jobtitle": random.pick(HubSpotSeedVocabulary.jobTitles),
                    ]
                    if let company {
                        values["company"] = company.values["name"]
                        values["associatedcompanyid"] = company.idText
                    }
                    let position = store.create(.contacts, values: values, at: now)
                    let id = store[.contacts][position].id
                    if let company { store.associations.link(id, .contacts, company.id, .companies) }
                    ids.append(String(id))
                }
                return ids
            }
        }
    }

    /// Ids of live contacts in (lastmodifieddate, id) order: the order a correct incremental pull sees them.
    public func contactIDsInModificationOrder() -> [String] {
        store.withLock { store in store[.contacts].modifiedOrder.map { store[.contacts][$0].idText } }
    }

    /// Number of live (not archived, not merged) records of `objectType` (`contacts`, `companies`, `deals`).
    public func liveCount(_ objectType: String) -> Int {
        guard let type = HubSpotObjectType(path: objectType) else { return 0 }
        return store.withLock { $0[type].liveCount }
    }

    // MARK: - Request pipeline

    enum EndpointKind {
        /// CRM and email routes: bearer token, burst and daily budgets.
        case api
        /// Search: bearer token, per-second search budget and daily budget.
        case search
        /// The token endpoint: faults apply, no bearer token.
        case oauth
        /// `/_sandbox`: no faults, no token.
        case sandbox
    }

    /// Who made an authenticated request.
    struct Caller {
        /// Budget key: OAuth tokens of the app share one budget, as HubSpot counts per app and account.
        var budgetKey: String
        var isOAuth: Bool
    }

    struct DroppedConnection: Error {}

    /// Runs `handler` behind latency, planned failures, authentication and budgets, and adds HubSpot's
    /// rate-limit headers to what it answers.
    func serve(
        _ request: Request, kind: EndpointKind,
        _ handler: (inout Request, Caller?) async throws -> HubSpotReply
    ) async throws -> Response {
        var request = request
        var truncate = false
        if kind != .sandbox {
            let latency = faults.latency
            if latency > .zero { try await Task.sleep(for: latency) }
            if let failure = faults.take(path: request.uri.path) {
                switch failure {
                case .status(let status, let retryAfter): return plannedFailure(status, retryAfter: retryAfter)
                case .reset: return droppedConnection()
                case .truncate: truncate = true
                }
            }
        }
        var caller: Caller?
        var rateHeaders: [(String, String)] = []
        if kind == .api || kind == .search {
            let now = nowMs
            guard let token = Self.bearerToken(request) else { return HubSpotErrors.invalidAuthentication().response }
            switch accessTokens.verdict(for: token, nowMs: now) {
            case .privateApp: caller = Caller(budgetKey: "private-app", isOAuth: false)
            case .oauth: caller = Caller(budgetKey: "oauth-app", isOAuth: true)
            case .expired(let expiry):
                return HubSpotErrors.expiredAuthentication(expiredAtMs: expiry, nowMs: now).response
            case .unknown: return HubSpotErrors.invalidAuthentication().response
            }
            let budgets = faults.budgets
            let admission = ledger.withLock {
                $0.admit(key: caller!.budgetKey, isSearch: kind == .search, nowMs: now, budgets: budgets)
            }
            rateHeaders = [
                ("X-HubSpot-RateLimit-Interval-Milliseconds", String(budgets.burstIntervalMs)),
                ("X-HubSpot-RateLimit-Max", String(budgets.burstLimit)),
                ("X-HubSpot-RateLimit-Remaining", String(admission.burstRemaining)),
            ]
            if !caller!.isOAuth {
                // HubSpot leaves the daily headers out for OAuth apps.
                rateHeaders.insert(contentsOf: [
                    ("X-HubSpot-RateLimit-Daily", String(budgets.dailyLimit)),
                    ("X-HubSpot-RateLimit-Daily-Remaining", String(admission.dailyRemaining)),
                ], at: 0)
            }
            if let policy = admission.refusedBy {
                var reply = HubSpotErrors.rateLimited(policy: policy, groupName: Self.groupName(policy, caller!))
                reply.headers.append(contentsOf: rateHeaders)
                return reply.response
            }
        }
        var reply: HubSpotReply
        do {
            reply = try await handler(&request, caller)
        } catch let problem as JSONParseError {
            reply = HubSpotErrors.invalidJSON(problem.description)
        } catch let refusal as HubSpotReply {
            reply = refusal
        }
        reply.headers.append(contentsOf: rateHeaders)
        return truncate ? Self.truncated(reply) : reply.response
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    static func groupName(_ policy: String, _ caller: Caller) -> String {
        let kind = caller.isOAuth ? "oauth" : "private_app"
        let window: String
        switch policy {
        case "SECONDLY": window = "search-secondly"
        case "DAILY": window = "daily"
        default: window = "ten-secondly"
        }
        return "publicapi:\(kind)-api-calls-\(window):\(HubSpotEmailLog.appID):\(HubSpotEmailLog.portalID)"
    }

    private func plannedFailure(_ status: Int, retryAfter: Int?) -> Response {
        let reply: HubSpotReply
        switch status {
        case 429:
            var limited = HubSpotErrors.rateLimited(
                policy: "TEN_SECONDLY_ROLLING",
                groupName: "publicapi:private_app-api-calls-ten-secondly:\(HubSpotEmailLog.appID):\(HubSpotEmailLog.portalID)",
                retryAfterSeconds: retryAfter)
            limited.headers.append(contentsOf: [
                ("X-HubSpot-RateLimit-Interval-Milliseconds", String(faults.burstIntervalMilliseconds)),
                ("X-HubSpot-RateLimit-Max", String(faults.burstLimit)), ("X-HubSpot-RateLimit-Remaining", "0"),
            ])
            reply = limited
        case 502, 503, 504:
            // Gateway errors come from the edge, as HTML, not from HubSpot's JSON API.
            let phrase = [502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"][status] ?? "Error"
            var page = HubSpotReply.bytes(
                HTTPResponse.Status(code: status, reasonPhrase: phrase),
                Array("<html><head><title>\(status) \(phrase)</title></head><body><h1>\(status) \(phrase)</h1></body></html>\n".utf8))
            page.contentType = "text/html; charset=UTF-8"
            if let retryAfter { page.headers.append(("Retry-After", String(retryAfter))) }
            reply = page
        default:
            var error = HubSpotErrors.reply(
                HTTPResponse.Status(code: status), message: "internal error", category: "INTERNAL_ERROR")
            if let retryAfter { error.headers.append(("Retry-After", String(retryAfter))) }
            reply = error
        }
        return reply.response
    }

    /// A response whose body fails before its first byte: the server closes the connection after the head.
    private func droppedConnection() -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json;charset=utf-8"
        return Response(
            status: .ok, headers: fields, body: ResponseBody(contentLength: 4_096) { _ in throw DroppedConnection() })
    }

    /// The reply's head with its full `Content-Length`, and only the first half of its body.
    static func truncated(_ reply: HubSpotReply) -> Response {
        let body = reply.body
        let sent = Array(body.prefix(body.count / 2))
        var fields = reply.fields
        fields[.contentLength] = String(body.count)
        return Response(
            status: reply.status, headers: fields,
            body: ResponseBody(contentLength: body.count) { writer in
                if !sent.isEmpty { try await writer.write(ByteBuffer(bytes: sent)) }
                throw DroppedConnection()
            })
    }

    // MARK: - Routes

    /// Adds every HubSpot route, and the `/_sandbox/hubspot` control routes, to `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        addObjectRoutes(to: router)
        addPropertyRoutes(to: router)
        addAssociationRoutes(to: router)
        addEmailRoutes(to: router)
        addFormRoutes(to: router)
        addMarketingEventRoutes(to: router)
        addOAuthRoutes(to: router)
        addSandboxRoutes(to: router)
        addMarketingSandboxRoutes(to: router)
    }
}
