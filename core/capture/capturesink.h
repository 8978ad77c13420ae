#pragma once

#include "attempt.h"
#include "capture.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace hookbench {

// Where a listener hands each capture for durable storage. The listener answers the sender only
// once `done` reports the capture committed, so a 2xx always means "stored".
class CaptureSink
{
public:
    using Done = std::function<void(qint64 id, const QString &error)>;

    virtual ~CaptureSink() = default;

    // Takes `capture` for storage. `done` runs later on `context`'s thread (queued, never inside
    // submit()) with the new id, or with id 0 and a one-line error when it could not be stored.
    // When `context` is destroyed first, `done` is dropped.
    virtual void submit(Capture capture, QObject *context, Done done) = 0;

    // One capture of a batch handed over together (see submitBatch()).
    struct Submission
    {
        Capture capture;
        QObject *context = nullptr;
        Done done;
    };
    // Takes several captures at once, in order, with submit()'s rules for each. A sink that
    // group-commits can queue them as one batch (one lock, one wake-up); by default each goes
    // through submit().
    virtual void submitBatch(QList<Submission> submissions);

    // Forward mode's records, with the same `done` rules: an attempt (done(id)), and the status
    // answered for a capture stored earlier (done(1)). A sink that keeps neither reports an error.
    virtual void addAttempt(Attempt attempt, QObject *context, Done done);
    virtual void setResponseStatus(qint64 captureId, int status, QObject *context, Done done);
};

// Keeps captures in memory and "commits" them on the next event-loop turn: for tests and for
// listeners that run without a store.
class MemoryCaptureSink : public CaptureSink
{
public:
    void submit(Capture capture, QObject *context, Done done) override;
    void addAttempt(Attempt attempt, QObject *context, Done done) override;
    void setResponseStatus(qint64 captureId, int status, QObject *context, Done done) override;

    const QList<Capture> &captures() const { return m_captures; }
    const QList<Attempt> &attempts() const { return m_attempts; }
    // When set, every write fails with this error (to test the listener's failure path).
    void setFailure(const QString &error) { m_failure = error; }

private:
    QList<Capture> m_captures;
    QList<Attempt> m_attempts;
    QString m_failure;
};

} // namespace hookbench
