import HTTPTypes
import SyncHubCore
import Synchronization

extension SalesforceSimulator {
    /// The result of one record of an sObject Collections request.
    struct SaveResult {
        var id: String?
        var errors: [(code: String, message: String, fields: [String])] = []

        var json: JSONValue {
            var members: [(String, JSONValue)] = []
            if let id { members.append(("id", .string(id))) }
            members.append(("success", .bool(errors.isEmpty)))
            members.append(
                (
                    "errors",
                    .array(
                        errors.map { error in
                            .object([
                                ("statusCode", .string(error.code)), ("message", .string(error.message)),
                                ("fields", .array(error.fields.map(JSONValue.string))),
                            ])
                        })
                ))
            return .object(members)
        }
    }

    /// A record of the request, checked against the schema but not yet against the org.
    struct PendingUpdate {
        var kind: SFObjectKind
        var id: String?
        var changes: [(Int, SFValue)] = []
        var errors: [(code: String, message: String, fields: [String])] = []
    }

    struct RequestError: Error { var reply: SFReply }

    static func parserError(_ message: String) -> RequestError {
        RequestError(reply: .error(.badRequest, "JSON_PARSER_ERROR", message))
    }

    /// `PATCH /composite/sobjects`: up to 200 records, each `{"attributes":{"type":…},"id":…, fields…}`; one
    /// SaveResult per record, in request order. With `allOrNone`, one failure rolls every record back.
    func updateCollection(_ body: [UInt8]) -> SFReply {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            return .error(
                .badRequest, "JSON_PARSER_ERROR", "Unexpected character at [line:1, column:\(error.offset + 1)]")
        }
        guard case .object = document, case .array(let records)? = document["records"] else {
            return .error(
                .badRequest, "JSON_PARSER_ERROR", "Cannot deserialize the request: 'records' is missing or not a list")
        }
        let allOrNone: Bool
        switch document["allOrNone"] {
        case nil, .null?: allOrNone = false
        case .bool(let value)?: allOrNone = value
        default: return .error(.badRequest, "JSON_PARSER_ERROR", "Cannot deserialize instance of boolean for allOrNone")
        }
        guard records.count <= 200 else {
            return .error(
                .badRequest, "EXCEEDED_ID_LIMIT",
                "record limit reached. cannot submit more than 200 records into this call")
        }
        var pending: [PendingUpdate] = []
        do {
            for record in records { pending.append(try check(record)) }
        } catch let error as RequestError {
            return error.reply
        } catch {
            return .error(.badRequest, "JSON_PARSER_ERROR", "Cannot deserialize the request")
        }

