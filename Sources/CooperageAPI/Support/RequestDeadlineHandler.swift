import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow to send a request: the headers must arrive within
/// ``Limits/headerTimeout`` of the request's first byte, and a body must arrive at ``Limits/minimumBodyRate``
/// bytes a second or more once ``Limits/bodyGracePeriod`` has passed.
///
/// Hummingbird's own idle timeout closes a connection only when no complete request part arrives for a while,
/// so a client that sends one header byte or one body chunk at a time would hold its connection, and an
/// upload's import slot, for ever. Closing the connection ends the handler's read of the body with an error,
/// which releases whatever the handler held.
///
/// Nothing is answered: the request never arrived whole, and the connection is closed (documented in the README).
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    struct Limits: Sendable, Equatable {
        var headerTimeout: TimeAmount
        var minimumBodyRate: Int
        var bodyGracePeriod: TimeAmount
    }

    private enum State {
        /// Between requests: Hummingbird's idle timeout applies.
        case idle
        case receivingHead
        case receivingBody(started: NIODeadline, bytes: Int)
        /// The request has arrived whole; the handler runs as long as it needs.
        case processing
    }

    private let limits: Limits
    private let logger: Logger
    private var state = State.idle
    private var deadline: Scheduled<Void>?
    private var rateCheck: RepeatedTask?

    init(limits: Limits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The first byte of a request is only seen before the HTTP decoder.
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let watcher = FirstByteWatcher { bound.value.0.bytesArrived(context: bound.value.1) }
        try? context.pipeline.syncOperations.addHandler(watcher, position: .first)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A body cut off here is reported to its reader by NIO's HTTP decoder (an EOF inside a message is an
        // error), so an upload closed for being too slow is never taken for a whole file (tested).
        cancelTimers()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            cancelTimers()
            state = .receivingBody(started: .now(), bytes: 0)
            scheduleRateCheck(context: context)
        case .body(let buffer):
            if case .receivingBody(let started, let bytes) = state {
                state = .receivingBody(started: started, bytes: bytes + buffer.readableBytes)
            }
        case .end:
            cancelTimers()
            state = .processing
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), case .processing = state { state = .idle }
        context.write(data, promise: promise)
    }

    private func bytesArrived(context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        state = .receivingHead
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: limits.headerTimeout) {
            let (handler, context) = bound.value
            guard case .receivingHead = handler.state else { return }
            handler.logger.notice("closing a connection whose request headers did not arrive in time")
            context.close(promise: nil)
        }
    }

    private func scheduleRateCheck(context: ChannelHandlerContext) {
        guard limits.minimumBodyRate > 0 else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        rateCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: limits.bodyGracePeriod, delay: .seconds(1)) { _ in
            let (handler, context) = bound.value
            guard case .receivingBody(let started, let bytes) = handler.state else { return }
            let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e9
            guard elapsed > 0, Double(bytes) / elapsed < Double(handler.limits.minimumBodyRate) else { return }
            handler.logger.notice(
                "closing a connection whose request body arrives too slowly",
                metadata: ["bytes": "\(bytes)", "seconds": "\(Int(elapsed))"]
            )
            handler.cancelTimers()
            context.close(promise: nil)
        }
    }

    private func cancelTimers() {
        deadline?.cancel()
        deadline = nil
        rateCheck?.cancel()
        rateCheck = nil
    }
}

/// Tells its owner that bytes arrived, before any decoding; passes everything on unchanged.
private final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let arrived: @Sendable () -> Void

    init(_ arrived: @escaping @Sendable () -> Void) { self.arrived = arrived }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        arrived()
        context.fireChannelRead(data)
    }
}
