#include "dbtrunsmodel.h"

#include "dbtrunsworker.h"
#include "widgets/verdictstyle.h"

#include <QColor>
#include <QDateTime>
#include <QThread>

#include <algorithm>
#include <climits>
#include <limits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hookbench {

namespace {

QString timeText(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString nameAndId(const QString &name, const QString &id)
{
    if (name.isEmpty())
        return id.isEmpty() ? QStringLiteral("—") : QStringLiteral("#") + id;
    return id.isEmpty() ? name : QStringLiteral("%1 · %2").arg(name, id);
}

QString checkLabel(const QString &check)
{
    if (check.isEmpty())
        return QStringLiteral("—");
    if (check == u"ok")
        return QStringLiteral("OK");
    return check.at(0).toUpper() + check.mid(1);
}

// A load leaves the worker thread's heap full of holes (each body parsed, only a few short strings
// kept per delivery) that glibc keeps resident until asked: 26 MiB after 50,000 deliveries
// (docs/benchmarks.md), for 0.4–4 ms once per load.
void returnFreedHeap()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

int checkRank(const QString &check)
{
    static const QStringList order {
        QStringLiteral("ok"), QStringLiteral("notes"), QStringLiteral("warnings"), QStringLiteral("errors")};
    return int(order.indexOf(check)) + 1;
}

} // namespace

DbtRunsModel::DbtRunsModel(StoreOptions options, QObject *parent)
    : QAbstractTableModel(parent)
    , m_options(std::move(options))
    , m_thread(new QThread(this))
    , m_worker(new DbtRunsWorker(m_options))
{
    m_worker->setReceiver(
        this, [this](quint64 ticket, const DbtRunsPage &page) { onPage(ticket, page); },
        [this](quint64 ticket, qint64 newestId, const QString &error) { onFinished(ticket, newestId, error); });
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->setObjectName(QStringLiteral("dbt runs"));
    m_thread->start();

    m_updateTimer.setSingleShot(true);
    m_updateTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_updateTimer, &QTimer::timeout, this, &DbtRunsModel::flushChanges);
    m_loadTimer.setSingleShot(true);
    m_loadTimer.setInterval(0);
    connect(&m_loadTimer, &QTimer::timeout, this, &DbtRunsModel::drainLoad);
}

DbtRunsModel::~DbtRunsModel()
{
    m_worker->supersede(std::numeric_limits<quint64>::max());
    m_thread->quit();
    m_thread->wait();
}

void DbtRunsModel::setSession(qint64 sessionId)
{
    m_session = sessionId;
    reload();
}

void DbtRunsModel::reload()
{
    m_fullTicket = ++m_ticket;
    m_worker->supersede(m_fullTicket);
    m_ready.clear();
    m_loadQueue.clear();
    m_loadTimer.stop();
    m_fullFinished = false;
    m_pending = StoreChange();
    m_newerInFlight = false;
    m_newerWanted = false;
    beginResetModel();
    m_index.clear();
    m_listeners.clear();
    m_visibleRows = 0;
    m_newestSeen = 0;
    endResetModel();
    if (!m_loading) {
        m_loading = true;
        emit loadingChanged(true);
    }
    const quint64 ticket = m_fullTicket;
    const qint64 session = m_session;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, ticket, session] { worker->load(ticket, session, 0); });
}

void DbtRunsModel::attachWriter(CaptureWriter *writer)
{
    writer->addObserver(this, [this](const StoreChange &change) { noteChange(change); });
}

void DbtRunsModel::noteChange(const StoreChange &change)
{
    m_pending.merge(change);
    scheduleFlush();
}

void DbtRunsModel::checkForNew()
{
    m_checkWanted = true;
    scheduleFlush();
}

void DbtRunsModel::scheduleFlush()
{
    if (m_updateTimer.isActive())
        return;
    const qint64 since = m_sinceUpdate.isValid() ? m_sinceUpdate.elapsed() : m_updateInterval;
    m_updateTimer.start(int(qMax<qint64>(0, m_updateInterval - since)));
}

