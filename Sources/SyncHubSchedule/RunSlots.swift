import Synchronization

/// At most `count` runs at once, whichever connectors they belong to; waiting for a slot ends on cancellation.
final class RunSlots: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(available: max(1, count)))
    }

    /// Takes a slot, waiting for one; throws `CancellationError` when the task is cancelled while it waits.
    func acquire() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { state in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else if state.available > 0 {
                        state.available -= 1
                        continuation.resume()
                    } else {
                        state.waiters.append((id, continuation))
                    }
                }
            }
        } onCancel: {
            state.withLock { state in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    state.waiters.remove(at: index).continuation.resume(throwing: CancellationError())
                }
            }
        }
    }

    /// Gives a slot back, to the longest waiter if any.
    func release() {
        state.withLock { state in
            if state.waiters.isEmpty {
                state.available += 1
            } else {
                state.waiters.removeFirst().continuation.resume()
            }
        }
    }
}
