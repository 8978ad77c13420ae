#include "listener.h"

#include "connectionguard.h"
#include "guardedserver.h"
#include "tlsidentity.h"
#include "verdictdiagnoser.h"

#include "replay/requestwire.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QNetworkInterface>
#include <QSslConfiguration>
#include <QSslSocket>

#include <algorithm>
#include <utility>

namespace hookbench {

namespace {

QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

// The method text behind each of Qt's enum values; Qt 6.4 reports every other verb as Unknown.
bool methodMatches(QHttpServerRequest::Method method, const QByteArray &text)
{
    using Method = QHttpServerRequest::Method;
    static const QList<QPair<Method, QByteArray>> known {{Method::Get, "GET"}, {Method::Put, "PUT"},
        {Method::Delete, "DELETE"}, {Method::Post, "POST"}, {Method::Head, "HEAD"}, {Method::Options, "OPTIONS"},
        {Method::Patch, "PATCH"}, {Method::Connect, "CONNECT"}, {Method::Trace, "TRACE"}};
    if (method == Method::Unknown) {
        return text == "TRACE" // Unknown in some versions
            || std::none_of(known.cbegin(), known.cend(), [&](const auto &entry) { return entry.second == text; });
    }
    for (const auto &[value, name] : known) {
        if (method == value)
            return text == name;
    }
    return false;
}

QString listenErrorText(const QTcpServer &server, const QHostAddress &address, quint16 port)
{
    switch (server.serverError()) {
    case QAbstractSocket::AddressInUseError:
        return QStringLiteral("port %1 is already in use (another program, or another hookbench, listens there)")
            .arg(port);
    case QAbstractSocket::SocketAccessError:
        return QStringLiteral("permission denied (ports below 1024 need privileges)");
    case QAbstractSocket::SocketAddressNotAvailableError:
        return QStringLiteral("%1 is not an address of this machine").arg(address.toString());
    default:
        return server.errorString();
    }
}

// Forwarding to our own address and port would capture each forward and forward it again.
bool forwardsToItself(const QUrl &target, const QHostAddress &bound, quint16 port)
{
    if (effectivePort(target) != port)
        return false;
    const bool any = bound == QHostAddress(QHostAddress::Any) || bound == QHostAddress(QHostAddress::AnyIPv4)
        || bound == QHostAddress(QHostAddress::AnyIPv6);
    const QString host = target.host();
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return any || bound.isLoopback();
    const QHostAddress address(host);
    if (address.isNull())
        return false; // a name: not resolved here
    if (address == bound || (address.isLoopback() && bound.isLoopback()))
        return true;
    return any && (address.isLoopback() || QNetworkInterface::allAddresses().contains(address));
}

} // namespace

// A request between its verification and its commit (its diagnosis may run in between).
struct PendingCapture
{
    Capture capture;
    ListenerEvent event;
    ResponseDecision decision;
    QPointer<ConnectionGuard> guard;
    quint64 ticket = 0;
    qint64 reservedBytes = 0;
    // Kept alive until the answer is written (QHttpServerResponder in later Qt versions reports
    // its destruction to the connection); in 6.4 it holds a raw socket pointer, so it is never
    // used after the handler: answers go through the guard, which dies with the socket.
    std::shared_ptr<QHttpServerResponder> responder;
};

Listener::Listener(ListenerConfig config, CaptureSink *sink, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_sink(sink)
    , m_policy(m_config.response, m_config.faults)
    , m_budget(m_config.limits.maxBufferedBytes)
{
    m_config.limits.maxHeaderCount = std::clamp(m_config.limits.maxHeaderCount, 1, 100);
    m_config.limits.maxHeaderBytes = std::clamp(m_config.limits.maxHeaderBytes, 256, 64 * 1024);
    const int shortest
        = std::min({m_config.limits.idleTimeoutMs, m_config.limits.requestTimeoutMs, m_config.limits.lingerMs});
    m_sweep.setInterval(std::clamp(shortest / 4, 10, 250));
    connect(&m_sweep, &QTimer::timeout, this, &Listener::sweep);
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, &Listener::forceStop);
    m_clock.start();
    m_diagnoser = new VerdictDiagnoser(m_config.diagnosis, this);
    if (m_config.forward.isEnabled()) {
        m_forwarder = new CaptureForwarder(m_config.forward, m_sink, this);
        connect(m_forwarder, &CaptureForwarder::idle, this, [this] {
            if (m_state == State::Stopping)
                QMetaObject::invokeMethod(this, &Listener::checkStopped, Qt::QueuedConnection);
        });
    }
}

Listener::~Listener()
{
    m_sweep.stop();
    // Captures parsed but not yet handed over are still stored (their answers are dropped with
    // this listener), as they would be had they been submitted one by one.
    submitWave();
    // Sockets and guards go first, while everything they report to still exists.
    delete m_http;
    m_http = nullptr;
}

void Listener::setVerificationProfile(VerificationProfile profile)
{
    m_profile = std::move(profile);
}

void Listener::setCaptureDecorator(std::function<void(Capture &)> decorator)
{
    m_decorator = std::move(decorator);
}

QString Listener::url() const
{
    return QStringLiteral("%1://%2").arg(
        isTls() ? QStringLiteral("https") : QStringLiteral("http"), hostPort(m_config.address, m_port));
}

QString Listener::exposureWarning() const
{
    if (m_config.address.isLoopback())
        return {};
    const bool any = m_config.address == QHostAddress(QHostAddress::Any)
        || m_config.address == QHostAddress(QHostAddress::AnyIPv4)
        || m_config.address == QHostAddress(QHostAddress::AnyIPv6);
    return QStringLiteral("listening on %1, which %2 can reach: anyone who can connect can send requests "
                          "that will be captured")
        .arg(hostPort(m_config.address, m_port),
            any ? QStringLiteral("every machine on your networks") : QStringLiteral("other machines"));
}

bool Listener::start()
{
    if (m_state == State::Listening || m_state == State::Stopping)
        return m_state == State::Listening;
    m_lastError.clear();
    if (m_forwarder) {
        const QUrl &target = m_config.forward.target;
        const QString scheme = target.scheme().toLower();
        if (!target.isValid() || (scheme != u"http" && scheme != u"https") || target.host().isEmpty()) {
            fail(QStringLiteral("can't forward to \"%1\": an http:// or https:// URL with a host is needed")
                     .arg(target.toString(QUrl::RemoveUserInfo)));
            return false;
        }
    }

    QSslConfiguration tls;
    if (m_config.tls.enabled) {
        if (m_config.tls.certificate.isNull() || m_config.tls.privateKey.isNull()) {
            QStringList hosts {QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
            if (!m_config.address.isLoopback() && m_config.address != QHostAddress(QHostAddress::Any)
                && m_config.address != QHostAddress(QHostAddress::AnyIPv4)
                && m_config.address != QHostAddress(QHostAddress::AnyIPv6))
                hosts.append(m_config.address.toString());
            QString error;
            const auto identity = TlsIdentity::generateSelfSigned(hosts, &error);
            if (!identity) {
                fail(QStringLiteral("can't create a self-signed certificate: %1").arg(error));
                return false;
            }
            m_config.tls.certificate = identity->certificate;
            m_config.tls.privateKey = identity->privateKey;
        }
        m_certificate = m_config.tls.certificate;
        m_fingerprint = sha256Fingerprint(m_certificate);
        tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(m_config.tls.certificate);
        tls.setPrivateKey(m_config.tls.privateKey);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }

    m_http = new QHttpServer(this);
    m_http->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        handleRequest(request, std::move(responder));
    });
    ConnectionHooks hooks;
    hooks.admit = [this] { return m_state == State::Listening && m_guards.size() < m_config.limits.maxConnections; };
    hooks.attach = [this](QTcpSocket *socket, bool isTls) { attach(socket, isTls); };
    QTcpServer *server = nullptr;
    if (m_config.tls.enabled) {
        auto *sslServer = new GuardedSslServer(std::move(hooks));
        sslServer->setSslConfiguration(tls);
        sslServer->setHandshakeTimeout(m_config.limits.idleTimeoutMs);
        server = sslServer;
    } else {
        server = new GuardedTcpServer(std::move(hooks));
    }
    if (!server->listen(m_config.address, m_config.port)) {
        const QString reason = listenErrorText(*server, m_config.address, m_config.port);
        delete server;
        delete m_http;
        m_http = nullptr;
        fail(QStringLiteral("can't listen on %1: %2").arg(hostPort(m_config.address, m_config.port), reason));
        return false;
    }
    if (m_forwarder && forwardsToItself(m_config.forward.target, m_config.address, server->serverPort())) {
        const QString where = hostPort(m_config.address, server->serverPort());
        delete server;
        delete m_http;
        m_http = nullptr;
        fail(QStringLiteral("can't forward to %1: that is this listener's own address (%2), so every forward "
                            "would be captured and forwarded again")
                 .arg(m_config.forward.target.toString(QUrl::RemoveUserInfo), where));
        return false;
    }
    m_http->bind(server); // takes ownership
    m_server = server;
    m_port = server->serverPort();
    m_name = m_config.name.isEmpty() ? hostPort(m_config.address, m_port) : m_config.name;
    m_sweep.start();
    setState(State::Listening);
    emit listening(url());
    const QString warning = exposureWarning();
    if (!warning.isEmpty())
        emit exposed(warning);
    return true;
}

