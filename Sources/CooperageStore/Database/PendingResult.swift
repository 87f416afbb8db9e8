import Synchronization

/// The result of work running in a task of its own, awaited for a limited time at a go.
///
/// A PostgresNIO query waits for its answer in a way cancellation does not stop, so a call on a connection
/// to a dead server can wait as long as the operating system keeps the socket. The caller waits here
/// instead, and can stop waiting (and answer 503) without waiting for the work to end.
/// ```swift
/// let pending = PendingResult<Int>()
/// Task { pending.finish(.success(42)) }
/// let result = await pending.wait(upTo: .seconds(5))   // nil when five seconds passed first
/// ```
final class PendingResult<Value: Sendable>: Sendable {
    private struct Waiter {
        let continuation: CheckedContinuation<Result<Value, any Error>?, Never>
        let generation: Int
        var timer: Task<Void, Never>?
    }

    private enum State {
        case running(Waiter?, generation: Int)
        case finished(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.running(nil, generation: 0))

    /// Hands over the work's result; the first call wins.
    func finish(_ result: Result<Value, any Error>) {
        let waiter = state.withLock { state -> Waiter? in
            guard case .running(let waiter, _) = state else { return nil }
            state = .finished(result)
            return waiter
        }
        waiter?.timer?.cancel()
        waiter?.continuation.resume(returning: result)
    }

    /// The result, or nil when `limit` passed first. One waiter at a time.
    func wait(upTo limit: Duration) async -> Result<Value, any Error>? {
        await withCheckedContinuation { continuation in
            let registered = state.withLock { state -> (Result<Value, any Error>?, Int) in
                switch state {
                case .finished(let result):
                    return (result, 0)
                case .running(_, let generation):
                    state = .running(Waiter(continuation: continuation, generation: generation + 1), generation: generation + 1)
                    return (nil, generation + 1)
                }
            }
            if let result = registered.0 {
                continuation.resume(returning: result)
                return
            }
            let generation = registered.1
            let timer = Task { [self] in
                try? await Task.sleep(for: limit)
                if !Task.isCancelled { expire(generation) }
            }
            let installed = state.withLock { state -> Bool in
                guard case .running(var waiter?, let current) = state, waiter.generation == generation else { return false }
                waiter.timer = timer
                state = .running(waiter, generation: current)
                return true
            }
            if !installed { timer.cancel() }
        }
    }

    private func expire(_ generation: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard case .running(let waiter?, let current) = state, waiter.generation == generation else { return nil }
            state = .running(nil, generation: current)
            return waiter
        }
        waiter?.continuation.resume(returning: nil)
    }
}
