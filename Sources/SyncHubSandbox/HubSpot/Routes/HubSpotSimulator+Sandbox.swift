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

    /// `POST /_sandbox/hubspot/submit` `{"form": guid, "contact": id}`, `/_sandbox/hubspot/participate`
    /// `{"event": objectId, "contact": id, "state": "ATTENDED"}`, `/_sandbox/hubspot/rename`
    /// `{"campaign": id, "name": …}` or `{"event": objectId, "name": …}`: marketing changes between pulls.
    func addMarketingSandboxRoutes(to router: Router<BasicRequestContext>) {
        router.post("/_sandbox/hubspot/submit") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                guard let form = body["form"]?.text, let contact = body["contact"]?.text,
                    let id = self.submitForm(form, contact: contact)
                else { return HubSpotErrors.validation("Expected {\"form\": guid, \"contact\": id} of a form and a live contact.") }
                return .json(.ok, .object([("conversionId", .string(id))]))
            }
        }
        router.post("/_sandbox/hubspot/participate") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                let state = body["state"]?.text?.uppercased() ?? "REGISTERED"
                guard ["REGISTERED", "ATTENDED", "CANCELLED", "NO_SHOW"].contains(state), let event = body["event"]?.text,
                    let contact = body["contact"]?.text,
                    let id = self.addParticipation(event: event, contact: contact, state: state)
                else {
                    return HubSpotErrors.validation(
                        "Expected {\"event\": objectId, \"contact\": id, \"state\": REGISTERED|ATTENDED|CANCELLED|NO_SHOW}.")
                }
                return .json(.ok, .object([("id", .string(id))]))
            }
        }
        router.post("/_sandbox/hubspot/rename") { request, _ in
            try await self.serve(request, kind: .sandbox) { request, _ in
                let body = try await HubSpotRequestParsing.json(&request)
                guard let name = body["name"]?.text, !name.isEmpty else {
                    return HubSpotErrors.validation("Expected {\"campaign\": id, \"name\": …} or {\"event\": objectId, \"name\": …}.")
                }
                if let campaign = body["campaign"]?.text { self.renameEmailCampaign(campaign, to: name) }
                if let event = body["event"]?.text { self.renameMarketingEvent(event, to: name) }
                return .json(.ok, .object([("renamed", .bool(true))]))
            }
        }
    }

    private static func sandboxType(_ body: JSONValue) -> HubSpotObjectType? {
        guard let text = body["objectType"]?.text else { return .contacts }
        return HubSpotObjectType(path: text)
    }
}
