public import Logging
public import SyncHubCore

/// HubSpot CRM (v3) and marketing: reads contacts, companies, deals (with their company), deal-contact links, email
/// events, form submissions, marketing-event attendance, campaigns and sales activities (calls, meetings, emails,
/// tasks), and writes win/loss feedback to custom contact properties and the shared stage to `lifecyclestage`.
///
/// ```yaml
/// connectors:
///   hubspot:
///     type: hubspot
///     accessToken: ${HUBSPOT_TOKEN}
///     feedback: { propertyGroup: contactinformation }
/// ```
/// See ``HubSpotConfiguration`` for every setting.
public enum HubSpotConnector: ConnectorType {
    public static let typeName = "hubspot"
    public static let summary = "HubSpot CRM v3 and marketing: contacts, companies, deals, links, touches, campaigns, activities; writes feedback"
    public static let settings: [SettingSpec] = HubSpotConfiguration.specs

    public static func make(_ context: ConnectorContext) throws -> ConnectorInstance {
        let configuration = try HubSpotConfiguration(settings: context.settings)
        return make(name: context.name, configuration: configuration, logger: context.logger)
    }

    /// Builds an instance from typed settings; `transport` lets tests inject clocks and retry timing.
    public static func make(
        name: String, configuration: HubSpotConfiguration, logger: Logger, transport: HubSpotTransport = .init()
    ) -> ConnectorInstance {
        let api = HubSpotAPI(connector: name, configuration: configuration, transport: transport, logger: logger)
        let source = HubSpotSource(name: name, configuration: configuration, api: api)
        let feedback = configuration.feedback.map { HubSpotFeedbackTarget(name: name, settings: $0, api: api) }
        return ConnectorInstance(source: source, feedback: feedback)
    }
}
