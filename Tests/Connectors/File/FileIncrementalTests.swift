import FileConnector
import Foundation
import SyncHubCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file's modification time, to the nanosecond.
func modificationTime(of url: URL) throws -> timespec {
    var info = stat()
    try #require(stat(url.path, &info) == 0)
    #if canImport(Darwin)
    return info.st_mtimespec
    #else
    return info.st_mtim
    #endif
}

func setModificationTime(of url: URL, to time: timespec) throws {
    let times = [time, time]
    try #require(utimensat(AT_FDCWD, url.path, times, 0) == 0)
}

func inode(of url: URL) throws -> UInt64 {
    var info = stat()
    try #require(stat(url.path, &info) == 0)
    return UInt64(info.st_ino)
}

@Suite struct FileIncrementalTests {
    static func jsonl(_ ids: ClosedRange<Int>) -> String {
        ids.map { #"{"id":"p\#($0)","email":"p\#($0)@example.com","firstName":"P\#($0)"}"# + "\n" }.joined()
    }

    @Test(arguments: ["contacts.csv", "contacts.jsonl"])
    func unchangedFileYieldsNothingOnRepull(file: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = file.hasSuffix(".csv") ? FileSourceReadingTests.contactsCSV(count: 12) : Self.jsonl(1...12)
        try folder.write(text, to: file)
        let source = try source("contacts", ["path": file, "batchSize": 5], base: folder.url)
        let first = try await pullAll(source, stream: "contacts")
        #expect(first.records.count == 12)

        let again = try await pullAll(source, stream: "contacts", after: first.lastCheckpoint)
        #expect(again.count == 1)
        #expect(again.records.isEmpty)
        #expect(again.rejected.isEmpty)
        #expect(again[0].startsSnapshot == false)
        #expect(again[0].completesSnapshot == false)
        #expect(again.lastCheckpoint == first.lastCheckpoint)
    }

    @Test func unchangedSizeAndTimeMeansTheFileIsNotRead() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let url = folder.url.appendingPathComponent("contacts.jsonl")
        try folder.write(Self.jsonl(1...3), to: "contacts.jsonl")
        let source = try source("contacts", ["path": "contacts.jsonl"], base: folder.url)
        let first = try await pullAll(source, stream: "contacts")
        let time = try modificationTime(of: url)

        // Same bytes count, other content, and the old modification time: only reading could notice.
        try folder.overwrite(Self.jsonl(1...3).replacingOccurrences(of: "\"P", with: "\"Q"), to: "contacts.jsonl")
        try setModificationTime(of: url, to: time)
        let again = try await pullAll(source, stream: "contacts", after: first.lastCheckpoint)
        #expect(again.records.isEmpty)
    }

    @Test(arguments: [true, false])
    func appendedJSONLRowsAreReadFromTheSavedOffsetOnly(endsWithNewline: Bool) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var text = Self.jsonl(1...5)
        if !endsWithNewline { text.removeLast() }
        try folder.write(text, to: "contacts.jsonl")
        let url = folder.url.appendingPathComponent("contacts.jsonl")
        let inodeBefore = try inode(of: url)
        let source = try source("contacts", ["path": "contacts.jsonl", "batchSize": 2], base: folder.url)
        let first = try await pullAll(source, stream: "contacts")
        #expect(first.ids == ["p1", "p2", "p3", "p4", "p5"])

        try folder.append((endsWithNewline ? "" : "\n") + Self.jsonl(6...8), to: "contacts.jsonl")
        #expect(try inode(of: url) == inodeBefore)
        let second = try await pullAll(source, stream: "contacts", after: first.lastCheckpoint)
        #expect(second.ids == ["p6", "p7", "p8"])
        #expect(second.records.map(\.location) == ["contacts.jsonl:6", "contacts.jsonl:7", "contacts.jsonl:8"])
        #expect(second.allSatisfy { !$0.startsSnapshot && !$0.completesSnapshot })

