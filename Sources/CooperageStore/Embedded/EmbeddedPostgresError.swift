/// A failure to create, start or stop the embedded PostgreSQL cluster, with a message meant for a person.
public struct EmbeddedPostgresError: Error, CustomStringConvertible {
    public let description: String
    /// Another process (a running server) holds the cluster's folder.
    public let isFolderInUse: Bool

    init(inUse: Bool = false, _ description: String) {
        self.description = description
        self.isFolderInUse = inUse
    }
}
