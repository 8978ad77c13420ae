#pragma once

#include "bytebudget.h"
#include "httpresponse.h"
#include "listenerconfig.h"
#include "listenerevent.h"
#include "requestframer.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <deque>
#include <optional>

namespace hookbench {

// The guard's record of one request Qt HttpServer parsed: what Qt 6.4 does not expose.
struct GuardedRequest
{
    quint64 ticket = 0; // pass back to ConnectionGuard::answer()
    qint64 arrivalUs = 0; // first byte, microseconds since the Unix epoch
    RequestHead head; // method and target as received, keep-alive, HEAD
    qint64 bodySize = 0;
    qint64 reservedBytes = 0; // held in the ByteBudget; the taker releases them
};

// Stands in front of Qt HttpServer on one connection. Its readyRead slot runs before Qt's and
// peeks at the same bytes, so it knows what Qt 6.4 doesn't tell (custom verb text, raw target,
// arrival time, remote port) and enforces what Qt 6.4 doesn't (sizes, header counts, timeouts,
// malformed input, Expect: 100-continue, pipelining order).
//
// How it stays in step with Qt: Qt 6.4 reads each readyRead's bytes as one request at a time —
// everything available while the request is incomplete, and exactly up to the end of a request
// it completes (it then calls the handler, which calls takeRequest()). So the bytes Qt has not
// read when our slot runs are the ones that were left after the last request Qt completed,
// which takeRequest() records. A request Qt would mis-parse is rejected here before Qt reads
// it: the guard disconnects Qt's slot and answers itself. The body size Qt reports is checked
// against the guard's count, so a disagreement is detected instead of misfiled.
//
// Answers leave in request order whatever order they are ready in. The guard is a child of its
// socket: when the client goes away, the guard and every pending answer go with it, and late
// answers find a null QPointer instead of a dangling socket.
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    ConnectionGuard(
        QTcpSocket *socket, QObject *httpServer, const ListenerLimits &limits, ByteBudget *budget, bool tls);
    ~ConnectionGuard() override;

    // Called from the request handler for the request Qt just parsed. nullopt when the guard
    // has no complete request of that body size waiting: Qt and the guard disagree.
    std::optional<GuardedRequest> takeRequest(qint64 bodySize);
    // The answer for a taken request, written once every earlier answer is out (without a body
    // for HEAD; with "Connection: close" when the connection ends after it).
    void answer(quint64 ticket, const HttpResponse &response);
    // Fault mode: close the connection instead of answering (when earlier answers are out).
    void closeWithoutAnswer(quint64 ticket);
    // Closes the connection at once (after an internal error).
    void abort();

    // Called by the listener's sweep timer with a monotonic clock in milliseconds.
    void checkTimeouts(qint64 nowMs);
    // Listener stopping: close as soon as every received request is answered.
    void beginShutdown();

    QTcpSocket *socket() const { return m_socket; }
    QString remoteAddress() const { return m_remoteAddress; }
    quint16 remotePort() const { return m_remotePort; }
    bool isTls() const { return m_tls; }

signals:
    void rejected(const hookbench::RejectedRequest &request);

private:
    struct Pending
    {
        quint64 ticket = 0;
        qint64 arrivalUs = 0;
        qint64 startedMs = 0;
        RequestHead head;
        bool headDone = false;
        bool complete = false;
        bool dispatched = false;
        qint64 bodySize = 0;
        qint64 reserved = 0;
        bool continueSent = false;
        bool answered = false;
        bool abandon = false; // close instead of writing `answer`
        bool closeAfter = false;
        bool rejection = false; // answered by the guard itself
        QByteArray answer;
    };

    void onReadyRead();
    void handleEvent(const FramerEvent &event, qint64 nowMs);
    void reject(int status, const QString &reason);
    void stopReading();
    void detachFromQt();
    void drain();
    void flush();
    void writeOut(const QByteArray &bytes);
    void closeGracefully();
    void startLingering();
    void halfClose();
    void onBytesWritten();
    void scheduleReplay();
    Pending *findTicket(quint64 ticket);
    Pending *receiving(); // the request being received, if any

    QPointer<QTcpSocket> m_socket;
    QPointer<QObject> m_httpServer;
    ListenerLimits m_limits;
    ByteBudget *m_budget;
    bool m_tls;
    QString m_remoteAddress;
    quint16 m_remotePort = 0;

    RequestFramer m_framer;
    QByteArray m_peekBuffer;
    QList<FramerEvent> m_events;
    std::deque<Pending> m_requests; // oldest unanswered first; the one being received last
    quint64 m_nextTicket = 0;
    int m_undispatched = 0; // complete requests Qt has not handed over yet
    qint64 m_unreadByQt = 0; // bytes Qt left in the socket after the last request it completed

    qint64 m_lastActivityMs = 0;
    // No further request is taken from this connection (an error answer is queued, the client
    // asked to close, or the listener is stopping).
    bool m_readingStopped = false;
    bool m_detached = false; // Qt's readyRead slot is disconnected; incoming bytes are discarded
    bool m_closing = false;
    bool m_lingering = false;
    bool m_halfClosed = false;
    qint64 m_closingSinceMs = 0;
    bool m_shuttingDown = false;
};

// A monotonic clock in milliseconds and the wall clock in microseconds, for the guard and tests.
qint64 monotonicMs();
qint64 wallClockUs();

} // namespace hookbench