        let third = try await pullAll(source, stream: "contacts", after: second.lastCheckpoint)
        #expect(third.records.isEmpty)
    }

    @Test func appendedCSVRowsAreReadFromTheSavedOffsetWithTheSavedHeader() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("Record ID,Email\n1,a@example.com\n", to: "contacts.csv")
        let source = try source("contacts", ["path": "contacts.csv", "preset": "hubspot"], base: folder.url)
        let first = try await pullAll(source, stream: "contacts")
        #expect(first.ids == ["1"])

        try folder.append("2,b@example.com\n\"3\",\"c@example.com\"\n", to: "contacts.csv")
        let second = try await pullAll(source, stream: "contacts", after: first.lastCheckpoint)
        #expect(second.ids == ["2", "3"])
        #expect(second.records.map(\.location) == ["contacts.csv:3", "contacts.csv:4"])
        #expect(second.records.last?.payloadText == #"{"Record ID":"3","Email":"c@example.com"}"#)
        #expect(second.allSatisfy { !$0.startsSnapshot && !$0.completesSnapshot })
    }

    enum Rewrite: String, CaseIterable, Sendable {
        /// Truncated and rewritten shorter in place.
        case shrunk
        /// Same size, other content, a later modification time.
        case sameSize
        /// Longer, but its first rows changed.
        case grownWithNewHead
        /// Replaced by a new file (new inode), longer, with the old rows first.
        case replacedByRename
    }

    @Test(arguments: Rewrite.allCases)
    func rewrittenFileIsReadAgainAsASnapshotPass(rewrite: Rewrite) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let url = folder.url.appendingPathComponent("contacts.jsonl")
        try folder.write(Self.jsonl(1...6), to: "contacts.jsonl")
        let source = try source("contacts", ["path": "contacts.jsonl", "batchSize": 4], base: folder.url)
        let first = try await pullAll(source, stream: "contacts")
        #expect(first.ids.count == 6)
        let before = try modificationTime(of: url)

        let expected: [String]
        switch rewrite {
        case .shrunk:
            try folder.overwrite(Self.jsonl(1...2), to: "contacts.jsonl")
            expected = ["p1", "p2"]
        case .sameSize:
            try folder.overwrite(Self.jsonl(1...6).replacingOccurrences(of: "\"P", with: "\"Q"), to: "contacts.jsonl")
            expected = (1...6).map { "p\($0)" }
        case .grownWithNewHead:
            try folder.overwrite(Self.jsonl(11...11) + Self.jsonl(2...9), to: "contacts.jsonl")
            expected = ["p11"] + (2...9).map { "p\($0)" }
        case .replacedByRename:
            let replacement = folder.url.appendingPathComponent("new.jsonl")
            try Data(Self.jsonl(1...7).utf8).write(to: replacement)
            let inodeBefore = try inode(of: url)
            try #require(rename(replacement.path, url.path) == 0)
            #expect(try inode(of: url) != inodeBefore)
            expected = (1...7).map { "p\($0)" }
        }
        // Coarse file clocks may not have moved: make sure the modification time did.
        var later = before
        later.tv_sec += 10
        try setModificationTime(of: url, to: later)

        let second = try await pullAll(source, stream: "contacts", after: first.lastCheckpoint)
        #expect(second.ids == expected)
        #expect(second.first?.startsSnapshot == true)
        #expect(second.last?.completesSnapshot == true)
        #expect(second.dropFirst().allSatisfy { !$0.startsSnapshot })
        #expect(second.dropLast().allSatisfy { !$0.completesSnapshot })
        if rewrite == .sameSize {
            #expect(second.records.first?.contact?.firstName == "Q1")
        }
    }

    @Test func emptiedCSVCompletesAnEmptySnapshot() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write(FileSourceReadingTests.contactsCSV(count: 3), to: "contacts.csv")
        let source = try source("contacts", ["path": "contacts.csv"], base: folder.url)
        let first = try await pullAll(source, stream: "contacts")
        try folder.overwrite("id,email,firstName,updatedAt\n", to: "contacts.csv")
        let second = try await pullAll(source, stream: "contacts", after: first.lastCheckpoint)
        #expect(second.count == 1)
        #expect(second.records.isEmpty)
        #expect(second[0].startsSnapshot && second[0].completesSnapshot)
    }

    static let multilineCSV: String = {
        var text = "id,email,note\r\n"
        for index in 1...17 {
            let note = index % 3 == 0 ? "\"line one\nline \"\"two\"\", with comma\"" : "plain \(index)"
            text += "r\(index),r\(index)@example.com,\(note)\r\n"
            if index % 5 == 0 { text += "\r\n" }
        }
        return text
    }()

    @Test(arguments: ["rows.csv", "rows.jsonl"])
    func resumingFromEachCheckpointMissesAndRepeatsNothing(file: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = file.hasSuffix(".csv")
            ? Self.multilineCSV
            : (1...17).map { #"{"id":"r\#($0)","email":"r\#($0)@example.com"}"# + ($0 % 5 == 0 ? "\n\n" : "\n") }.joined()
        try folder.write(text, to: file)
        let source = try source("contacts", ["path": file, "batchSize": 3], base: folder.url)
        let full = try await pullAll(source, stream: "contacts")
        let allIDs = (1...17).map { "r\($0)" }
        #expect(full.ids == allIDs)
        #expect(full.count == 6)

        var delivered = 0
        for (index, batch) in full.enumerated() {
            delivered += batch.records.count
            let resumed = try await pullAll(source, stream: "contacts", after: batch.checkpoint)
            #expect(resumed.ids == Array(allIDs[delivered...]), "resuming after batch \(index + 1)")
            #expect(resumed.records.map(\.location) == Array(full.records[delivered...].map(\.location)))
            #expect(resumed.allSatisfy { !$0.startsSnapshot && !$0.completesSnapshot })
        }
    }

    @Test func changingTheColumnMappingReadsTheFileAgain() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try folder.write("id,Mail,Other\n1,a@example.com,b@example.com\n", to: "contacts.csv")
        let before = try source("contacts", ["path": "contacts.csv", "columns": ["email": "Mail"]], base: folder.url)
        let first = try await pullAll(before, stream: "contacts")
        #expect(first.records.first?.contact?.email == "a@example.com")

        let after = try source("contacts", ["path": "contacts.csv", "columns": ["email": "Other"]], base: folder.url)
        let second = try await pullAll(after, stream: "contacts", after: first.lastCheckpoint)
        #expect(second.records.first?.contact?.email == "b@example.com")
        #expect(second.first?.startsSnapshot == true)
    }
}
