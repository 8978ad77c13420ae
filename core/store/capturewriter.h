#pragma once

#include "capture/attempt.h"
#include "capture/capturesink.h"
#include "storeoptions.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace hookbench {

// What one committed batch changed, for views that show the store.
struct StoreChange
{
    QList<qint64> addedCaptures;
    QList<qint64> updatedCaptures; // response status changed
    QList<qint64> removedCaptures;
    QList<qint64> clearedSessions; // every capture of these sessions was removed
    QList<qint64> attemptsAdded; // capture ids that got a new attempt (0: a send without capture)
    bool sessionsChanged = false;

    bool isEmpty() const;
    void merge(const StoreChange &other);
};

struct WriterStats
{
    qint64 transactions = 0; // committed transactions
    qint64 writes = 0; // committed writes of any kind
    qint64 captures = 0; // committed captures
    qint64 failures = 0; // writes reported as failed
    int largestBatch = 0;
    qint64 busyNs = 0; // time the writer thread spent running batches (SQL, commit, callbacks)
    qint64 checkpoints = 0; // log checkpoints that moved pages into the database file
    qint64 logPages = 0; // pages appended to the write-ahead log
};

// The store's one writer: implements CaptureSink for the listener and carries every other
// change (attempts, response status, deletions, sessions), so that a store has a single write
// connection. That connection lives on the writer's own thread; callers never block on disk.
//
// Writes are group-committed: one transaction per batch (see StoreOptions), after which each
// write's `done` runs queued on its context's thread with the new id (or the number of rows
// affected), or with 0 and a one-line error. `done` is never called from inside the call that
// queued it, and is dropped when its context is destroyed first (a null context drops it too).
// Writes are applied in the order they were queued.
class CaptureWriter final : public CaptureSink
{
public:
    using Observer = std::function<void(const StoreChange &change)>;

    explicit CaptureWriter(StoreOptions options);
    // Commits everything already queued, then stops the thread.
    ~CaptureWriter() override;
    CaptureWriter(const CaptureWriter &) = delete;
    CaptureWriter &operator=(const CaptureWriter &) = delete;

    // Opens (creating and migrating when needed) the store and starts the writer thread. Blocks
    // until the store is ready; false with a one-line error. Writes queued on a writer that is
    // not open fail with that error.
    bool open(QString *error);
    bool isOpen() const;
    const StoreOptions &options() const;

    // The session that captures submitted with sessionId 0 go to (StoreOptions::session).
    qint64 currentSession() const;
    void setCurrentSession(qint64 sessionId);

    // done(id): the capture's new id.
    void submit(Capture capture, QObject *context, Done done) override;
    // Queues the captures together (one lock, one wake-up), so they share a transaction.
    void submitBatch(QList<Submission> submissions) override;
    // done(id): the attempt's new id. attempt.captureId 0 stores an attempt without capture.
    void addAttempt(Attempt attempt, QObject *context, Done done) override;
    // For forward/proxy mode, which learns the status after the capture was stored. done(1).
    void setResponseStatus(qint64 captureId, int status, QObject *context, Done done) override;
    // Deletes captures with their attempts. done(number deleted); unknown ids are skipped.
    void deleteCaptures(QList<qint64> ids, QObject *context, Done done);
    // Deletes every capture of a session, keeping the session. done(number deleted).
    void clearSession(qint64 sessionId, QObject *context, Done done);
    // done(id). A name that already exists is an error.
    void createSession(QString name, QObject *context, Done done);
    void renameSession(qint64 sessionId, QString name, QObject *context, Done done);
    // Deletes a session and its captures. The default session (id 1) and the writer's current
    // session can't be deleted. done(number of captures deleted).
    void deleteSession(qint64 sessionId, QObject *context, Done done);

    // `observer` runs on `context`'s thread after each commit that changed something.
    void addObserver(QObject *context, Observer observer);

    // Blocks until every write queued before the call is committed (or failed) and its `done`
    // posted. For shutdown and tests.
    void flush();
    WriterStats stats() const;

private:
    class Worker;
    std::unique_ptr<Worker> m_worker;
};

} // namespace hookbench
