import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    static let submissionsMaxLimit = 50

    func addFormRoutes(to router: Router<BasicRequestContext>) {
        router.get("/marketing/v3/forms") { request, _ in
            try await self.serve(request, kind: .api) { request, _ in
                let forms = self.store.withLock { $0.forms }
                return .json(.ok, .object([("results", .array(forms.map(\.json)))]))
            }
        }
        router.get("/form-integrations/v1/submissions/forms/:formGuid") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                self.submissions(form: context.parameters.get("formGuid") ?? "", request)
            }
        }
    }

    /// `GET /form-integrations/v1/submissions/forms/{guid}`: newest first, `limit` ≤ 50, opaque `after`.
    func submissions(form guid: String, _ request: Request) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        var limit = 20
        if let text = HubSpotRequestParsing.query(parameters, "limit") {
            guard let value = Int(text), value >= 1, value <= Self.submissionsMaxLimit else {
                return HubSpotErrors.validation(
                    "limit must be between 1 and \(Self.submissionsMaxLimit).", context: [("limit", [text])])
            }
            limit = value
        }
        var skip = 0
        if let token = HubSpotRequestParsing.query(parameters, "after"), !token.isEmpty {
            guard let decoded = Self.decodeOffset(token), let value = Int(decoded), value >= 0 else {
                return HubSpotErrors.validation("Invalid after: \(token)", context: [("after", [token])])
            }
            skip = value
        }
        guard let form = store.withLock({ $0.forms.first { $0.id == guid } }) else {
            return HubSpotErrors.reply(
                .notFound, message: "Form \(guid) not found.", category: "OBJECT_NOT_FOUND", context: [("formGuid", [guid])])
        }
        let page = form.submissions.dropFirst(skip).prefix(limit)
        var out: [UInt8] = Array(#"{"results":["#.utf8)
        for (index, submission) in page.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: submission.json)
        }
        out.append(UInt8(ascii: "]"))
        let next = skip + page.count
        if next < form.submissions.count {
            let token = Self.encodeOffset(String(next))
            out.append(contentsOf: #","paging":{"next":{"after":"#.utf8)
            HubSpotJSON.appendString(token, to: &out)
            out.append(contentsOf: #","link":"#.utf8)
            HubSpotJSON.appendString(Self.link(request, replacingAfterWith: token), to: &out)
            out.append(contentsOf: "}}".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return .bytes(.ok, out)
    }
}
