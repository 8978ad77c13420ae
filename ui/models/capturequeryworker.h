#pragma once

#include "store/capturefilter.h"
#include "store/capturestore.h"
#include "store/storeoptions.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <memory>

namespace hookbench {

// Runs the capture list's store queries on its own thread with its own read connection, so a
// filter over a million captures (a text search reads bodies) never blocks the window. Queries
// are numbered; one that is already superseded when its turn comes is skipped.
class CaptureQueryWorker : public QObject
{
    Q_OBJECT

public:
    // `prefetch`: how many of the newest summaries to read with each result.
    explicit CaptureQueryWorker(StoreOptions options, int prefetch = 200);
    ~CaptureQueryWorker() override;

    // Thread-safe: the newest ticket issued for full queries. Older full queries are skipped.
    void supersede(quint64 ticket) { m_latestFull.store(ticket); }

    // Run on the worker's thread (invoked through a queued call).
    // The ids matching `filter` (oldest first), and the newest id in the store at the time.
    void queryAll(quint64 ticket, const hookbench::CaptureFilter &filter);
    // Only ids above `afterId` (new captures), oldest first.
    void queryNewer(quint64 ticket, const hookbench::CaptureFilter &filter, qint64 afterId);

signals:
    // `newest`: the summaries of the newest matching captures (up to a page), read here so that
    // the rows a following list shows first cost the UI thread no query.
    void idsReady(quint64 ticket, bool incremental, const QList<qint64> &ascendingIds, qint64 newestId,
        const QList<hookbench::CaptureSummary> &newest, qint64 elapsedMs, const QString &error);

private:
    bool ensureOpen(QString *error);

    StoreOptions m_options;
    int m_prefetch;
    std::unique_ptr<CaptureStore> m_store; // created on the worker thread
    std::atomic<quint64> m_latestFull {0};
};

} // namespace hookbench
