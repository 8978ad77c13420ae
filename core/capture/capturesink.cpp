#include "capturesink.h"

#include <QMetaObject>

namespace hookbench {

namespace {

void report(QObject *context, CaptureSink::Done done, qint64 id, const QString &error)
{
    if (!context || !done)
        return;
    QMetaObject::invokeMethod(
        context, [done = std::move(done), id, error] { done(id, error); }, Qt::QueuedConnection);
}

} // namespace

void CaptureSink::submitBatch(QList<Submission> submissions)
{
    for (Submission &submission : submissions)
        submit(std::move(submission.capture), submission.context, std::move(submission.done));
}

void CaptureSink::addAttempt(Attempt, QObject *context, Done done)
{
    report(context, std::move(done), 0, QStringLiteral("this capture sink does not keep attempts"));
}

void CaptureSink::setResponseStatus(qint64, int, QObject *context, Done done)
{
    report(context, std::move(done), 0, QStringLiteral("this capture sink does not keep response statuses"));
}

void MemoryCaptureSink::submit(Capture capture, QObject *context, Done done)
{
    qint64 id = 0;
    if (m_failure.isEmpty()) {
        id = m_captures.size() + 1;
        capture.id = id;
        m_captures.append(std::move(capture));
    }
    report(context, std::move(done), id, m_failure);
}

void MemoryCaptureSink::addAttempt(Attempt attempt, QObject *context, Done done)
{
    qint64 id = 0;
    if (m_failure.isEmpty()) {
        id = m_attempts.size() + 1;
        attempt.id = id;
        m_attempts.append(std::move(attempt));
    }
    report(context, std::move(done), id, m_failure);
}

void MemoryCaptureSink::setResponseStatus(qint64 captureId, int status, QObject *context, Done done)
{
    if (!m_failure.isEmpty()) {
        report(context, std::move(done), 0, m_failure);
        return;
    }
    if (captureId < 1 || captureId > m_captures.size()) {
        report(context, std::move(done), 0, QStringLiteral("no capture with id %1").arg(captureId));
        return;
    }
    m_captures[captureId - 1].responseStatus = status;
    report(context, std::move(done), 1, {});
}

} // namespace hookbench
