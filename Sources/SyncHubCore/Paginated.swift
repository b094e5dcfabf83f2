/// An async sequence of pages, each fetched only when the consumer asks for it.
///
/// `fetch` receives the token of the page to read (`nil` for the first) and returns the page and the next token,
/// or `nil` as the token when the page was the last.
public struct Paginated<Token: Sendable>: AsyncSequence, Sendable {
    public typealias Element = RecordBatch
    public typealias Failure = any Error

    private let first: Token?
    private let fetch: @Sendable (Token?) async throws -> (RecordBatch, Token?)

    public init(startingAt first: Token?, fetch: @escaping @Sendable (Token?) async throws -> (RecordBatch, Token?)) {
        self.first = first
        self.fetch = fetch
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var token: Token?
        var isFinished = false
        let fetch: @Sendable (Token?) async throws -> (RecordBatch, Token?)

        public mutating func next() async throws -> RecordBatch? {
            if isFinished { return nil }
            let (batch, next) = try await fetch(token)
            token = next
            if next == nil { isFinished = true }
            return batch
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(token: first, fetch: fetch) }
}
