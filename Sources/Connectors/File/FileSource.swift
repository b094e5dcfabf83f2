import Foundation
import SyncHubCore

/// Where reading a file got to; the payload of this connector's checkpoints.
struct FileCursor: Codable, Hashable, Sendable {
    /// The file version the offset belongs to.
    var version: FileVersion
    /// The byte just after the last row delivered.
    var offset: Int64
    /// Physical lines consumed up to ``offset``.
    var line: Int
    /// The CSV header row, so a resumed read need not go back to it.
    var header: [String]?
    /// Fingerprint of the file's first ``headLength`` bytes.
    var headLength: Int
    var headHash: Int64
    /// Fingerprint of the ``tailLength`` bytes just before ``offset``: a rewrite under the offset changes it.
    var tailLength: Int
    var tailHash: Int64
    /// Fingerprint of the stream's format and column mapping: rows are read again when the mapping changes.
    var mappingHash: Int64
}

/// Reads the configured CSV and JSONL files of one connector instance.
///
/// Each stream is a snapshot. A pull of an unchanged file (same device, inode, size and modification time, and the
/// same column mapping) reads nothing. A file that grew in place, whose first 4 KB and the 4 KB before the saved
/// offset are unchanged, is read from the saved offset only (appended rows). Anything else is read again from byte 0
/// as a snapshot pass: its first batch starts the snapshot and its last completes it, so the engine marks records
/// missing from the file deleted. A pass reads up to the file's size when it began; rows appended meanwhile wait for
/// the next pull.
///
/// Limits: a pass interrupted and resumed in a later pull never claims a complete snapshot (deletes wait for the next
/// full pass). A file rewritten in place to a larger size that keeps the first 4 KB and the 4 KB before the saved
/// offset is taken for an append, and a same-size rewrite within one tick of the file system's clock is taken for no
/// change; `pull --full-refresh` (no checkpoint) rereads everything.
struct FileSource: SourceConnector {
    let connector: String
    let streamConfigurations: [FileStreamConfiguration]

    static let fingerprintLength: Int64 = 4096

    func check() async throws {
        var problems: [String] = []
        for stream in streamConfigurations {
            let file: OpenFile
            do { file = try OpenFile(path: stream.resolvedPath) } catch {
                throw Self.error(error, stream: stream, connector: connector)
            }
            guard stream.format == .csv else { continue }
            let reader = ByteReader(file: file, offset: 0, linesConsumed: 0, limit: file.version.size)
            let header: [String]?
            do {
                try reader.skipByteOrderMark()
                header = try reader.nextRecord(delimiter: stream.delimiter) { $0.fields.map { Row.trimmed($0) ?? "" } }
            } catch {
                throw Self.error(error, stream: stream, connector: connector)
            }
            guard let header else { continue }
            let resolved = ResolvedColumns(header: header, stream: stream)
            if let problem = resolved.problem(stream: stream) { problems.append(problem) }
        }
        if !problems.isEmpty {
            throw ConnectorError(.invalidConfiguration, problems.joined(separator: "; "), connector: connector)
        }
    }

    func streams() async throws -> [StreamDescriptor] { streamConfigurations.map(\.descriptor) }

    func pull(_ stream: StreamDescriptor, resumingAfter checkpoint: Checkpoint?) -> any AsyncSequence<RecordBatch, any Error> & Sendable {
        let connector = connector
        let configuration = streamConfigurations.first { $0.name == stream.name }
        return Paginated<FilePass>(startingAt: nil) { pass in
            if let pass {
                let (batch, isLast) = try pass.nextBatch()
                return (batch, isLast ? nil : pass)
            }
            guard let configuration else {
                throw ConnectorError(
                    .invalidConfiguration, "no stream named `\(stream.name)` is configured", connector: connector,
                    stream: stream.name)
            }
            switch try FilePass.start(stream: configuration, connector: connector, checkpoint: checkpoint) {
            case .unchanged(let batch):
                return (batch, nil)
            case .reading(let pass):
                let (batch, isLast) = try pass.nextBatch()
                return (batch, isLast ? nil : pass)
            }
        }
    }

    static func error(_ problem: FileProblem, stream: FileStreamConfiguration, connector: String) -> ConnectorError {
        let subject = "`\(stream.path)` (\(stream.pathKey))"
        switch problem {
        case .missing:
            return ConnectorError(
                .notFound,
                "\(subject) does not exist; check the path (relative paths start at the configuration file's folder)",
                connector: connector, stream: stream.name)
        case .isDirectory:
            return ConnectorError(
                .invalidConfiguration, "\(subject) is a folder; point it at a .csv or .jsonl file",
                connector: connector, stream: stream.name)
        case .unreadable(let code):
            let fix = code == EACCES || code == EPERM ? "give synchub read access to it" : "check the disk and try again"
            return ConnectorError(
                code == EACCES || code == EPERM ? .invalidConfiguration : .unavailable,
                "\(subject) \(problem.summary); \(fix)", connector: connector, stream: stream.name)
        }
    }
}

