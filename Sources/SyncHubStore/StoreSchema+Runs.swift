import GRDB

extension StoreSchema {
    /// Changes to the run log, after the schedule tables. Register each change as a new named migration here.
    static func registerRunMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("runs-v1-process") { db in try addRunProcess(db) }
    }

    /// Which process started a run (so a run its process never finished, such as one killed with SIGKILL, can be told
    /// from one still under way) and what a pull run was asked to read (`connectors` and `streams`, one name a line;
    /// `streams` NULL: every stream). A run found cut off gets the status `interrupted`.
    private static func addRunProcess(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE run ADD COLUMN pid INTEGER;
            ALTER TABLE run ADD COLUMN host TEXT;
            ALTER TABLE run ADD COLUMN connectors TEXT;
            ALTER TABLE run ADD COLUMN streams TEXT;
            """)
    }
}
