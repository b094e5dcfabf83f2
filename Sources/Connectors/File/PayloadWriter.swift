import SyncHubCore

/// Writes a CSV row's raw payload: the JSON object header -> value, byte for byte what ``JSONWriter/object(_:)``
/// writes, but with each header encoded once per file and unescaped runs copied in bulk.
struct PayloadWriter {
    /// `"header":` for each column.
    private let keys: [[UInt8]]

    init(header: [String]) {
        keys = header.map { name in
            var out: [UInt8] = []
            JSONWriter.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            return out
        }
    }

    func object(_ values: [String]) -> [UInt8] {
        var capacity = 2 + keys.count
        for index in keys.indices { capacity += keys[index].count + values[index].utf8.count + 2 }
        var out: [UInt8] = []
        out.reserveCapacity(capacity + 16)
        out.append(UInt8(ascii: "{"))
        for index in keys.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: keys[index])
            Self.appendString(values[index], to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `text` as a JSON string literal, escaping as ``JSONWriter/appendString(_:to:)`` does.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
                case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                }
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
