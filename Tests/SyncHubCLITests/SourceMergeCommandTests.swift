import Foundation
import GRDB
import Testing

/// A merge made in Marketo, read from its exports through `synchub sync` as a process: the losing lead's person joins
/// the winner's (its id becomes an alias), and the losing lead, which its old activities still name, resolves to it.
@Suite(.serialized) struct SourceMergeCommandTests {
    @Test(.timeLimit(.minutes(2))) func aMarketoMergeJoinsTheLoserToTheWinner() throws {
        let path = NSTemporaryDirectory() + "synchub-marketo-merge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func write(_ text: String, _ name: String) throws { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        let header = "Id,First Name,Last Name,Email Address,Company Name,Updated At\n"
        // Two leads of one person that nothing links: another email, a nickname, no company on one.
        try write(header + "5001,Margaret,Okonkwo,m.okonkwo@bluepeak.example,Bluepeak,2024-01-05T08:00:00Z\n"
                  + "5002,Peggy,Okonkwo-Hale,peggy.oh@mail.example,,2024-01-06T08:00:00Z\n", "leads.csv")
        try write("Activity ID,Lead ID,Activity Type,Activity Date,Campaign ID,Merge IDs\n"
                  + "77001,5002,Fill Out Form,2024-01-07T09:00:00Z,3001,\n", "activities.csv")
        try write("""
            version: 1
            store: ./store.sqlite
            connectors:
              marketo:
                type: file
                system: marketing
                streams:
                  contacts: { path: leads.csv, preset: marketo }
                  touches: { path: activities.csv, preset: marketo }
            """, "connectors.yml")
        func sync() throws {
            let result = try SyncHubProcess.run(["sync"], in: path)
            #expect(result.status == 0, "synchub sync: \(result.stderr)")
        }
        func persons() throws -> [String: String] {
            try DatabaseQueue(path: path + "/store.sqlite").read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT external_id, person_id FROM person_link WHERE object_type = 'contact'").map {
                    ($0["external_id"] as String, $0["person_id"] as String)
                })
            }
        }
        try sync()
        let before = try persons()
        #expect(before["5001"] != before["5002"])

        // Marketo merges 5002 into 5001: the loser leaves the lead export, the winner's activity log records the merge.
        try write(header + "5001,Margaret,Okonkwo,m.okonkwo@bluepeak.example,Bluepeak,2024-03-01T10:00:00Z\n", "leads.csv")
        try write("Activity ID,Lead ID,Activity Type,Activity Date,Campaign ID,Merge IDs\n"
                  + "77001,5002,Fill Out Form,2024-01-07T09:00:00Z,3001,\n"
                  + "77002,5001,Merge Leads,2024-03-01T10:00:00Z,,[5002]\n", "activities.csv")
        try sync()
        let after = try persons()
        #expect(after["5002"] == after["5001"])
        #expect(after["5001"] == before["5001"], "the winner keeps its person")
        let (merged, alias) = try DatabaseQueue(path: path + "/store.sqlite").read { db in
            (
                try Row.fetchOne(db, sql: "SELECT is_deleted, merged_into FROM contact WHERE external_id = '5002'"),
                try String.fetchOne(db, sql: "SELECT person_id FROM person_alias WHERE alias = ?", arguments: [before["5002"]!])
            )
        }
        #expect(merged?["is_deleted"] == true)
        #expect(merged?["merged_into"] == "5001")
        #expect(alias == before["5001"], "the loser's person id resolves to the winner's")

        // The record the old activity names resolves to the merged person.
        let show = try SyncHubProcess.run(["people", "show", "--json", "marketo:5002"], in: path)
        #expect(show.status == 0, "synchub people show: \(show.stderr)")
        #expect(show.stdout.contains("\"personID\" : \"\(before["5001"]!)\""))
    }
}
