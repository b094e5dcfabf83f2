import Foundation
import GRDB
import SyncHubStore
import Testing

/// The same records give the same persons whichever system is pulled first.
@Suite struct PullOrderTests {
    @Test(.timeLimit(.minutes(10))) func personsDoNotDependOnWhichSystemIsPulledFirst() throws {
        let workspace = try SampleWorkspace(people: 6000, seed: 11)
        defer { workspace.remove() }
        for (store, order) in [("marketing-first.sqlite", ["marketing", "crm"]), ("crm-first.sqlite", ["crm", "marketing"])] {
            for connector in order {
                let pull = try SyncHubProcess.run(["pull", "--connector", connector, "--db", store], in: workspace.path)
                #expect(pull.status == 0, "\(pull.stderr)")
            }
        }
        let marketingFirst = try ScheduleCommandTests.persons(StoreDatabase(path: workspace.path + "/marketing-first.sqlite"))
        let crmFirst = try ScheduleCommandTests.persons(StoreDatabase(path: workspace.path + "/crm-first.sqlite"))
        #expect(marketingFirst.count > 5000)
        #expect(marketingFirst == crmFirst, "\(marketingFirst.subtracting(crmFirst).count) groups only when marketing is pulled first, \(crmFirst.subtracting(marketingFirst).count) only when the CRM is")
    }
}
