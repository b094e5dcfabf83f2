import Foundation
@testable import SalesforceConnector
import SyncHubCore
import SyncHubSandbox
import SyncHubTesting
import Testing

/// Tasks and Events as activities, and the lifecycle stage as feedback.
@Suite(.timeLimit(.minutes(10)))
struct SalesforceActivityTests {
    @Test(arguments: [SalesforceStream.tasks, .events])
    func activitiesArePulledInPagesWithTheirPeopleDealsAndAccounts(_ stream: SalesforceStream) async throws {
        let simulator = SalesforceSimulator(seed: 17, people: 900)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            let batches = try await readAll(source, stream)
            let expected = simulator.ids(stream.sObject, includeDeleted: true)
            #expect(expected.count > 200, "more than one page")
            #expect(batches.count > 1)
            #expect(Set(batches.ids) == Set(expected))
            #expect(batches.ids.count == expected.count)
            var types = Set<String>()
            var withDeals = 0
            for record in batches.records {
                guard case .activity(let activity) = record.normalized else { Issue.record("not an activity"); continue }
                let json = record.json
                let who = try #require(json["WhoId"]?.text)
                #expect(activity.contactID == who)
                #expect(who.hasPrefix("003") || who.hasPrefix("00Q"))
                if let what = json["WhatId"]?.text, what.hasPrefix("006") {
                    #expect(activity.dealID == what)
                    withDeals += 1
                } else if let what = json["WhatId"]?.text, what.hasPrefix("001") {
                    #expect(activity.accountID == what)
                }
                #expect(activity.owner == json["OwnerId"]?.text)
                #expect(activity.occurredAt != nil)
                types.insert(activity.type ?? "")
                if stream == .tasks {
                    #expect(activity.status == json["Status"]?.text?.lowercased().replacingOccurrences(of: " ", with: "_"))
                    if json["TaskSubtype"]?.text == "Call" { #expect(activity.direction == json["CallType"]?.text?.lowercased()) }
                    if json["IsClosed"] == .bool(true) {
                        #expect(activity.occurredAt == json["CompletedDateTime"]?.text.flatMap(Timestamps.normalize))
                    }
                } else {
                    #expect(activity.occurredAt == json["ActivityDateTime"]?.text.flatMap(Timestamps.normalize))
                }
                // No free text is read.
                #expect(json["Subject"] == nil && json["Description"] == nil)
            }
            #expect(withDeals > 0)
            #expect(types == (stream == .tasks ? ["call", "email", "task"] : ["meeting"]))
        }
    }

