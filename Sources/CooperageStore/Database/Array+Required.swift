extension Array {
    /// The first element, or `error` when there is none: for rows a statement must return (`RETURNING`, a row
    /// just locked), where a missing one is answered as an error and never traps.
    func first(or error: @autoclosure () -> any Error) throws -> Element {
        guard let first else { throw error() }
        return first
    }
}
