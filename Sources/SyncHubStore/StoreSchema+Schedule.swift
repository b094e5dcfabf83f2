import GRDB

extension StoreSchema {
    /// The schedule tables, after v1 and v2-activity. Register each change as a new named migration here.
    static func registerScheduleMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
