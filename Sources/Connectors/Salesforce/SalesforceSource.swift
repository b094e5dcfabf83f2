import Foundation
public import Logging
public import SyncHubCore
import SyncHubHTTP

/// Where reading a stream got to: the `SystemModstamp` and `Id` of the last record delivered, in query order.
struct SalesforceCursor: Codable, Hashable, Sendable {
    /// The last record's `SystemModstamp`, ISO-8601 UTC (`2025-03-04T05:06:07Z`).
    var systemModstamp: String
    var id: String
    /// Fingerprint of the selected field list: when fields are added, the stream is read again from the start.
    var fields: String

    var milliseconds: Int64? { Timestamps.milliseconds(systemModstamp) }

    /// The `WHERE` condition selecting records after this cursor:
    /// `(SystemModstamp > T OR (SystemModstamp = T AND Id > 'id'))`, with `T` a SOQL dateTime literal (whole seconds,
    /// as Salesforce stores them; a stamp with milliseconds is written with them). With an overlap, every record
    /// stamped in the `overlap` seconds up to `T` is read again: `SystemModstamp >= T - overlap`.
    func condition(overlapSeconds: Int = 0) -> String? {
        guard let ms = milliseconds else { return nil }
        if overlapSeconds > 0 {
            return "SystemModstamp >= \(SOQL.dateTime(millisecondsSinceEpoch: ms - Int64(overlapSeconds) * 1000))"
        }
        let literal = SOQL.dateTime(millisecondsSinceEpoch: ms)
        return "(SystemModstamp > \(literal) OR (SystemModstamp = \(literal) AND Id > \(SOQL.string(id))))"
    }

    /// Whether `other` is at or after this cursor in time (ids within one second are ordered by Salesforce).
    func isNotBefore(_ other: SalesforceCursor) -> Bool {
        guard let mine = milliseconds, let theirs = other.milliseconds else { return true }
        return mine >= theirs
    }
}

/// Reads Lead, Contact, Account, Opportunity, OpportunityContactRole, Campaign and CampaignMember records
/// incrementally, deletes and merges included.
///
/// Each stream is one SOQL query over `queryAll`:
/// `SELECT … FROM <Object> WHERE SystemModstamp > :t OR (SystemModstamp = :t AND Id > :id) ORDER BY SystemModstamp, Id`
/// (no condition on the first read), followed through `nextRecordsUrl` until `done`. Each batch is one page and
/// carries the cursor of its last record, so a checkpoint never runs ahead of committed records and records sharing
/// a second are neither lost nor repeated at a page boundary. A resumed pull (another run, a retry after a failure,
/// an expired query locator) starts a new query from the saved cursor. `SystemModstamp` moves on automated changes
/// too, and `queryAll` returns deleted rows (`IsDeleted`) and merge losers (`MasterRecordId`).
public struct SalesforceSource: SourceConnector {
    public let api: SalesforceAPI
    let logger: Logger

    public init(api: SalesforceAPI, logger: Logger) {
        self.api = api
        self.logger = logger
    }

    var connector: String { api.connector }
    var configuration: SalesforceConfiguration { api.configuration }

    /// Renews the token, reads the org's daily API use (`GET …/limits`), and checks that every configured stream's
    /// object and fields can be queried (`SELECT <fields> FROM <Object> LIMIT 1`). Delivers no records; does not
    /// fail for the API budget (a pull stops on it).
    public func check() async throws {
        do {
            let limits = try await api.get("\(api.dataPath)/limits", stream: nil, probe: true)
            if let daily = (try? limits.json())?["DailyApiRequests"], let max = daily["Max"]?.text.flatMap({ Int($0) }),
                let remaining = daily["Remaining"]?.text.flatMap({ Int($0) })
            {
                api.observe(max: max, remaining: remaining)
            }
        } catch let error as ConnectorError where error.code == .notFound || (error.code == .authentication && error.message.contains("HTTP 403")) {
            // Without the limits resource (or the permission to read it), the queries below still check access;
            // the allowance is learnt from their Sforce-Limit-Info.
            logger.debug("Salesforce limits resource unavailable", metadata: ["connector": "\(connector)"])
        }
        for stream in configuration.streams {
            let soql = "SELECT \(stream.fields(configuration).joined(separator: ", ")) FROM \(stream.sObject) LIMIT 1"
            do {
                _ = try await api.query(soql, includeDeleted: false, batchSize: nil, stream: stream.rawValue, probe: true)
            } catch let error as ConnectorError where error.code == .rejected {
                throw explainQueryError(error, stream: stream)
            }
        }
        if let usage = api.usage, usage.share > configuration.maxDailyAPIShare {
            logger.notice(
                "Salesforce daily API use is above maxDailyAPIShare; pulls will stop at once",
                metadata: ["connector": "\(connector)", "api.used": "\(usage.used)", "api.limit": "\(usage.limit)"])
        }
    }

