import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    static let listMaxLimit = 100
    static let batchMaxInputs = 100

    func addObjectRoutes(to router: Router<BasicRequestContext>) {
        router.get("/crm/v3/objects/:objectType") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.list(type, request)
            }
        }
        router.get("/crm/v3/objects/:objectType/:objectId") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.read(type, id: context.parameters.get("objectId") ?? "", request)
            }
        }
        router.post("/crm/v3/objects/:objectType/search") { request, context in
            try await self.serve(request, kind: .search) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.search(type, try await HubSpotRequestParsing.json(&request))
            }
        }
        router.post("/crm/v3/objects/:objectType/batch/read") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                let archived = request.uri.queryParameters.get("archived") == "true"
                return self.batchRead(type, try await HubSpotRequestParsing.json(&request), archived: archived)
            }
        }
        router.post("/crm/v3/objects/:objectType/batch/update") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.batchUpdate(type, try await HubSpotRequestParsing.json(&request))
            }
        }
        router.post("/crm/v3/objects/:objectType/batch/upsert") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.batchUpsert(type, try await HubSpotRequestParsing.json(&request))
            }
        }
        router.post("/crm/v3/objects/:objectType/merge") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.mergeRoute(type, try await HubSpotRequestParsing.json(&request))
            }
        }
    }

    static func objectType(_ text: String?) -> HubSpotObjectType? { text.flatMap { HubSpotObjectType(path: $0) } }

    static func unknownObjectType(_ text: String?) -> HubSpotReply {
        HubSpotErrors.validation("Unable to infer object type from: \(text ?? "")", context: [("objectType", [text ?? ""])])
    }

    // MARK: - List and read

    /// `GET /crm/v3/objects/{type}`: pages in id order; `after` is the id the next page starts at.
    func list(_ type: HubSpotObjectType, _ request: Request) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        var limit = 10
        if let text = HubSpotRequestParsing.query(parameters, "limit") {
            guard let value = Int(text), value >= 1 else {
                return HubSpotErrors.validation("limit must be a positive integer.", context: [("limit", [text])])
            }
            guard value <= Self.listMaxLimit else {
                return HubSpotErrors.validation(
                    "limit must be less than or equal to \(Self.listMaxLimit).", context: [("limit", [text])])
            }
            limit = value
        }
        var after: Int64 = .min
        if let text = HubSpotRequestParsing.query(parameters, "after"), !text.isEmpty {
            guard let value = Int64(text) else {
                return HubSpotErrors.validation("Invalid paging cursor: \(text)", context: [("after", [text])])
            }
            after = value
        }
        let archived = HubSpotRequestParsing.query(parameters, "archived") == "true"
        let requested = HubSpotRequestParsing.queryList(parameters, "properties")
        let linked = (HubSpotRequestParsing.queryList(parameters, "associations") ?? []).compactMap { HubSpotObjectType(path: $0) }
        var out: [UInt8] = []
        var nextAfter: Int64?
        store.withLock { store in
            let projection = store.projection(type, requested: requested)
            out.reserveCapacity(limit * 700 + 200)
            out.append(contentsOf: #"{"results":["#.utf8)
            var count = 0
            var position = store[type].firstPosition(atLeast: after)
            let total = store[type].count
            while position < total {
                let wanted =
                    archived
                    ? (store[type][position].archivedMs != nil && store[type][position].mergedInto == nil)
                    : store[type][position].isLive
                if wanted {
                    if count == limit {
                        nextAfter = store[type][position].id
                        break
                    }
                    if count > 0 { out.append(UInt8(ascii: ",")) }
                    store.appendRecord(type, at: position, projection: projection, to: &out)
                    if !linked.isEmpty {
                        out.removeLast()
                        store.appendAssociations(type, id: store[type][position].id, to: linked, out: &out)
                        out.append(UInt8(ascii: "}"))
                    }
                    count += 1
                }
                position += 1
            }
        }
        out.append(UInt8(ascii: "]"))
        if let nextAfter {
            let link = Self.link(request, replacingAfterWith: String(nextAfter))
            out.append(contentsOf: #","paging":{"next":{"after":"#.utf8)
            HubSpotJSON.appendString(String(nextAfter), to: &out)
            out.append(contentsOf: #","link":"#.utf8)
            HubSpotJSON.appendString(link, to: &out)
            out.append(contentsOf: "}}".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return .bytes(.ok, out)
    }

    /// The `paging.next.link` of a list page: the same request with the new `after`.
    static func link(_ request: Request, replacingAfterWith after: String) -> String {
        let host = request.head.authority ?? "api.hubapi.com"
        let scheme = request.head.authority == nil ? "https" : "http"
        var items = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("after=") }.map(String.init)
        items.append("after=\(after)")
        return "\(scheme)://\(host)\(request.uri.path)?\(items.joined(separator: "&"))"
    }

    /// `GET /crm/v3/objects/{type}/{id}`: reads by id (following merges) or by `idProperty`.
    func read(_ type: HubSpotObjectType, id: String, _ request: Request) -> HubSpotReply {
        let parameters = request.uri.queryParameters
        let archived = HubSpotRequestParsing.query(parameters, "archived") == "true"
        let idProperty = HubSpotRequestParsing.query(parameters, "idProperty")
        let requested = HubSpotRequestParsing.queryList(parameters, "properties")
        let linked = (HubSpotRequestParsing.queryList(parameters, "associations") ?? []).compactMap { HubSpotObjectType(path: $0) }
        return store.withLock { store -> HubSpotReply in
            guard let position = Self.locate(store, type, id: id, idProperty: idProperty, archived: archived) else {
                return HubSpotErrors.objectNotFound(id)
            }
            let projection = store.projection(type, requested: requested)
            var out: [UInt8] = []
            store.appendRecord(type, at: position, projection: projection, to: &out)
            if !linked.isEmpty {
                out.removeLast()
                store.appendAssociations(type, id: store[type][position].id, to: linked, out: &out)
                out.append(UInt8(ascii: "}"))
            }
            return .bytes(.ok, out)
        }
    }

    /// Position of the record an input names: by id (merged ids resolve to the record that replaced them) or by a
    /// unique property (`email` for contacts).
    static func locate(
        _ store: HubSpotStore, _ type: HubSpotObjectType, id: String, idProperty: String?, archived: Bool = false
    ) -> Int? {
        let table = store[type]
        let position: Int?
        switch idProperty {
        case nil, "", "hs_object_id":
            position = table.position(ofText: id)
        case "email" where type == .contacts:
            position = table.position(ofEmail: id)
        case let name?:
            guard store.catalog(type)[name]?.hasUniqueValue == true else { return nil }
            position = table.modifiedOrder.first { table[$0].values[name] == id }
        }
        guard let position else { return nil }
        let record = table[position]
        if archived { return record.archivedMs != nil ? position : nil }
        return record.isLive ? position : nil
    }

    // MARK: - Search

    func search(_ type: HubSpotObjectType, _ body: JSONValue) -> HubSpotReply {
        let query: HubSpotSearchQuery
        switch HubSpotSearchQuery.parse(body) {
        case .success(let parsed): query = parsed
        case .failure(let reply): return reply
        }
        if query.offset >= HubSpotSearchQuery.maxResults {
            let cap = HubSpotSearchQuery.maxResults
            return HubSpotErrors.validation(
                "Paging past \(cap) results is not supported: the search endpoints return at most \(cap) results per query.",
                context: [("after", [String(query.offset)])])
        }
        let lagMs = faults.budgets.searchLagMs
        let hiddenAfter = lagMs > 0 ? nowMs - lagMs : nil
        var out: [UInt8] = []
        store.withLock { store in
            let matches = store.search(type, query, hiddenAfterMs: hiddenAfter)
            let end = min(matches.count, query.offset + query.limit, HubSpotSearchQuery.maxResults)
            let projection = store.projection(type, requested: query.properties)
            out.reserveCapacity(max(0, end - query.offset) * 700 + 100)
            out.append(contentsOf: #"{"total":"#.utf8)
            out.append(contentsOf: String(matches.count).utf8)
            out.append(contentsOf: #","results":["#.utf8)
            if query.offset < end {
                for (index, position) in matches[query.offset..<end].enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    store.appendRecord(type, at: position, projection: projection, to: &out)
                }
            }
            out.append(UInt8(ascii: "]"))
            if end < matches.count {
                out.append(contentsOf: #","paging":{"next":{"after":"#.utf8)
                HubSpotJSON.appendString(String(end), to: &out)
                out.append(contentsOf: "}}".utf8)
            }
            out.append(UInt8(ascii: "}"))
        }
        return .bytes(.ok, out)
    }

    // MARK: - Batch

    /// `{"status":"COMPLETE","results":[…],["numErrors","errors"],"startedAt","completedAt"}`: 200, or 207 with
    /// errors.
    func batchReply(results: [UInt8], errors: [JSONValue], startedMs: Int64) -> HubSpotReply {
        var out: [UInt8] = []
        out.reserveCapacity(results.count + 200)
        out.append(contentsOf: #"{"status":"COMPLETE","results":["#.utf8)
        out.append(contentsOf: results)
        out.append(UInt8(ascii: "]"))
        if !errors.isEmpty {
            out.append(contentsOf: #","numErrors":"#.utf8)
            out.append(contentsOf: String(errors.count).utf8)
            out.append(contentsOf: #","errors":"#.utf8)
            HubSpotJSON.write(JSONValue.array(errors), to: &out)
        }
        out.append(contentsOf: #","startedAt":"#.utf8)
        HubSpotJSON.appendString(Timestamps.format(millisecondsSinceEpoch: startedMs, withMilliseconds: true), to: &out)
        out.append(contentsOf: #","completedAt":"#.utf8)
        HubSpotJSON.appendString(
            Timestamps.format(millisecondsSinceEpoch: max(startedMs, nowMs), withMilliseconds: true), to: &out)
        out.append(UInt8(ascii: "}"))
        return .bytes(errors.isEmpty ? .ok : HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status"), out)
    }

    func batchRead(_ type: HubSpotObjectType, _ body: JSONValue, archived: Bool) -> HubSpotReply {
        let started = nowMs
        guard let inputs = HubSpotRequestParsing.array(body["inputs"]) else {
            return HubSpotErrors.validation("inputs is required.", context: [("inputs", [])])
        }
        if inputs.count > Self.batchMaxInputs { return HubSpotErrors.tooManyInputs(inputs.count, limit: Self.batchMaxInputs) }
        let idProperty = body["idProperty"]?.text
        let requested = HubSpotRequestParsing.strings(body["properties"])
        var results: [UInt8] = []
        var missing: [String] = []
        store.withLock { store in
            let projection = store.projection(type, requested: requested)
            var seen = Set<Int>()
            for input in inputs {
                let id = input["id"]?.text ?? ""
                guard let position = Self.locate(store, type, id: id, idProperty: idProperty, archived: archived) else {
                    missing.append(id)
                    continue
                }
                guard seen.insert(position).inserted else { continue }
                if !results.isEmpty { results.append(UInt8(ascii: ",")) }
                store.appendRecord(type, at: position, projection: projection, to: &results)
            }
        }
        let errors = missing.isEmpty ? [] : [HubSpotErrors.batchNotFound(type, ids: missing)]
        return batchReply(results: results, errors: errors, startedMs: started)
    }

    /// Checks written values against the type's properties: unknown and read-only names, numbers, options.
    static func propertyProblems(_ type: HubSpotObjectType, _ values: [(String, String)], catalog: HubSpotPropertyCatalog)
        -> [(name: String, error: String, message: String)]
    {
        var problems: [(name: String, error: String, message: String)] = []
        for (name, value) in values {
            guard let definition = catalog[name] else {
                problems.append((name, "PROPERTY_DOESNT_EXIST", "Property \"\(name)\" does not exist"))
                continue
            }
            if definition.readOnlyValue {
                problems.append((name, "READ_ONLY_VALUE", "\"\(name)\" is a read only property; its value cannot be set."))
                continue
            }
            if value.isEmpty { continue }
            switch definition.type {
            case .number where Double(value) == nil:
                problems.append((name, "INVALID_FLOAT", "\(value) is not a valid number."))
            case .datetime where HubSpotTime.parse(value) == nil, .date where HubSpotTime.parse(value) == nil:
                problems.append((name, "INVALID_DATE", "\(value) is not a valid date or timestamp."))
            case .enumeration where definition.fieldType == "select" && !definition.options.isEmpty:
                if !definition.options.contains(where: { $0.value == value }) {
                    let allowed = definition.options.map(\.value).joined(separator: ", ")
                    problems.append((name, "INVALID_OPTION", "\(value) was not one of the allowed options: [\(allowed)]"))
                }
            case .bool where !["true", "false"].contains(value.lowercased()):
                problems.append((name, "INVALID_BOOLEAN", "\(value) is not a valid boolean."))
            default: break
            }
        }
        return problems
    }

    /// Whether records can be addressed by `name`: `email` for contacts, or a custom property with unique values.
    static func isUniqueKey(_ name: String, _ type: HubSpotObjectType, _ catalog: HubSpotPropertyCatalog) -> Bool {
        (type == .contacts && name == "email") || catalog[name]?.hasUniqueValue == true
    }

    static func nonUniqueKey(_ name: String, _ type: HubSpotObjectType) -> HubSpotReply {
        HubSpotErrors.validation("Unable to perform update/upsert by non-unique \(type.typeID) property \(name)")
    }

    /// `POST /crm/v3/objects/{type}/batch/update`: invalid property values refuse the whole batch (400); unknown
    /// ids are reported in a 207 while the others are written.
    func batchUpdate(_ type: HubSpotObjectType, _ body: JSONValue) -> HubSpotReply {
        let started = nowMs
        guard let inputs = HubSpotRequestParsing.array(body["inputs"]) else {
            return HubSpotErrors.validation("inputs is required.", context: [("inputs", [])])
        }
        if inputs.count > Self.batchMaxInputs { return HubSpotErrors.tooManyInputs(inputs.count, limit: Self.batchMaxInputs) }
        var parsed: [(id: String, idProperty: String?, values: [(String, String)])] = []
        var seenIDs = Set<String>()
        var duplicates: [String] = []
        for input in inputs {
            guard let id = input["id"]?.text, let values = HubSpotRequestParsing.properties(input["properties"]) else {
                return HubSpotErrors.validation("Each input needs an id and properties.")
            }
            if !seenIDs.insert(id).inserted { duplicates.append(id) }
            parsed.append((id, input["idProperty"]?.text ?? body["idProperty"]?.text, values))
        }
        if !duplicates.isEmpty {
            return HubSpotErrors.validation(
                "Duplicate IDs found in batch input: [\(duplicates.joined(separator: ", "))]. IDs must be unique",
                context: [("ids", duplicates)])
        }
        let now = nowMs
        return store.withLock { store -> HubSpotReply in
            let catalog = store.catalog(type)
            let problems = parsed.flatMap { Self.propertyProblems(type, $0.values, catalog: catalog) }
            if !problems.isEmpty { return HubSpotErrors.invalidPropertyValues(problems) }
            for input in parsed {
                guard let name = input.idProperty, name != "hs_object_id" else { continue }
                if !Self.isUniqueKey(name, type, catalog) { return Self.nonUniqueKey(name, type) }
            }
            var results: [UInt8] = []
            var missing: [String] = []
            for input in parsed {
                guard let position = Self.locate(store, type, id: input.id, idProperty: input.idProperty) else {
                    missing.append(input.id)
                    continue
                }
                store.update(type, at: position, values: Dictionary(input.values) { _, last in last }, at: now)
                let written = store.projection(type, requested: input.values.map(\.0))
                if !results.isEmpty { results.append(UInt8(ascii: ",")) }
                HubSpotStore.encode(store[type][position], projection: written.names, to: &results)
            }
            let errors = missing.isEmpty ? [] : [HubSpotErrors.batchNotFound(type, ids: missing)]
            return batchReply(results: results, errors: errors, startedMs: started)
        }
    }

    /// `POST /crm/v3/objects/{type}/batch/upsert`: by `email` for contacts, or a unique custom property; creates
    /// what it does not find. Results carry `"new"`.
    func batchUpsert(_ type: HubSpotObjectType, _ body: JSONValue) -> HubSpotReply {
        let started = nowMs
        guard let inputs = HubSpotRequestParsing.array(body["inputs"]) else {
            return HubSpotErrors.validation("inputs is required.", context: [("inputs", [])])
        }
        if inputs.count > Self.batchMaxInputs { return HubSpotErrors.tooManyInputs(inputs.count, limit: Self.batchMaxInputs) }
        var parsed: [(id: String, idProperty: String, values: [(String, String)])] = []
        for input in inputs {
            guard let id = input["id"]?.text, let values = HubSpotRequestParsing.properties(input["properties"]) else {
                return HubSpotErrors.validation("Each input needs an id and properties.")
            }
            guard let idProperty = input["idProperty"]?.text ?? body["idProperty"]?.text else {
                return HubSpotErrors.validation("idProperty is required for upserts.")
            }
            parsed.append((id, idProperty, values))
        }
        let now = nowMs
        return store.withLock { store -> HubSpotReply in
            let catalog = store.catalog(type)
            for input in parsed where !Self.isUniqueKey(input.idProperty, type, catalog) {
                return Self.nonUniqueKey(input.idProperty, type)
            }
            let problems = parsed.flatMap { Self.propertyProblems(type, $0.values, catalog: catalog) }
            if !problems.isEmpty { return HubSpotErrors.invalidPropertyValues(problems) }
            var results: [UInt8] = []
            for input in parsed {
                var values = Dictionary(input.values) { _, last in last }
                let position: Int
                let isNew: Bool
                if let found = Self.locate(store, type, id: input.id, idProperty: input.idProperty) {
                    position = found
                    isNew = false
                    store.update(type, at: position, values: values, at: now)
                } else {
                    values[input.idProperty] = input.id
                    position = store.create(type, values: values, at: now)
                    isNew = true
                }
                let written = store.projection(type, requested: Array(values.keys) + [input.idProperty])
                if !results.isEmpty { results.append(UInt8(ascii: ",")) }
                HubSpotStore.encode(store[type][position], projection: written.names, to: &results)
                results.removeLast()
                results.append(contentsOf: (isNew ? #","new":true}"# : #","new":false}"#).utf8)
            }
            return batchReply(results: results, errors: [], startedMs: started)
        }
    }

    /// `POST /crm/v3/objects/{type}/merge`.
    func mergeRoute(_ type: HubSpotObjectType, _ body: JSONValue) -> HubSpotReply {
        guard let primary = body["primaryObjectId"]?.text, let other = body["objectIdToMerge"]?.text else {
            return HubSpotErrors.validation("primaryObjectId and objectIdToMerge are required.")
        }
        guard let merged = merge(type, absorbed: other, into: primary) else {
            return HubSpotErrors.validation(
                "Unable to merge \(other) into \(primary): both must be existing, different records.",
                context: [("ids", [primary, other])])
        }
        return store.withLock { store -> HubSpotReply in
            guard let position = store[type].position(ofText: merged) else { return HubSpotErrors.objectNotFound(merged) }
            let projection = store.projection(type, requested: nil)
            var out: [UInt8] = []
            store.appendRecord(type, at: position, projection: projection, to: &out)
            return .bytes(.ok, out)
        }
    }
}
