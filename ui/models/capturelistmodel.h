#pragma once

#include "store/capturefilter.h"
#include "store/capturestore.h"
#include "store/capturesummary.h"
#include "store/capturewriter.h"
#include "store/storeoptions.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

class QThread;

namespace hookbench {

class CaptureQueryWorker;

// The capture list: one row per capture matching a filter, newest first, over a store of any
// size. It holds the matching ids only (8 bytes a row; a million captures cost 8 MB) and reads
// the summaries of the rows a view asks for a page at a time, keeping a bounded cache; it never
// reads headers or bodies. Filters run on a worker thread with its own connection (the list
// keeps showing the previous result until the new one is ready).
//
// Live updates: the writer's change notices are collected and applied at most once per
// updateInterval (50 ms by default) whatever the rate of captures — one query for the new ids
// matching the filter and one row insertion per batch — so 5,000 captures/s cost the window
// twenty small updates a second.
class CaptureListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureListModel)

public:
    enum Column {
        TimeColumn,
        MethodColumn,
        PathColumn,
        SizeColumn,
        VerdictColumn,
        EventColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1, // qint64
        VerdictRole, // QString: verdictName()
        ResponseStatusRole, // int
    };

    static constexpr int pageSize = 200;
    static constexpr int maxCachedSummaries = 20000;

    explicit CaptureListModel(StoreOptions options, QObject *parent = nullptr);
    ~CaptureListModel() override;

    // Opens the UI thread's read connection and runs the first (empty) filter.
    bool open(QString *error);
    const QString &storePath() const { return m_options.path; }

    void setFilter(const CaptureFilter &filter);
    const CaptureFilter &filter() const { return m_filter; }
    bool isLoading() const { return m_loading; }
    // Re-runs the filter (after a session switch, a clear, another process's writes).
    void refresh();

    // Feeds the live updates: subscribes to `writer`'s commits.
    void attachWriter(CaptureWriter *writer);
    // What the writer reported; applied on the next update tick.
    void noteChange(const StoreChange &change);
    // Also notices captures that another process (e.g. `hookbench listen --store` on the same
    // file) adds: polls SQLite's data version this often (0: never). Default 1000 ms.
    void setPollInterval(int milliseconds);
    void setUpdateInterval(int milliseconds);
    int updateInterval() const { return m_updateInterval; }
    // How many batched live updates changed the rows (insertions, removals, data changes).
    int liveUpdateCount() const { return m_liveUpdates; }
    const QList<qint64> &liveUpdateTimesMs() const { return m_liveUpdateTimes; }

    qint64 idAt(int row) const;
    int rowOf(qint64 id) const; // -1 when not listed
    std::optional<CaptureSummary> summaryAt(int row) const;
    // The full capture (headers and body) from the UI thread's connection.
    std::optional<Capture> capture(qint64 id, QString *error = nullptr) const;
    CaptureStore &store() const { return *m_store; }
    // Summaries read from the store so far (to show paging works lazily).
    qint64 summariesRead() const { return m_summariesRead; }

    void setDark(bool dark);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void loadingChanged(bool loading);
    // A filter's result is in: how many captures match and how long the query took.
    void filterApplied(qint64 matches, qint64 elapsedMs);
    // `count` new captures were added at the top (row 0 is the newest).
    void newRowsArrived(int count);
    void errorOccurred(const QString &message);

private:
    void onIdsReady(quint64 ticket, bool incremental, const QList<qint64> &ascendingIds, qint64 newestId,
        const QList<CaptureSummary> &newest, qint64 elapsedMs, const QString &error);
    void cache(const QList<CaptureSummary> &summaries) const;
    void flushChanges();
    void scheduleFlush();
    void requestNewer();
    const CaptureSummary *summaryForRow(int row) const;
    void removeIds(const QList<qint64> &ids);
    qsizetype positionOf(qint64 id) const; // index into m_ids, -1 when absent

    StoreOptions m_options;
    std::unique_ptr<CaptureStore> m_store; // UI thread's connection
    QThread *m_thread;
    CaptureQueryWorker *m_worker;
    CaptureFilter m_filter;
    quint64 m_ticket = 0;
    quint64 m_fullTicket = 0;
    bool m_loading = false;
    bool m_newerInFlight = false;
    bool m_newerWanted = false;

    // Matching ids, oldest first (row r is m_ids[size - 1 - r]) so new captures append.
    QList<qint64> m_ids;
    qint64 m_newestSeen = 0;
    mutable QHash<qint64, CaptureSummary> m_cache;
    mutable qint64 m_summariesRead = 0;

    // Live updates.
    StoreChange m_pending;
    QList<qint64> m_readyIds; // new matching ids, inserted on the next tick
    QList<CaptureSummary> m_readySummaries; // theirs, read by the worker
    bool m_pendingNewer = false;
    QTimer m_updateTimer;
    int m_updateInterval = 50; // ms: the least time between two updates of the rows
    QElapsedTimer m_sinceUpdate;
    int m_liveUpdates = 0;
    QList<qint64> m_liveUpdateTimes; // ms since the model was created, one per live update
    QElapsedTimer m_clock;
    bool m_dark = false;
    QTimer m_poll;
    qint64 m_dataVersion = -1;
};

} // namespace hookbench
