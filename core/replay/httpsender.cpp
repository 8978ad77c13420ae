#include "httpsender.h"

#include "connectionpool.h"
#include "httpexchange.h"

namespace hookbench {

HttpSender::HttpSender(QObject *parent) : QObject(parent), m_pool(new ConnectionPool(this))
{ }

HttpSender::~HttpSender()
{
    // Exchanges are children; their callbacks must not run against a half-destroyed sender.
    for (const Pending &pending : std::as_const(m_exchanges))
        disconnect(pending.exchange, nullptr, this, nullptr);
}

quint64 HttpSender::send(const HttpRequest &request, const SendOptions &options, QObject *context, Done done)
{
    const quint64 ticket = m_nextTicket++;
    auto *exchange = new HttpExchange(request, options, m_pool, this);
    m_exchanges.insert(ticket, {exchange, context, context != nullptr, std::move(done)});
    connect(exchange, &HttpExchange::finished, this, [this, ticket] { onExchangeFinished(ticket); });
    // Connecting and sending are asynchronous; an immediate failure (a malformed URL) is reported
    // on the next turn by the exchange, so `done` never runs before send() has returned.
    exchange->start();
    return ticket;
}

bool HttpSender::abort(quint64 ticket, const QString &reason)
{
    const auto it = m_exchanges.constFind(ticket);
    if (it == m_exchanges.cend() || it->exchange->isFinished())
        return false;
    QPointer<HttpExchange> exchange = it->exchange;
    QMetaObject::invokeMethod(
        this,
        [exchange, reason] {
            if (exchange)
                exchange->abort(reason);
        },
        Qt::QueuedConnection);
    return true;
}

void HttpSender::abortAll(const QString &reason)
{
    const QList<quint64> tickets = m_exchanges.keys();
    for (const quint64 ticket : tickets)
        abort(ticket, reason);
}

void HttpSender::onExchangeFinished(quint64 ticket)
{
    const auto it = m_exchanges.find(ticket);
    if (it == m_exchanges.end())
        return;
    Pending pending = std::move(it.value());
    m_exchanges.erase(it);
    const Attempt attempt = pending.exchange->takeAttempt();
    pending.exchange->deleteLater();

    QPointer<HttpSender> self(this);
    if (pending.done && (!pending.hasContext || pending.context))
        pending.done(attempt);
    if (self)
        emit attemptFinished(ticket, attempt);
}

void HttpSender::setMaxIdleConnectionsPerOrigin(int count)
{
    m_pool->setMaxIdlePerOrigin(std::max(0, count));
    if (count <= 0)
        m_pool->clear();
}

int HttpSender::idleConnections() const
{
    return m_pool->idleCount();
}

void HttpSender::closeIdleConnections()
{
    m_pool->clear();
}

} // namespace hookbench
