#include "capturelistmodel.h"

#include "bytestext.h"
#include "capturequeryworker.h"
#include "widgets/verdictstyle.h"

#include <QDateTime>
#include <QThread>

#include <algorithm>

namespace hookbench {

namespace {

constexpr int maxRecordedUpdates = 10000;

QString timeText(qint64 receivedAtUs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(receivedAtUs / 1000).toLocalTime();
    if (time.date() == QDate::currentDate())
        return time.toString(QStringLiteral("HH:mm:ss.zzz"));
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

CaptureListModel::CaptureListModel(StoreOptions options, QObject *parent)
    : QAbstractTableModel(parent)
    , m_options(std::move(options))
    , m_store(std::make_unique<CaptureStore>())
    , m_thread(new QThread(this))
    , m_worker(new CaptureQueryWorker(m_options))
{
    m_clock.start();
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CaptureQueryWorker::idsReady, this, &CaptureListModel::onIdsReady);
    m_thread->setObjectName(QStringLiteral("capture queries"));
    m_thread->start();

    m_updateTimer.setSingleShot(true);
    m_updateTimer.setTimerType(Qt::PreciseTimer); // never early: the interval is a minimum
    connect(&m_updateTimer, &QTimer::timeout, this, &CaptureListModel::flushChanges);

    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        // Cheap (a pragma); a change means some connection committed: look for new captures.
        const qint64 version = m_store->dataVersion();
        if (m_dataVersion >= 0 && version != m_dataVersion) {
            m_pendingNewer = true;
            scheduleFlush();
        }
        m_dataVersion = version;
    });
}

void CaptureListModel::setPollInterval(int milliseconds)
{
    if (milliseconds <= 0) {
        m_poll.stop();
        return;
    }
    m_poll.setInterval(milliseconds);
    if (m_store->isOpen())
        m_poll.start();
}

CaptureListModel::~CaptureListModel()
{
    m_thread->quit();
    m_thread->wait();
}

bool CaptureListModel::open(QString *error)
{
    if (!m_store->open(m_options, CaptureStore::Missing::Create, error))
        return false;
    m_dataVersion = m_store->dataVersion();
    refresh();
    m_poll.start();
    return true;
}

void CaptureListModel::setFilter(const CaptureFilter &filter)
{
    m_filter = filter;
    refresh();
}

void CaptureListModel::refresh()
{
    m_fullTicket = ++m_ticket;
    m_worker->supersede(m_fullTicket);
    // New captures are covered by the full query; later ones by a query after it.
    m_pending.addedCaptures.clear();
    m_readyIds.clear();
    m_readySummaries.clear();
    m_pendingNewer = false;
    m_newerWanted = false;
    if (!m_loading) {
        m_loading = true;
        emit loadingChanged(true);
    }
    const quint64 ticket = m_fullTicket;
    const CaptureFilter filter = m_filter;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, ticket, filter] { worker->queryAll(ticket, filter); });
}

void CaptureListModel::attachWriter(CaptureWriter *writer)
{
    writer->addObserver(this, [this](const StoreChange &change) { noteChange(change); });
}

void CaptureListModel::noteChange(const StoreChange &change)
{
    m_pending.merge(change);
    scheduleFlush();
}

void CaptureListModel::setUpdateInterval(int milliseconds)
{
    m_updateInterval = milliseconds;
}

void CaptureListModel::scheduleFlush()
{
    if (m_updateTimer.isActive())
        return;
    // QTimer::start(ms) replaces the timer's interval, so the minimum lives in m_updateInterval.
    const qint64 since = m_sinceUpdate.isValid() ? m_sinceUpdate.elapsed() : m_updateInterval;
    m_updateTimer.start(int(qMax<qint64>(0, m_updateInterval - since)));
}

void CaptureListModel::cache(const QList<CaptureSummary> &summaries) const
{
    if (m_cache.size() + summaries.size() > maxCachedSummaries)
        m_cache.clear();
    for (const CaptureSummary &summary : summaries)
        m_cache.insert(summary.id, summary);
}

