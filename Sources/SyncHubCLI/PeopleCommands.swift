import ArgumentParser

extension SyncHub {
    /// `synchub people`: explain, correct and export identity decisions.
    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how records became persons, merge or split them, answer the review queue, export decisions.",
            subcommands: [Show.self, Merge.self, Split.self, Review.self, Export.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a person's golden record (with provenance), source records and the evidence of each link.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "An email address, a person id (an alias resolves to its survivor) or connector:record id.")
            var who: String

            func run() async throws {
                let app = try SyncHubApp(global)
                try app.showPerson(who)
            }
        }

        struct Merge: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that two persons (or records) are the same person, and resolve again.",
                discussion: "The decision is stored as an override that every later pull respects; `people split` undoes it.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "A person id or connector:record id.") var first: String
            @Argument(help: "A person id or connector:record id.") var second: String

            func run() async throws {
                let app = try SyncHubApp(global)
                try await app.mergePersons(first, second)
            }
        }

        struct Split: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Take a record out of its person, and resolve again.",
                discussion: """
                    The record stands alone in every later pull unless `people merge` joins it to another. \
                    One side keeps the person id, the other gets a new one; the command prints both.
                    """)
            @OptionGroup var global: GlobalOptions
            @Argument(help: "connector:record id (such as crm:003A000001).") var record: String

            func run() async throws {
                let app = try SyncHubApp(global)
                try await app.splitRecord(record)
            }
        }

        struct Review: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List pairs scored between the review and link thresholds, or answer one.",
                subcommands: [List.self, Accept.self, Reject.self], defaultSubcommand: List.self)

            struct List: AsyncParsableCommand {
                static let configuration = CommandConfiguration(abstract: "List the pending pairs with their scores and compared fields.")
                @OptionGroup var global: GlobalOptions
                @Option(help: "How many pairs to show.") var limit = 20

                func run() async throws {
                    let app = try SyncHubApp(global)
                    try app.listReviews(limit: limit)
                }
            }

            struct Accept: AsyncParsableCommand {
                static let configuration = CommandConfiguration(abstract: "The pair is the same person (a merge override).")
                @OptionGroup var global: GlobalOptions
                @Argument(help: "The pair's number from `people review`, or `connector:id,connector:id`.") var pair: String

                func run() async throws {
                    let app = try SyncHubApp(global)
                    try await app.answerReview(pair, accept: true)
                }
            }

            struct Reject: AsyncParsableCommand {
                static let configuration = CommandConfiguration(abstract: "The pair is two different persons (never linked directly).")
                @OptionGroup var global: GlobalOptions
                @Argument(help: "The pair's number from `people review`, or `connector:id,connector:id`.") var pair: String

                func run() async throws {
                    let app = try SyncHubApp(global)
                    try await app.answerReview(pair, accept: false)
                }
            }
        }

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write the pairs and/or clusters synchub decided as CSV, to score against your own truth.",
                discussion: """
                    --pairs: record_a, record_b, rule, score (every link edge). --clusters: person_id, record (every \
                    contact record and its person). Files are readable by their owner only.
                    """)
            @OptionGroup var global: GlobalOptions
            @Option(help: "CSV file for the decided pairs.") var pairs: String?
            @Option(help: "CSV file for the person clusters.") var clusters: String?

            func run() async throws {
                let app = try SyncHubApp(global)
                try app.exportPeople(pairs: pairs, clusters: clusters)
            }
        }
    }
}
