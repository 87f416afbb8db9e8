import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` at once with `100 Continue` (RFC 9110, section 10.1.1), as a server must.
///
/// Clients that send it wait for that answer before sending the body, and Hummingbird does not give it: curl,
/// which asks for bodies over 1 KiB, sat out its one-second timeout on every CSV import. The final answer
/// (a 401, a 413) still comes after the body, as it does for clients that do not ask.
final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), let expect = head.headerFields[.expect],
            expect.lowercased() == "100-continue"
        {
            context.writeAndFlush(NIOAny(HTTPResponsePart.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