void Listener::stop()
{
    if (m_state != State::Listening) {
        if (m_state != State::Stopping)
            emit stopped();
        return;
    }
    setState(State::Stopping);
    if (m_server)
        m_server->close(); // no new connections; open ones finish below
    const QList<ConnectionGuard *> guards = m_guards.values();
    for (ConnectionGuard *guard : guards)
        guard->beginShutdown();
    m_stopTimer.start(m_config.limits.stopTimeoutMs);
    QMetaObject::invokeMethod(this, &Listener::checkStopped, Qt::QueuedConnection);
}

void Listener::forceStop()
{
    if (m_state != State::Stopping)
        return;
    const QList<ConnectionGuard *> guards = m_guards.values();
    for (ConnectionGuard *guard : guards)
        guard->abort();
    m_guards.clear();
    m_pendingCommits = 0;
    // Each forward still ends as a recorded (failed) attempt; stopped() follows the last one.
    if (m_forwarder)
        m_forwarder->abortAll(QStringLiteral("the listener stopped before the forward finished"));
    checkStopped();
}

void Listener::checkStopped()
{
    if (m_state != State::Stopping || m_pendingCommits > 0 || !m_guards.isEmpty()
        || (m_forwarder && m_forwarder->pending() > 0))
        return;
    m_stopTimer.stop();
    m_sweep.stop();
    // Never called from inside a socket's signal (only from timers and queued calls), so the
    // server and its sockets can go now.
    delete m_http;
    m_http = nullptr;
    setState(State::Stopped);
    emit stopped();
}

