#pragma once

#include "dbt/dbtdeactivation.h"
#include "dbt/dbtrunindex.h"
#include "store/capturewriter.h"
#include "store/storeoptions.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QElapsedTimer>
#include <QHash>
#include <QStringList>
#include <QTimer>

class QThread;

namespace hookbench {

class DbtRunsWorker;
struct DbtRunsPage;

// The runs view's table: one row per dbt Cloud run (runId) of the current session, built from
// the captured deliveries whatever order they arrived in. A worker thread finds the dbt captures
// (index only) and parses their bodies a page at a time; the rows appear as pages arrive.
//
// Live: it listens to the writer's change notices like the capture list and applies them at
// most once per updateInterval (50 ms by default) — one query for new dbt captures per batch,
// rows inserted or changed in one go. Deletions, clears and changed response statuses reload.
// Rows keep the order their runs were first seen; sort them with a proxy (SortRole).
class DbtRunsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DbtRunsModel)

public:
    enum Column {
        RunColumn,
        JobColumn,
        EnvironmentColumn,
        ProjectColumn,
        StartedColumn,
        EndedColumn,
        DurationColumn,
        StatusColumn,
        DeliveriesColumn,
        DuplicatesColumn,
        FailedColumn,
        CheckColumn,
        ColumnCount
    };
    enum Role {
        RunIdRole = Qt::UserRole + 1, // QString
        SortRole, // a value that sorts the column (times as ms since the epoch, counts as ints)
        StatusRole, // int: DbtRunStatus
    };

    explicit DbtRunsModel(StoreOptions options, QObject *parent = nullptr);
    ~DbtRunsModel() override;

    // The session whose runs are shown (0: every session); reloads.
    void setSession(qint64 sessionId);
    qint64 session() const { return m_session; }
    void reload();
    bool isLoading() const { return m_loading; }

    // Feeds the live updates: subscribes to `writer`'s commits.
    void attachWriter(CaptureWriter *writer);
    void noteChange(const StoreChange &change);
    // Looks for new dbt captures on the next tick: for writes this model's writer didn't make
    // (another process on the same store, noticed by the capture list's polling).
    void checkForNew();
    void setUpdateInterval(int milliseconds) { m_updateInterval = milliseconds; }
    // How many batched live updates changed the rows.
    int liveUpdateCount() const { return m_liveUpdates; }

    const DbtRunIndex &runs() const { return m_index; }
    const DbtRun &run(int row) const { return m_index.at(row); }
    const QList<DbtDelivery> &deliveries(int row) const { return m_index.deliveries(row); }
    int rowOfRun(const QString &runId) const;
    QString listenerOf(qint64 captureId) const { return m_listeners.value(captureId); }
    // The listeners that received this run's deliveries, in the order first seen.
    QStringList listenersOf(int row) const;
    // What the listener answered each dbt delivery it received, in arrival order, across every
    // run shown: dbt Cloud counts failures per webhook endpoint, not per run.
    QList<int> answers(const QString &listener) const;
    DbtDeactivation deactivation(const QString &listener) const { return dbtDeactivation(answers(listener)); }

    void setDark(bool dark);

    static QString statusLabel(DbtRunStatus status); // "Success", "Errored", "Running", …
    static QColor statusColor(DbtRunStatus status, bool dark);
    static QString durationText(qint64 ms); // "1 min 25 s"
    // DbtRun::timelineStart()/timelineEnd() in ms since the epoch, without making QDateTimes
    // (the timeline and the sort ask for thousands of them at a time).
    static qint64 startMs(const DbtRun &run);
    static qint64 endMs(const DbtRun &run);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void loadingChanged(bool loading);
    void loaded(); // a full load finished
    void errorOccurred(const QString &message);

private:
    void onPage(quint64 ticket, const DbtRunsPage &page);
    void onFinished(quint64 ticket, qint64 newestId, const QString &error);
    // Pages of deliveries not yet added, oldest first. A page leaves the queue as soon as it has
    // been added: a big load never holds its deliveries twice nor in one huge block.
    using DeliveryQueue = QList<QList<DbtDelivery>>;
    // Moves deliveries from the front of `queue` into the index, in order, until `budgetMs` is
    // spent (-1: all), announcing the new and changed rows once.
    void apply(DeliveryQueue &queue, qint64 budgetMs = -1);
    void drainLoad();
    void finishLoad();
    void scheduleFlush();
    void flushChanges();
    void requestNewer();
    QVariant display(const DbtRun &run, int column) const;

    StoreOptions m_options;
    QThread *m_thread;
    DbtRunsWorker *m_worker;
    qint64 m_session = 0;
    quint64 m_ticket = 0;
    quint64 m_fullTicket = 0;
    bool m_loading = false;
    bool m_newerInFlight = false;
    bool m_newerWanted = false;
    bool m_checkWanted = false;
    qint64 m_newestSeen = 0;

    DbtRunIndex m_index;
    int m_visibleRows = 0; // rows announced to views (the index may be ahead inside apply())
    QHash<qint64, QString> m_listeners; // capture id → listener name

    // Loading: pages queue here and are added a slice at a time.
    static constexpr int loadSliceMs = 12;
    DeliveryQueue m_loadQueue;
    QTimer m_loadTimer;
    bool m_fullFinished = false;

    // Live updates.
    DeliveryQueue m_ready; // read by the worker, applied on the next tick
    StoreChange m_pending;
    QTimer m_updateTimer;
    int m_updateInterval = 50;
    QElapsedTimer m_sinceUpdate;
    int m_liveUpdates = 0;
    bool m_dark = false;
};

} // namespace hookbench
