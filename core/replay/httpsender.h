#pragma once

#include "capture/attempt.h"
#include "sendoptions.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

namespace hookbench {

class ConnectionPool;
class HttpExchange;

// Sends requests exactly as given and reports each outcome as an Attempt. Unlike
// QNetworkAccessManager it adds no header of its own (see requestwire.h for the only two it may
// derive: Host and Content-Length), keeps the header list's order, case and duplicates, sends
// custom methods and the body byte for byte, and never decompresses the answer. One HTTP/1.1
// request per connection at a time; idle connections are reused (keep-alive) unless disabled.
// Asynchronous and single-threaded: use it from the thread it lives in.
class HttpSender : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const Attempt &attempt)>;

    explicit HttpSender(QObject *parent = nullptr);
    ~HttpSender() override;

    // Starts sending `request`; returns a ticket. The outcome comes later, never inside send(), as
    // attemptFinished() and to `done` (dropped when `context` is destroyed first). The Attempt's
    // kind is Send; callers that replay or forward relabel it.
    quint64 send(
        const HttpRequest &request, const SendOptions &options = {}, QObject *context = nullptr, Done done = {});
    // Stops a send in flight: it finishes (later, never inside abort()) with Failure::Other and
    // `reason`. Returns false when the ticket is unknown or already finished.
    bool abort(quint64 ticket, const QString &reason = QStringLiteral("cancelled before a response arrived"));
    void abortAll(const QString &reason = QStringLiteral("cancelled before a response arrived"));

    int inFlight() const { return int(m_exchanges.size()); }
    // Keep-alive: how many idle connections are kept per origin (default 32; 0 disables reuse).
    void setMaxIdleConnectionsPerOrigin(int count);
    int idleConnections() const;
    void closeIdleConnections();

signals:
    void attemptFinished(quint64 ticket, const hookbench::Attempt &attempt);

private:
    struct Pending
    {
        HttpExchange *exchange = nullptr;
        QPointer<QObject> context;
        bool hasContext = false;
        Done done;
    };

    void onExchangeFinished(quint64 ticket);

    ConnectionPool *m_pool = nullptr;
    QHash<quint64, Pending> m_exchanges;
    quint64 m_nextTicket = 1;
};

} // namespace hookbench
