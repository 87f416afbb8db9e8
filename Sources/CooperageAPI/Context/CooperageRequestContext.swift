import CooperageCore
import CooperageStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// What every Cooperage context shares: the body limit and the JSON coders.
public protocol CooperageContext: RequestContext {}

extension CooperageContext {
    /// Bodies larger than this are refused with 413 (CSV imports have their own, larger limit).
    public var maxUploadSize: Int { 1024 * 1024 }
    public var requestDecoder: JSONDecoder { JSONCoding.decoder }
    public var responseEncoder: JSONEncoder { JSONCoding.encoder }
}

/// The context every request starts with: what ``BearerAuthenticator`` found. Route code does not read it;
/// routes take one of the typed contexts made from it (``AuthenticatedRequestContext``,
/// ``AgencyRequestContext``), or, for the writes that check their token in their own statement, the
/// deferred credential.
public struct CooperageRequestContext: AuthRequestContext, CooperageContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// An agency token that ``BearerAuthenticator`` left unchecked for the route to check in the statement that
    /// does the work (usage registration, decisions). `identity` stays nil, so any other use of the request fails closed.
    public var deferredCredential: TokenSecret?
    /// The peer's IP address (a proxy's, behind one): forwarded headers are believed only from trusted proxies.
    public let peerAddress: String?
    /// The web console's session, when the request carries a live one (`identity` is then its principal).
    public var consoleSession: ConsoleSession?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.identity = nil
        self.deferredCredential = nil
        self.consoleSession = nil
    }
}
