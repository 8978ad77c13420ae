#include "capturequeryworker.h"

#include <QElapsedTimer>

#include <algorithm>

namespace hookbench {

CaptureQueryWorker::CaptureQueryWorker(StoreOptions options, int prefetch)
    : m_options(std::move(options)), m_prefetch(prefetch)
{ }

CaptureQueryWorker::~CaptureQueryWorker() = default;

bool CaptureQueryWorker::ensureOpen(QString *error)
{
    if (m_store && m_store->isOpen())
        return true;
    m_store = std::make_unique<CaptureStore>();
    return m_store->open(m_options, CaptureStore::Missing::Create, error);
}

void CaptureQueryWorker::queryAll(quint64 ticket, const CaptureFilter &filter)
{
    if (ticket < m_latestFull.load())
        return; // the user changed the filter again meanwhile
    QElapsedTimer timer;
    timer.start();
    QString error;
    QList<qint64> ids;
    qint64 newest = 0;
    if (ensureOpen(&error)) {
        // The newest id first: anything committed after it is picked up by queryNewer.
        newest = m_store->newestId(&error);
        if (error.isEmpty())
            ids = m_store->ids(filter, 0, &error);
        if (!ids.isEmpty())
            newest = qMax(newest, ids.first());
    }
    QList<CaptureSummary> summaries;
    if (error.isEmpty() && !ids.isEmpty())
        summaries = m_store->summariesFor(ids.first(qMin<qsizetype>(ids.size(), m_prefetch)), &error);
    std::reverse(ids.begin(), ids.end());
    emit idsReady(ticket, false, ids, newest, summaries, timer.elapsed(), error);
}

void CaptureQueryWorker::queryNewer(quint64 ticket, const CaptureFilter &filter, qint64 afterId)
{
    QElapsedTimer timer;
    timer.start();
    QString error;
    QList<qint64> ids;
    qint64 newest = afterId;
    if (ensureOpen(&error)) {
        // Advance past captures that don't match too, so they are not scanned again.
        newest = qMax(afterId, m_store->newestId(&error));
        if (error.isEmpty())
            ids = m_store->ids(filter, afterId, &error);
        if (!ids.isEmpty())
            newest = qMax(newest, ids.first());
    }
    QList<CaptureSummary> summaries;
    if (error.isEmpty() && !ids.isEmpty())
        summaries = m_store->summariesFor(ids.first(qMin<qsizetype>(ids.size(), m_prefetch)), &error);
    std::reverse(ids.begin(), ids.end());
    emit idsReady(ticket, true, ids, newest, summaries, timer.elapsed(), error);
}

} // namespace hookbench