/// Which file column feeds each slot, once the CSV header is known.
struct ResolvedColumns {
    /// Per slot, the header index, or -1.
    var columnIndex: [Int]
    /// Per slot, the column's name, for messages.
    var labels: [String]
    let header: [String]
    let payloadWriter: PayloadWriter

    init(header: [String], stream: FileStreamConfiguration) {
        self.header = header
        self.payloadWriter = PayloadWriter(header: header)
        var position: [String: Int] = [:]
        for (index, name) in header.enumerated() where position[name] == nil { position[name] = index }
        let columnIndex = stream.slots.map { slot in
            slot.candidates.lazy.compactMap { position[$0] }.first ?? -1
        }
        self.columnIndex = columnIndex
        labels = stream.slots.enumerated().map { index, slot in
            let column = columnIndex[index]
            return column >= 0 ? header[column] : slot.candidates.joined(separator: "` or `")
        }
    }

    /// What is wrong with the header for this stream, as one message; `nil` when every needed column is there.
    func problem(stream: FileStreamConfiguration) -> String? {
        var missing: [String] = []
        for (index, slot) in stream.slots.enumerated() where columnIndex[index] < 0 && !slot.candidates.isEmpty {
            let isRequired = slot.field.map(stream.requiredFields.contains) ?? false
            guard isRequired || slot.isConfigured else { continue }
            let wanted = slot.candidates.map { "`\($0)`" }.joined(separator: " or ")
            var text = "no column \(wanted) for "
            text += slot.field.map { "`\($0.name)`" } ?? "`sameAs.\(slot.sameAsConnector ?? "")`"
            text += " (\(slot.settingKey))"
            var guesses: [String] = []
            for candidate in slot.candidates {
                if let guess = Suggestions.closest(to: candidate, among: header), !guesses.contains(guess) {
                    guesses.append(guess)
                }
            }
            if !guesses.isEmpty { text += ", did you mean \(guesses.map { "`\($0)`" }.joined(separator: " or "))?" }
            missing.append(text)
        }
        guard !missing.isEmpty else { return nil }
        let shown = header.prefix(30).map { "`\($0)`" }.joined(separator: ", ")
        return "the header of `\(stream.path)` has \(missing.joined(separator: "; ")); its columns are \(shown)"
            + (header.count > 30 ? ", ..." : "")
    }
}

/// One pass over one stream's file, from a start offset to the file's size when the pass began.
///
/// Used by one iterator at a time, batch after batch; the `Sendable` conformance only lets it travel as the
/// ``Paginated`` token.
final class FilePass: @unchecked Sendable {
    enum Start {
        /// Nothing changed since the checkpoint: this empty batch is all there is.
        case unchanged(RecordBatch)
        case reading(FilePass)
    }

    let stream: FileStreamConfiguration
    let connector: String
    let file: OpenFile
    let reader: ByteReader
    let mapper: RowMapper
    let isSnapshotPass: Bool
    let headLength: Int
    let headHash: Int64
    let mappingHash: Int64
    private var header: [String]?
    private var columns: ResolvedColumns?
    private var jsonLabels: [String]
    private var isFirstBatch = true
    private var values: [String?]
    // JSONL: member name to the slots it feeds, with the candidate rank; and a cache by member position.
    private var memberSlots: [String: [(slot: Int, rank: Int)]] = [:]
    private var cachedNames: [String] = []
    private var cachedSlots: [[(slot: Int, rank: Int)]] = []
    private var ranks: [Int]

