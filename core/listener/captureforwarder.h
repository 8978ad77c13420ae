#pragma once

#include "forwardconfig.h"
#include "httpresponse.h"

#include "capture/attempt.h"
#include "capture/capture.h"
#include "capture/capturesink.h"

#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QQueue>

#include <functional>
#include <memory>

namespace hookbench {

class HttpSender;

// What became of forwarding one capture.
struct ForwardEvent
{
    qint64 captureId = 0;
    // Kind Forward, captureId set: the request as sent (re-signed when asked) and the target's
    // answer, or the failure (refused, timeout, TLS, queue full, ...).
    Attempt attempt;
    qint64 attemptId = 0; // 0 when the attempt could not be stored
    QString storeError; // why the attempt (or, in proxy mode, the capture's status) wasn't stored
    bool queueFull = false; // not sent: the forward queue was full
    int answeredStatus = 0; // proxy mode: what the sender was answered; 0 otherwise
};

// Forward mode's sending side: sends stored captures to the configured target through its own
// HttpSender, at most maxInFlight at once with a bounded queue behind them, and records every
// outcome as an Attempt through the capture sink. It knows nothing of the sender's connection:
// the listener decides what to answer (see proxyResponse()).
class CaptureForwarder : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const ForwardEvent &event)>;

    // `sink` must outlive the forwarder.
    CaptureForwarder(ForwardConfig config, CaptureSink *sink, QObject *parent = nullptr);
    ~CaptureForwarder() override;

    const ForwardConfig &config() const { return m_config; }

    // Forwards a stored capture (capture.id set): sent now when fewer than maxInFlight are in
    // flight, else queued; when the queue is full it is not sent and a failed attempt says so
    // (its request without the body, which is the capture's).
    // The attempt is stored through the sink; with `recordStatus` (proxy mode) the capture's
    // response status is then set to proxyStatus() too. `done` runs once those writes are done,
    // never inside forward().
    void forward(const Capture &capture, bool recordStatus, Done done);

    // Queued forwards fail at once with `reason`; those in flight finish with it soon after.
    void abortAll(const QString &reason);

    int inFlight() const { return int(m_inFlight.size()); }
    int queued() const { return int(m_queue.size()); }
    qint64 queuedBytes() const { return m_queuedBytes; }
    int peakQueued() const { return m_peakQueued; }
    // Forwards not done yet: queued, in flight, or being recorded.
    int pending() const { return int(m_queue.size() + m_inFlight.size()) + m_recording; }

signals:
    void idle(); // pending() dropped to 0

private:
    struct Job
    {
        qint64 captureId = 0;
        HttpRequest request;
        bool recordStatus = false;
        Done done;
    };

    void start(Job job);
    void startQueued();
    void onFinished(quint64 ticket, const hookbench::Attempt &attempt);
    void record(Job job, Attempt attempt, bool queueFull);
    void fail(Job job, const QString &reason, bool queueFull);
    void recordingDone();

    ForwardConfig m_config;
    CaptureSink *m_sink;
    HttpSender *m_sender;
    QQueue<Job> m_queue;
    qint64 m_queuedBytes = 0;
    int m_peakQueued = 0;
    QHash<quint64, Job> m_inFlight; // by the sender's ticket
    int m_recording = 0;
};

// The status the sender gets in proxy mode: the target's; 504 when it timed out; 503 when the
// forward queue was full; 502 for every other failure (refused, TLS, bad answer).
int proxyStatus(const Attempt &attempt, bool queueFull);
// The whole answer in proxy mode: the target's status, headers (less hop-by-hop ones; the
// listener frames the body itself) and body; or, when the target failed, proxyStatus() with a
// one-line JSON reason.
HttpResponse proxyResponse(const ForwardEvent &event);

} // namespace hookbench

Q_DECLARE_METATYPE(hookbench::ForwardEvent)