void CaptureListModel::onIdsReady(quint64 ticket, bool incremental, const QList<qint64> &ascendingIds, qint64 newestId,
    const QList<CaptureSummary> &newest, qint64 elapsedMs, const QString &error)
{
    if (!error.isEmpty())
        emit errorOccurred(error);
    if (!incremental) {
        if (ticket != m_fullTicket)
            return; // superseded by a newer filter
        beginResetModel();
        m_ids = ascendingIds;
        m_cache.clear();
        cache(newest);
        m_newestSeen = newestId;
        endResetModel();
        m_loading = false;
        emit loadingChanged(false);
        emit filterApplied(m_ids.size(), elapsedMs);
        if (m_newerWanted) {
            m_newerWanted = false;
            m_pendingNewer = true;
            scheduleFlush();
        }
        return;
    }
    m_newerInFlight = false;
    if (ticket < m_fullTicket) {
        // Asked under an older filter: the full query that followed covers it.
        return;
    }
    m_newestSeen = qMax(m_newestSeen, newestId);
    if (!ascendingIds.isEmpty()) {
        // Held until the next tick so that rows change at most once per interval.
        m_readyIds.append(ascendingIds);
        m_readySummaries.append(newest);
        scheduleFlush();
    }
    if (m_newerWanted) {
        m_newerWanted = false;
        m_pendingNewer = true;
        scheduleFlush();
    }
}

void CaptureListModel::requestNewer()
{
    if (m_loading) {
        m_newerWanted = true; // after the full query
        return;
    }
    if (m_newerInFlight) {
        m_newerWanted = true;
        return;
    }
    m_newerInFlight = true;
    const quint64 ticket = ++m_ticket;
    const CaptureFilter filter = m_filter;
    const qint64 after = m_newestSeen;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, ticket, filter, after] { worker->queryNewer(ticket, filter, after); });
}

void CaptureListModel::flushChanges()
{
    const StoreChange change = std::exchange(m_pending, StoreChange());
    bool changed = false;

    const bool cleared = std::any_of(change.clearedSessions.cbegin(), change.clearedSessions.cend(),
        [this](qint64 session) { return m_filter.sessionId == 0 || m_filter.sessionId == session; });
    if (cleared) {
        m_readyIds.clear();
        m_readySummaries.clear();
        refresh();
        m_sinceUpdate.restart();
        ++m_liveUpdates;
        m_liveUpdateTimes.append(m_clock.elapsed());
        return;
    }

    if (!m_readyIds.isEmpty()) {
        cache(std::exchange(m_readySummaries, {}));
        QList<qint64> ids = std::exchange(m_readyIds, {});
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        // Only ids newer than every listed one go on top (they always are: ids grow).
        const qint64 top = m_ids.isEmpty() ? 0 : m_ids.last();
        ids.erase(std::remove_if(ids.begin(), ids.end(), [top](qint64 id) { return id <= top; }), ids.end());
        if (!ids.isEmpty()) {
            beginInsertRows(QModelIndex(), 0, int(ids.size()) - 1);
            m_ids.append(ids);
            endInsertRows();
            emit newRowsArrived(int(ids.size()));
            changed = true;
        }
    }
    if (!change.removedCaptures.isEmpty()) {
        const qsizetype before = m_ids.size();
        removeIds(change.removedCaptures);
        changed = changed || m_ids.size() != before;
    }
    if (!change.updatedCaptures.isEmpty()) {
        int first = -1;
        int last = -1;
        for (const qint64 id : change.updatedCaptures) {
            m_cache.remove(id);
            const int row = rowOf(id);
            if (row < 0)
                continue;
            first = first < 0 ? row : qMin(first, row);
            last = qMax(last, row);
        }
        if (first >= 0) {
            emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
            changed = true;
        }
    }
    if (!change.addedCaptures.isEmpty() || m_pendingNewer) {
        m_pendingNewer = false;
        requestNewer();
    }
    if (changed) {
        m_sinceUpdate.restart();
        ++m_liveUpdates;
        if (m_liveUpdateTimes.size() < maxRecordedUpdates)
            m_liveUpdateTimes.append(m_clock.elapsed());
    }
}

qsizetype CaptureListModel::positionOf(qint64 id) const
{
    const auto it = std::lower_bound(m_ids.cbegin(), m_ids.cend(), id);
    return it != m_ids.cend() && *it == id ? it - m_ids.cbegin() : -1;
}

void CaptureListModel::removeIds(const QList<qint64> &ids)
{
    QList<qsizetype> positions;
    for (const qint64 id : ids) {
        const qsizetype position = positionOf(id);
        if (position >= 0)
            positions.append(position);
        m_cache.remove(id);
    }
    std::sort(positions.begin(), positions.end(), std::greater<>());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    // Highest positions first (the top rows): each run of consecutive positions is one range.
    qsizetype i = 0;
    while (i < positions.size()) {
        qsizetype j = i;
        while (j + 1 < positions.size() && positions.at(j + 1) == positions.at(j) - 1)
            ++j;
        const qsizetype high = positions.at(i);
        const qsizetype low = positions.at(j);
        const int firstRow = int(m_ids.size() - 1 - high);
        const int lastRow = int(m_ids.size() - 1 - low);
        beginRemoveRows(QModelIndex(), firstRow, lastRow);
        m_ids.remove(low, high - low + 1);
        endRemoveRows();
        i = j + 1;
    }
}

