import Foundation
import GRDB
import Testing

/// A file whose rows carry a personal number (`columns: personalID:`), through `synchub sync` and `people show` as
/// processes: the number lands in the store, links records whose dates of birth are years apart, and survives into
/// the golden record.
@Suite(.serialized) struct PersonalIDCommandTests {
    @Test(.timeLimit(.minutes(2))) func aPersonalNumberLinksAndReachesTheGoldenRecord() throws {
        let path = NSTemporaryDirectory() + "synchub-personal-id-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Two records of one person (the second's date of birth replaced, its number typed with dashes), a namesake
        // at the same address with another number and date (the father), and 300 other people to estimate from.
        let givenNames = ["amelia", "bruno", "clara", "dmitri", "elena", "felix", "greta", "hugo", "ines", "jonas", "kira", "lorenzo"]
        let familyNames = ["abernathy", "bellweather", "castellano", "dunmore", "eskildsen", "fairbanks", "galbraith", "holloway",
                           "ingersoll", "jablonski", "kettering", "lindqvist", "montague", "nakashima", "okonkwo", "pemberton"]
        var rows = [
            "rec_id,given_name,surname,street,suburb,postcode,date_of_birth,soc_sec_id",
            "r1,zebulon,quackenbush,4 elm road,austin,78701,19800121,523456789",
            "r2,zebulon,quackenbush,4 elm road,austin,78701,19570630,523-45-6789",
            "r3,zebulon,quackenbush,4 elm road,austin,78701,19520305,871204456",
        ]
        for index in 0..<300 {
            let given = givenNames[index % givenNames.count], family = familyNames[(index / givenNames.count) % familyNames.count]
            let birth = String(format: "19%02d%02d%02d", 40 + index % 60, 1 + index % 12, 1 + index % 28)
            rows.append("o\(index),\(given),\(family),\(index + 10) main street,springfield,\(60000 + index % 97),\(birth),\(300_000_000 + index * 7919)")
        }
        try rows.joined(separator: "\n").write(toFile: path + "/people.csv", atomically: true, encoding: .utf8)
        try """
            version: 1
            store: ./people.sqlite
            connectors:
              registry:
                type: file
                system: marketing
                streams:
                  contacts:
                    path: people.csv
                    preset: none
                    columns: { id: rec_id, firstName: given_name, lastName: surname, street: street, city: suburb, postalCode: postcode, birthDate: date_of_birth, personalID: soc_sec_id }
            """.write(toFile: path + "/connectors.yml", atomically: true, encoding: .utf8)

        let sync = try SyncHubProcess.run(["sync"], in: path)
        #expect(sync.status == 0, "synchub sync: \(sync.stderr)")
        let (persons, stored) = try DatabaseQueue(path: path + "/people.sqlite").read { db in
            let persons = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT external_id, person_id FROM person_link").map {
                ($0["external_id"] as String, $0["person_id"] as String)
            })
            let stored = try String.fetchOne(db, sql: "SELECT personal_id FROM contact WHERE external_id = 'r2'")
            return (persons, stored)
        }
        #expect(stored == "523-45-6789")
        #expect(persons["r1"] == persons["r2"])
        #expect(persons["r3"] != persons["r1"])
        #expect(Set(persons.values).count == 302)

        let show = try SyncHubProcess.run(["people", "show", "--json", "registry:r2"], in: path)
        #expect(show.status == 0, "synchub people show: \(show.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let golden = try #require(json["golden"] as? [[String: Any]])
        #expect(golden.contains { $0["field"] as? String == "personalID" && ["523456789", "523-45-6789"].contains($0["value"] as? String ?? "") })
        let links = try #require(json["links"] as? [[String: Any]])
        let evidence = try #require(links.first?["comparisons"] as? [[String: Any]])
        #expect(evidence.contains { $0["field"] as? String == "personalID" && $0["outcome"] as? String == "exact" })
    }
}
