/// A failure to create, start or stop the embedded PostgreSQL cluster, with a message meant for a person.
public struct EmbeddedPostgresError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
