#pragma once

#include "capture/attempt.h"
#include "httpresponseparser.h"
#include "sendoptions.h"

#include <QAbstractSocket>
#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslError>

#include <optional>

class QTcpSocket;

namespace hookbench {

class ConnectionPool;

// One request and its response over one HTTP/1.1 connection (fresh or reused from the pool),
// following redirects when asked. HttpSender's worker: it fills an Attempt and says finished()
// exactly once.
class HttpExchange : public QObject
{
    Q_OBJECT

public:
    HttpExchange(
        const HttpRequest &request, const SendOptions &options, ConnectionPool *pool, QObject *parent = nullptr);
    ~HttpExchange() override;

    void start();
    // Stops the exchange; it finishes with Failure::Other and `reason`.
    void abort(const QString &reason);

    const Attempt &attempt() const { return m_attempt; }
    Attempt takeAttempt() { return std::move(m_attempt); }
    bool isFinished() const { return m_finished; }
    bool reusedConnection() const { return m_reusedAny; }

signals:
    void finished();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Phase { Connecting, Handshaking, Waiting, Reading };

    void startHop();
    void openConnection();
    void attach(QTcpSocket *socket);
    void detach();
    void writeRequest();
    void onReadyRead();
    void onClosed();
    void onSocketError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void onTimeout();
    void onResponseComplete();
    bool retryOnFreshConnection();
    void fail(Attempt::Failure failure, const QString &reason);
    void finish();
    void closeSocket();
    QString peer() const;
    qint64 elapsedUs() const { return m_clock.nsecsElapsed() / 1000; }

    HttpRequest m_request; // the current hop
    SendOptions m_options;
    ConnectionPool *m_pool = nullptr;
    QString m_poolKey;
    QTcpSocket *m_socket = nullptr;
    bool m_reused = false; // the current connection came from the pool
    bool m_reusedAny = false;
    bool m_retried = false;
    Phase m_phase = Phase::Connecting;
    std::optional<HttpResponseParser> m_parser;
    QByteArray m_wire;
    QElapsedTimer m_clock;
    QBasicTimer m_timer; // the deadline; lighter than a QTimer, one per request
    int m_hops = 0;
    QString m_tlsProblem;
    Attempt m_attempt;
    bool m_finished = false;
    bool m_starting = false; // inside start(): a finish now is reported on the next turn
};

} // namespace hookbench
