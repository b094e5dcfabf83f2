public import SyncHubCore
import SyncHubHTTP

/// Reads leads, contacts, accounts, opportunities (with contact roles), campaigns and campaign members from
/// Salesforce over REST, incrementally with deletes and merges, and writes win/loss feedback onto contacts and leads.
///
/// ## Configuration keys
/// See ``SalesforceConfiguration/init(settings:)``. A minimal section:
/// ```yaml
/// crm:
///   type: salesforce
///   clientId: ${SF_CLIENT_ID}
///   clientSecret: ${SF_CLIENT_SECRET}
///   refreshToken: ${SF_REFRESH_TOKEN}
///   lossReasonField: Loss_Reason__c
///   personalIDField: National_ID__c
///   feedback: { object: Contact, fields: { outcome: Synchub_Deal_Outcome__c, amount: Synchub_Deal_Amount__c } }
/// ```
public enum SalesforceConnector: ConnectorType {
    public static let typeName = "salesforce"
    public static let summary = "Salesforce over REST: leads, contacts, accounts, opportunities, campaigns, tasks, events; writes win/loss feedback"

    public static let settings: [SettingSpec] = [
        SettingSpec("clientId", .string, required: true, help: "The connected app's consumer key, e.g. ${SF_CLIENT_ID}."),
        SettingSpec("clientSecret", .string, required: true, secret: true, help: "The connected app's consumer secret, e.g. ${SF_CLIENT_SECRET}."),
        SettingSpec("refreshToken", .string, required: true, secret: true, help: "The integration user's OAuth refresh token, e.g. ${SF_REFRESH_TOKEN}."),
        SettingSpec("loginURL", .string, default: "https://login.salesforce.com", help: "Token endpoint base: https://login.salesforce.com, https://test.salesforce.com for sandboxes, or a My Domain URL."),
        SettingSpec("instanceURL", .string, help: "The API base; default the instance_url the token endpoint returns."),
        SettingSpec("apiVersion", .string, default: "v62.0", help: "REST API version, such as v62.0."),
        SettingSpec("streams", .list, allowed: SalesforceStream.allCases.map(\.rawValue), help: "Streams to read; default all: leads, contacts, accounts, opportunities, opportunity_contact_roles, campaigns, campaign_members, tasks, events."),
        SettingSpec("batchSize", .int, default: "2000", help: "Records per query batch, 200 to 2000 (Sforce-Query-Options: batchSize)."),
        SettingSpec("maxDailyAPIShare", .double, default: "0.8", help: "Stop cleanly, and resume next run, above this share of the org's daily API requests (Sforce-Limit-Info)."),
        SettingSpec("overlapSeconds", .int, default: "0", help: "Seconds of changes before the cursor read again each pull (0 to 86400), for transactions that commit late."),
        SettingSpec("fields", .map, help: "Extra fields to read per object, e.g. { Contact: [Department], Opportunity: [NextStep] }."),
        SettingSpec("fields.*", .list, help: "Field API names of one object (Lead, Contact, Account, Opportunity, OpportunityContactRole, Campaign, CampaignMember, Task, Event)."),
        SettingSpec("currencyField", .string, help: "Opportunity currency field in multi-currency orgs, e.g. CurrencyIsoCode."),
        SettingSpec("defaultCurrency", .string, help: "The org's currency (ISO 4217) when amounts carry none, e.g. USD."),
        SettingSpec("lossReasonField", .string, help: "Opportunity field holding the loss reason, e.g. Loss_Reason__c."),
        SettingSpec("personalIDField", .string, help: "Field on both Lead and Contact holding a personal id (national, tax or membership number), e.g. National_ID__c; identity matching weighs it strongly."),
        SettingSpec("feedback", .map, help: "Write win/loss feedback onto contacts (and leads) with sObject Collections."),
        SettingSpec("feedback.object", .string, default: "Contact", allowed: ["Contact", "Lead"], help: "The object receiving feedback."),
        SettingSpec("feedback.includeLeads", .bool, default: "true", help: "With object Contact, also write to leads addressed by a lead id (00Q...)."),
        SettingSpec("feedback.fields", .map, required: true, help: "Feedback value to field API name, e.g. { outcome: Synchub_Deal_Outcome__c }."),
        SettingSpec("feedback.leadFields", .map, help: "Fields written instead on leads, e.g. { lifecycleStage: Status }."),
    ] + SalesforceFeedbackConfiguration.keys.flatMap { key, _ in [
        SettingSpec("feedback.fields.\(key)", .string, help: "The field receiving the feedback's \(key)."),
        SettingSpec("feedback.leadFields.\(key)", .string, help: "The Lead field receiving the feedback's \(key)."),
    ] }

    public static func make(_ context: ConnectorContext) throws -> ConnectorInstance {
        let configuration = try SalesforceConfiguration(settings: context.settings)
        let api = SalesforceAPI(connector: context.name, configuration: configuration, logger: context.logger)
        let source: (any SourceConnector)? =
            configuration.streams.isEmpty ? nil : SalesforceSource(api: api, logger: context.logger)
        let feedback: (any FeedbackConnector)? = configuration.feedback.map { SalesforceFeedback(api: api, settings: $0) }
        guard source != nil || feedback != nil else {
            throw context.settings.error("`streams` is empty and there is no `feedback:`; add a stream or a feedback target", key: "streams")
        }
        return ConnectorInstance(source: source, feedback: feedback)
    }
}
