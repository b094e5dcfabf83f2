import HTTPTypes
public import Hummingbird
import SyncHubCore
import Synchronization

extension SalesforceSimulator {
    /// Adds the simulated Salesforce endpoints and the sandbox's control routes to `router`.
    ///
    /// - `POST /services/oauth2/token` (refresh-token grant)
    /// - `GET /services/data/` (versions; no authentication, not counted)
    /// - under `/services/data/vXX.X/`, with `Authorization: Bearer <token>`: the resource list, `query?q=`,
    ///   `queryAll?q=`, `query/{locator}`, `queryAll/{locator}`, `PATCH composite/sobjects`, `sobjects`,
    ///   `sobjects/{Type}/describe`, `sobjects/{Type}/{id}`, `limits`
    /// - `GET|POST /_sandbox/salesforce/faults`, `POST /_sandbox/salesforce/{touch|delete|merge|add}`
    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/services/oauth2/token") { request, _ in await self.token(request) }
        router.get("/services/data") { request, _ in
            await self.serve(request) { self.versions() }
        }
        router.get("/services/data/{version}") { request, context in
            await self.api(request, context) { version in self.resources(version) }
        }
        for all in [false, true] {
            let name = all ? "queryAll" : "query"
            router.get("/services/data/{version}/\(name)") { request, context in
                await self.api(request, context) { version in self.query(request, version: version, includeDeleted: all)
                }
            }
            router.get("/services/data/{version}/\(name)/{locator}") { request, context in
                let locator = context.parameters.get("locator") ?? ""
                return await self.api(request, context) { version in
                    self.queryMore(request, version: version, locator: locator)
                }
            }
        }
        router.patch("/services/data/{version}/composite/sobjects") { request, context in
            let body = try await request.body.collect(upTo: 50_000_000)
            return await self.api(request, context) { version in self.updateCollection(Array(body.readableBytesView)) }
        }
        router.get("/services/data/{version}/sobjects") { request, context in
            await self.api(request, context) { version in self.globalDescribe(version) }
        }
        router.get("/services/data/{version}/sobjects/{type}/describe") { request, context in
            let type = context.parameters.get("type") ?? ""
            return await self.api(request, context) { version in self.describe(type, version: version) }
        }
        router.get("/services/data/{version}/sobjects/{type}/{id}") { request, context in
            let type = context.parameters.get("type") ?? ""
            let id = context.parameters.get("id") ?? ""
            return await self.api(request, context) { version in
                self.record(request, type: type, id: id, version: version)
            }
        }
        router.get("/services/data/{version}/limits") { request, context in
            await self.api(request, context) { _ in self.limits() }
        }
        for method in [HTTPRequest.Method.get, .post, .patch, .put, .delete] {
            router.on("/services/data/{version}/**", method: method) { request, context in
                await self.api(request, context) { _ in .notFound() }
            }
        }
        addSandboxRoutes(to: router)
    }

    // MARK: Pipeline

    /// Latency, then an injected failure if one is due. `.truncate` means: answer, but cut the body.
    enum Injection {
        case none
        case respond(Response)
        case truncate
    }

    func inject(_ request: Request) async -> Injection {
        let latency = faults.latency
        if latency > .zero { try? await Task.sleep(for: latency) }
        switch faults.takeFailure(path: request.uri.path) {
        case nil: return .none
        case .status(let code): return .respond(SFReply.injected(status: code).response())
        case .connectionReset: return .respond(SFReply.resetResponse())
        case .truncatedBody: return .truncate
        }
    }

    /// Serves a request outside the versioned API (no authentication, not counted).
    func serve(_ request: Request, _ handler: () async -> SFReply) async -> Response {
        let injection = await inject(request)
        if case .respond(let response) = injection { return response }
        let reply = await handler()
        if case .truncate = injection { return reply.truncatedResponse() }
        return reply.response()
    }

    /// Serves a versioned API request: version check, access token, daily limit, `Sforce-Limit-Info`.
    func api(_ request: Request, _ context: BasicRequestContext, _ handler: (String) async -> SFReply) async -> Response
    {
        let injection = await inject(request)
        if case .respond(let response) = injection { return response }
        let version = context.parameters.get("version") ?? ""
        var reply: SFReply
        if !isServed(version) {
            reply = .notFound()
        } else if !(SFRequest.accessToken(request).map { isValid(token: $0, at: nowMillis) } ?? false) {
            reply = .error(.unauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
            let usage = faults.usage
            reply.headers[SFReply.limitInfo] = "api-usage=\(usage.used)/\(usage.limit)"
        } else {
            let count = faults.countRequest(day: SFTime.floorDiv(nowMillis - startMillis, SFTime.msPerDay))
            if count.allowed {
                reply = await handler(version)
            } else {
                reply = .error(.forbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
            }
            reply.headers[SFReply.limitInfo] = "api-usage=\(count.used)/\(count.limit)"
        }
        if case .truncate = injection { return reply.truncatedResponse() }
        return reply.response()
    }

    func isServed(_ version: String) -> Bool {
        if version == "latest" { return true }
        guard let number = Self.versionNumber(version) else { return false }
        return (31...maxVersion).contains(number)
    }

    // MARK: OAuth

    /// The refresh-token grant: checks client and refresh token, issues an access token, and names this server
    /// (as the client reached it) as `instance_url`.
    func token(_ request: Request) async -> Response {
        let injection = await inject(request)
        if case .respond(let response) = injection { return response }
        let body =
            (try? await request.body.collect(upTo: 1_000_000)).map {
                String(decoding: $0.readableBytesView, as: UTF8.self)
            } ?? ""
        var parameters = SFRequest.form(body)
        for (key, value) in SFRequest.form(request.uri.query ?? "") where parameters[key] == nil {
            parameters[key] = value
        }
        let reply: SFReply
        let revoked = faults.state.withLock { $0.refreshTokenRevoked }
        if parameters["grant_type"] != "refresh_token" {
            reply = .oauthError("unsupported_grant_type", "grant type not supported")
        } else if parameters["client_id"] != Self.clientID {
            reply = .oauthError("invalid_client_id", "client identifier invalid")
        } else if let secret = parameters["client_secret"], secret != Self.clientSecret {
            reply = .oauthError("invalid_client", "invalid client credentials")
        } else if parameters["refresh_token"] != Self.refreshToken || revoked {
            reply = .oauthError("invalid_grant", "expired access/refresh token")
        } else {
            let issued = nowMillis
            let base = SFRequest.baseURL(request)
            let apiUser = data.withLock { $0.org.apiUserID }
            reply = .json(
                .object([
                    ("access_token", .string(issueToken(at: issued))),
                    ("signature", .string(base64(randomBytes(32)))),
                    ("scope", .string("api refresh_token")),
                    ("instance_url", .string(base)),
                    ("id", .string("\(base)/id/\(orgID)/\(apiUser)")),
                    ("token_type", .string("Bearer")),
                    ("issued_at", .string(String(issued))),
                ]))
        }
        if case .truncate = injection { return reply.truncatedResponse() }
        return reply.response()
    }

    func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value =
                (Int(chunk[0]) << 16) | (chunk.count > 1 ? Int(chunk[1]) << 8 : 0)
                | (chunk.count > 2 ? Int(chunk[2]) : 0)
            out.append(alphabet[(value >> 18) & 63])
            out.append(alphabet[(value >> 12) & 63])
            out.append(chunk.count > 1 ? alphabet[(value >> 6) & 63] : UInt8(ascii: "="))
            out.append(chunk.count > 2 ? alphabet[value & 63] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Versions and resources

    /// `Winter '25` for 62: three releases a year, Spring, Summer, Winter (Winter named after the next year).
    static func releaseLabel(_ version: Int) -> String {
        let m = version - 60
        let season = ((m % 3) + 3) % 3
        let year = 24 + Int((Double(m) / 3).rounded(.down)) + (season == 2 ? 1 : 0)
        return "\(["Spring", "Summer", "Winter"][season]) '\(year < 10 ? "0" : "")\(year)"
    }

    func versions() -> SFReply {
        .json(
            .array(
                (31...maxVersion).map { n in
                    .object([
                        ("label", .string(Self.releaseLabel(n))), ("url", .string("/services/data/v\(n).0")),
                        ("version", .string("\(n).0")),
                    ])
                }))
    }

    func resources(_ version: String) -> SFReply {
        let base = "/services/data/\(resolved(version))"
        return .json(
            .object(["sobjects", "query", "queryAll", "composite", "limits"].map { ($0, .string("\(base)/\($0)")) }))
    }

    func limits() -> SFReply {
        let usage = faults.usage
        return .json(
            .object([
                (
                    "DailyApiRequests",
                    .object([
                        ("Max", .number(String(usage.limit))),
                        ("Remaining", .number(String(max(0, usage.limit - usage.used)))),
                    ])
                )
            ]))
    }

    /// `latest` stands for the newest served version in URLs the simulator writes.
    func resolved(_ version: String) -> String { version == "latest" ? "v\(maxVersion).0" : version }

    // MARK: Query

    func query(_ request: Request, version: String, includeDeleted: Bool) -> SFReply {
        let version = resolved(version)
        guard let text = SFRequest.parameter("q", in: request.uri.query), !text.trimmingSpaces.isEmpty else {
            return .error(.badRequest, "MALFORMED_QUERY", "A query string has to be specified")
        }
        let now = nowMillis
        let plan: SOQLPlan
        do throws(SOQLError) {
            plan = try SOQLPlan.make(text, now: now)
        } catch {
            return .error(.badRequest, error.code, error.message)
        }
        let (org, slots) = data.withLock { data in
            (data.org, SOQLExecutor.run(plan, in: data.org, includeDeleted: includeDeleted))
        }
        if plan.isCount {
            return SFReply(status: .ok, body: Array(#"{"totalSize":\#(slots.count),"done":true,"records":[]}"#.utf8))
        }
        let batch = SFRequest.batchSize(request) ?? 2000
        let end = min(batch, slots.count)
        var next: String?
        if end < slots.count {
            let locator = openCursor(QueryCursor(org: org, plan: plan, slots: slots, batchSize: batch, lastUsed: now))
            next = "/services/data/\(version)/query/\(locator)-\(end)"
        }
        return SFReply(
            status: .ok,
            body: Self.page(
                org: org, plan: plan, slots: slots[0..<end], total: slots.count, next: next, version: version))
    }

    func queryMore(_ request: Request, version: String, locator: String) -> SFReply {
        let version = resolved(version)
        let invalid = SFReply.error(.badRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
        guard let dash = locator.lastIndex(of: "-"), let offset = Int(locator[locator.index(after: dash)...]),
            offset >= 0
        else {
            return invalid
        }
        let id = String(locator[..<dash])
        let requested = SFRequest.batchSize(request)
        guard
            let cursor = useCursor(
                id, at: nowMillis,
                finishing: { cursor in
                    offset + (requested ?? cursor.batchSize) >= cursor.slots.count
                }),
            offset <= cursor.slots.count
        else { return invalid }
        let end = min(cursor.slots.count, offset + (requested ?? cursor.batchSize))
        let next = end < cursor.slots.count ? "/services/data/\(version)/query/\(id)-\(end)" : nil
        return SFReply(
            status: .ok,
            body: Self.page(
                org: cursor.org, plan: cursor.plan, slots: cursor.slots[offset..<end], total: cursor.slots.count,
                next: next, version: version))
    }

    /// `{"totalSize":…,"done":…,"nextRecordsUrl":…,"records":[…]}` from pre-encoded field values.
    static func page(org: SFOrg, plan: SOQLPlan, slots: ArraySlice<Int32>, total: Int, next: String?, version: String)
        -> [UInt8]
    {
        let table = org[plan.object]
        var out: [UInt8] = []
        out.reserveCapacity(64 + slots.count * (96 + plan.projection.count * 24))
        out.append(contentsOf: #"{"totalSize":\#(total),"done":\#(next == nil)"#.utf8)
        if let next { out.append(contentsOf: #","nextRecordsUrl":"\#(next)""#.utf8) }
        out.append(contentsOf: #","records":["#.utf8)
        let prefix = attributesPrefix(table.object, version: version)
        var first = true
        for slot in slots {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendRecord(table.rows[Int(slot)], table.object, plan.projection, org, version, prefix, &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// `{"attributes":{"type":"Contact","url":"/services/data/v62.0/sobjects/Contact/` (the id and `"}` follow).
    static func attributesPrefix(_ object: SFObject, version: String) -> [UInt8] {
        Array(
            #"{"attributes":{"type":"\#(object.name)","url":"/services/data/\#(version)/sobjects/\#(object.name)/"#.utf8
        )
    }

    static func appendRecord(
        _ row: SFRow, _ object: SFObject, _ projection: [SOQLProjection], _ org: SFOrg, _ version: String,
        _ prefix: [UInt8], _ out: inout [UInt8]
    ) {
        out.append(contentsOf: prefix)
        out.append(contentsOf: row.id.utf8)
        out.append(contentsOf: #""}"#.utf8)
        for node in projection {
            switch node {
            case .field(let index):
                out.append(contentsOf: object.jsonKeys[index])
                out.append(contentsOf: row.fragment(index))
            case .relationship(let name, let field, let target, let children):
                out.append(contentsOf: #","\#(name)":"#.utf8)
                if case .string(let id) = row.values[field], let parent = org.row(target, id: id) {
                    let parentObject = SalesforceSchema.object(target)
                    appendRecord(
                        parent, parentObject, children, org, version, attributesPrefix(parentObject, version: version),
                        &out)
                } else {
                    out.append(contentsOf: "null".utf8)
                }
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    // MARK: sObjects

    func globalDescribe(_ version: String) -> SFReply {
        let version = resolved(version)
        return .json(
            .object([
                ("encoding", .string("UTF-8")), ("maxBatchSize", .number("200")),
                (
                    "sobjects",
                    .array(
                        SalesforceSchema.objects.map { object in
                            .object(Self.objectSummary(object, version: version))
                        })
                ),
            ]))
    }

    static func objectSummary(_ object: SFObject, version: String) -> [(String, JSONValue)] {
        let base = "/services/data/\(version)/sobjects/\(object.name)"
        return [
            ("name", .string(object.name)), ("label", .string(object.label)),
            ("labelPlural", .string(object.labelPlural)),
            ("keyPrefix", .string(object.keyPrefix)), ("custom", .bool(false)), ("queryable", .bool(true)),
            ("retrieveable", .bool(true)), ("updateable", .bool(true)), ("deletable", .bool(object.kind != .user)),
            ("mergeable", .bool(object.mergeable)), ("replicateable", .bool(true)),
            (
                "urls",
                .object([
                    ("sobject", .string(base)), ("describe", .string("\(base)/describe")),
                    ("rowTemplate", .string("\(base)/{ID}")),
                ])
            ),
        ]
    }

    func describe(_ type: String, version: String) -> SFReply {
        guard let object = SalesforceSchema.object(named: type) else { return .notFound() }
        let fields: [JSONValue] = object.fields.map { field in
            .object([
                ("name", .string(field.name)), ("label", .string(field.label)), ("type", .string(field.type.rawValue)),
                ("custom", .bool(field.custom)), ("nillable", .bool(field.nillable)),
                ("updateable", .bool(field.updateable)), ("createable", .bool(field.updateable)),
                ("filterable", .bool(field.type != .textarea)), ("length", .number(String(field.length))),
                ("referenceTo", .array(field.referenceTo.map { [.string($0)] } ?? [])),
                ("relationshipName", field.relationshipName.map(JSONValue.string) ?? .null),
                ("soapType", .string(Self.soapType(field.type))),
            ])
        }
        return .json(.object(Self.objectSummary(object, version: resolved(version)) + [("fields", .array(fields))]))
    }

    static func soapType(_ type: SFFieldType) -> String {
        switch type {
        case .id, .reference: "tns:ID"
        case .boolean: "xsd:boolean"
        case .datetime: "xsd:dateTime"
        case .date: "xsd:date"
        case .int: "xsd:int"
        case .double, .currency, .percent: "xsd:double"
        default: "xsd:string"
        }
    }

    /// One record with all its fields, or those named in `?fields=`.
    func record(_ request: Request, type: String, id: String, version: String) -> SFReply {
        guard let object = SalesforceSchema.object(named: type), let canonical = SalesforceID.canonical(id) else {
            return .notFound()
        }
        let version = resolved(version)
        var projection: [SOQLProjection] = object.fields.indices.map { .field($0) }
        if let list = SFRequest.parameter("fields", in: request.uri.query) {
            projection = []
            for name in list.split(separator: ",") {
                guard let index = object.field(named: String(name.trimmingSpaces)) else {
                    return .error(
                        .badRequest, "INVALID_FIELD",
                        "No such column '\(name.trimmingSpaces)' on sobject of type \(object.name)")
                }
                projection.append(.field(index))
            }
        }
        let found = data.withLock { data in data.org.row(object.kind, id: canonical).map { (data.org, $0) } }
        guard let (org, row) = found else { return .notFound() }
        if row.isDeleted(object) { return .error(.notFound, "ENTITY_IS_DELETED", "entity is deleted") }
        var out: [UInt8] = []
        Self.appendRecord(row, object, projection, org, version, Self.attributesPrefix(object, version: version), &out)
        return SFReply(status: .ok, body: out)
    }
}
