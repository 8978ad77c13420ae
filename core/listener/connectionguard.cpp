#include "connectionguard.h"

#include <QMetaObject>

#include <sys/socket.h>

#include <chrono>

namespace hookbench {

namespace {

constexpr qint64 drainBufferBytes = 64 * 1024;
constexpr qint64 maxLingerMs = 30000;
constexpr qsizetype keptPeekBytes = 64 * 1024;
const QByteArray continueLine = QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");

QString addressText(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}

} // namespace

qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 wallClockUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ConnectionGuard::ConnectionGuard(
    QTcpSocket *socket, QObject *httpServer, const ListenerLimits &limits, ByteBudget *budget, bool tls)
    : QObject(socket)
    , m_socket(socket)
    , m_httpServer(httpServer)
    , m_limits(limits)
    , m_budget(budget)
    , m_tls(tls)
    , m_remoteAddress(addressText(socket->peerAddress()))
    , m_remotePort(socket->peerPort())
    , m_framer(RequestFramer::Limits {limits.maxBodyBytes, limits.maxHeaderCount, limits.maxHeaderBytes})
    , m_lastActivityMs(monotonicMs())
{
    // Connected before Qt HttpServer connects its own slot: this one runs first.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, &ConnectionGuard::onBytesWritten);
}

ConnectionGuard::~ConnectionGuard()
{
    for (const Pending &pending : m_requests)
        m_budget->release(pending.reserved);
}

void ConnectionGuard::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_detached) {
        m_lastActivityMs = monotonicMs();
        drain();
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    // Qt reads everything of an incomplete request and stops at the end of one it completes:
    // what it left then was recorded by takeRequest(); the rest is new.
    const qint64 seen = std::exchange(m_unreadByQt, 0);
    if (available <= seen || m_readingStopped)
        return;
    // Peeked into a buffer kept between reads: no allocation per read.
    m_peekBuffer.resize(available);
    const qint64 peeked = m_socket->peek(m_peekBuffer.data(), available);
    if (peeked <= seen)
        return;
    const qint64 now = monotonicMs();
    m_lastActivityMs = now;
    m_events.clear();
    m_framer.feed(QByteArrayView(m_peekBuffer).sliced(seen, peeked - seen), m_events);
    // A large read (a body arriving in one piece) must not stay allocated for the connection's life.
    if (m_peekBuffer.capacity() > keptPeekBytes)
        m_peekBuffer = QByteArray();
    for (const FramerEvent &event : std::as_const(m_events)) {
        handleEvent(event, now);
        if (m_readingStopped)
            break;
    }
}

void ConnectionGuard::handleEvent(const FramerEvent &event, qint64 nowMs)
{
    switch (event.type) {
    case FramerEvent::Type::Begin: {
        Pending pending;
        pending.ticket = ++m_nextTicket;
        pending.arrivalUs = wallClockUs();
        pending.startedMs = nowMs;
        const bool tooMany = qsizetype(m_requests.size()) >= m_limits.maxPipelined;
        m_requests.push_back(std::move(pending));
        if (tooMany)
            reject(503,
                QStringLiteral("more than %1 requests waiting for answers on one connection")
                    .arg(m_limits.maxPipelined));
        return;
    }
    case FramerEvent::Type::Head: {
        Pending *pending = receiving();
        if (!pending)
            return;
        pending->head = event.head;
        pending->headDone = true;
        if (event.head.contentLength > 0) {
            if (!m_budget->reserve(event.head.contentLength)) {
                reject(503, QStringLiteral("the listener is holding too many request bodies; try again"));
                return;
            }
            pending->reserved = event.head.contentLength;
        }
        if (event.head.expectContinue)
            flush();
        return;
    }
    case FramerEvent::Type::Body: {
        Pending *pending = receiving();
        if (pending && pending->head.chunked) {
            if (!m_budget->reserve(event.bytes)) {
                reject(503, QStringLiteral("the listener is holding too many request bodies; try again"));
                return;
            }
            pending->reserved += event.bytes;
        }
        return;
    }
    case FramerEvent::Type::Complete: {
        Pending *pending = receiving();
        if (!pending)
            return;
        pending->complete = true;
        pending->bodySize = event.bytes;
        ++m_undispatched;
        if (!pending->head.keepAlive)
            stopReading(); // the client asked to close after this one
        return;
    }
    case FramerEvent::Type::Error:
        reject(event.status, event.reason);
        return;
    }
}

ConnectionGuard::Pending *ConnectionGuard::receiving()
{
    if (m_requests.empty())
        return nullptr;
    Pending &last = m_requests.back();
    return (last.complete || last.answered) ? nullptr : &last;
}

