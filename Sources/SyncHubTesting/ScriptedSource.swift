public import SyncHubCore
import Foundation
public import Synchronization

/// A source that serves fixed pages of records from memory, and can fail on chosen pages.
///
/// Its checkpoint is the index of the next page, so resuming is exact. Use it to test what the engine and store do
/// with failures: `failures: ["contacts": [3: .unavailable]]` fails the 4th page of `contacts` once.
public final class ScriptedSource: SourceConnector, Sendable {
    public struct Script: Sendable {
        public var stream: StreamDescriptor
        public var pages: [[SourceRecord]]
        /// Rejected rows per page index.
        public var rejected: [Int: [RejectedRecord]]
        /// Each full read is a snapshot pass: the first page starts it, the last completes it.
        public var isSnapshot: Bool
        public init(stream: StreamDescriptor, pages: [[SourceRecord]], rejected: [Int: [RejectedRecord]] = [:], isSnapshot: Bool = false) {
            self.stream = stream
            self.pages = pages
            self.rejected = rejected
            self.isSnapshot = isSnapshot
        }
    }

    /// How a scripted failure behaves.
    public enum Failure: Sendable {
        /// Fails once with a retryable error, then serves the page.
        case transient
        /// Fails every time with a non-retryable error.
        case permanent
        /// Reports the API budget as spent.
        case budgetExhausted
    }

    let scripts: [Script]
    let failures: Mutex<[String: [Int: Failure]]>
    /// How many pages were requested, per stream.
    public let requests = Mutex<[String: Int]>([:])

    public init(_ scripts: [Script], failures: [String: [Int: Failure]] = [:]) {
        self.scripts = scripts
        self.failures = Mutex(failures)
    }

    public func check() async throws {}

    public func streams() async throws -> [StreamDescriptor] { scripts.map(\.stream) }

    public func pull(_ stream: StreamDescriptor, resumingAfter checkpoint: Checkpoint?) -> any AsyncSequence<RecordBatch, any Error> & Sendable {
        let script = scripts.first { $0.stream.name == stream.name }
        let pages = script?.pages ?? []
        let start = (try? checkpoint?.decode(as: Int.self)) ?? 0
        return Paginated<Int>(startingAt: start) { [self] token in
            let page = token ?? 0
            requests.withLock { $0[stream.name, default: 0] += 1 }
            let failure = failures.withLock { table -> Failure? in
                guard let failure = table[stream.name]?[page] else { return nil }
                if case .transient = failure { table[stream.name]?[page] = nil }
                return failure
            }
            switch failure {
            case .transient?:
                throw ConnectorError(.unavailable, "scripted transient failure on page \(page)", connector: "scripted", stream: stream.name)
            case .permanent?:
                throw ConnectorError(.rejected, "scripted permanent failure on page \(page)", connector: "scripted", stream: stream.name)
            case .budgetExhausted?:
                throw ConnectorError(.budgetExhausted, "scripted budget of 0 calls left", connector: "scripted", stream: stream.name)
            case nil:
                break
            }
            guard page < pages.count else {
                return (RecordBatch(records: [], checkpoint: try Checkpoint(encoding: page)), nil)
            }
            let next = page + 1
            let snapshot = script?.isSnapshot == true
            let batch = RecordBatch(
                records: pages[page], rejected: script?.rejected[page] ?? [], checkpoint: try Checkpoint(encoding: next),
                startsSnapshot: snapshot && page == 0, completesSnapshot: snapshot && next == pages.count)
            return (batch, next < pages.count ? next : nil)
        }
    }

    /// A contact record with a JSON payload built from its fields.
    public static func contact(_ id: String, email: String?, firstName: String? = nil, lastName: String? = nil, updatedAt: String? = nil, sameAs: [RecordReference] = []) -> SourceRecord {
        var contact = Contact()
        contact.email = email
        contact.firstName = firstName
        contact.lastName = lastName
        contact.sameAs = sameAs
        let payload = JSONWriter.object([("id", id), ("email", email), ("firstName", firstName), ("lastName", lastName), ("updatedAt", updatedAt)])
        return SourceRecord(objectType: .contact, externalID: id, payload: payload, sourceUpdatedAt: updatedAt, normalized: .contact(contact))
    }
}