    @Test func activitiesArriveIncrementallyWithDeletes() async throws {
        let clock = SimulatedClock()
        let simulator = SalesforceSimulator(seed: 21, people: 500, now: clock.now)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200))
            let saved = try #require(try await readAll(source, .tasks).lastCheckpoint)
            clock.advance(seconds: 30)
            let touched = simulator.touch("Task", count: 40)
            let gone = Array(simulator.ids("Task").filter { !touched.contains($0) }.prefix(3))
            simulator.delete("Task", ids: gone)
            // Deleting a contact takes its tasks with it (queryAll returns them deleted).
            let contact = try #require(simulator.ids("Contact").first)
            let cascaded = simulator.delete("Contact", ids: [contact]).filter { $0.hasPrefix("00T") }
            let changes = try await readAll(source, .tasks, after: saved).records
            #expect(Set(changes.filter { !$0.isDeleted }.map(\.externalID)) == Set(touched).subtracting(cascaded))
            #expect(Set(changes.filter(\.isDeleted).map(\.externalID)) == Set(gone).union(cascaded))
        }
    }

    @Test func tasksPassTheConnectorTestKit() async throws {
        let simulator = SalesforceSimulator(seed: 5, people: 700)
        try await withSimulator(simulator) { base in
            let source = makeSource(configuration(base, batchSize: 200, streams: [.tasks]))
            let failures = try await ConnectorTestKit(
                connector: "crm", source: source, system: SalesforceKitSystem(simulator: simulator, sObject: "Task"),
                streams: ["tasks"]
            ).run()
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test func olderAPIVersionsLeaveOutTheNewerFields() {
        var old = SalesforceConfiguration(clientID: "a", clientSecret: "b", refreshToken: "c", apiVersion: "v40.0")
        #expect(!SalesforceStream.tasks.fields(old).contains("CompletedDateTime"))
        old.apiVersion = "v62.0"
        #expect(SalesforceStream.tasks.fields(old).contains("CompletedDateTime"))
        #expect(SalesforceStream.events.fields(old).contains("ActivityDateTime"))
    }

    // MARK: - Lifecycle stage

    static let stageTarget = SalesforceFeedbackConfiguration(
        object: "Contact", includeLeads: true,
        fields: [
            .init(key: "outcome", name: "SyncHub_Deal_Outcome__c"),
            .init(key: "lifecycleStage", name: "SyncHub_Lifecycle_Stage__c"),
        ],
        leadFields: [.init(key: "lifecycleStage", name: "Status")])

    func item(_ key: String, stage: String?) -> FeedbackItem {
        var feedback = PersonFeedback(outcome: .won, amount: 1_000)
        feedback.lifecycleStage = stage
        return FeedbackItem(recordKey: key, personID: "p-\(key)", email: nil, feedback: feedback, idempotencyKey: "k-\(key)-\(stage ?? "-")")
    }

    @Test func theStageGoesToTheConfiguredFieldsOfContactsAndLeads() async throws {
        let simulator = SalesforceSimulator(seed: 31, people: 300)
        try await withSimulator(simulator) { base in
            let api = makeAPI(configuration(base, feedback: Self.stageTarget))
            let feedback = SalesforceFeedback(api: api, settings: Self.stageTarget)
            let contacts = Array(simulator.ids("Contact").prefix(2))
            let lead = try await unconvertedLead(api)
            let receipts = try await feedback.push([
                item(contacts[0], stage: "Customer"), item(contacts[1], stage: nil), item(lead, stage: "Working - Contacted"),
            ])
            #expect(receipts.map(\.status) == [.applied, .applied, .applied])
            let stored = try await api.query(
                "SELECT Id, SyncHub_Lifecycle_Stage__c, SyncHub_Deal_Outcome__c FROM Contact WHERE Id IN ('\(contacts[0])', '\(contacts[1])')",
                includeDeleted: false, batchSize: nil, stream: nil).records
            let byID = Dictionary(uniqueKeysWithValues: stored.compactMap { record in record["Id"]?.text.map { ($0, record) } })
            #expect(byID[contacts[0]]?["SyncHub_Lifecycle_Stage__c"]?.text == "Customer")
            #expect(byID[contacts[1]]?["SyncHub_Lifecycle_Stage__c"] == .null)  // no stage: left alone
            #expect(byID[contacts[1]]?["SyncHub_Deal_Outcome__c"]?.text == "won")
            let leadRow = try await api.query(
                "SELECT Id, Status, SyncHub_Lifecycle_Stage__c FROM Lead WHERE Id = '\(lead)'", includeDeleted: false,
                batchSize: nil, stream: nil).records.first
            #expect(leadRow?["Status"]?.text == "Working - Contacted")
            #expect(leadRow?["SyncHub_Lifecycle_Stage__c"] == .null)
            // Pushing the same again writes nothing.
            let again = try await feedback.push([item(contacts[0], stage: "Customer"), item(lead, stage: "Working - Contacted")])
            #expect(again.map(\.status) == [.alreadyApplied, .alreadyApplied])
        }
    }

    @Test func leadFieldsAreReadFromSettings() throws {
        let settings = Settings(
            node: SettingNode(.map([
                (key: "object", keyLocation: nil, value: SettingNode(.scalar("Contact"))),
                (key: "fields", keyLocation: nil, value: SettingNode(.map([
                    (key: "outcome", keyLocation: nil, value: SettingNode(.scalar("SyncHub_Deal_Outcome__c"))),
                    (key: "lifecycleStage", keyLocation: nil, value: SettingNode(.scalar("Lifecycle_Stage__c"))),
                ]))),
                (key: "leadFields", keyLocation: nil, value: SettingNode(.map([
                    (key: "lifecycleStage", keyLocation: nil, value: SettingNode(.scalar("Status"))),
                ]))),
            ])), path: "connectors.crm.feedback")
        let parsed = try SalesforceFeedbackConfiguration(settings: settings)
        #expect(parsed.fields(for: "Contact").map(\.name) == ["SyncHub_Deal_Outcome__c", "Lifecycle_Stage__c"])
        #expect(parsed.fields(for: "Lead").map(\.name) == ["SyncHub_Deal_Outcome__c", "Status"])
        let bad = Settings(
            node: SettingNode(.map([
                (key: "fields", keyLocation: nil, value: SettingNode(.map([
                    (key: "lifecycleStages", keyLocation: nil, value: SettingNode(.scalar("X__c"))),
                ]))),
            ])), path: "connectors.crm.feedback")
        let error = try #require(throws: (any Error).self) { try SalesforceFeedbackConfiguration(settings: bad) }
        #expect("\(error)".contains("did you mean `lifecycleStage`"))
    }
}
