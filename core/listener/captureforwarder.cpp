#include "captureforwarder.h"

#include "replay/capturerequest.h"
#include "replay/httpsender.h"

#include <chrono>

namespace hookbench {

namespace {

qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

CaptureForwarder::CaptureForwarder(ForwardConfig config, CaptureSink *sink, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_sink(sink), m_sender(new HttpSender(this))
{
    m_config.maxInFlight = std::max(1, m_config.maxInFlight);
    m_config.maxQueued = std::max(0, m_config.maxQueued);
    connect(m_sender, &HttpSender::attemptFinished, this, &CaptureForwarder::onFinished);
}

CaptureForwarder::~CaptureForwarder() = default;

void CaptureForwarder::forward(const Capture &capture, bool recordStatus, Done done)
{
    Job job {capture.id, requestFromCapture(capture, m_config.target), recordStatus, std::move(done)};
    if (m_inFlight.size() < m_config.maxInFlight && m_queue.isEmpty()) {
        start(std::move(job));
        return;
    }
    const qint64 size = job.request.body.size();
    const bool full = m_queue.size() >= m_config.maxQueued
        || (!m_queue.isEmpty() && m_queuedBytes + size > m_config.maxQueuedBytes);
    if (full) {
        const QString reason = QStringLiteral("not forwarded: the forward queue is full (%1 waiting, %2 in flight)")
                                   .arg(m_queue.size())
                                   .arg(m_inFlight.size());
        fail(std::move(job), reason, true);
        return;
    }
    m_queuedBytes += size;
    m_queue.enqueue(std::move(job));
    m_peakQueued = std::max(m_peakQueued, int(m_queue.size()));
}

void CaptureForwarder::start(Job job)
{
    if (m_config.resigner) {
        QString problem;
        if (!m_config.resigner->resign(job.request, &problem)) {
            fail(std::move(job), QStringLiteral("not forwarded: %1").arg(problem), false);
            return;
        }
    }
    const quint64 ticket = m_sender->send(job.request, m_config.send);
    m_inFlight.insert(ticket, std::move(job)); // the outcome never comes inside send()
}

void CaptureForwarder::onFinished(quint64 ticket, const Attempt &attempt)
{
    const auto it = m_inFlight.find(ticket);
    if (it == m_inFlight.end())
        return;
    Job job = std::move(it.value());
    m_inFlight.erase(it);
    record(std::move(job), attempt, false);
    startQueued();
}

void CaptureForwarder::startQueued()
{
    while (m_inFlight.size() < m_config.maxInFlight && !m_queue.isEmpty()) {
        Job job = m_queue.dequeue();
        m_queuedBytes -= job.request.body.size();
        start(std::move(job));
    }
}

void CaptureForwarder::fail(Job job, const QString &reason, bool queueFull)
{
    Attempt attempt;
    attempt.request = job.request;
    // Nothing was sent, and the bytes are the capture's: a flood of refusals must not store a
    // copy of each body with its attempt.
    attempt.request.body.clear();
    attempt.startedAtUs = nowUs();
    attempt.failure = Attempt::Failure::Other;
    attempt.error = reason;
    ++m_recording; // reported on the next turn, like one that was sent
    QMetaObject::invokeMethod(
        this,
        [this, job = std::move(job), attempt = std::move(attempt), queueFull]() mutable {
            --m_recording;
            record(std::move(job), std::move(attempt), queueFull);
        },
        Qt::QueuedConnection);
}

void CaptureForwarder::record(Job job, Attempt attempt, bool queueFull)
{
    attempt.kind = Attempt::Kind::Forward;
    attempt.captureId = job.captureId;

    struct Recording
    {
        ForwardEvent event;
        int writesLeft = 0;
        Done done;
    };
    auto recording = std::make_shared<Recording>();
    recording->event.captureId = job.captureId;
    recording->event.queueFull = queueFull;
    recording->event.attempt = attempt;
    recording->done = std::move(job.done);
    ++m_recording;
    if (!m_sink) {
        recording->event.storeError = QStringLiteral("no store");
        QMetaObject::invokeMethod(
            this,
            [this, recording] {
                if (recording->done)
                    recording->done(recording->event);
                recordingDone();
            },
            Qt::QueuedConnection);
        return;
    }

    const auto written = [this, recording] {
        if (--recording->writesLeft > 0)
            return;
        if (recording->done)
            recording->done(recording->event);
        recordingDone();
    };
    recording->writesLeft = job.recordStatus ? 2 : 1;
    // The sink applies writes in order, so in proxy mode the status is stored with (or after) the
    // attempt that explains it.
    m_sink->addAttempt(std::move(attempt), this, [recording, written](qint64 id, const QString &error) {
        recording->event.attemptId = id;
        if (id <= 0)
            recording->event.storeError = error.isEmpty() ? QStringLiteral("the store gave no id") : error;
        written();
    });
    if (job.recordStatus) {
        const int status = proxyStatus(recording->event.attempt, queueFull);
        m_sink->setResponseStatus(job.captureId, status, this, [recording, written](qint64 rows, const QString &error) {
            if (rows <= 0 && recording->event.storeError.isEmpty())
                recording->event.storeError = QStringLiteral("response status not stored: %1")
                                                  .arg(error.isEmpty() ? QStringLiteral("no such capture") : error);
            written();
        });
    }
}

void CaptureForwarder::recordingDone()
{
    --m_recording;
    if (pending() == 0)
        emit idle();
}

void CaptureForwarder::abortAll(const QString &reason)
{
    while (!m_queue.isEmpty()) {
        Job job = m_queue.dequeue();
        m_queuedBytes -= job.request.body.size();
        fail(std::move(job), reason, false);
    }
    m_sender->abortAll(reason);
}

int proxyStatus(const Attempt &attempt, bool queueFull)
{
    if (attempt.failure == Attempt::Failure::None)
        return attempt.status;
    if (queueFull)
        return 503;
    return attempt.failure == Attempt::Failure::Timeout ? 504 : 502;
}

HttpResponse proxyResponse(const ForwardEvent &event)
{
    const Attempt &attempt = event.attempt;
    HttpResponse response;
    response.status = proxyStatus(attempt, event.queueFull);
    if (attempt.failure == Attempt::Failure::None) {
        for (const HttpHeader &header : attempt.responseHeaders) {
            if (!isHopByHopHeader(header.name, attempt.responseHeaders))
                response.headers.append(header);
        }
        response.body = attempt.responseBody;
        return response;
    }
    response.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
    if (event.queueFull)
        response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
    response.body = jsonErrorBody(QStringLiteral("forwarding failed: %1").arg(attempt.error));
    return response;
}

} // namespace hookbench