    /// Opens the stream's file and decides where to read from.
    static func start(stream: FileStreamConfiguration, connector: String, checkpoint: Checkpoint?) throws -> Start {
        let file: OpenFile
        do { file = try OpenFile(path: stream.resolvedPath) } catch {
            throw FileSource.error(error, stream: stream, connector: connector)
        }
        let current = file.version
        let mappingHash = Self.mappingHash(of: stream)
        do {
            var resume: FileCursor?
            if let checkpoint, let cursor = try? checkpoint.decode(as: FileCursor.self), cursor.mappingHash == mappingHash,
                cursor.offset > 0, stream.format == .jsonl || cursor.header != nil
            {
                if cursor.version == current {
                    if cursor.offset >= current.size {
                        return .unchanged(RecordBatch(records: [], checkpoint: checkpoint))
                    }
                    resume = cursor
                } else if cursor.version.isSameFile(as: current), current.size > cursor.version.size,
                    cursor.offset <= cursor.version.size,
                    try file.fingerprint(of: 0..<Int64(cursor.headLength)) == cursor.headHash,
                    try file.fingerprint(of: (cursor.offset - Int64(cursor.tailLength))..<cursor.offset) == cursor.tailHash
                {
                    resume = cursor
                }
            }
            let headLength = Int(min(fingerprintLength, current.size))
            let headHash = try file.fingerprint(of: 0..<Int64(headLength))
            let pass = FilePass(
                stream: stream, connector: connector, file: file, resume: resume, headLength: headLength,
                headHash: headHash, mappingHash: mappingHash)
            if resume == nil { try pass.reader.skipByteOrderMark() }
            return .reading(pass)
        } catch {
            throw FileSource.error(error, stream: stream, connector: connector)
        }
    }

    static var fingerprintLength: Int64 { FileSource.fingerprintLength }

    static func mappingHash(of stream: FileStreamConfiguration) -> Int64 {
        var text = "\(stream.format.rawValue)|\(stream.delimiter)|\(stream.objectType.rawValue)|\(stream.defaultKind)"
        for slot in stream.slots {
            text += "|\(slot.field?.name ?? "sameAs.\(slot.sameAsConnector ?? "")")=\(slot.candidates.joined(separator: ","))"
        }
        text += "|won=\(stream.wonStages.sorted().joined(separator: ","))|lost=\(stream.lostStages.sorted().joined(separator: ","))"
        return ContentHash.of(text)
    }

    private init(
        stream: FileStreamConfiguration, connector: String, file: OpenFile, resume: FileCursor?, headLength: Int,
        headHash: Int64, mappingHash: Int64
    ) {
        self.stream = stream
        self.connector = connector
        self.file = file
        self.reader = ByteReader(
            file: file, offset: resume?.offset ?? 0, linesConsumed: resume?.line ?? 0, limit: file.version.size)
        self.mapper = RowMapper(connector: connector, stream: stream)
        self.isSnapshotPass = resume == nil
        self.headLength = headLength
        self.headHash = headHash
        self.mappingHash = mappingHash
        self.values = [String?](repeating: nil, count: stream.slots.count)
        self.ranks = [Int](repeating: .max, count: stream.slots.count)
        self.jsonLabels = stream.slots.map { $0.candidates.joined(separator: "` or `") }
        if let header = resume?.header {
            self.header = header
            self.columns = ResolvedColumns(header: header, stream: stream)
        }
        if stream.format == .jsonl {
            for (index, slot) in stream.slots.enumerated() {
                for (rank, name) in slot.candidates.enumerated() { memberSlots[name, default: []].append((index, rank)) }
            }
        }
    }

    /// Reads the next batch; `isLast` when the pass reached the end of the file.
    func nextBatch() throws -> (RecordBatch, isLast: Bool) {
        do {
            return try readBatch()
        } catch let problem as FileProblem {
            throw FileSource.error(problem, stream: stream, connector: connector)
        }
    }

    private func readBatch() throws -> (RecordBatch, isLast: Bool) {
        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        records.reserveCapacity(min(stream.batchSize, 8192))
        if stream.format == .csv, columns == nil {
            if let header = try reader.nextRecord(delimiter: stream.delimiter, { $0.fields.map { Row.trimmed($0) ?? "" } }) {
                let resolved = ResolvedColumns(header: header, stream: stream)
                if let problem = resolved.problem(stream: stream) {
                    throw ConnectorError(.invalidConfiguration, problem, connector: connector, stream: stream.name)
                }
                self.header = header
                self.columns = resolved
            }
        }
        var rows = 0
        switch stream.format {
        case .csv:
            if let columns {
                while rows < stream.batchSize {
                    let found: Void? = try reader.nextRecord(delimiter: stream.delimiter) { record in
                        csvRow(record, columns: columns, records: &records, rejected: &rejected)
                    }
                    guard found != nil else { break }
                    rows += 1
                }
            }
        case .jsonl:
            while rows < stream.batchSize {
                let found: Void? = try reader.nextLine { line, number in
                    jsonRow(line, number: number, records: &records, rejected: &rejected)
                }
                guard found != nil else { break }
                rows += 1
            }
        }
        try reader.skipBlankLines(allowingSpaces: stream.format == .jsonl)
        let isLast = reader.isAtEnd
        let offset = reader.offset
        let tailLength = Int(min(Self.fingerprintLength, offset))
        let cursor = FileCursor(
            version: file.version, offset: offset, line: reader.linesConsumed, header: header,
            headLength: headLength, headHash: headHash, tailLength: tailLength,
            tailHash: try file.fingerprint(of: (offset - Int64(tailLength))..<offset), mappingHash: mappingHash)
        let batch = RecordBatch(
            records: records, rejected: rejected, checkpoint: try Checkpoint(encoding: cursor),
            startsSnapshot: isSnapshotPass && isFirstBatch, completesSnapshot: isSnapshotPass && isLast)
        isFirstBatch = false
        return (batch, isLast)
    }

