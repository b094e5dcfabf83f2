import Foundation
import SyncHubCore
import SyncHubSampleData

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/synchub-sample-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + relativePath)))
    }

    func text(_ relativePath: String) throws -> String { String(decoding: try bytes(relativePath), as: UTF8.self) }

    /// The records of a CSV file, header first.
    func csv(_ relativePath: String) throws -> [[String]] { CSV.parse(try bytes(relativePath)) }

    /// A CSV file's data rows as dictionaries by header; rows of another width are left out.
    func table(_ relativePath: String) throws -> [[String: String]] {
        let records = try csv(relativePath)
        let header = records[0]
        return records.dropFirst().filter { $0.count == header.count }.map {
            Dictionary(uniqueKeysWithValues: zip(header, $0))
        }
    }

    /// The lines of a JSONL file.
    func lines(_ relativePath: String) throws -> [String] {
        try text(relativePath).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Line breaks in a file, counted without decoding it.
    func lineCount(_ relativePath: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/" + relativePath))
        return data.withUnsafeBytes { raw in
            guard var cursor = raw.baseAddress else { return 0 }
            let end = cursor + raw.count
            var count = 0
            while cursor < end, let found = memchr(cursor, 10, end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            return count
        }
    }

    func permissions(_ relativePath: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + relativePath)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// `source:record_id` -> person id, from `truth.csv`.
    func truth() throws -> [String: String] {
        var people: [String: String] = [:]
        for row in try table("truth.csv") { people[row["source"]! + ":" + row["record_id"]!] = row["person_id"]! }
        return people
    }
}

/// An RFC 4180 reader, independent of the generator's writer.
enum CSV {
    static func parse(_ bytes: [UInt8]) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var index = 0
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inQuotes = true
                case UInt8(ascii: ","): endField()
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "\n"):
                    endField()
                    records.append(record)
                    record.removeAll()
                default: field.append(byte)
                }
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}

extension JSONValue {
    static func parses(_ line: String) -> Bool { (try? JSONValue.parse(line)) != nil }
}
