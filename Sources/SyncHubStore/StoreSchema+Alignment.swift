import GRDB

extension StoreSchema {
    /// The alignment tables, after v1 and v2-activity. Register each change as a new named migration here.
    static func registerAlignmentMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
