import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    static let submissionsMaxLimit = 50
    static let formsMaxLimit = 100

    func addFormRoutes(to router: Router<BasicRequestContext>) {
        // The official clients call `/marketing/v3/forms/`; the router treats the trailing slash as the same path.
        router.get("/marketing/v3/forms") { request, _ in
            try await self.serve(request, kind: .api) { request, _ in self.formList(request) }
        }
        router.get("/form-integrations/v1/submissions/forms/:formGuid") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                self.submissions(form: context.parameters.get("formGuid") ?? "", request)
            }
        }
    }

    /// `GET /marketing/v3/forms/`: forms by creation, `limit` ≤ 100 (default 20), opaque `after`; archived forms
    /// only with `archived=true` (https://developers.hubspot.com/docs/api-reference/marketing-forms-v3/forms/get-marketing-v3-forms-).
    func formList(_ request: Request) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        let page: (limit: Int, skip: Int)
        switch Self.offsetPage(parameters, defaultLimit: 20, maxLimit: Self.formsMaxLimit) {
        case .success(let value): page = value
        case .failure(let reply): return reply
        }
        let archived = HubSpotRequestParsing.query(parameters, "archived") == "true"
        let forms = store.withLock { $0.forms }.filter { $0.archived == archived }
        let slice = forms.dropFirst(page.skip).prefix(page.limit)
        var members: [(String, JSONValue)] = [("results", .array(slice.map(\.json)))]
        if page.skip + slice.count < forms.count {
            members.append(("paging", Self.nextPaging(request, after: Self.encodeOffset(String(page.skip + slice.count)))))
        }
        return .json(.ok, .object(members))
    }

    /// A list's `limit` and the offset its `after` token encodes; a 400 for values HubSpot refuses.
    static func offsetPage(_ parameters: Parameters, defaultLimit: Int, maxLimit: Int) -> Result<(limit: Int, skip: Int), HubSpotReply> {
        var limit = defaultLimit
        if let text = HubSpotRequestParsing.query(parameters, "limit") {
            guard let value = Int(text), value >= 1, value <= maxLimit else {
                return .failure(HubSpotErrors.validation("limit must be between 1 and \(maxLimit).", context: [("limit", [text])]))
            }
            limit = value
        }
        var skip = 0
        if let token = HubSpotRequestParsing.query(parameters, "after"), !token.isEmpty {
            guard let decoded = decodeOffset(token), let value = Int(decoded), value >= 0 else {
                return .failure(HubSpotErrors.validation("Invalid after: \(token)", context: [("after", [token])]))
            }
            skip = value
        }
        return .success((limit, skip))
    }

    /// `{"next": {"after": …, "link": …}}`.
    static func nextPaging(_ request: Request, after: String) -> JSONValue {
        .object([("next", .object([("after", .string(after)), ("link", .string(link(request, replacingAfterWith: after)))]))])
    }

    /// `GET /form-integrations/v1/submissions/forms/{guid}`: newest first, `limit` ≤ 50 (default 20), opaque `after`
    /// (https://developers.hubspot.com/docs/api-reference/legacy/marketing/forms/v1/get-form-integrations-v1-submissions-forms-form_guid).
    func submissions(form guid: String, _ request: Request) -> HubSpotReply {
        let page: (limit: Int, skip: Int)
        switch Self.offsetPage(request.uri.queryParameters, defaultLimit: 20, maxLimit: Self.submissionsMaxLimit) {
        case .success(let value): page = value
        case .failure(let reply): return reply
        }
        guard let form = store.withLock({ $0.forms.first { $0.id == guid } }) else {
            return HubSpotErrors.reply(
                .notFound, message: "Form \(guid) not found.", category: "OBJECT_NOT_FOUND", context: [("formGuid", [guid])])
        }
        let slice = form.submissions.dropFirst(page.skip).prefix(page.limit)
        var out: [UInt8] = Array(#"{"results":["#.utf8)
        for (index, submission) in slice.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: submission.json)
        }
        out.append(UInt8(ascii: "]"))
        let next = page.skip + slice.count
        if next < form.submissions.count {
            out.append(contentsOf: #","paging":"#.utf8)
            HubSpotJSON.write(Self.nextPaging(request, after: Self.encodeOffset(String(next))), to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return .bytes(.ok, out)
    }

    // MARK: - Changes between pulls

    /// Ids (GUIDs) of the forms.
    public func formIDs() -> [String] { store.withLock { $0.forms.map(\.id) } }

    /// Conversion ids of a form's submissions, newest first.
    public func submissionIDs(form guid: String) -> [String] {
        store.withLock { store in
            store.forms.first { $0.id == guid }?.submissions.map(\.conversionID) ?? []
        }
    }

    /// Records a submission of form `guid` by contact `contactID` now; returns its conversion id, or `nil` when the
    /// form or contact is unknown.
    @discardableResult
    public func submitForm(_ guid: String, contact contactID: String) -> String? {
        let now = nowMs
        return mutationRandom.withLock { random in
            store.withLock { store -> String? in
                guard let formIndex = store.forms.firstIndex(where: { $0.id == guid }),
                    let position = store[.contacts].position(ofText: contactID)
                else { return nil }
                let record = store[.contacts][position]
                let submission = HubSpotForm.submission(
                    conversionID: random.uuid(), submittedAt: now, values: record.values, form: store.forms[formIndex])
                store.forms[formIndex].submissions.insert(submission, at: 0)
                return submission.conversionID
            }
        }
    }
}