void DbtRunsModel::onPage(quint64 ticket, const DbtRunsPage &page)
{
    if (ticket < m_fullTicket)
        return; // a load of an earlier session or before a reload
    for (qsizetype i = 0; i < page.deliveries.size(); ++i)
        m_listeners.insert(page.deliveries.at(i).captureId, page.listeners.value(i));
    if (ticket == m_fullTicket) {
        // Applied in slices between other events (drainLoad), whatever the worker's pace.
        if (!page.deliveries.isEmpty())
            m_loadQueue.append(page.deliveries);
        if (!m_loadTimer.isActive())
            m_loadTimer.start();
        return;
    }
    // New captures: held until the next tick so rows change at most once per interval.
    if (!page.deliveries.isEmpty())
        m_ready.append(page.deliveries);
    scheduleFlush();
}

void DbtRunsModel::onFinished(quint64 ticket, qint64 newestId, const QString &error)
{
    if (ticket < m_fullTicket)
        return;
    if (!error.isEmpty())
        emit errorOccurred(error);
    m_newestSeen = qMax(m_newestSeen, newestId);
    if (ticket == m_fullTicket && m_loading) {
        m_fullFinished = true;
        if (m_loadQueue.isEmpty())
            finishLoad();
        return;
    }
    m_newerInFlight = false;
    if (m_newerWanted) {
        m_newerWanted = false;
        requestNewer();
    }
}

void DbtRunsModel::drainLoad()
{
    // A slice of the queued deliveries per event-loop turn, so that painting and input go on
    // while a big store loads (the worker reads and parses faster than rows can be added).
    apply(m_loadQueue, loadSliceMs);
    if (!m_loadQueue.isEmpty()) {
        m_loadTimer.start();
        return;
    }
    if (m_fullFinished)
        finishLoad();
}

void DbtRunsModel::finishLoad()
{
    returnFreedHeap();
    m_fullFinished = false;
    m_loading = false;
    emit loadingChanged(false);
    emit loaded();
    if (m_newerWanted) {
        m_newerWanted = false;
        requestNewer();
    }
}

void DbtRunsModel::requestNewer()
{
    if (m_loading || m_newerInFlight) {
        m_newerWanted = true;
        return;
    }
    m_newerInFlight = true;
    const quint64 ticket = ++m_ticket;
    const qint64 session = m_session;
    const qint64 after = m_newestSeen;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, ticket, session, after] { worker->load(ticket, session, after); });
}

void DbtRunsModel::flushChanges()
{
    const StoreChange change = std::exchange(m_pending, StoreChange());
    auto listed = [this](const QList<qint64> &ids) {
        return std::any_of(ids.cbegin(), ids.cend(), [this](qint64 id) { return m_listeners.contains(id); });
    };
    const bool cleared = std::any_of(change.clearedSessions.cbegin(), change.clearedSessions.cend(),
        [this](qint64 session) { return m_session == 0 || m_session == session; });
    // Runs are rebuilt from all their deliveries: a deletion or a changed answer reloads (rare).
    if (cleared || listed(change.removedCaptures) || listed(change.updatedCaptures)) {
        reload();
        m_sinceUpdate.restart();
        ++m_liveUpdates;
        return;
    }
    if (!m_ready.isEmpty()) {
        apply(m_ready);
        m_sinceUpdate.restart();
        ++m_liveUpdates;
    }
    if (!change.addedCaptures.isEmpty() || std::exchange(m_checkWanted, false))
        requestNewer();
}

