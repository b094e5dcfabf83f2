import GRDB

extension StoreSchema {
    /// The identity tables, after v1 and v2-activity. Register each change as a new named migration here.
    static func registerIdentityMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
