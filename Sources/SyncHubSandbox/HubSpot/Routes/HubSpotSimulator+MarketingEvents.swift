import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    static let marketingEventsMaxLimit = 100

    func addMarketingEventRoutes(to router: Router<BasicRequestContext>) {
        router.get("/marketing/v3/marketing-events") { request, _ in
            try await self.serve(request, kind: .api) { request, _ in self.marketingEventList(request) }
        }
        router.get("/marketing/v3/marketing-events/participations/:marketingEventId/breakdown") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                self.participations(event: context.parameters.get("marketingEventId") ?? "", request)
            }
        }
    }

    /// `GET /marketing/v3/marketing-events/`: every event, sorted by `objectId`, `limit` ≤ 100 (default 10), opaque
    /// `after` (hubspot-api-nodejs `codegen/marketing/events/apis/BasicApi.ts`, `getAll`).
    func marketingEventList(_ request: Request) -> HubSpotReply {
        let page: (limit: Int, skip: Int)
        switch Self.offsetPage(request.uri.queryParameters, defaultLimit: 10, maxLimit: Self.marketingEventsMaxLimit) {
        case .success(let value): page = value
        case .failure(let reply): return reply
        }
        let now = nowMs
        let events = store.withLock { $0.marketingEvents }.sorted { $0.objectID < $1.objectID }
        let slice = events.dropFirst(page.skip).prefix(page.limit)
        var members: [(String, JSONValue)] = [("results", .array(slice.map { $0.json(nowMs: now) }))]
        if page.skip + slice.count < events.count {
            members.append(("paging", Self.nextPaging(request, after: Self.encodeOffset(String(page.skip + slice.count)))))
        }
        return .json(.ok, .object(members))
    }

    /// `GET /marketing/v3/marketing-events/participations/{marketingEventId}/breakdown`: the event's participations,
    /// optionally filtered by `state` and `contactIdentifier` (email or contact id), `limit` ≤ 100 (default 10),
    /// opaque `after`, with `total`
    /// (https://developers.hubspot.com/docs/api-reference/legacy/marketing/marketing-events/participant-state/get-breakdown).
    func participations(event id: String, _ request: Request) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        let page: (limit: Int, skip: Int)
        switch Self.offsetPage(parameters, defaultLimit: 10, maxLimit: Self.marketingEventsMaxLimit) {
        case .success(let value): page = value
        case .failure(let reply): return reply
        }
        guard let event = store.withLock({ $0.marketingEvents.first { $0.objectID == id } }) else {
            return HubSpotErrors.reply(
                .notFound, message: "Marketing event \(id) not found.", category: "OBJECT_NOT_FOUND",
                context: [("marketingEventId", [id])])
        }
        let state = HubSpotRequestParsing.query(parameters, "state")?.uppercased()
        let contact = HubSpotRequestParsing.query(parameters, "contactIdentifier")?.lowercased()
        let matching = event.participations.filter { participation in
            (state == nil || participation.state == state)
                && (contact == nil || String(participation.contactID) == contact || participation.email?.lowercased() == contact)
        }
        let slice = matching.dropFirst(page.skip).prefix(page.limit)
        var members: [(String, JSONValue)] = [
            ("total", .number(String(matching.count))), ("results", .array(slice.map { event.json($0) })),
        ]
        if page.skip + slice.count < matching.count {
            members.append(("paging", Self.nextPaging(request, after: Self.encodeOffset(String(page.skip + slice.count)))))
        }
        return .json(.ok, .object(members))
    }

    // MARK: - Changes between pulls

    /// Object ids of the marketing events.
    public func marketingEventIDs() -> [String] { store.withLock { $0.marketingEvents.map(\.objectID) } }

    /// Ids of an event's participations.
    public func participationIDs(event id: String) -> [String] {
        store.withLock { $0.marketingEvents.first { $0.objectID == id }?.participations.map(\.id) ?? [] }
    }

    /// Records contact `contactID` as registered for (or, for an event under way or past, attending) event `id`
    /// now; returns the participation's id, or `nil` when the event or contact is unknown.
    @discardableResult
    public func addParticipation(event id: String, contact contactID: String, state: String = "REGISTERED") -> String? {
        let now = nowMs
        return store.withLock { store -> String? in
            guard let index = store.marketingEvents.firstIndex(where: { $0.objectID == id }),
                let position = store[.contacts].position(ofText: contactID)
            else { return nil }
            let contact = store[.contacts][position]
            let participation = HubSpotMarketingEvent.Participation(
                id: String(store.nextParticipationID), contactID: contact.id, email: contact.values["email"],
                firstName: contact.values["firstname"], lastName: contact.values["lastname"], state: state,
                occurredMs: now, createdMs: now, durationSeconds: state == "ATTENDED" ? 1_200 : nil)
            store.nextParticipationID += 1
            store.marketingEvents[index].participations.append(participation)
            return participation.id
        }
    }

    /// Renames event `id` (its `updatedAt` moves to now).
    public func renameMarketingEvent(_ id: String, to name: String) {
        let now = nowMs
        store.withLock { store in
            guard let index = store.marketingEvents.firstIndex(where: { $0.objectID == id }) else { return }
            store.marketingEvents[index].name = name
            store.marketingEvents[index].updatedMs = now
        }
    }

    /// Renames email campaign `id`, as a user editing it would; it moves to the front of the recent-activity list.
    public func renameEmailCampaign(_ id: String, to name: String) {
        let now = nowMs
        store.withLock { store in
            guard let index = store.email.campaigns.firstIndex(where: { String($0.id) == id }) else { return }
            store.email.campaigns[index].name = name
            store.email.campaigns[index].updatedMs = now
        }
    }
}
