import Logging
import NIOSSL
import PostgresNIO

extension DatabaseURL {
    /// Pool configuration for this URL.
    func clientConfiguration() -> PostgresClient.Configuration {
        if let socketDirectory {
            return .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
        }
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: tls)
    }

    /// A single connection for administrative work (migrations, bootstrap), or a probe of the server.
    /// - Parameters:
    ///   - connectTimeout: how long connecting may take (PostgresNIO's default: 10 s).
    ///   - startupParameters: settings sent with the connection's first message, such as ``directConnectionProbe``.
    public func connect(
        logger: Logger,
        connectTimeout: Duration? = nil,
        startupParameters: [(String, String)] = []
    ) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
        } else {
            let tls: PostgresConnection.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            configuration = .init(
                host: host ?? "localhost",
                port: port,
                username: user,
                password: password,
                database: database,
                tls: tls
            )
        }
        configuration.options.additionalStartupParameters = startupParameters
        if let connectTimeout {
            let (seconds, attoseconds) = connectTimeout.components
            configuration.options.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    }
}