void Listener::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void Listener::fail(const QString &message)
{
    m_lastError = message;
    setState(State::Failed);
    emit errorOccurred(message);
}

void Listener::attach(QTcpSocket *socket, bool tls)
{
    auto *guard = new ConnectionGuard(socket, m_http, m_config.limits, &m_budget, tls);
    m_guards.insert(socket, guard);
    m_statsDirty = true;
    connect(guard, &ConnectionGuard::rejected, this, [this](const RejectedRequest &request) {
        ++m_stats.rejected;
        m_statsDirty = true;
        emit requestRejected(request);
    });
    // Destroyed with its socket, possibly inside Qt's own clean-up: only bookkeeping here.
    connect(guard, &QObject::destroyed, this, [this, socket] {
        m_guards.remove(socket);
        m_statsDirty = true;
        if (m_state == State::Stopping)
            QMetaObject::invokeMethod(this, &Listener::checkStopped, Qt::QueuedConnection);
    });
    if (m_state == State::Stopping)
        guard->beginShutdown();
}

void Listener::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QTcpSocket *socket = responder.socket();
    ConnectionGuard *guard = m_guards.value(socket);
    const QByteArray body = request.body();
    std::optional<GuardedRequest> taken = guard ? guard->takeRequest(body.size()) : std::nullopt;
    if (!taken || !methodMatches(request.method(), taken->head.method)) {
        // Qt and the guard disagree about this connection's requests. Never seen with the
        // framer's rules; if it happens, nothing on this connection can be trusted.
        if (taken)
            m_budget.release(taken->reservedBytes);
        const QString message = QStringLiteral("internal error: request framing disagreement on a connection from %1; "
                                               "connection closed")
                                    .arg(guard ? guard->remoteAddress() : request.remoteAddress().toString());
        m_lastError = message;
        emit errorOccurred(message);
        if (guard)
            guard->abort();
        else if (socket)
            socket->abort();
        return;
    }

    Capture capture;
    capture.receivedAtUs = taken->arrivalUs;
    capture.method = taken->head.method;
    capture.target = taken->head.target;
    const auto headers = request.headers();
    capture.headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        capture.headers.append({name, value});
    capture.body = body;
    capture.remoteAddress = guard->remoteAddress();
    capture.remotePort = guard->remotePort();
    capture.tls = guard->isTls();
    capture.listener = m_name;

    ListenerEvent event;
    const qint64 nowSeconds = taken->arrivalUs / 1000000;
    event.verification = m_profile.check(capture.headers, capture.body, nowSeconds);
    capture.scheme = event.verification.scheme;
    capture.verdict = event.verification.verdict;
    capture.verdictReason = event.verification.reason;

    const ResponseDecision decision = m_policy.decide(capture.body);
    // In proxy mode the answer is the target's, known later; 0 until then ("not answered").
    const bool proxy = m_forwarder && m_config.forward.mode == ForwardConfig::Mode::Proxy;
    capture.responseStatus = decision.closeWithoutAnswer || proxy ? 0 : decision.response.status;
    event.fault = proxy ? QString() : decision.fault;
    if (m_decorator)
        m_decorator(capture);

    PendingCapture pending {std::move(capture), std::move(event), decision, QPointer<ConnectionGuard>(guard),
        taken->ticket, taken->reservedBytes, std::make_shared<QHttpServerResponder>(std::move(responder))};
    ++m_pendingCommits; // the diagnosis, then the commit
    if (VerdictDiagnoser::wanted(m_profile, pending.event.verification)) {
        auto waiting = std::make_shared<PendingCapture>(std::move(pending));
        const bool started = m_diagnoser->diagnose(m_profile, waiting->event.verification, waiting->capture.headers,
            waiting->capture.body, nowSeconds, [this, waiting](const QList<DiagnosisFinding> &findings) {
                waiting->event.diagnosis = findings;
                waiting->capture.verdictReason = reasonWithDiagnosis(waiting->capture.verdictReason, findings);
                submitCapture(std::move(*waiting));
            });
        if (started)
            return;
        pending = std::move(*waiting);
        pending.event.diagnosisSkipped = true;
        pending.capture.verdictReason = reasonWithoutDiagnosis(pending.capture.verdictReason);
    }
    submitCapture(std::move(pending));
}

