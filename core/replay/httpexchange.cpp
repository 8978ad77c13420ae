#include "httpexchange.h"

#include "connectionpool.h"
#include "requestwire.h"

#include <QNetworkProxy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimerEvent>

#include <chrono>

namespace hookbench {

namespace {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString durationText(int ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    return QStringLiteral("%1 ms").arg(ms);
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool asksToClose(const HeaderList &headers)
{
    for (const QByteArray &value : headerValues(headers, "Connection")) {
        for (const QByteArray &token : value.split(',')) {
            if (token.trimmed().compare("close", Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

HttpExchange::HttpExchange(
    const HttpRequest &request, const SendOptions &options, ConnectionPool *pool, QObject *parent)
    : QObject(parent), m_request(request), m_options(options), m_pool(pool)
{ }

HttpExchange::~HttpExchange()
{
    if (m_socket) {
        detach();
        m_socket->abort();
    }
}

void HttpExchange::start()
{
    m_clock.start();
    m_attempt.startedAtUs = nowUs();
    m_attempt.kind = Attempt::Kind::Send;
    m_timer.start(std::max(1, m_options.timeoutMs), this);
    m_starting = true;
    startHop();
    m_starting = false;
}

void HttpExchange::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    onTimeout();
}

void HttpExchange::abort(const QString &reason)
{
    fail(Attempt::Failure::Other, reason);
}

QString HttpExchange::peer() const
{
    const QString host = m_request.url.host();
    const QString shown = host.contains(u':') ? u'[' + host + u']' : host;
    return shown + u':' + QString::number(effectivePort(m_request.url));
}

void HttpExchange::startHop()
{
    QString problem;
    auto wire = serializeRequest(m_request, &problem);
    m_attempt.request = m_request;
    if (!wire) {
        fail(Attempt::Failure::Other, problem);
        return;
    }
    m_wire = std::move(*wire);
    m_parser.emplace(m_options.limits, m_request.method == "HEAD");
    m_poolKey = m_request.url.scheme().toLower() + u"://" + peer()
        + (m_options.ignoreTlsErrors ? QStringLiteral("|insecure") : QString());

    QTcpSocket *idle = m_options.reuseConnections && m_pool ? m_pool->take(m_poolKey) : nullptr;
    if (idle) {
        m_reused = true;
        m_reusedAny = true;
        idle->setParent(this);
        attach(idle);
        writeRequest();
        return;
    }
    openConnection();
}

void HttpExchange::openConnection()
{
    m_reused = false;
    m_phase = Phase::Connecting;
    const QString host = m_request.url.host();
    const quint16 port = effectivePort(m_request.url);
    if (isHttps(m_request.url)) {
        auto *socket = new QSslSocket(this);
        attach(socket);
        connect(socket, &QSslSocket::connected, this, [this] { m_phase = Phase::Handshaking; });
        connect(socket, &QSslSocket::encrypted, this, &HttpExchange::writeRequest);
        connect(socket, &QSslSocket::sslErrors, this, &HttpExchange::onSslErrors);
        socket->connectToHostEncrypted(host, port);
    } else {
        auto *socket = new QTcpSocket(this);
        attach(socket);
        connect(socket, &QTcpSocket::connected, this, &HttpExchange::writeRequest);
        socket->connectToHost(host, port);
    }
}

void HttpExchange::attach(QTcpSocket *socket)
{
    m_socket = socket;
    // Straight to the host: an application-wide proxy would put its own bytes on the wire.
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->setProxy(QNetworkProxy::NoProxy);
    connect(socket, &QTcpSocket::readyRead, this, &HttpExchange::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &HttpExchange::onClosed);
    connect(socket, &QTcpSocket::errorOccurred, this, &HttpExchange::onSocketError);
}

void HttpExchange::detach()
{
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

void HttpExchange::closeSocket()
{
    if (!m_socket)
        return;
    detach();
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void HttpExchange::writeRequest()
{
    if (m_finished || !m_socket)
        return;
    m_phase = Phase::Waiting;
    // The request goes out in one write; without this, Nagle could hold its tail back.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(m_wire);
}

void HttpExchange::onReadyRead()
{
    if (m_finished || !m_socket)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    if (m_attempt.timeToFirstByteUs < 0)
        m_attempt.timeToFirstByteUs = elapsedUs();
    m_phase = Phase::Reading;
    switch (m_parser->feed(data)) {
    case HttpResponseParser::Result::Complete:
        onResponseComplete();
        break;
    case HttpResponseParser::Result::Error:
        fail(Attempt::Failure::Other, QStringLiteral("bad response from %1: %2").arg(peer(), m_parser->error()));
        break;
    case HttpResponseParser::Result::NeedMore:
        break;
    }
}

void HttpExchange::onClosed()
{
    if (m_finished || !m_socket)
        return;
    if (m_socket->bytesAvailable() > 0) {
        onReadyRead();
        if (m_finished)
            return;
    }
    if (retryOnFreshConnection())
        return;
    if (m_parser->finish() == HttpResponseParser::Result::Complete) {
        onResponseComplete();
        return;
    }
    fail(Attempt::Failure::Other, QStringLiteral("%1 (%2)").arg(m_parser->error(), peer()));
}

bool HttpExchange::retryOnFreshConnection()
{
    // A reused connection may have been closed by the server just as the request went out. Nothing
    // of the response arrived, so the server did not process it: send once more on a new one.
    if (!m_reused || m_retried || m_parser->bytesReceived() > 0)
        return false;
    m_retried = true;
    closeSocket();
    m_parser.emplace(m_options.limits, m_request.method == "HEAD");
    openConnection();
    return true;
}

void HttpExchange::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_finished || !m_socket)
        return;
    switch (error) {
    case QAbstractSocket::RemoteHostClosedError:
        onClosed();
        return;
    case QAbstractSocket::ConnectionRefusedError:
        fail(Attempt::Failure::Refused, QStringLiteral("connection refused by %1").arg(peer()));
        return;
    case QAbstractSocket::HostNotFoundError:
        fail(Attempt::Failure::Refused, QStringLiteral("host not found: %1").arg(m_request.url.host()));
        return;
    case QAbstractSocket::SocketTimeoutError:
        fail(Attempt::Failure::Timeout, QStringLiteral("%1: %2").arg(peer(), m_socket->errorString()));
        return;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        fail(Attempt::Failure::Tls,
            m_tlsProblem.isEmpty()
                ? QStringLiteral("TLS handshake with %1 failed: %2").arg(peer(), m_socket->errorString())
                : m_tlsProblem);
        return;
    case QAbstractSocket::NetworkError:
        if (m_phase == Phase::Connecting) {
            fail(Attempt::Failure::Refused, QStringLiteral("can't reach %1: %2").arg(peer(), m_socket->errorString()));
            return;
        }
        break;
    default:
        break;
    }
    if (retryOnFreshConnection())
        return;
    fail(Attempt::Failure::Other, QStringLiteral("%1: %2").arg(peer(), m_socket->errorString()));
}

void HttpExchange::onSslErrors(const QList<QSslError> &errors)
{
    auto *socket = qobject_cast<QSslSocket *>(m_socket);
    if (!socket)
        return;
    if (m_options.ignoreTlsErrors) {
        socket->ignoreSslErrors();
        return;
    }
    QStringList texts;
    for (const QSslError &error : errors) {
        if (!texts.contains(error.errorString()))
            texts.append(error.errorString());
    }
    m_tlsProblem = QStringLiteral("TLS certificate of %1 rejected: %2").arg(peer(), texts.join(QStringLiteral("; ")));
}

void HttpExchange::onTimeout()
{
    if (m_finished)
        return;
    const QString after = durationText(m_options.timeoutMs);
    QString reason;
    switch (m_phase) {
    case Phase::Connecting:
        reason = QStringLiteral("timed out after %1 connecting to %2").arg(after, peer());
        break;
    case Phase::Handshaking:
        reason = QStringLiteral("timed out after %1 in the TLS handshake with %2").arg(after, peer());
        break;
    case Phase::Waiting:
        reason = QStringLiteral("timed out after %1 waiting for a response from %2").arg(after, peer());
        break;
    case Phase::Reading:
        reason = QStringLiteral("timed out after %1 reading the response from %2 (%3 bytes received)")
                     .arg(after, peer())
                     .arg(m_parser ? m_parser->bytesReceived() : 0);
        break;
    }
    fail(Attempt::Failure::Timeout, reason);
}

void HttpExchange::onResponseComplete()
{
    HttpResponseParser &parser = *m_parser;
    m_attempt.status = parser.status();
    m_attempt.reasonPhrase = parser.reasonPhrase();
    m_attempt.responseHeaders = parser.headers();
    m_attempt.responseBody = parser.takeBody();

    // A server may answer before it has read the whole request (an early 413): what it did not
    // read would be taken for the next request, so such a connection is not reused.
    const bool reusable = m_options.reuseConnections && m_pool && parser.canReuseConnection()
        && !asksToClose(m_request.headers) && m_socket && m_socket->bytesToWrite() == 0;
    if (reusable) {
        detach();
        m_pool->put(m_poolKey, m_socket);
        m_socket = nullptr;
    } else {
        closeSocket();
    }

    const QByteArray location = headerValue(m_attempt.responseHeaders, "Location");
    if (m_hops < m_options.maxRedirects && isRedirect(m_attempt.status) && !location.isEmpty()) {
        const QUrl next = m_request.url.resolved(QUrl::fromEncoded(location, QUrl::TolerantMode));
        const QString scheme = next.scheme().toLower();
        if (next.isValid() && (scheme == u"http" || scheme == u"https") && !next.host().isEmpty()) {
            ++m_hops;
            const bool sameAuthority = hostHeaderValue(next) == hostHeaderValue(m_request.url);
            m_request.url = next;
            m_request.target.clear();
            if (!sameAuthority && hasHeader(m_request.headers, "Host"))
                setHeader(m_request.headers, QByteArrayLiteral("Host"), hostHeaderValue(next));
            // 303 means "GET the answer elsewhere"; the others repeat the request as it was (for a
            // webhook, a moved endpoint still wants the POST and its body).
            if (m_attempt.status == 303 && m_request.method != "HEAD") {
                m_request.method = QByteArrayLiteral("GET");
                m_request.body.clear();
                removeHeader(m_request.headers, "Content-Length");
                removeHeader(m_request.headers, "Content-Type");
                removeHeader(m_request.headers, "Transfer-Encoding");
            }
            m_attempt.status = 0;
            m_attempt.reasonPhrase.clear();
            m_attempt.responseHeaders.clear();
            m_attempt.responseBody.clear();
            m_attempt.timeToFirstByteUs = -1;
            m_retried = false;
            startHop();
            return;
        }
    }
    finish();
}

void HttpExchange::fail(Attempt::Failure failure, const QString &reason)
{
    if (m_finished)
        return;
    if (m_parser && m_parser->headersComplete() && m_attempt.status == 0) {
        // Keep what did arrive (status and headers) next to the failure; the body is incomplete.
        m_attempt.status = m_parser->status();
        m_attempt.reasonPhrase = m_parser->reasonPhrase();
        m_attempt.responseHeaders = m_parser->headers();
    }
    closeSocket();
    m_attempt.failure = failure;
    m_attempt.error = reason;
    finish();
}

void HttpExchange::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    m_attempt.totalUs = elapsedUs();
    if (m_starting) // an immediate failure (a malformed request): never inside start()
        QMetaObject::invokeMethod(this, &HttpExchange::finished, Qt::QueuedConnection);
    else
        emit finished();
}

} // namespace hookbench