    public func streams() async throws -> [StreamDescriptor] { configuration.streams.map(\.descriptor) }

    /// The position after which a pull begins, and the query it runs.
    struct Position: Sendable {
        var cursor: SalesforceCursor?
        /// The next page of the running query; `nil` before the query is sent.
        var nextRecordsURL: String?
        var page: Int
        /// Query locators that expired in a row without a page read in between.
        var restarts: Int
    }

    public func pull(_ stream: StreamDescriptor, resumingAfter checkpoint: Checkpoint?) -> any AsyncSequence<RecordBatch, any Error> & Sendable {
        let source = self
        guard let salesforceStream = SalesforceStream(rawValue: stream.name), configuration.streams.contains(salesforceStream) else {
            let connector = connector
            return Paginated<Int>(startingAt: nil) { _ in
                throw ConnectorError(
                    .invalidConfiguration,
                    "no stream named `\(stream.name)` is configured; add it to connectors.\(connector).streams",
                    connector: connector, stream: stream.name)
            }
        }
        let fields = salesforceStream.fields(configuration)
        let fingerprint = ContentHash.hex(ContentHash.of(fields.joined(separator: ",")))
        var start: SalesforceCursor?
        if let checkpoint, let saved = try? checkpoint.decode(as: SalesforceCursor.self), saved.fields == fingerprint,
            saved.milliseconds != nil
        {
            start = saved
        }
        let initial = Position(cursor: start, nextRecordsURL: nil, page: 0, restarts: 0)
        return Paginated<Position>(startingAt: initial) { position in
            try await source.fetch(salesforceStream, fields: fields, fingerprint: fingerprint, at: position ?? initial)
        }
    }

