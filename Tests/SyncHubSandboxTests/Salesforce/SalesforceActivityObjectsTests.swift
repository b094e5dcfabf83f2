import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SyncHubCore
import Testing

@testable import SyncHubSandbox

/// Task and Event: queried like the other objects, with follow-ups after the lead or contact was created.
@Suite struct SalesforceActivityObjectsTests {
    @Test func tasksAndEventsAreQueryableAndFollowUpMostPeople() async throws {
        let simulator = SalesforceSimulator(seed: 8, people: 1_000)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let tasks = try await client.queryAll(
                "SELECT Id, WhoId, WhatId, AccountId, OwnerId, Status, IsClosed, TaskSubtype, CallType, CompletedDateTime, ActivityDate, CreatedDate FROM Task",
                token: token)
            #expect(tasks.records.count == simulator.ids("Task").count)
            #expect(tasks.records.allSatisfy { $0["attributes"]?["type"]?.text == "Task" })
            #expect(tasks.records.allSatisfy { ($0["Id"]?.text ?? "").hasPrefix("00T") })
            let closed = tasks.records.filter { $0["IsClosed"] == .bool(true) }
            #expect(closed.allSatisfy { $0["Status"]?.text == "Completed" && $0["CompletedDateTime"]?.text != nil })
            #expect(tasks.records.contains { $0["IsClosed"] == .bool(false) && $0["CompletedDateTime"] == .null })
            #expect(Set(tasks.records.compactMap { $0["TaskSubtype"]?.text }) == ["Call", "Email", "Task"])
            #expect(tasks.records.contains { ($0["WhatId"]?.text ?? "").hasPrefix("006") })

            let events = try await client.queryAll(
                "SELECT Id, WhoId, ActivityDateTime, DurationInMinutes, Type FROM Event WHERE Type = 'Meeting'", token: token)
            #expect(!events.records.isEmpty)
            #expect(events.records.count == simulator.ids("Event").count)

            // Most people were followed up, some never.
            let who = Set((tasks.records + events.records).compactMap { $0["WhoId"]?.text })
            let people = simulator.ids("Lead").count + simulator.ids("Contact").count
            #expect(Double(who.count) / Double(people) > 0.6 && Double(who.count) / Double(people) < 0.85)
        }
    }

    @Test func deletingAContactDeletesItsActivitiesAndMergingMovesThem() async throws {
        let simulator = SalesforceSimulator(seed: 9, people: 600)
        try await withSalesforce(simulator) { client in
            let token = try await client.accessToken()
            let all = try await client.queryAll("SELECT Id, WhoId FROM Task", token: token).records
            var byWho: [String: [String]] = [:]
            for task in all { if let who = task["WhoId"]?.text, who.hasPrefix("003"), let id = task["Id"]?.text { byWho[who, default: []].append(id) } }
            let people = byWho.keys.sorted()
            try #require(people.count >= 3)

            let deleted = simulator.delete("Contact", ids: [people[0]])
            #expect(Set(byWho[people[0]]!).isSubset(of: Set(deleted)))
            let after = try await client.queryAll("SELECT Id, IsDeleted FROM Task WHERE WhoId = '\(people[0])'", token: token, all: true)
            #expect(after.records.count == byWho[people[0]]!.count && after.records.allSatisfy { $0["IsDeleted"] == .bool(true) })

            #expect(simulator.merge("Contact", loser: people[1], into: people[2]))
            let moved = try await client.queryAll("SELECT Id FROM Task WHERE WhoId = '\(people[2])'", token: token)
            #expect(Set(moved.records.compactMap { $0["Id"]?.text }) == Set(byWho[people[1]]! + byWho[people[2]]!))
        }
    }
}