qint64 CaptureListModel::idAt(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return 0;
    return m_ids.at(m_ids.size() - 1 - row);
}

int CaptureListModel::rowOf(qint64 id) const
{
    const qsizetype position = positionOf(id);
    return position < 0 ? -1 : int(m_ids.size() - 1 - position);
}

const CaptureSummary *CaptureListModel::summaryForRow(int row) const
{
    const qint64 id = idAt(row);
    if (!id)
        return nullptr;
    auto it = m_cache.constFind(id);
    if (it != m_cache.cend())
        return &it.value();
    // Read the page around the row in one query: views ask for neighbouring rows next.
    const int first = row - row % pageSize;
    const int last = qMin(int(m_ids.size()), first + pageSize) - 1;
    QList<qint64> wanted;
    for (int r = first; r <= last; ++r) {
        const qint64 pageId = idAt(r);
        if (!m_cache.contains(pageId))
            wanted.append(pageId);
    }
    QString error;
    const QList<CaptureSummary> summaries = m_store->summariesFor(wanted, &error);
    m_summariesRead += summaries.size();
    cache(summaries);
    it = m_cache.constFind(id);
    return it != m_cache.cend() ? &it.value() : nullptr;
}

std::optional<CaptureSummary> CaptureListModel::summaryAt(int row) const
{
    const CaptureSummary *summary = summaryForRow(row);
    return summary ? std::optional<CaptureSummary>(*summary) : std::nullopt;
}

std::optional<Capture> CaptureListModel::capture(qint64 id, QString *error) const
{
    return m_store->capture(id, error);
}

void CaptureListModel::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_ids.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

int CaptureListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int CaptureListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags CaptureListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant CaptureListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == IdRole)
        return idAt(index.row());
    const bool wanted = role == Qt::DisplayRole || role == Qt::DecorationRole || role == Qt::ForegroundRole
        || role == Qt::ToolTipRole || role == Qt::TextAlignmentRole || role == VerdictRole || role == ResponseStatusRole
        || role == Qt::AccessibleTextRole;
    if (!wanted)
        return {};
    if (role == Qt::TextAlignmentRole) {
        if (index.column() == SizeColumn || index.column() == StatusColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    const CaptureSummary *summary = summaryForRow(index.row());
    if (!summary)
        return {};
    const CaptureSummary &s = *summary;
    if (role == VerdictRole)
        return verdictName(s.verdict);
    if (role == ResponseStatusRole)
        return s.responseStatus;

    switch (index.column()) {
    case TimeColumn:
        if (role == Qt::DisplayRole)
            return timeText(s.receivedAtUs);
        if (role == Qt::ToolTipRole)
            return QStringLiteral("Capture %1, received %2 on %3")
                .arg(s.id)
                .arg(formatTimestampUs(s.receivedAtUs), s.listener);
        break;
    case MethodColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return displayBytes(s.method, 20);
        break;
    case PathColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return displayBytes(s.target, 300);
        if (role == Qt::ToolTipRole)
            return displayBytes(s.target, 2000);
        break;
    case SizeColumn:
        if (role == Qt::DisplayRole)
            return formatSize(s.bodySize);
        if (role == Qt::ToolTipRole)
            return QStringLiteral("%1 bytes").arg(s.bodySize);
        break;
    case VerdictColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return VerdictStyle::label(s.verdict);
        if (role == Qt::DecorationRole)
            return VerdictStyle::icon(s.verdict);
        if (role == Qt::ForegroundRole)
            return VerdictStyle::textColor(s.verdict, m_dark);
        break;
    case EventColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return s.dbtEventType;
        break;
    case StatusColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return s.responseStatus > 0 ? QString::number(s.responseStatus) : QStringLiteral("—");
        if (role == Qt::ForegroundRole)
            return httpStatusColor(s.responseStatus, m_dark);
        if (role == Qt::ToolTipRole && s.responseStatus == 0)
            return QStringLiteral("Closed without answering");
        break;
    }
    return {};
}

QVariant CaptureListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return QStringLiteral("Time");
    case MethodColumn:
        return QStringLiteral("Method");
    case PathColumn:
        return QStringLiteral("Path");
    case SizeColumn:
        return QStringLiteral("Size");
    case VerdictColumn:
        return QStringLiteral("Verdict");
    case EventColumn:
        return QStringLiteral("dbt event");
    case StatusColumn:
        return QStringLiteral("Status");
    }
    return {};
}

} // namespace hookbench
