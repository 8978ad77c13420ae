#include "dbtrunindex.h"

#include "capture/capture.h"
#include "dbtpayloadcheck.h"

#include <QSet>

#include <algorithm>

namespace hookbench {

namespace {

int checkRank(const QString &check)
{
    if (check == u"ok")
        return 1;
    if (check == u"notes")
        return 2;
    if (check == u"warnings")
        return 3;
    if (check == u"errors")
        return 4;
    return 0;
}

// How far along the run an event is: later events describe the run better.
int eventRank(DbtEventType type)
{
    switch (type) {
    case DbtEventType::RunCompleted:
        return 3;
    case DbtEventType::RunErrored:
        return 2;
    case DbtEventType::RunStarted:
        return 1;
    case DbtEventType::Unknown:
        break;
    }
    return 0;
}

DbtEventType deliveryType(const DbtDelivery &delivery)
{
    return delivery.record ? delivery.record->eventType : dbtEventTypeFromName(delivery.eventType);
}

bool arrivedBefore(const DbtDelivery &a, const DbtDelivery &b)
{
    return a.receivedAtUs != b.receivedAtUs ? a.receivedAtUs < b.receivedAtUs : a.captureId < b.captureId;
}

void fill(QString &target, const QString &value)
{
    if (target.isEmpty())
        target = value;
}

void fill(DbtRunContext &target, const DbtRunContext &value)
{
    fill(target.jobId, value.jobId);
    fill(target.jobName, value.jobName);
    fill(target.environmentId, value.environmentId);
    fill(target.environmentName, value.environmentName);
    fill(target.projectId, value.projectId);
    fill(target.projectName, value.projectName);
    fill(target.dbtVersion, value.dbtVersion);
    fill(target.runReason, value.runReason);
}

void fill(DbtTime &target, const DbtTime &value)
{
    if (!target.isValid() && value.isValid())
        target = value;
}

QDateTime fromMicroseconds(qint64 us)
{
    return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC);
}

} // namespace

DbtDelivery DbtDelivery::fromCapture(const Capture &capture, bool parseBody, DbtRecordPool *pool)
{
    DbtDelivery delivery;
    delivery.captureId = capture.id;
    delivery.receivedAtUs = capture.receivedAtUs;
    delivery.responseStatus = capture.responseStatus;
    delivery.eventType = capture.dbtEventType;
    delivery.eventId = capture.dbtEventId;
    delivery.runId = capture.dbtRunId;
    delivery.check = capture.dbtCheck;
    if (parseBody && !capture.body.isEmpty()) {
        DbtPayloadCheck check = checkDbtPayload(capture.body);
        if (check.isDbtEvent())
            delivery.record = DbtRunRecord::fromEvent(check.event, pool);
    }
    if (pool) {
        pool->internInPlace(delivery.eventType);
        pool->internInPlace(delivery.check);
    }
    return delivery;
}

void DbtDelivery::share(DbtRecordPool &pool)
{
    pool.internInPlace(eventType);
    pool.internInPlace(check);
    if (record)
        pool.share(*record);
}

std::optional<qint64> DbtRun::durationMs() const
{
    const DbtTime end = endedAt();
    if (!startedAt.isValid() || !end.isValid())
        return std::nullopt;
    return startedAt.nanosecondsTo(end) / 1000000;
}

QDateTime DbtRun::timelineStart() const
{
    if (startedAt.isValid())
        return startedAt.utc();
    return fromMicroseconds(firstReceivedUs);
}

QDateTime DbtRun::timelineEnd() const
{
    const DbtTime end = endedAt();
    const QDateTime last = end.isValid() ? end.utc() : fromMicroseconds(lastReceivedUs);
    return std::max(last, timelineStart());
}

