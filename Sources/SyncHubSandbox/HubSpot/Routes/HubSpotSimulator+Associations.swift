import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    static let associationBatchMaxInputs = 1_000
    static let associationsPerPage = 500

    func addAssociationRoutes(to router: Router<BasicRequestContext>) {
        router.post("/crm/v4/associations/:fromObjectType/:toObjectType/batch/read") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let from = Self.objectType(context.parameters.get("fromObjectType")) else {
                    return Self.unknownObjectType(context.parameters.get("fromObjectType"))
                }
                guard let to = Self.objectType(context.parameters.get("toObjectType")) else {
                    return Self.unknownObjectType(context.parameters.get("toObjectType"))
                }
                return self.readAssociations(from: from, to: to, try await HubSpotRequestParsing.json(&request))
            }
        }
    }

    /// `POST /crm/v4/associations/{from}/{to}/batch/read`: per input, the linked ids (numbers) with their
    /// association types; inputs without links come back as `NO_ASSOCIATIONS_FOUND` errors in a 207.
    func readAssociations(from: HubSpotObjectType, to: HubSpotObjectType, _ body: JSONValue) -> HubSpotReply {
        let started = nowMs
        guard let inputs = HubSpotRequestParsing.array(body["inputs"]) else {
            return HubSpotErrors.validation("inputs is required.", context: [("inputs", [])])
        }
        if inputs.count > Self.associationBatchMaxInputs {
            return HubSpotErrors.tooManyInputs(inputs.count, limit: Self.associationBatchMaxInputs)
        }
        let specs = HubSpotAssociationType.types(from: from, to: to)
        var results: [UInt8] = []
        var errors: [JSONValue] = []
        store.withLock { store in
            for input in inputs {
                let id = input["id"]?.text ?? ""
                let offset = Int(input["after"]?.text ?? "") ?? 0
                let record = store[from].position(ofText: id).map { store[from][$0] }
                let linked = record.flatMap { $0.isLive ? store.associations.targets(of: $0.id, from, to: to) : nil } ?? []
                guard let record, !linked.isEmpty, !specs.isEmpty else {
                    errors.append(
                        HubSpotErrors.body(
                            message: "No \(to.singular) is associated with \(from.singular) \(id).",
                            category: "OBJECT_NOT_FOUND", subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
                            context: [
                                ("fromObjectId", [id]), ("fromObjectType", [from.singular]),
                                ("toObjectType", [to.singular]),
                            ]))
                    continue
                }
                let page = linked.dropFirst(offset).prefix(Self.associationsPerPage)
                let targets: [JSONValue] = page.map { peer in
                    let types = specs.filter {
                        !$0.primaryOnly || store.associations.isPrimary(record.id, from, target: peer, to)
                    }
                    return .object([
                        ("toObjectId", .number(String(peer))),
                        (
                            "associationTypes",
                            .array(
                                types.map { spec in
                                    .object([
                                        ("category", .string("HUBSPOT_DEFINED")),
                                        ("typeId", .number(String(spec.typeID))),
                                        ("label", spec.label.map(JSONValue.string) ?? .null),
                                    ])
                                })
                        ),
                    ])
                }
                var members: [(String, JSONValue)] = [("from", .object([("id", .string(id))])), ("to", .array(targets))]
                if offset + page.count < linked.count {
                    members.append(
                        ("paging", .object([("next", .object([("after", .string(String(offset + page.count)))]))])))
                }
                if !results.isEmpty { results.append(UInt8(ascii: ",")) }
                HubSpotJSON.write(JSONValue.object(members), to: &results)
            }
        }
        return batchReply(results: results, errors: errors, startedMs: started)
    }
}
