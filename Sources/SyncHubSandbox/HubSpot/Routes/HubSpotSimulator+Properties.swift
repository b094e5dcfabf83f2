import Hummingbird
import SyncHubCore
import Synchronization

extension HubSpotSimulator {
    func addPropertyRoutes(to router: Router<BasicRequestContext>) {
        router.get("/crm/v3/properties/:objectType") { request, context in
            try await self.serve(request, kind: .api) { _, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                let definitions = self.store.withLock { $0.catalog(type).ordered }
                return .json(.ok, .object([("results", .array(definitions.map(\.json)))]))
            }
        }
        router.get("/crm/v3/properties/:objectType/:propertyName") { request, context in
            try await self.serve(request, kind: .api) { _, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                let name = context.parameters.get("propertyName") ?? ""
                guard let definition = self.store.withLock({ $0.catalog(type)[name] }) else {
                    return HubSpotErrors.reply(
                        .notFound, message: "Unable to find property \(name) for object type \(type.typeID)",
                        category: "OBJECT_NOT_FOUND", context: [("propertyName", [name])])
                }
                return .json(.ok, definition.json)
            }
        }
        router.post("/crm/v3/properties/:objectType") { request, context in
            try await self.serve(request, kind: .api) { request, _ in
                guard let type = Self.objectType(context.parameters.get("objectType")) else {
                    return Self.unknownObjectType(context.parameters.get("objectType"))
                }
                return self.createProperty(type, try await HubSpotRequestParsing.json(&request))
            }
        }
    }

    /// `POST /crm/v3/properties/{type}`: 201 with the new definition, 409 when the name is taken.
    func createProperty(_ type: HubSpotObjectType, _ body: JSONValue) -> HubSpotReply {
        let required = ["name", "label", "type", "fieldType", "groupName"]
        let missing = required.filter { (body[$0]?.text ?? "").isEmpty }
        if !missing.isEmpty {
            return HubSpotErrors.validation(
                "Missing required fields: \(missing.joined(separator: ", "))", context: [("missingFields", missing)])
        }
        let name = body["name"]!.text!
        guard name.first?.isLetter == true, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) else {
            return HubSpotErrors.validation(
                "Property name \(name) is invalid: use lower-case letters, digits and underscores, starting with a letter.",
                context: [("name", [name])])
        }
        let typeText = body["type"]!.text!
        guard let kind = HubSpotPropertyDefinition.Kind(rawValue: typeText) else {
            return HubSpotErrors.validation("Invalid property type \(typeText).", context: [("type", [typeText])])
        }
        let options = (HubSpotRequestParsing.array(body["options"]) ?? []).compactMap { option -> HubSpotPropertyOption? in
            guard let value = option["value"]?.text else { return nil }
            return HubSpotPropertyOption(label: option["label"]?.text ?? value, value: value)
        }
        let now = nowMs
        var definition = HubSpotPropertyDefinition(
            name: name, label: body["label"]!.text!, type: kind, fieldType: body["fieldType"]!.text!,
            groupName: body["groupName"]!.text!, description: body["description"]?.text ?? "", options: options,
            displayOrder: Int(body["displayOrder"]?.text ?? "") ?? -1, hubspotDefined: false,
            hasUniqueValue: body["hasUniqueValue"] == .bool(true), formField: body["formField"] == .bool(true),
            createdAtMs: now, updatedAtMs: now)
        definition.readOnlyValue = false
        return store.withLock { store -> HubSpotReply in
            if store.catalog(type).contains(name) {
                return HubSpotErrors.reply(
                    .conflict, message: "Property named '\(name)' already exists.", category: "OBJECT_ALREADY_EXISTS",
                    context: [("name", [name])])
            }
            store.catalogs[type.rawValue].add(definition)
            return .json(.created, definition.json)
        }
    }
}
