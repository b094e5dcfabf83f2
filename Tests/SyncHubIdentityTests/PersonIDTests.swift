import SyncHubCore
@testable import SyncHubIdentity
import Testing

@Suite struct PersonIDTests {
    @Test(arguments: ["0035g0000004C92AAE", "51000001", "é-ü", ""])
    func theFastPathGivesTheSameIdsAsTheSortKey(externalID: String) {
        let reference = RecordReference(connector: "crm", externalID: externalID)
        var usedA = Set<String>(), usedB = Set<String>()
        #expect(IdentityResolver.newPersonID(foundedBy: reference, avoiding: &usedA) == IdentityResolver.newPersonID(foundedBy: IdentityResolver.sortKey(reference), avoiding: &usedB))
        // A taken id is drawn again, as before.
        #expect(IdentityResolver.newPersonID(foundedBy: reference, avoiding: &usedA) == IdentityResolver.newPersonID(foundedBy: IdentityResolver.sortKey(reference), avoiding: &usedB))
    }
}
