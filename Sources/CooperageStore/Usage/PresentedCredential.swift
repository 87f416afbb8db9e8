/// What a write that checks its own credential in the database is given: an agency token (the API), or a console
/// session, which stands for the token it was opened with. Either way the audited actor is the token found.
public enum PresentedCredential: Sendable {
    case token(TokenSecret)
    case consoleSession(ConsoleSession)

    var secret: TokenSecret {
        switch self {
        case .token(let secret): secret
        case .consoleSession(let session): session.secret
        }
    }

    /// `usage_register_presented`'s name for it.
    var kind: String {
        switch self {
        case .token: "token"
        case .consoleSession: "console-session"
        }
    }
}
