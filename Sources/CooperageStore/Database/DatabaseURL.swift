import Foundation

/// A PostgreSQL connection URL: `postgresql://user:password@host:port/database?sslmode=...`,
/// or a Unix socket folder in the `host` query parameter (`postgresql://user@/db?host=/run/postgresql`).
public struct DatabaseURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var user: String
    public var password: String?
    public var host: String?
    public var port: Int
    public var socketDirectory: String?
    public var database: String
    public var tls: TLSMode

    public init(
        user: String,
        password: String? = nil,
        host: String? = nil,
        port: Int = 5432,
        socketDirectory: String? = nil,
        database: String,
        tls: TLSMode = .disable
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.database = database
        self.tls = tls
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "")
        else {
            throw DatabaseURLError(text: text, reason: "expected postgresql://user[:password]@host[:port]/database")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        // URLComponents has already percent-decoded user and password.
        let user = components.user ?? query["user"] ?? "postgres"
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty || query["dbname"] != nil else {
            throw DatabaseURLError(text: text, reason: "the URL names no database")
        }
        var socketDirectory: String? = nil
        var host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        if let queryHost = query["host"], queryHost.hasPrefix("/") {
            socketDirectory = queryHost
        } else if let queryHost = query["host"], !queryHost.isEmpty {
            host = queryHost
        }
        if host == nil && socketDirectory == nil { host = "localhost" }
        let mode =
            query["sslmode"] ?? (socketDirectory == nil && host != "localhost" && host != "127.0.0.1" ? "prefer" : "disable")
        let tls: TLSMode
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw DatabaseURLError(text: text, reason: "unknown sslmode \(mode)")
        }
        self.init(
            user: user,
            password: components.password,
            host: host,
            port: components.port ?? Int(query["port"] ?? "") ?? 5432,
            socketDirectory: socketDirectory,
            database: database.isEmpty ? query["dbname"] ?? "" : database,
            tls: tls
        )
    }

    /// The same server and database, as another role.
    public func with(user: String, password: String?) -> DatabaseURL {
        var copy = self
        copy.user = user
        copy.password = password
        return copy
    }

    /// The URL with its password masked, for logs.
    public var redacted: String {
        let credentials = password == nil ? user : "\(user):****"
        if let socketDirectory { return "postgresql://\(credentials)@/\(database)?host=\(socketDirectory)" }
        return "postgresql://\(credentials)@\(host ?? "localhost"):\(port)/\(database)"
    }
}

public struct DatabaseURLError: Error, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String { "Invalid database URL: \(reason)" }
}
