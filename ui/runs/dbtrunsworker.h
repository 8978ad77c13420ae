#pragma once

#include "dbt/dbtrunindex.h"
#include "store/capturestore.h"
#include "store/storeoptions.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace hookbench {

// One page of dbt deliveries read by the worker: the deliveries (bodies parsed into run records) and, for each,
// the listener that received it (the deactivation note is per webhook endpoint).
struct DbtRunsPage
{
    QList<DbtDelivery> deliveries; // ascending capture id
    QList<QString> listeners; // parallel to deliveries
};

// Reads the dbt captures of a session for the runs view on its own thread, with its own read
// connection. It finds them through the store's dbt event type index (ids only), then reads and
// parses the bodies a page at a time, so a big store never has all its bodies in memory at once
// and the window stays responsive. Results go back to the UI thread as queued calls of the
// callbacks given; loads that a newer one superseded stop early.
class DbtRunsWorker : public QObject
{
    Q_OBJECT

public:
    using PageReady = std::function<void(quint64 ticket, const DbtRunsPage &page)>;
    // `newestId`: every capture up to it has been considered (the next load starts after it).
    using Finished = std::function<void(quint64 ticket, qint64 newestId, const QString &error)>;

    static constexpr int pageSize = 200;

    explicit DbtRunsWorker(StoreOptions options);
    ~DbtRunsWorker() override;

    // Where results go: called on `receiver`'s thread; dropped when it is gone.
    void setReceiver(QObject *receiver, PageReady pageReady, Finished finished);
    // Thread-safe: loads with an older ticket are abandoned.
    void supersede(quint64 ticket) { m_latest.store(ticket); }

    // Run on the worker's thread. The dbt captures of `sessionId` (0: all) with an id above
    // `afterId`, oldest first.
    void load(quint64 ticket, qint64 sessionId, qint64 afterId);

private:
    bool ensureOpen(QString *error);

    StoreOptions m_options;
    std::unique_ptr<CaptureStore> m_store; // created on the worker thread
    // Pages reach the UI thread already sharing their repeated strings (names, types, listeners),
    // so that queued pages cost little whatever the UI thread's pace.
    DbtRecordPool m_pool;
    QPointer<QObject> m_receiver;
    PageReady m_pageReady;
    Finished m_finished;
    std::atomic<quint64> m_latest {0};
};

} // namespace hookbench
