import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    /// `/_sandbox/hubspot/…`: fault switches and mutations for tests and trials. No token; never faulted.
    func addSandboxRoutes(to router: Router<BasicRequestContext>) {
        router.get("/_sandbox/hubspot/faults") { request, _ in
            try await self.serve(request, kind: .sandbox) { _, _ in .json(.ok, self.faults.json) }
        }
        router.post("/_sandbox/hubspot/faults") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                do {
                    try self.faults.apply(try await HubSpotRequestParsing.json(&request))
                } catch let HubSpotFaults.ConfigurationProblem.invalid(problem) {
                    return HubSpotErrors.validation(problem)
                }
                return .json(.ok, self.faults.json)
            }
        }
        router.post("/_sandbox/hubspot/touch") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                guard let type = Self.sandboxType(body), let ids = HubSpotRequestParsing.strings(body["ids"]) else {
                    return HubSpotErrors.validation("Expected {\"ids\": [...], \"objectType\": \"contacts\"}.")
                }
                self.touch(type, ids: ids)
                return .json(.ok, .object([("touched", .number(String(ids.count)))]))
            }
        }
        router.post("/_sandbox/hubspot/archive") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                guard let type = Self.sandboxType(body), let ids = HubSpotRequestParsing.strings(body["ids"]) else {
                    return HubSpotErrors.validation("Expected {\"ids\": [...], \"objectType\": \"contacts\"}.")
                }
                self.archive(type, ids: ids)
                return .json(.ok, .object([("archived", .number(String(ids.count)))]))
            }
        }
        router.post("/_sandbox/hubspot/merge") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                guard let type = Self.sandboxType(body), let absorbed = body["absorbed"]?.text,
                    let survivor = body["survivor"]?.text
                else {
                    return HubSpotErrors.validation("Expected {\"absorbed\": \"id\", \"survivor\": \"id\"}.")
                }
                guard let id = self.merge(type, absorbed: absorbed, into: survivor) else {
                    return HubSpotErrors.validation("Both ids must be different live records.")
                }
                return .json(.ok, .object([("id", .string(id))]))
            }
        }
        router.post("/_sandbox/hubspot/add") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                guard let text = body["count"]?.text, let count = Int(text), count >= 0, count <= 100_000 else {
                    return HubSpotErrors.validation("Expected {\"count\": n} with 0 ≤ n ≤ 100000.")
                }
                let ids = self.addContacts(count)
                return .json(.ok, .object([("ids", .array(ids.map(JSONValue.string)))]))
            }
        }
    }

    private static func sandboxType(_ body: JSONValue) -> HubSpotObjectType? {
        guard let text = body["objectType"]?.text else { return .contacts }
        return HubSpotObjectType(path: text)
    }
}