ConnectionGuard::Pending *ConnectionGuard::findTicket(quint64 ticket)
{
    for (Pending &pending : m_requests) {
        if (pending.ticket == ticket)
            return &pending;
    }
    return nullptr;
}

void ConnectionGuard::reject(int status, const QString &reason)
{
    Pending *pending = receiving();
    if (!pending) {
        Pending fresh;
        fresh.ticket = ++m_nextTicket;
        fresh.arrivalUs = wallClockUs();
        m_requests.push_back(std::move(fresh));
        pending = &m_requests.back();
    }
    m_budget->release(std::exchange(pending->reserved, 0));
    const RequestHead &head = pending->headDone ? pending->head : m_framer.head();

    HttpResponse response;
    response.status = status;
    response.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
    if (status == 503)
        response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
    response.body = jsonErrorBody(reason);
    pending->answer = response.serialize(head.isHead(), HttpResponse::Connection::Close);
    pending->answered = true;
    pending->closeAfter = true;
    pending->rejection = true;

    RejectedRequest rejected;
    rejected.atUs = wallClockUs();
    rejected.remoteAddress = m_remoteAddress;
    rejected.remotePort = m_remotePort;
    rejected.method = head.method;
    rejected.target = head.target;
    rejected.status = status;
    rejected.reason = reason;

    stopReading();
    flush();
    emit this->rejected(rejected);
}

void ConnectionGuard::stopReading()
{
    m_readingStopped = true;
    // Requests Qt has not read yet stay readable for it until it has taken them all.
    if (m_undispatched == 0) {
        detachFromQt();
        drain();
    }
}

void ConnectionGuard::detachFromQt()
{
    if (m_detached || !m_socket)
        return;
    m_detached = true;
    if (m_httpServer)
        QObject::disconnect(m_socket, &QIODevice::readyRead, m_httpServer, nullptr);
    // Qt may hold a read transaction open on a request it will now never finish: end it, or
    // every byte drained from here on would be kept for a rollback.
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->setReadBufferSize(drainBufferBytes);
}

void ConnectionGuard::drain()
{
    if (!m_socket)
        return;
    while (m_socket->bytesAvailable() > 0) {
        if (m_socket->skip(m_socket->bytesAvailable()) <= 0)
            break;
    }
}

std::optional<GuardedRequest> ConnectionGuard::takeRequest(qint64 bodySize)
{
    for (Pending &pending : m_requests) {
        if (pending.dispatched || pending.rejection)
            continue;
        if (!pending.complete || pending.bodySize != bodySize)
            return std::nullopt;
        pending.dispatched = true;
        --m_undispatched;
        GuardedRequest request;
        request.ticket = pending.ticket;
        request.arrivalUs = pending.arrivalUs;
        request.head = pending.head;
        request.bodySize = pending.bodySize;
        request.reservedBytes = std::exchange(pending.reserved, 0);
        if (m_socket)
            m_unreadByQt = m_socket->bytesAvailable();
        if (m_undispatched > 0) {
            scheduleReplay();
        } else if (m_readingStopped) {
            // We are inside Qt's readyRead slot: disconnecting it is safe, reading is left for later.
            detachFromQt();
            QMetaObject::invokeMethod(this, &ConnectionGuard::drain, Qt::QueuedConnection);
        }
        return request;
    }
    return std::nullopt;
}

void ConnectionGuard::scheduleReplay()
{
    // Qt 6.4 parses one request per readyRead. The socket was seen to signal again for
    // pipelined requests left in its buffer, but nothing documents that; emitting readyRead
    // once more (harmless when there is nothing left) makes it a guarantee.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_socket && !m_detached && m_undispatched > 0 && m_socket->bytesAvailable() > 0)
                Q_EMIT m_socket->readyRead();
        },
        Qt::QueuedConnection);
}

void ConnectionGuard::answer(quint64 ticket, const HttpResponse &response)
{
    Pending *pending = findTicket(ticket);
    if (!pending || pending->answered)
        return;
    const bool close = !pending->head.keepAlive || m_shuttingDown;
    const auto connection = close             ? HttpResponse::Connection::Close
        : pending->head.version == "HTTP/1.0" ? HttpResponse::Connection::KeepAlive
                                              : HttpResponse::Connection::Default;
    pending->answer = response.serialize(pending->head.isHead(), connection);
    pending->closeAfter = close;
    pending->answered = true;
    flush();
}

void ConnectionGuard::closeWithoutAnswer(quint64 ticket)
{
    Pending *pending = findTicket(ticket);
    if (!pending || pending->answered)
        return;
    pending->answered = true;
    pending->abandon = true;
    flush();
}

