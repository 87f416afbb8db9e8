// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "cooperage",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cooperage", targets: ["cooperage"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Domain types and the rule engine: pure Swift, no I/O.
        .target(
            name: "CooperageCore",
            swiftSettings: swiftSettings
        ),
        // PostgreSQL: embedded cluster, migrations, tenant transactions, queries.
        .target(
            name: "CooperageStore",
            dependencies: [
                "CooperageCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // sql/schema.sql is generated for people to read (SchemaDump), not a migration to apply: kept out of the
            // bundle, so the migration loader still refuses any file not named NNNN_name.sql.
            exclude: ["Resources/sql/schema.sql"],
            resources: [.process("Resources")],
            swiftSettings: swiftSettings
        ),
        // Outbound: signed webhook deliveries (Standard Webhooks), the dispatcher service, the address guard.
        .target(
            name: "CooperageWebhooks",
            dependencies: [
                "CooperageCore",
                "CooperageStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP: routes, request contexts, authentication, problem details, OpenAPI document.
        .target(
            name: "CooperageAPI",
            dependencies: [
                "CooperageCore",
                "CooperageStore",
                "CooperageWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.process("Resources")],
            swiftSettings: swiftSettings
        ),
        // HTML: the web console for people (/console), server-rendered from Mustache templates, over the same
        // stores and request contexts as the API.
        .target(
            name: "CooperageConsole",
            dependencies: [
                "CooperageCore",
                "CooperageStore",
                "CooperageAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cooperage",
            dependencies: [
                "CooperageAPI",
                "CooperageConsole",
                "CooperageStore",
                "CooperageWebhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CooperageWebhooksTests",
            dependencies: ["CooperageWebhooks", "CooperageCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CooperageCoreTests",
            dependencies: ["CooperageCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CooperageIntegrationTests",
            dependencies: [
                "CooperageAPI",
                "CooperageConsole",
                "CooperageStore",
                "CooperageWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