void DbtRunsModel::apply(DeliveryQueue &queue, qint64 budgetMs)
{
    QElapsedTimer clock;
    clock.start();
    const int old = m_visibleRows;
    int firstChanged = INT_MAX;
    int lastChanged = -1;
    qsizetype taken = 0;
    bool outOfTime = false;
    while (!queue.isEmpty() && !outOfTime) {
        QList<DbtDelivery> &page = queue.first();
        qsizetype done = 0;
        for (; done < page.size(); ++done, ++taken) {
            if (budgetMs >= 0 && taken % 32 == 0 && taken > 0 && clock.elapsed() >= budgetMs) {
                outOfTime = true;
                break;
            }
            const DbtRunIndex::Change change = m_index.add(std::move(page[done]));
            if (change.row >= 0 && change.row < old) {
                firstChanged = qMin(firstChanged, change.row);
                lastChanged = qMax(lastChanged, change.row);
            }
        }
        if (done < page.size())
            page.remove(0, done); // erasing at the front only moves the page's start
        else
            queue.removeFirst();
    }
    // One insertion and one change signal for the whole batch.
    if (m_index.size() > old) {
        beginInsertRows(QModelIndex(), old, m_index.size() - 1);
        m_visibleRows = m_index.size();
        endInsertRows();
    }
    if (lastChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
}

int DbtRunsModel::rowOfRun(const QString &runId) const
{
    const int row = m_index.rowOf(runId);
    return row < m_visibleRows ? row : -1;
}

QStringList DbtRunsModel::listenersOf(int row) const
{
    QStringList names;
    if (row < 0 || row >= m_visibleRows)
        return names;
    for (const DbtDelivery &delivery : m_index.deliveries(row)) {
        const QString name = m_listeners.value(delivery.captureId);
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

QList<int> DbtRunsModel::answers(const QString &listener) const
{
    QList<const DbtDelivery *> received;
    for (int row = 0; row < m_index.size(); ++row) {
        for (const DbtDelivery &delivery : m_index.deliveries(row)) {
            if (m_listeners.value(delivery.captureId) == listener)
                received.append(&delivery);
        }
    }
    std::sort(received.begin(), received.end(), [](const DbtDelivery *a, const DbtDelivery *b) {
        return a->receivedAtUs != b->receivedAtUs ? a->receivedAtUs < b->receivedAtUs : a->captureId < b->captureId;
    });
    QList<int> statuses;
    statuses.reserve(received.size());
    for (const DbtDelivery *delivery : std::as_const(received))
        statuses.append(delivery->responseStatus);
    return statuses;
}

void DbtRunsModel::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (m_visibleRows > 0)
        emit dataChanged(index(0, StatusColumn), index(m_visibleRows - 1, StatusColumn), {Qt::ForegroundRole});
}

QString DbtRunsModel::statusLabel(DbtRunStatus status)
{
    // dbt's own name for every status it sends; only "we could not tell" needs a word of ours.
    return status == DbtRunStatus::Unknown ? QStringLiteral("Unknown") : dbtRunStatusName(status);
}

QColor DbtRunsModel::statusColor(DbtRunStatus status, bool dark)
{
    // The verdict colours (contrast-checked on both palettes) plus the link blue for running.
    switch (status) {
    case DbtRunStatus::Success:
        return VerdictStyle::textColor(Verdict::Valid, dark);
    case DbtRunStatus::Errored:
        return VerdictStyle::textColor(Verdict::Invalid, dark);
    case DbtRunStatus::Cancelled:
        return VerdictStyle::textColor(Verdict::Unsigned, dark);
    case DbtRunStatus::Queued:
    case DbtRunStatus::Starting:
    case DbtRunStatus::Running:
        return httpStatusColor(302, dark);
    case DbtRunStatus::Unknown:
        break;
    }
    return VerdictStyle::textColor(Verdict::NoSecret, dark);
}

qint64 DbtRunsModel::startMs(const DbtRun &run)
{
    return run.startedAt.isValid() ? run.startedAt.msecsSinceEpoch() : run.firstReceivedUs / 1000;
}

qint64 DbtRunsModel::endMs(const DbtRun &run)
{
    const DbtTime end = run.endedAt();
    return qMax(end.isValid() ? end.msecsSinceEpoch() : run.lastReceivedUs / 1000, startMs(run));
}

QString DbtRunsModel::durationText(qint64 ms)
{
    return dbtDurationText(ms);
}

int DbtRunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_visibleRows;
}

int DbtRunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags DbtRunsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant DbtRunsModel::display(const DbtRun &run, int column) const
{
    switch (column) {
    case RunColumn:
        return run.runId;
    case JobColumn:
        return nameAndId(run.jobName, run.jobId);
    case EnvironmentColumn:
        return nameAndId(run.environmentName, run.environmentId);
    case ProjectColumn:
        return nameAndId(run.projectName, run.projectId);
    case StartedColumn:
        return run.startedAt.isValid() ? timeText(run.startedAt.utc()) : QStringLiteral("—");
    case EndedColumn:
        return run.endedAt().isValid() ? timeText(run.endedAt().utc()) : QStringLiteral("—");
    case DurationColumn:
        return run.durationMs() ? durationText(*run.durationMs()) : QStringLiteral("—");
    case StatusColumn:
        return statusLabel(run.status);
    case DeliveriesColumn:
        return run.deliveries;
    case DuplicatesColumn:
        return run.duplicates;
    case FailedColumn:
        return run.failedDeliveries;
    case CheckColumn:
        return checkLabel(run.worstCheck);
    }
    return {};
}

QVariant DbtRunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DbtRun &run = m_index.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(run, column);
    case Qt::AccessibleTextRole:
        if (column == StatusColumn)
            return QStringLiteral("Run status: %1").arg(statusLabel(run.status));
        return display(run, column);
    case RunIdRole:
        return run.runId;
    case StatusRole:
        return int(run.status);
    case Qt::ForegroundRole:
        if (column == StatusColumn)
            return statusColor(run.status, m_dark);
        if (column == FailedColumn && run.failedDeliveries > 0)
            return VerdictStyle::textColor(Verdict::Invalid, m_dark);
        return {};
    case Qt::TextAlignmentRole:
        if (column == DeliveriesColumn || column == DuplicatesColumn || column == FailedColumn
            || column == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case StartedColumn:
            return run.startedAt.isValid() ? QStringLiteral("runStartedAt %1").arg(run.startedAt.text()) : QString();
        case EndedColumn:
            if (run.finishedAt.isValid())
                return QStringLiteral("runFinishedAt %1").arg(run.finishedAt.text());
            if (run.erroredAt.isValid())
                return QStringLiteral("runErroredAt %1").arg(run.erroredAt.text());
            return QStringLiteral("Not finished (no completed or errored event yet)");
        case StatusColumn:
            return run.statusMessage.isEmpty() ? QString()
                                               : QStringLiteral("runStatusMessage: %1").arg(run.statusMessage);
        case DuplicatesColumn:
            return QStringLiteral("Deliveries whose eventId had arrived before (dbt Cloud's retries)");
        case FailedColumn:
            return QStringLiteral("Deliveries the listener did not answer with 2xx");
        default:
            return {};
        }
    case SortRole:
        switch (column) {
        case StartedColumn:
            return startMs(run);
        case EndedColumn:
            return run.endedAt().isValid() ? run.endedAt().msecsSinceEpoch() : std::numeric_limits<qint64>::max();
        case DurationColumn:
            return run.durationMs().value_or(-1);
        case StatusColumn:
            return int(run.status);
        case CheckColumn:
            return checkRank(run.worstCheck);
        case RunColumn: {
            // Numeric ids sort as numbers.
            bool numeric = false;
            const qlonglong id = run.runId.toLongLong(&numeric);
            return numeric ? QVariant(id) : QVariant(run.runId);
        }
        default:
            return display(run, column);
        }
    default:
        return {};
    }
}

QVariant DbtRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {"Run", "Job", "Environment", "Project", "Started", "Ended",
        "Duration", "Status", "Deliveries", "Duplicates", "Failed", "Check"};
    static const char *const tips[ColumnCount] = {"runId", "jobName · jobId", "environmentName · environmentId",
        "projectName · projectId", "runStartedAt (local time)", "runFinishedAt, else runErroredAt (local time)",
        "From the start to the finish or error", "How the run ended, as the most advanced event says",
        "Deliveries captured for the run", "Deliveries of an eventId already received (retries)",
        "Deliveries the listener did not answer with 2xx", "The worst payload check among the deliveries"};
    if (section < 0 || section >= ColumnCount)
        return {};
    return QString::fromLatin1(role == Qt::DisplayRole ? names[section] : tips[section]);
}

} // namespace hookbench
