import SyncHubIdentity
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("J.A.N.E+news@gmail.com", "jane@gmail.com"),
        ("jane+work@googlemail.com", "jane@gmail.com"),
        ("jane.doe+x@outlook.com", "jane.doe@outlook.com"),
        ("jane.doe+x@example.com", "jane.doe+x@example.com"),
        ("<bob@acme.io>", "bob@acme.io"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(EmailAddress.normalize(raw) == expected)
    }

    @Test(arguments: ["", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "a@b@c.com", "jane@.com", "+tag@gmail.com"])
    func rejectsImplausibleAddresses(raw: String) {
        #expect(EmailAddress.normalize(raw) == nil)
    }

    @Test func recognizesRoleAddresses() {
        #expect(EmailAddress.isRoleAddress("info@acme.com"))
        #expect(!EmailAddress.isRoleAddress("jane@acme.com"))
    }
}