    private func location(_ line: Int) -> String { "\(stream.path):\(line)" }

    private func csvRow(
        _ record: ByteReader.Record, columns: ResolvedColumns, records: inout [SourceRecord],
        rejected: inout [RejectedRecord]
    ) {
        let header = columns.header
        if record.hasUnterminatedQuote {
            rejected.append(RejectedRecord(
                location: location(record.line),
                reason: "row has a quoted field that is never closed; add the missing closing quote on or after this line",
                payload: Array(record.raw)))
            return
        }
        guard record.fields.count == header.count else {
            rejected.append(RejectedRecord(
                location: location(record.line),
                reason: "row has \(record.fields.count) fields but the header has \(header.count); check quoting on this line",
                payload: Array(record.raw)))
            return
        }
        var values: [String?] = []
        swap(&values, &self.values)
        defer { swap(&values, &self.values) }
        let columnIndex = columns.columnIndex
        for slot in 0..<values.count {
            let column = columnIndex[slot]
            values[slot] = column >= 0 ? record.fields[column] : nil
        }
        let payload = columns.payloadWriter.object(record.fields)
        do {
            records.append(contentsOf: try mapper.map(values, labels: columns.labels, payload: payload, location: location(record.line)))
        } catch {
            rejected.append(RejectedRecord(location: location(record.line), reason: error.reason, payload: payload, externalID: error.externalID))
        }
    }

    private func jsonRow(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, records: inout [SourceRecord], rejected: inout [RejectedRecord]
    ) {
        let parsed: JSONValue
        do { parsed = try JSONValue.parse(line) } catch {
            rejected.append(RejectedRecord(
                location: location(number), reason: "line is not valid JSON (\(error)); fix or remove this line",
                payload: Array(line)))
            return
        }
        guard case .object(let members) = parsed else {
            rejected.append(RejectedRecord(
                location: location(number),
                reason: "line holds a JSON value that is not an object; each line must be one {...} record",
                payload: Array(line)))
            return
        }
        // Work on local copies: class properties would pay an exclusivity check on every access.
        var values: [String?] = []
        var ranks: [Int] = []
        var cachedNames: [String] = []
        var cachedSlots: [[(slot: Int, rank: Int)]] = []
        swap(&values, &self.values)
        swap(&ranks, &self.ranks)
        swap(&cachedNames, &self.cachedNames)
        swap(&cachedSlots, &self.cachedSlots)
        defer {
            swap(&values, &self.values)
            swap(&ranks, &self.ranks)
            swap(&cachedNames, &self.cachedNames)
            swap(&cachedSlots, &self.cachedSlots)
        }
        for slot in 0..<values.count {
            values[slot] = nil
            ranks[slot] = .max
        }
        for (position, (name, value)) in members.enumerated() {
            let targets: [(slot: Int, rank: Int)]
            if position < cachedNames.count, cachedNames[position] == name {
                targets = cachedSlots[position]
            } else {
                targets = memberSlots[name] ?? []
                if position < cachedNames.count {
                    cachedNames[position] = name
                    cachedSlots[position] = targets
                } else if position == cachedNames.count {
                    cachedNames.append(name)
                    cachedSlots.append(targets)
                }
            }
            guard !targets.isEmpty else { continue }
            let text = Self.text(of: value)
            for (slot, rank) in targets where rank < ranks[slot] {
                values[slot] = text
                ranks[slot] = rank
            }
        }
        let payload = Array(line)
        do {
            records.append(contentsOf: try mapper.map(values, labels: jsonLabels, payload: payload, location: location(number)))
        } catch {
            rejected.append(RejectedRecord(location: location(number), reason: error.reason, payload: payload, externalID: error.externalID))
        }
    }

    /// A member's value as text: strings as they are, numbers and booleans spelled out, lists joined with `;`.
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .null, .object: nil
        case .array(let items):
            items.compactMap(\.text).joined(separator: ";")
        }
    }
}