        let now = nowMillis
        let results: [SaveResult] = data.withLock { data in
            var results: [SaveResult] = []
            for var update in pending {
                if update.errors.isEmpty { validate(&update, in: data.org) }
                results.append(SaveResult(id: update.errors.isEmpty ? update.id : nil, errors: update.errors))
                pending[results.count - 1] = update
            }
            let failed = results.contains { !$0.errors.isEmpty }
            if allOrNone, failed {
                return results.map { result in
                    guard result.errors.isEmpty else { return result }
                    return SaveResult(
                        id: result.id,
                        errors: [
                            (
                                "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                "Record rolled back because not all records were valid and the request was using AllOrNone header",
                                []
                            )
                        ])
                }
            }
            for update in pending where update.errors.isEmpty {
                guard let id = update.id, let slot = data.org[update.kind].slot(of: id) else { continue }
                data.org.update(update.kind, slot: slot, changes: update.changes, now: now)
            }
            return results
        }
        return .json(.array(results.map(\.json)))
    }

    /// Reads one record of the request: its type, id and field values. Malformed values fail the whole request, as
    /// Salesforce's JSON parser does; unknown and read-only fields fail the record.
    func check(_ record: JSONValue) throws -> PendingUpdate {
        guard case .object(let members) = record else {
            throw Self.parserError("Cannot deserialize instance of SObject from a non-object value")
        }
        guard case .string(let type)? = record["attributes"]?["type"] else {
            throw RequestError(reply: .error(.badRequest, "INVALID_TYPE", "Must send a concrete entity type."))
        }
        guard let object = SalesforceSchema.object(named: type) else {
            throw RequestError(reply: .error(.badRequest, "INVALID_TYPE", "sObject type '\(type)' is not supported."))
        }
        var update = PendingUpdate(kind: object.kind)
        for (key, value) in members where key != "attributes" {
            if key == "id" || key == "Id" {
                guard case .string(let id) = value else {
                    throw Self.parserError("Cannot deserialize instance of id from a non-string value")
                }
                update.id = id
                continue
            }
            guard let index = object.field(named: key) else {
                update.errors.append(("INVALID_FIELD", "No such column '\(key)' on sobject of type \(object.name)", []))
                continue
            }
            let field = object.fields[index]
            guard field.updateable else {
                update.errors.append(
                    (
                        "INVALID_FIELD_FOR_INSERT_UPDATE",
                        "Unable to create/update fields: \(field.name). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                        [field.name]
                    ))
                continue
            }
            let converted = try Self.convert(value, field)
            if converted.isNull, !field.nillable {
                update.errors.append(
                    ("REQUIRED_FIELD_MISSING", "Required fields are missing: [\(field.name)]", [field.name]))
                continue
            }
            if case .string(let text) = converted {
                if text.utf8.count > field.length {
                    update.errors.append(
                        (
                            "STRING_TOO_LONG", "\(field.label): data value too large (max length=\(field.length))",
                            [field.name]
                        ))
                    continue
                }
                if field.type == .email, !text.isEmpty, !(text.contains("@") && text.contains(".")) {
                    update.errors.append(
                        ("INVALID_EMAIL_ADDRESS", "\(field.label): invalid email address", [field.name]))
                    continue
                }
            }
            update.changes.append((index, converted))
        }
        return update
    }

    /// Checks the record's id and reference values against the org.
    func validate(_ update: inout PendingUpdate, in org: SFOrg) {
        let object = SalesforceSchema.object(update.kind)
        guard let raw = update.id else {
            update.errors.append(("MISSING_ARGUMENT", "Id not specified in an update call", []))
            return
        }
        guard let id = SalesforceID.canonical(raw) else {
            update.errors.append(("MALFORMED_ID", "malformed id \(raw)", []))
            return
        }
        guard id.hasPrefix(object.keyPrefix) else {
            update.errors.append(("MALFORMED_ID", "\(object.label) ID: id value of incorrect type: \(raw)", ["Id"]))
            return
        }
        update.id = id
        guard let slot = org[update.kind].slot(of: id) else {
            update.errors.append(("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []))
            return
        }
        if org[update.kind].rows[slot].isDeleted(object) {
            update.errors.append(("ENTITY_IS_DELETED", "entity is deleted", []))
            return
        }
        for index in update.changes.indices {
            let (fieldIndex, value) = update.changes[index]
            let field = object.fields[fieldIndex]
            guard field.type == .reference, case .string(let rawReference) = value else { continue }
            guard let target = field.referenceTo.flatMap(SalesforceSchema.object(named:)),
                let reference = SalesforceID.canonical(rawReference), reference.hasPrefix(target.keyPrefix)
            else {
                update.errors.append(
                    ("MALFORMED_ID", "\(field.label): id value of incorrect type: \(rawReference)", [field.name]))
                return
            }
            guard let row = org.row(target.kind, id: reference), !row.isDeleted(target) else {
                update.errors.append(("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [field.name]))
                return
            }
            update.changes[index].1 = .string(reference)
        }
    }

    /// A JSON value as a value of `field`, or a whole-request parser error.
    static func convert(_ value: JSONValue, _ field: SFField) throws -> SFValue {
        func fail(_ kind: String) -> RequestError {
            parserError(
                "Cannot deserialize instance of \(field.type.rawValue) from \(kind) value for field \(field.name)")
        }
        if case .null = value { return field.type == .boolean ? .bool(false) : .null }
        switch field.type {
        case .boolean:
            switch value {
            case .bool(let b): return .bool(b)
            case .string("true"): return .bool(true)
            case .string("false"): return .bool(false)
            default: throw fail("VALUE_STRING")
            }
        case .double, .currency, .percent, .int:
            guard let text = value.text, let number = Double(text) else { throw fail("VALUE_STRING") }
            return .number(field.type == .int ? number.rounded(.towardZero) : number)
        case .date:
            guard case .string(let text) = value else { throw fail("VALUE_NUMBER") }
            if let days = SFTime.parseDate(Array(text.utf8)) { return .date(days) }
            if let ms = SFTime.parseDateTime(text.utf8) { return .date(SFTime.day(ofMilliseconds: ms)) }
            throw fail("VALUE_STRING")
        case .datetime:
            guard case .string(let text) = value else { throw fail("VALUE_NUMBER") }
            if let ms = SFTime.parseDateTime(text.utf8) { return .dateTime(ms) }
            if let ms = SFTime.parseDateTime((text + "Z").utf8) { return .dateTime(ms) }
            if let days = SFTime.parseDate(Array(text.utf8)) { return .dateTime(days * SFTime.msPerDay) }
            throw fail("VALUE_STRING")
        default:
            switch value {
            case .string(let s): return .string(s)
            case .number(let n): return .string(n)
            case .bool(let b): return .string(b ? "true" : "false")
            default: throw fail("START_ARRAY")
            }
        }
    }
}