void Listener::submitCapture(PendingCapture pending)
{
    pending.event.capture = pending.capture; // shares the body's bytes
    // Batches follow the event loop instead of a timer: every capture parsed while handling the
    // sockets one poll reported waits here, and one queued call (posted events run before the
    // next poll) hands them all to the sink at once, so they share one transaction while the
    // writer commits the previous wave. A lone request is handed over right after its pass.
    if (m_wave.isEmpty())
        QMetaObject::invokeMethod(this, &Listener::submitWave, Qt::QueuedConnection);
    m_wave.append({std::move(pending.capture), this,
        [this, guard = pending.guard, ticket = pending.ticket, decision = std::move(pending.decision),
            event = std::move(pending.event), reserved = pending.reservedBytes,
            responder = std::move(pending.responder)](qint64 id, const QString &error) mutable {
            finishRequest(guard, ticket, decision, std::move(event), reserved, id, error);
            responder.reset();
        }});
}

void Listener::submitWave()
{
    if (m_wave.isEmpty())
        return;
    m_sink->submitBatch(std::exchange(m_wave, {}));
}

void Listener::finishRequest(QPointer<ConnectionGuard> guard, quint64 ticket, const ResponseDecision &decision,
    ListenerEvent event, qint64 reservedBytes, qint64 id, const QString &error)
{
    m_pendingCommits = qMax(0, m_pendingCommits - 1);
    m_budget.release(reservedBytes);
    m_statsDirty = true;
    event.capture.id = id;

    if (id <= 0 || !error.isEmpty()) {
        ++m_stats.storeErrors;
        event.storeError = error.isEmpty() ? QStringLiteral("the store gave no id") : error;
        event.answeredStatus = 503;
        event.capture.responseStatus = 503;
        const QString message = QStringLiteral("capture not stored: %1").arg(event.storeError);
        m_lastError = message;
        emit errorOccurred(message);
        emit requestHandled(event);
        if (guard) {
            HttpResponse response;
            response.status = 503;
            response.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                {QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")}};
            response.body = jsonErrorBody(message);
            guard->answer(ticket, response);
        }
        checkStopped();
        return;
    }

    ++m_stats.captured;
    recordCapture();
    // A commit that lands after a forced stop is not forwarded any more: nobody waits for it.
    const bool forwarding = m_forwarder && (m_state == State::Listening || m_state == State::Stopping);
    if (forwarding && m_config.forward.mode == ForwardConfig::Mode::Proxy) {
        proxyAnswer(guard, ticket, std::move(event));
        return;
    }
    event.answeredStatus = decision.closeWithoutAnswer ? 0 : decision.response.status;
    emit requestHandled(event);
    if (forwarding)
        m_forwarder->forward(event.capture, false, [this](const ForwardEvent &forward) { emit forwarded(forward); });

    if (decision.delayMs > 0 && guard) {
        ++m_pendingCommits; // the delayed answer counts as pending work for stop()
        QTimer::singleShot(decision.delayMs, this, [this, guard, ticket, decision] {
            m_pendingCommits = qMax(0, m_pendingCommits - 1);
            if (guard) {
                if (decision.closeWithoutAnswer)
                    guard->closeWithoutAnswer(ticket);
                else
                    guard->answer(ticket, decision.response);
            }
            checkStopped();
        });
        return;
    }
    if (guard) {
        if (decision.closeWithoutAnswer)
            guard->closeWithoutAnswer(ticket);
        else
            guard->answer(ticket, decision.response);
    }
    checkStopped();
}

void Listener::proxyAnswer(QPointer<ConnectionGuard> guard, quint64 ticket, ListenerEvent event)
{
    ++m_pendingCommits; // the forward and its records, then the answer
    const Capture capture = event.capture; // shares its bytes; `event` moves into the callback
    m_forwarder->forward(capture, true, [this, guard, ticket, event = std::move(event)](const ForwardEvent &result) {
        m_pendingCommits = qMax(0, m_pendingCommits - 1);
        const HttpResponse response = proxyResponse(result);
        ListenerEvent handled = event;
        handled.answeredStatus = response.status;
        handled.capture.responseStatus = response.status;
        ForwardEvent forward = result;
        forward.answeredStatus = response.status;
        emit requestHandled(handled);
        emit forwarded(forward);
        if (guard)
            guard->answer(ticket, response);
        checkStopped();
    });
}

void Listener::sweep()
{
    const qint64 now = monotonicMs();
    const QList<ConnectionGuard *> guards = m_guards.values();
    for (ConnectionGuard *guard : guards) {
        // A guard may have been destroyed by an earlier one's timeout handling.
        if (m_guards.contains(guard->socket()))
            guard->checkTimeouts(now);
    }
    if (m_statsDirty) {
        m_statsDirty = false;
        emit statsChanged(stats());
    }
}

void Listener::recordCapture()
{
    const qint64 second = m_clock.elapsed() / 1000;
    if (second != m_rateSecond) {
        for (qint64 s = m_rateSecond + 1; s <= second && s <= m_rateSecond + qint64(m_rateBuckets.size()); ++s)
            m_rateBuckets[size_t(s % qint64(m_rateBuckets.size()))] = 0;
        m_rateSecond = second;
    }
    ++m_rateBuckets[size_t(second % qint64(m_rateBuckets.size()))];
}

ListenerStats Listener::stats() const
{
    ListenerStats stats = m_stats;
    stats.connections = int(m_guards.size());
    stats.bufferedBytes = m_budget.used();
    // The last five whole seconds.
    const qint64 now = m_clock.elapsed() / 1000;
    const qint64 window = qint64(m_rateBuckets.size()) - 1;
    qint64 total = 0;
    for (qint64 s = now - window; s < now; ++s) {
        if (s < 0 || s > m_rateSecond || m_rateSecond - s >= qint64(m_rateBuckets.size()))
            continue;
        total += m_rateBuckets[size_t(s % qint64(m_rateBuckets.size()))];
    }
    stats.capturesPerSecond = double(total) / double(window);
    return stats;
}

} // namespace hookbench
