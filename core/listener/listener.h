#pragma once

#include "bytebudget.h"
#include "captureforwarder.h"
#include "listenerconfig.h"
#include "listenerevent.h"
#include "responsepolicy.h"
#include "verificationprofile.h"

#include "capture/capturesink.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <array>
#include <functional>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

namespace hookbench {

class ConnectionGuard;
class VerdictDiagnoser;
struct PendingCapture;

struct ListenerStats
{
    qint64 captured = 0; // stored and answered (or closed, in fault mode)
    qint64 rejected = 0; // refused by the guard before capture (413, 431, 400, 408, ...)
    qint64 storeErrors = 0; // received but not stored (answered 503)
    int connections = 0; // open now
    qint64 bufferedBytes = 0; // body bytes held now
    double capturesPerSecond = 0; // over the last few seconds
};

// One capture endpoint: an embedded Qt HttpServer that captures every request byte-exactly,
// checks its signature, stores it through a CaptureSink and answers only once it is stored.
// Qt HttpServer 6.4 parses requests and hands them over; everything it lacks (limits,
// timeouts, custom verbs, raw targets, remote ports, 100-continue, safe late answers) is done
// by a ConnectionGuard in front of each connection. Those workarounds live in this directory
// only, so they can go when Qt is upgraded.
//
// Invalid and unsigned captures are diagnosed off this thread before they are stored (the
// stored reason names the likeliest cause). With forward mode on (config.forward), every stored
// capture is also sent to a target; in proxy mode the sender gets the target's answer.
class Listener : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Listening, Stopping, Failed };
    Q_ENUM(State)

    // `sink` must outlive the listener (or be removed by destroying the listener first).
    Listener(ListenerConfig config, CaptureSink *sink, QObject *parent = nullptr);
    ~Listener() override;

    void setVerificationProfile(VerificationProfile profile);
    const VerificationProfile &verificationProfile() const { return m_profile; }
    // Runs on each capture before it is stored (e.g. to fill the dbt Cloud fields).
    void setCaptureDecorator(std::function<void(Capture &)> decorator);

    // Binds and starts accepting. False (and errorOccurred) when the address can't be used.
    bool start();
    // Stops accepting, finishes pending commits and answers (up to limits.stopTimeoutMs),
    // closes every connection, then emits stopped().
    void stop();

    State state() const { return m_state; }
    const ListenerConfig &config() const { return m_config; }
    QHostAddress address() const { return m_config.address; }
    quint16 port() const { return m_port; } // the bound port (the free one picked for port 0)
    QString name() const { return m_name; }
    QString url() const; // "http://127.0.0.1:5000"
    bool isTls() const { return m_config.tls.enabled; }
    QString certificateFingerprint() const { return m_fingerprint; } // SHA-256, TLS only
    QSslCertificate certificate() const { return m_certificate; }
    // Non-empty when the listener is reachable from other machines.
    QString exposureWarning() const;
    QString lastError() const { return m_lastError; }
    ListenerStats stats() const;
    // Forward mode's queue and counters; null when forward mode is off.
    const CaptureForwarder *forwarder() const { return m_forwarder; }
    const VerdictDiagnoser *diagnoser() const { return m_diagnoser; }

signals:
    void stateChanged(hookbench::Listener::State state);
    void listening(const QString &url);
    void exposed(const QString &warning);
    void errorOccurred(const QString &message);
    void requestHandled(const hookbench::ListenerEvent &event);
    void requestRejected(const hookbench::RejectedRequest &request);
    // Forward mode: a capture's forward is done and recorded. Always after the capture's
    // requestHandled() (in proxy mode, right after it).
    void forwarded(const hookbench::ForwardEvent &event);
    void statsChanged(const hookbench::ListenerStats &stats);
    void stopped();

private:
    void handleRequest(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void submitCapture(PendingCapture pending);
    void submitWave();
    void proxyAnswer(QPointer<ConnectionGuard> guard, quint64 ticket, ListenerEvent event);
    void finishRequest(QPointer<ConnectionGuard> guard, quint64 ticket, const ResponseDecision &decision,
        ListenerEvent event, qint64 reservedBytes, qint64 id, const QString &error);
    void attach(QTcpSocket *socket, bool tls);
    void sweep();
    void setState(State state);
    void fail(const QString &message);
    void checkStopped();
    void forceStop();
    void recordCapture();

    ListenerConfig m_config;
    CaptureSink *m_sink;
    VerificationProfile m_profile;
    ResponsePolicy m_policy;
    ByteBudget m_budget;
    std::function<void(Capture &)> m_decorator;
    VerdictDiagnoser *m_diagnoser = nullptr;
    CaptureForwarder *m_forwarder = nullptr; // null unless forward mode is on

    QHttpServer *m_http = nullptr;
    QPointer<QTcpServer> m_server;
    QHash<QTcpSocket *, ConnectionGuard *> m_guards;
    QTimer m_sweep;
    QTimer m_stopTimer;
    State m_state = State::Stopped;
    quint16 m_port = 0;
    QString m_name;
    QString m_fingerprint;
    QSslCertificate m_certificate;
    QString m_lastError;
    int m_pendingCommits = 0;
    // Captures parsed during the current event-loop pass, handed to the sink together when the
    // pass ends (see submitCapture()).
    QList<CaptureSink::Submission> m_wave;

    ListenerStats m_stats;
    bool m_statsDirty = false;
    // Captures per second: one bucket per second for the last few seconds.
    QElapsedTimer m_clock;
    std::array<qint64, 6> m_rateBuckets {};
    qint64 m_rateSecond = 0;
};

} // namespace hookbench

Q_DECLARE_METATYPE(hookbench::ListenerStats)
