import Crypto
import Foundation

/// One numbered SQL file of `sql/`, such as `0002_tenants_and_tokens.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    /// SHA-256 of the file's text: an applied migration must never change.
    public var checksum: String {
        AuditEvent.hex(SHA256.hash(data: Data(sql.utf8)))
    }

    /// The file's name as it is on disk, `0002_tenants_and_tokens.sql`.
    public var fileName: String {
        let number = String(version)
        return String(repeating: "0", count: max(0, 4 - number.count)) + number + "_" + name + ".sql"
    }

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations shipped with this build, in order.
    public static func bundled() throws -> [Migration] {
        // The files of Resources/sql are copied flat into the module's resource bundle.
        guard let directory = Bundle.module.resourceURL else {
            throw MigrationError("The migrations (sql/) are missing from this build's resources.")
        }
        return try load(directory: directory.path)
    }

    /// Reads `NNNN_name.sql` files from a folder; two files with the same number are an error.
    public static func load(directory: String) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for file in files {
            let stem = file.dropLast(4)
            guard let separator = stem.firstIndex(of: "_"), let version = Int(stem[..<separator]), version > 0 else {
                throw MigrationError("Migration file \(file) must be named NNNN_description.sql.")
            }
            let sql = try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: separator)...]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError("Two migrations share the number \(next.version): \(previous.name) and \(next.name).")
        }
        return migrations
    }
}

/// A migration problem a person must resolve (an edited applied file, a database newer than this build).
public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
    /// A collision with a concurrent change that a retry resolves.
    let isTransientConflict: Bool

    public init(_ description: String) {
        self.init(transient: false, description)
    }

    init(transient: Bool, _ description: String) {
        self.description = description
        self.isTransientConflict = transient
    }
}
