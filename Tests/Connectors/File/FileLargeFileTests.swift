import FileConnector
import Foundation
import SyncHubCore
import Testing

@Suite struct FileLargeFileTests {
    /// Several megabytes, so rows and quoted line breaks straddle the reader's 1 MiB chunks.
    @Test func recordsStraddlingReadChunksParseExactly() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let count = 14_000
        var text = "id,email,note\n"
        var expectedLines: [Int] = []
        var line = 2
        for index in 1...count {
            expectedLines.append(line)
            if index % 7 == 0 {
                text += "r\(index),r\(index)@example.com,\"first \"\"part\"\", \(index)\nsecond part \(String(repeating: "x", count: index % 150))\"\n"
                line += 2
            } else {
                text += "r\(index),r\(index)@example.com,note \(index) \(String(repeating: "y", count: 60 + index % 190))\n"
                line += 1
            }
        }
        #expect(text.utf8.count > 2 << 20)
        try folder.write(text, to: "big.csv")
        let source = try source("contacts", ["path": "big.csv", "batchSize": 1999], base: folder.url)

        let batches = try await pullAll(source, stream: "contacts")
        #expect(batches.rejected.isEmpty)
        #expect(batches.ids == (1...count).map { "r\($0)" })
        #expect(batches.records.map(\.location) == expectedLines.map { "big.csv:\($0)" })
        for index in [7, 1400, 5_377, 9_002, 11_999] {
            let payload = batches.records[index - 1].payloadText
            let note = index % 7 == 0
                ? "first \\\"part\\\", \(index)\\nsecond part \(String(repeating: "x", count: index % 150))"
                : "note \(index) \(String(repeating: "y", count: 60 + index % 190))"
            #expect(payload == #"{"id":"r\#(index)","email":"r\#(index)@example.com","note":"\#(note)"}"#)
        }
        // Resuming from a checkpoint deep in the file reads exactly the rest.
        let resumed = try await pullAll(source, stream: "contacts", after: batches[4].checkpoint)
        #expect(resumed.ids == (5 * 1999 + 1...count).map { "r\($0)" })
    }

    @Test func payloadsAndTimestampsMatchCoreFormatting() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let notes = ["tab\there", "quote \"\" and \\ backslash", "ctrl \u{01}\u{1f} del \u{7f}", "crlf\r\ninside", "ünïcödé 😀", ""]
        let stamps = ["2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z", "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.120Z",
                      "2024-01-01T23:59:60Z", "2024-01-01 10:00", "1714557600000", "2024-04-31T00:00:00Z"]
        let dates = ["2024-02-30", "2024-02-29", "1900-02-29", "2000-02-29", "1999-12-31", "2024-06-31"]
        var text = "id,createdAt,birthDate,note\n"
        var rows: [[String]] = []
        for index in 0..<8 {
            let row = ["\(index)", stamps[index], dates[index % dates.count], notes[index % notes.count]]
            rows.append(row)
            text += row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
        }
        try folder.write(text, to: "contacts.csv")
        let records = try await pullAll(try source("contacts", ["path": "contacts.csv"], base: folder.url), stream: "contacts").records
        #expect(records.count == rows.count)
        for (record, row) in zip(records, rows) {
            #expect(record.payload == JSONWriter.object(zip(["id", "createdAt", "birthDate", "note"], row).map { ($0, $1) }))
            #expect(record.contact?.createdAt == Timestamps.normalize(row[1]), "\(row[1])")
            #expect(record.contact?.birthDate == Timestamps.date(row[2]), "\(row[2])")
        }
    }

    /// Parse and map throughput of JSONL contacts; the figure is printed, the count asserted.
    @Test func jsonlContactThroughput() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let count = 20_000
        var text = ""
        text.reserveCapacity(count * 400)
        for index in 1...count {
            text += #"{"id":"\#(index)","email":"person\#(index)@example.com","first_name":"First\#(index)","last_name":"Last","company":"Company \#(index % 500)","title":"Engineer","phone":"+1 555 0100","city":"Springfield","state":"IL","postal_code":"62701","country":"United States","owner":"owner-7","lifecycle_stage":"lead","lead_status":"NEW","account_id":"a\#(index % 500)","created_at":"2024-01-15T10:23:00Z","updated_at":"2024-03-01T08:00:00.123Z","deleted":false}"# + "\n"
        }
        try folder.write(text, to: "contacts.jsonl")
        let source = try source("contacts", ["path": "contacts.jsonl"], base: folder.url)

        let clock = ContinuousClock()
        var records = 0
        let elapsed = try await clock.measure {
            records = try await pullAll(source, stream: "contacts").records.count
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("JSONL contacts: \(records) rows in \(seconds) s = \(Int(Double(records) / seconds)) rows/s (\(text.utf8.count / count) bytes/row)")
        #expect(records == count)
    }
}
