import Foundation
import HTTPTypes
import Hummingbird
import SyncHubCore

/// A response before it becomes a Hummingbird `Response`: kept as bytes so faults can cut it short. Handlers may
/// also throw one (an error reply).
struct HubSpotReply: Sendable, Error {
    var status: HTTPResponse.Status
    var body: [UInt8]
    var contentType = "application/json;charset=utf-8"
    var headers: [(String, String)] = []

    static func json(_ status: HTTPResponse.Status = .ok, _ value: JSONValue) -> HubSpotReply {
        HubSpotReply(status: status, body: HubSpotJSON.bytes(value))
    }

    static func bytes(_ status: HTTPResponse.Status = .ok, _ body: [UInt8]) -> HubSpotReply {
        HubSpotReply(status: status, body: body)
    }

    static func noContent() -> HubSpotReply { HubSpotReply(status: .noContent, body: []) }

    var fields: HTTPFields {
        var fields = HTTPFields()
        if !body.isEmpty || status != .noContent { fields[.contentType] = contentType }
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return fields
    }

    var response: Response {
        var fields = self.fields
        fields[.contentLength] = String(body.count)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// HubSpot's error bodies.
enum HubSpotErrors {
    static func correlationID() -> String { UUID().uuidString.lowercased() }

    /// `{"status":"error","message":…,"correlationId":…,["errors"],["context"],"category":…,["subCategory"]}`.
    static func body(
        message: String, category: String, subCategory: String? = nil, context: [(String, [String])] = [],
        errors: [JSONValue] = []
    ) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("status", .string("error")), ("message", .string(message)), ("correlationId", .string(correlationID())),
        ]
        if !errors.isEmpty { members.append(("errors", .array(errors))) }
        if !context.isEmpty {
            members.append(("context", .object(context.map { ($0.0, .array($0.1.map { .string($0) })) })))
        }
        members.append(("category", .string(category)))
        if let subCategory { members.append(("subCategory", .string(subCategory))) }
        return .object(members)
    }

    static func reply(
        _ status: HTTPResponse.Status, message: String, category: String, subCategory: String? = nil,
        context: [(String, [String])] = [], errors: [JSONValue] = []
    ) -> HubSpotReply {
        .json(status, body(message: message, category: category, subCategory: subCategory, context: context, errors: errors))
    }

    static func validation(_ message: String, context: [(String, [String])] = [], errors: [JSONValue] = []) -> HubSpotReply {
        reply(.badRequest, message: message, category: "VALIDATION_ERROR", context: context, errors: errors)
    }

    static func invalidJSON(_ problem: String) -> HubSpotReply {
        validation("Invalid input JSON on line 1: \(problem)")
    }

    static func invalidAuthentication() -> HubSpotReply {
        reply(
            .unauthorized,
            message:
                "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
            category: "INVALID_AUTHENTICATION")
    }

    static func expiredAuthentication(expiredAtMs: Int64, nowMs: Int64) -> HubSpotReply {
        let ago = max(0, nowMs - expiredAtMs) / 1000
        let spelled: String
        switch ago {
        case ..<120: spelled = "\(ago) second(s)"
        case ..<7_200: spelled = "\(ago / 60) minute(s)"
        case ..<172_800: spelled = "\(ago / 3_600) hour(s)"
        default: spelled = "\(ago / 86_400) day(s)"
        }
        return reply(
            .unauthorized, message: "The OAuth token used to make this call expired \(spelled) ago.",
            category: "EXPIRED_AUTHENTICATION", context: [("expire time", [HubSpotTime.iso(expiredAtMs)])])
    }

    /// A 429 as HubSpot sends it: `errorType` and `policyName` instead of `category`.
    static func rateLimited(policy: String, groupName: String, retryAfterSeconds: Int? = nil) -> HubSpotReply {
        let message: String
        switch policy {
        case "SECONDLY": message = "You have reached your secondly limit."
        case "DAILY": message = "You have reached your daily limit."
        default: message = "You have reached your \(policy.lowercased()) limit."
        }
        var reply = HubSpotReply.json(
            .tooManyRequests,
            .object([
                ("status", .string("error")), ("message", .string(message)), ("errorType", .string("RATE_LIMIT")),
                ("correlationId", .string(correlationID())), ("policyName", .string(policy)),
                ("groupName", .string(groupName)),
            ]))
        if let retryAfterSeconds { reply.headers.append(("Retry-After", String(retryAfterSeconds))) }
        return reply
    }

    /// `GET` of an id that does not exist.
    static func objectNotFound(_ id: String) -> HubSpotReply {
        reply(
            .notFound, message: "Object not found.  objectId are usually numeric.", category: "OBJECT_NOT_FOUND",
            context: [("id", [id])])
    }

    /// The batch error for inputs that matched no record.
    static func batchNotFound(_ type: HubSpotObjectType, ids: [String]) -> JSONValue {
        .object([
            ("status", .string("error")), ("category", .string("OBJECT_NOT_FOUND")),
            (
                "message",
                .string("Could not get some \(type.errorName) objects, they may be deleted or not exist. Check that ids are valid.")
            ),
            ("context", .object([("ids", .array(ids.map { .string($0) }))])),
        ])
    }

    /// A batch with more inputs than the endpoint takes.
    static func tooManyInputs(_ count: Int, limit: Int) -> HubSpotReply {
        validation("Batch input size of \(count) exceeds the limit of \(limit) inputs per request.")
    }

    /// 400 for property values HubSpot refuses, with its `Property values were not valid` message.
    static func invalidPropertyValues(_ problems: [(name: String, error: String, message: String)]) -> HubSpotReply {
        let details = problems.map { problem in
            JSONValue.object([
                ("isValid", .bool(false)), ("message", .string(problem.message)), ("error", .string(problem.error)),
                ("name", .string(problem.name)), ("localizedErrorMessage", .string(problem.message)),
                ("portalId", .number(String(HubSpotEmailLog.portalID))),
            ])
        }
        let errors = problems.map { problem in
            JSONValue.object([
                ("message", .string(problem.message)), ("code", .string(problem.error)),
                ("context", .object([("propertyName", .array([.string(problem.name)]))])),
            ])
        }
        let detailText = String(decoding: HubSpotJSON.bytes(JSONValue.array(details)), as: UTF8.self)
        return validation("Property values were not valid: \(detailText)", errors: errors)
    }
}
