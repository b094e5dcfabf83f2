import Foundation
import Logging
public import SyncHubCore

/// Reads contacts, companies, deals, deal-contact links, touches (email events, form submissions, marketing-event
/// attendance), campaigns and sales activities (calls, meetings, emails, tasks) from HubSpot.
///
/// Each batch is one API page and carries a checkpoint that is safe to save: CRM objects are read in a full list
/// pass, then incrementally through the search API sorted by modification time (see ``HubSpotConfiguration`` for
/// the settings).
public final class HubSpotSource: SourceConnector {
    /// The connector instance's name.
    public let name: String
    public let configuration: HubSpotConfiguration
    let api: HubSpotAPI

    init(name: String, configuration: HubSpotConfiguration, api: HubSpotAPI) {
        self.name = name
        self.configuration = configuration
        self.api = api
    }

    /// Requests sent so far by this instance (retries included).
    public var requestCount: Int { api.requestCount }

    /// Reads one contact to check the credentials and the contacts scope.
    public func check() async throws {
        do {
            _ = try await api.get(
                "/crm/v3/objects/contacts", query: [("limit", "1"), ("properties", "hs_object_id")], stream: nil,
                scope: "crm.objects.contacts.read")
        } catch var error as ConnectorError where error.code == .authentication {
            let settings = configuration.credentialSettings.map { "connectors.\(name).\($0)" }.joined(separator: ", ")
            error.message = "HubSpot refused the credentials (\(error.message)); check \(settings): "
                + "it must be valid and have the crm.objects.contacts.read scope"
            throw error
        }
    }

    public func streams() async throws -> [StreamDescriptor] {
        configuration.streams.map(Self.descriptor)
    }

    static func descriptor(_ stream: HubSpotStream) -> StreamDescriptor {
        let cursor: String
        switch stream {
        case .contacts: cursor = "lastmodifieddate"
        case .companies, .deals, .dealContacts: cursor = "hs_lastmodifieddate"
        case .emailEvents: cursor = "created"
        case .formSubmissions: cursor = "submittedAt"
        case .eventAttendance: cursor = "updatedAt"
        case .campaigns: cursor = "lastUpdatedTime"
        case .calls, .meetings, .emails, .tasks: cursor = "hs_lastmodifieddate"
        }
        return StreamDescriptor(name: stream.rawValue, objectType: stream.objectType, cursorField: cursor, isSorted: true)
    }

    public func pull(_ stream: StreamDescriptor, resumingAfter checkpoint: Checkpoint?) -> any AsyncSequence<RecordBatch, any Error> & Sendable {
        guard let known = HubSpotStream(rawValue: stream.name), configuration.streams.contains(known) else {
            let message = "`\(stream.name)` is not a stream of this connector; streams: "
                + configuration.streams.map(\.rawValue).joined(separator: ", ")
            return failing(ConnectorError(.invalidConfiguration, message, connector: name, stream: stream.name))
        }
        do {
            switch known {
            case .contacts, .companies, .deals:
                let kind: HubSpotObjectKind =
                    known == .contacts ? .contacts(configuration) : known == .companies ? .companies(configuration) : .deals(configuration)
                return HubSpotObjectStream(api: api, kind: kind, configuration: configuration)
                    .pull(from: try decode(checkpoint, as: ObjectCursor.self, stream: known))
            case .dealContacts:
                return HubSpotDealContactsStream(api: api, configuration: configuration)
                    .pull(from: try decode(checkpoint, as: DealContactsCursor.self, stream: known))
            case .emailEvents:
                return HubSpotEmailEventsStream(api: api, configuration: configuration)
                    .pull(from: try decode(checkpoint, as: EmailEventsCursor.self, stream: known))
            case .formSubmissions:
                return HubSpotFormSubmissionsStream(api: api, configuration: configuration)
                    .pull(from: try decode(checkpoint, as: FormSubmissionsCursor.self, stream: known))
            case .eventAttendance:
                return HubSpotEventAttendanceStream(api: api, configuration: configuration)
                    .pull(from: try decode(checkpoint, as: EventAttendanceCursor.self, stream: known))
            case .campaigns:
                return HubSpotCampaignsStream(api: api, configuration: configuration)
                    .pull(from: try decode(checkpoint, as: CampaignsCursor.self, stream: known))
            case .calls, .meetings, .emails, .tasks:
                return HubSpotObjectStream(api: api, kind: .activities(known, configuration), configuration: configuration)
                    .pull(from: try decode(checkpoint, as: ObjectCursor.self, stream: known))
            }
        } catch {
            return failing(error)
        }
    }

    private func decode<State: Decodable>(_ checkpoint: Checkpoint?, as type: State.Type, stream: HubSpotStream) throws -> State? {
        guard let checkpoint else { return nil }
        do { return try checkpoint.decode(as: type) } catch {
            throw ConnectorError(
                .invalidData,
                "the saved checkpoint was not written by this version of the HubSpot connector; run "
                    + "`synchub pull --full-refresh --connector \(name) --stream \(stream.rawValue)` to read the stream again",
                connector: name, stream: stream.rawValue, cause: error)
        }
    }

    private func failing(_ error: any Error) -> Paginated<Int> {
        Paginated(startingAt: 0) { _ in throw error }
    }
}