    /// Reads one page at `position`; returns its batch and the position after it (`nil` after the last page).
    func fetch(
        _ stream: SalesforceStream, fields: [String], fingerprint: String, at position: Position
    ) async throws -> (RecordBatch, Position?) {
        var position = position
        let page: QueryPage
        if let next = position.nextRecordsURL {
            do {
                page = try await api.more(next, batchSize: configuration.batchSize, stream: stream.rawValue)
            } catch let error as ConnectorError where Self.isExpiredLocator(error) && position.restarts < 3 {
                // Query locators expire after 15 minutes idle and only 10 stay open per user: start a new query
                // from the last delivered record.
                logger.info(
                    "Salesforce query locator expired; querying again from the checkpoint",
                    metadata: ["connector": "\(connector)", "stream": "\(stream.rawValue)"])
                position.nextRecordsURL = nil
                position.restarts += 1
                return try await fetch(stream, fields: fields, fingerprint: fingerprint, at: position)
            }
        } else {
            let soql = Self.soql(
                stream, fields: fields, after: position.cursor, overlapSeconds: configuration.overlapSeconds)
            do {
                // The pull's first request goes out even above the budget: its answer tells whether it recovered.
                page = try await api.query(
                    soql, includeDeleted: true, batchSize: configuration.batchSize, stream: stream.rawValue,
                    probe: position.page == 0 && position.restarts == 0)
            } catch let error as ConnectorError where error.code == .rejected {
                throw explainQueryError(error, stream: stream)
            }
        }

        var records: [SourceRecord] = []
        var rejected: [RejectedRecord] = []
        records.reserveCapacity(page.records.count)
        var last: SalesforceCursor?
        let location = "queryAll \(stream.sObject) page \(position.page + 1)"
        for json in page.records {
            let record = SalesforceRecord(json: json)
            guard let id = record.id, let stamp = record.text("SystemModstamp"), let modified = Timestamps.normalize(stamp) else {
                rejected.append(RejectedRecord(
                    location: location,
                    reason: "the record has no Id or no readable SystemModstamp; it is kept here and read again "
                        + "when it changes", payload: json.serialized, externalID: record.id))
                continue
            }
            last = SalesforceCursor(systemModstamp: modified, id: id, fields: fingerprint)
            guard let normalized = stream.normalize(record, connector: connector, configuration: configuration) else {
                rejected.append(RejectedRecord(
                    location: location,
                    reason: "\(stream.sObject) \(id) has no OpportunityId or ContactId; it links nothing",
                    payload: json.serialized, externalID: id))
                continue
            }
            let isDeleted = record.bool("IsDeleted")
            records.append(SourceRecord(
                objectType: stream.objectType, externalID: id, payload: json.serialized, sourceUpdatedAt: modified,
                isDeleted: isDeleted, mergedInto: isDeleted ? record.text("MasterRecordId") : nil, normalized: normalized))
        }
        // Never move backwards: with `overlapSeconds`, or after a restart, a query begins before the saved cursor.
        if let candidate = last, position.cursor.map({ candidate.isNotBefore($0) }) ?? true {
            position.cursor = candidate
        }
        logger.debug(
            "Salesforce page",
            metadata: [
                "connector": "\(connector)", "stream": "\(stream.rawValue)", "sync.records": "\(records.count)",
                "sync.page": "\(position.page + 1)",
            ])
        let checkpoint = try position.cursor.map { try Checkpoint(encoding: $0) }
        let batch = RecordBatch(records: records, rejected: rejected, checkpoint: checkpoint)
        guard let next = page.nextRecordsURL else { return (batch, nil) }
        position.nextRecordsURL = next
        position.page += 1
        position.restarts = 0
        return (batch, position)
    }

    /// The stream's query after `cursor` (everything when `nil`), in cursor order.
    static func soql(
        _ stream: SalesforceStream, fields: [String], after cursor: SalesforceCursor?, overlapSeconds: Int = 0
    ) -> String {
        var text = "SELECT \(fields.joined(separator: ", ")) FROM \(stream.sObject)"
        if let condition = cursor?.condition(overlapSeconds: overlapSeconds) { text += " WHERE \(condition)" }
        return text + " ORDER BY SystemModstamp, Id"
    }

    static func isExpiredLocator(_ error: ConnectorError) -> Bool {
        (error.code == .rejected || error.code == .notFound)
            && (error.message.contains("INVALID_QUERY_LOCATOR") || error.message.contains("QUERY_LOCATOR"))
    }

    /// A refused query, with the settings to look at when it names a field or object.
    func explainQueryError(_ error: ConnectorError, stream: SalesforceStream) -> ConnectorError {
        var error = error
        let message = error.message
        if message.contains("INVALID_FIELD") || message.contains("No such column") {
            var settings = ["connectors.\(connector).fields.\(stream.sObject)"]
            switch stream {
            case .opportunities:
                if configuration.lossReasonField != nil { settings.append("connectors.\(connector).lossReasonField") }
                if configuration.currencyField != nil { settings.append("connectors.\(connector).currencyField") }
            case .leads, .contacts:
                if configuration.personalIDField != nil { settings.append("connectors.\(connector).personalIDField") }
            default: break
            }
            error.code = .invalidConfiguration
            error.message += "; a field does not exist on \(stream.sObject) or is hidden from the integration user: check "
                + settings.joined(separator: " and ") + " and the user's field-level security"
        } else if message.contains("INVALID_TYPE") {
            error.code = .invalidConfiguration
            error.message += "; \(stream.sObject) is not available to the integration user: remove `\(stream.rawValue)` "
                + "from connectors.\(connector).streams or grant the user access to it"
        }
        return error
    }
}
