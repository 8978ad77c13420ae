#include "dbtrunsworker.h"

#include "dbt/dbtevent.h"

#include <algorithm>

namespace hookbench {

DbtRunsWorker::DbtRunsWorker(StoreOptions options) : m_options(std::move(options))
{ }

DbtRunsWorker::~DbtRunsWorker() = default;

void DbtRunsWorker::setReceiver(QObject *receiver, PageReady pageReady, Finished finished)
{
    m_receiver = receiver;
    m_pageReady = std::move(pageReady);
    m_finished = std::move(finished);
}

bool DbtRunsWorker::ensureOpen(QString *error)
{
    if (m_store && m_store->isOpen())
        return true;
    m_store = std::make_unique<CaptureStore>();
    return m_store->open(m_options, CaptureStore::Missing::Create, error);
}

void DbtRunsWorker::load(quint64 ticket, qint64 sessionId, qint64 afterId)
{
    auto report = [this, ticket](qint64 newest, const QString &error) {
        if (!m_receiver)
            return;
        QMetaObject::invokeMethod(
            m_receiver, [done = m_finished, ticket, newest, error] { done(ticket, newest, error); },
            Qt::QueuedConnection);
    };
    if (ticket < m_latest.load())
        return;
    QString error;
    if (!ensureOpen(&error)) {
        report(afterId, error);
        return;
    }
    // The newest id first: anything committed after it is found by the next load.
    qint64 newest = qMax(afterId, m_store->newestId(&error));
    QList<qint64> ids;
    // Only captures the listener marked as dbt events, through the event type index: the three
    // types dbt sends (an unknown eventType has no run to join).
    for (const DbtEventType type : {DbtEventType::RunStarted, DbtEventType::RunCompleted, DbtEventType::RunErrored}) {
        if (!error.isEmpty())
            break;
        CaptureFilter filter;
        filter.sessionId = sessionId;
        filter.dbtEventType = dbtEventTypeName(type);
        ids += m_store->ids(filter, afterId, &error);
    }
    if (!error.isEmpty()) {
        report(afterId, error);
        return;
    }
    std::sort(ids.begin(), ids.end());
    if (!ids.isEmpty())
        newest = qMax(newest, ids.last());

    for (qsizetype first = 0; first < ids.size(); first += pageSize) {
        if (ticket < m_latest.load())
            return;
        const QList<Capture> captures = m_store->captures(ids.mid(first, pageSize), &error);
        if (!error.isEmpty())
            break;
        DbtRunsPage page;
        page.deliveries.reserve(captures.size());
        page.listeners.reserve(captures.size());
        for (const Capture &capture : captures) {
            page.deliveries.append(DbtDelivery::fromCapture(capture, true, &m_pool));
            page.listeners.append(m_pool.intern(capture.listener));
        }
        if (m_receiver) {
            QMetaObject::invokeMethod(
                m_receiver, [done = m_pageReady, ticket, page = std::move(page)] { done(ticket, page); },
                Qt::QueuedConnection);
        }
    }
    // The connection stays open for the live updates' small reads, but not its cache: a big
    // load fills it (32 MiB) and the runs view may then idle for hours.
    m_store->releaseMemory();
    report(newest, error);
}

} // namespace hookbench