namespace {

DbtRun buildFromArrivalOrder(const QString &runId, const QList<DbtDelivery> &deliveries)
{
    DbtRun run;
    run.runId = runId;
    QSet<QString> eventIds;
    // The most advanced detailed event of each kind, by rank.
    const DbtRunRecord *best[4] = {nullptr, nullptr, nullptr, nullptr};
    for (const DbtDelivery &delivery : deliveries) {
        if (run.deliveries == 0)
            run.firstReceivedUs = delivery.receivedAtUs;
        run.lastReceivedUs = delivery.receivedAtUs;
        ++run.deliveries;
        run.captureIds.append(delivery.captureId);
        if (delivery.responseStatus < 200 || delivery.responseStatus > 299)
            ++run.failedDeliveries;
        if (checkRank(delivery.check) > checkRank(run.worstCheck))
            run.worstCheck = delivery.check;
        if (!delivery.eventId.isEmpty()) {
            if (eventIds.contains(delivery.eventId))
                ++run.duplicates;
            eventIds.insert(delivery.eventId);
        }

        const DbtEventType type = deliveryType(delivery);
        run.sawStarted |= type == DbtEventType::RunStarted;
        run.sawCompleted |= type == DbtEventType::RunCompleted;
        run.sawErrored |= type == DbtEventType::RunErrored;
        const int rank = eventRank(type);
        if (delivery.record && !best[rank])
            best[rank] = &*delivery.record;
    }

    for (int rank = 3; rank >= 0; --rank) {
        const DbtRunRecord *record = best[rank];
        if (!record)
            continue;
        if (record->context)
            fill(run, *record->context);
        fill(run.statusMessage, record->runStatusMessage);
        fill(run.startedAt, record->runStartedAt);
        fill(run.finishedAt, record->runFinishedAt);
        fill(run.erroredAt, record->runErroredAt);
    }

    if (run.sawCompleted) {
        const DbtRunRecord *completed = best[eventRank(DbtEventType::RunCompleted)];
        run.status = completed ? completed->runStatus : DbtRunStatus::Unknown;
        if (run.status == DbtRunStatus::Unknown && run.sawErrored)
            run.status = DbtRunStatus::Errored;
    } else if (run.sawErrored) {
        run.status = DbtRunStatus::Errored;
    } else if (run.sawStarted) {
        const DbtRunRecord *started = best[eventRank(DbtEventType::RunStarted)];
        run.status
            = started && started->runStatus != DbtRunStatus::Unknown ? started->runStatus : DbtRunStatus::Running;
    }
    return run;
}

} // namespace

DbtRun buildDbtRun(const QString &runId, const QList<DbtDelivery> &deliveries)
{
    QList<DbtDelivery> ordered = deliveries;
    std::stable_sort(ordered.begin(), ordered.end(), arrivedBefore);
    return buildFromArrivalOrder(runId, ordered);
}

DbtRunIndex::Change DbtRunIndex::add(DbtDelivery delivery)
{
    Change change;
    if (delivery.runId.isEmpty())
        return change;
    auto row = m_rows.constFind(delivery.runId);
    if (row == m_rows.constEnd()) {
        change.inserted = true;
        change.row = int(m_runs.size());
        m_rows.insert(delivery.runId, change.row);
        m_runs.append(DbtRun());
        m_deliveries.append(QList<DbtDelivery>());
    } else {
        change.row = *row;
        delivery.runId = row.key(); // the run's one copy
    }

    QList<DbtDelivery> &deliveries = m_deliveries[change.row];
    delivery.share(m_pool);
    shareWithEarlier(delivery, deliveries);
    change.duplicate = !delivery.eventId.isEmpty()
        && std::any_of(deliveries.cbegin(), deliveries.cend(),
            [&](const DbtDelivery &earlier) { return earlier.eventId == delivery.eventId; });
    const QString runId = delivery.runId;
    const auto position = std::upper_bound(deliveries.begin(), deliveries.end(), delivery, arrivedBefore);
    deliveries.insert(position, std::move(delivery));
    m_runs[change.row] = buildFromArrivalOrder(runId, deliveries);
    return change;
}

void DbtRunIndex::shareWithEarlier(DbtDelivery &delivery, const QList<DbtDelivery> &earlier)
{
    // Per run, not through the pool: these values are unique to the run (the pool would fill up
    // with them), but its deliveries repeat them (a retry's eventId, every event's runStartedAt).
    for (const DbtDelivery &other : earlier) {
        if (!delivery.eventId.isEmpty() && other.eventId == delivery.eventId)
            delivery.eventId = other.eventId;
        if (delivery.record && other.record && !delivery.record->runStartedAt.isNull()
            && !other.record->runStartedAt.isNull()
            && other.record->runStartedAt.text() == delivery.record->runStartedAt.text())
            delivery.record->runStartedAt = other.record->runStartedAt;
    }
}

void DbtRunIndex::clear()
{
    m_runs.clear();
    m_deliveries.clear();
    m_rows.clear();
    m_pool.clear();
}

QList<DbtRun> groupDbtRuns(const QList<DbtDelivery> &deliveries)
{
    QHash<QString, QList<DbtDelivery>> byRun;
    for (const DbtDelivery &delivery : deliveries) {
        if (!delivery.runId.isEmpty())
            byRun[delivery.runId].append(delivery);
    }
    QList<DbtRun> runs;
    runs.reserve(byRun.size());
    for (auto it = byRun.cbegin(); it != byRun.cend(); ++it)
        runs.append(buildDbtRun(it.key(), it.value()));
    std::stable_sort(runs.begin(), runs.end(), [](const DbtRun &a, const DbtRun &b) {
        const QDateTime startA = a.timelineStart();
        const QDateTime startB = b.timelineStart();
        return startA != startB ? startA < startB : a.runId < b.runId;
    });
    return runs;
}

} // namespace hookbench
