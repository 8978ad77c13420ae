#pragma once

#include "dbtevent.h"
#include "dbtrunrecord.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace hookbench {

struct Capture;

// One delivery of a dbt event as the runs view sees it: the capture's summary fields, what the
// listener answered, and what its event says about the run when the body was available.
struct DbtDelivery
{
    qint64 captureId = 0;
    qint64 receivedAtUs = 0; // microseconds since the Unix epoch (UTC)
    int responseStatus = 0; // what the listener answered (0: nothing)
    QString eventType; // Capture::dbtEventType
    QString eventId;
    QString runId;
    QString check; // "ok", "notes", "warnings", "errors"
    std::optional<DbtRunRecord> record; // from the parsed body; without it a run shows ids and counts only

    // From a capture's summary fields; with `parseBody`, the body is read for the record. With a
    // pool, the delivery shares what repeats from the start (see share()).
    static DbtDelivery fromCapture(const Capture &capture, bool parseBody = true, DbtRecordPool *pool = nullptr);
    // Replaces what repeats across deliveries (event type, check, the record's context and
    // message) by the pool's shared copies.
    void share(DbtRecordPool &pool);
};

// dbt Cloud's run as the deliveries reveal it. Every field comes from the events, whatever
// order they arrived in: the completed event says how the run ended even if it came first.
// The context fields (jobName, projectId, …) are each taken from the most advanced event that has
// them.
struct DbtRun : DbtRunContext
{
    // Two runs are not equal because their jobs are: comparing runs is not what a caller means.
    friend bool operator==(const DbtRun &, const DbtRun &) = delete;

    QString runId;
    QString statusMessage; // of the most advanced event (completed > errored > started)

    // Running after a started event; Success/Errored/Cancelled once completed; Errored after an
    // errored event. Unknown when only an undetailed completed event was seen.
    DbtRunStatus status = DbtRunStatus::Unknown;
    DbtTime startedAt;
    DbtTime finishedAt; // from job.run.completed
    DbtTime erroredAt; // from job.run.errored

    bool sawStarted = false;
    bool sawCompleted = false;
    bool sawErrored = false;

    QList<qint64> captureIds; // in arrival order
    int deliveries = 0;
    int duplicates = 0; // deliveries whose eventId had arrived before (dbt's retries)
    int failedDeliveries = 0; // deliveries the listener did not answer with 2xx
    qint64 firstReceivedUs = 0;
    qint64 lastReceivedUs = 0;
    QString worstCheck; // the worst payload check among the deliveries ("" when none known)

    // The run has ended: completed, or errored (its completed event may still be on its way).
    bool hasEnded() const { return sawCompleted || sawErrored; }
    // runFinishedAt, else runErroredAt (null while running).
    DbtTime endedAt() const { return finishedAt.isNull() ? erroredAt : finishedAt; }
    // End minus start in milliseconds, when both are known.
    std::optional<qint64> durationMs() const;
    // For a timeline: the run's start (or its first delivery), and its end (or its last
    // delivery while it runs). Always valid, UTC.
    QDateTime timelineStart() const;
    QDateTime timelineEnd() const;
};

// Groups deliveries into runs as they arrive, for a table model: each add() says which row
// changed and whether it is new, so the model emits rowsInserted or dataChanged for one row.
// Rows keep the order their runs were first seen; sort them in a proxy. The deliveries it keeps
// share their repeated strings (names, types, a run's id, a retried event's id) with each other
// and with the runs, so that memory grows with the deliveries' few numbers, not their text.
class DbtRunIndex
{
public:
    struct Change
    {
        int row = -1; // -1: the delivery has no runId and was ignored
        bool inserted = false; // a new run (row == old size)
        bool duplicate = false; // its eventId had already been delivered for this run
    };

    Change add(DbtDelivery delivery);
    void clear();

    int size() const { return int(m_runs.size()); }
    const QList<DbtRun> &runs() const { return m_runs; }
    const DbtRun &at(int row) const { return m_runs.at(row); }
    int rowOf(const QString &runId) const { return m_rows.value(runId, -1); }
    // The run's deliveries in arrival order.
    const QList<DbtDelivery> &deliveries(int row) const { return m_deliveries.at(row); }

private:
    // Points the delivery's run-specific strings at the copies its run's earlier deliveries hold.
    static void shareWithEarlier(DbtDelivery &delivery, const QList<DbtDelivery> &earlier);

    QList<DbtRun> m_runs;
    QList<QList<DbtDelivery>> m_deliveries;
    QHash<QString, int> m_rows;
    DbtRecordPool m_pool;
};

// Builds a run from its deliveries (any order). Exposed for tests and one-off views.
DbtRun buildDbtRun(const QString &runId, const QList<DbtDelivery> &deliveries);
// All runs in `deliveries`, ordered by start time (timelineStart), then runId.
QList<DbtRun> groupDbtRuns(const QList<DbtDelivery> &deliveries);

} // namespace hookbench