void ConnectionGuard::flush()
{
    if (!m_socket || m_closing)
        return;
    while (!m_requests.empty()) {
        Pending &front = m_requests.front();
        if (!front.answered) {
            // The client waits for this before sending the body; interim, so only once every
            // earlier answer is out.
            if (front.headDone && front.head.expectContinue && !front.continueSent && !front.complete) {
                writeOut(continueLine);
                front.continueSent = true;
            }
            break;
        }
        if (front.abandon) {
            m_requests.pop_front();
            stopReading();
            closeGracefully();
            return;
        }
        writeOut(front.answer);
        m_lastActivityMs = monotonicMs();
        const bool close = front.closeAfter;
        const bool rejection = front.rejection;
        m_requests.pop_front();
        if (close) {
            stopReading();
            if (rejection)
                startLingering();
            else
                closeGracefully();
            return;
        }
    }
    if (m_readingStopped) {
        const bool outputPending = std::any_of(m_requests.cbegin(), m_requests.cend(),
            [](const Pending &pending) { return pending.complete || pending.answered; });
        if (!outputPending)
            closeGracefully();
    }
}

void ConnectionGuard::writeOut(const QByteArray &bytes)
{
    // A plain socket with nothing queued in Qt takes the bytes straight from us: going through
    // Qt's write buffer costs a write notifier switched on and off (each a wake-up of the event
    // loop) and an extra pass of the loop before the answer leaves. What the kernel can't take
    // now, and anything on TLS, goes through Qt as usual, which keeps the order.
    qint64 sent = 0;
    const qintptr descriptor = m_tls ? -1 : m_socket->socketDescriptor();
    if (descriptor >= 0 && m_socket->bytesToWrite() == 0) {
        const ssize_t n = ::send(int(descriptor), bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent = n;
    }
    if (sent < bytes.size())
        m_socket->write(bytes.constData() + sent, bytes.size() - sent);
}

void ConnectionGuard::closeGracefully()
{
    if (m_closing || !m_socket)
        return;
    m_closing = true;
    m_closingSinceMs = monotonicMs();
    m_socket->disconnectFromHost();
}

void ConnectionGuard::startLingering()
{
    // Closing with unread bytes in the kernel makes it send a reset, which can destroy the
    // error answer before the client reads it. So: finish writing, stop sending (half-close),
    // and read and discard for a while so the client gets to read the answer.
    m_closing = true;
    m_lingering = true;
    m_closingSinceMs = monotonicMs();
    detachFromQt();
    drain();
    if (m_socket && m_socket->bytesToWrite() == 0)
        halfClose();
}

void ConnectionGuard::halfClose()
{
    if (m_halfClosed || !m_socket)
        return;
    m_halfClosed = true;
    m_socket->flush();
    // TLS can't be half-closed below the TLS layer; the linger timeout closes it instead.
    if (!m_tls && m_socket->socketDescriptor() >= 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void ConnectionGuard::onBytesWritten()
{
    if (m_lingering && m_socket && m_socket->bytesToWrite() == 0)
        halfClose();
}

void ConnectionGuard::abort()
{
    m_closing = true;
    if (m_socket)
        m_socket->abort();
}

void ConnectionGuard::checkTimeouts(qint64 nowMs)
{
    if (!m_socket)
        return;
    if (m_closing) {
        // Lingering lasts while the client keeps sending (it may still be pushing the body we
        // refused), up to a hard cap; a graceful close that can't flush gets lingerMs.
        const bool quiet = nowMs - m_lastActivityMs > m_limits.lingerMs;
        const bool tooLong = nowMs - m_closingSinceMs > (m_lingering ? maxLingerMs : m_limits.lingerMs);
        if (quiet || tooLong)
            m_socket->abort();
        return;
    }
    if (m_readingStopped)
        return; // waiting for our own answers
    if (m_framer.inRequest()) {
        const Pending *pending = receiving();
        if (pending && nowMs - pending->startedMs > m_limits.requestTimeoutMs)
            reject(408, QStringLiteral("the request did not arrive whole within %1 ms").arg(m_limits.requestTimeoutMs));
        else if (nowMs - m_lastActivityMs > m_limits.idleTimeoutMs)
            reject(408, QStringLiteral("no data for %1 ms in the middle of a request").arg(m_limits.idleTimeoutMs));
        return;
    }
    if (m_requests.empty() && nowMs - m_lastActivityMs > m_limits.idleTimeoutMs)
        closeGracefully();
}

void ConnectionGuard::beginShutdown()
{
    m_shuttingDown = true;
    if (!m_readingStopped)
        stopReading();
    flush();
}

} // namespace hookbench
