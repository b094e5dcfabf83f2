import Hummingbird
import SyncHubCore

/// Reading requests: JSON bodies, query parameters, JSON members.
enum HubSpotRequestParsing {
    static let maxBodySize = 16 << 20

    /// The request body parsed as JSON; throws `JSONParseError` for a malformed body (answered with a 400).
    static func json(_ request: inout Request) async throws -> JSONValue {
        let buffer = try await request.collectBody(upTo: maxBodySize)
        return try JSONValue.parse(Array(buffer.readableBytesView))
    }

    static func bytes(_ request: inout Request) async throws -> [UInt8] {
        Array(try await request.collectBody(upTo: maxBodySize).readableBytesView)
    }

    static func query(_ parameters: Parameters, _ name: String) -> String? {
        parameters.get(name)
    }

    /// All values of a query parameter, comma lists split: `properties=a,b&properties=c` → `[a, b, c]`.
    static func queryList(_ parameters: Parameters, _ name: String) -> [String]? {
        let values = parameters.getAll(name)
        if values.isEmpty { return nil }
        return values.flatMap { $0.split(separator: ",").map { $0.trimmingSpaces() } }.filter { !$0.isEmpty }
    }

    static func array(_ value: JSONValue?) -> [JSONValue]? {
        if case .array(let items) = value { return items }
        return nil
    }

    static func text(_ value: JSONValue?) -> String? { value?.text }

    static func strings(_ value: JSONValue?) -> [String]? {
        array(value)?.compactMap(\.text)
    }

    /// `{"name": "value", …}` with every value spelled as a string (numbers and booleans as written; null as "").
    static func properties(_ value: JSONValue?) -> [(String, String)]? {
        guard case .object(let members) = value else { return nil }
        return members.map { name, value in
            if case .null = value { return (name, "") }
            return (name, value.text ?? String(decoding: HubSpotJSON.bytes(value), as: UTF8.self))
        }
    }

    /// Reads `application/x-www-form-urlencoded` text.
    static func form(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeForm(Array(parts[0]))
            fields[name] = parts.count > 1 ? decodeForm(Array(parts[1])) : ""
        }
        return fields
    }

    private static func decodeForm(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
