#include "attempthistorymodel.h"

#include "models/bytestext.h"
#include "replay/requestwire.h"
#include "responseview.h"
#include "widgets/verdictstyle.h"

#include <algorithm>

namespace hookbench {

QString attemptTarget(const Attempt &attempt)
{
    const QUrl &url = attempt.request.url;
    const QString origin = url.toString(
        QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
    return origin + displayBytes(requestTarget(attempt.request), 300);
}

AttemptHistoryModel::AttemptHistoryModel(QObject *parent) : QAbstractTableModel(parent)
{ }

void AttemptHistoryModel::setAttempts(QList<Attempt> attempts)
{
    std::sort(attempts.begin(), attempts.end(), [](const Attempt &a, const Attempt &b) { return a.id > b.id; });
    // The common refresh: new attempts on top of the same list. Insert them instead of a reset.
    const qsizetype added = attempts.size() - m_attempts.size();
    bool grewOnTop = added > 0;
    for (qsizetype i = 0; grewOnTop && i < m_attempts.size(); ++i)
        grewOnTop = attempts.at(added + i).id == m_attempts.at(i).id;
    const bool same = added == 0
        && std::equal(attempts.cbegin(), attempts.cend(), m_attempts.cbegin(),
            [](const Attempt &a, const Attempt &b) { return a.id == b.id; });
    if (same) {
        m_attempts = std::move(attempts);
        if (!m_attempts.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    if (grewOnTop) {
        beginInsertRows({}, 0, int(added - 1));
        m_attempts = std::move(attempts);
        endInsertRows();
        return;
    }
    beginResetModel();
    m_attempts = std::move(attempts);
    endResetModel();
}

int AttemptHistoryModel::rowOf(qint64 attemptId) const
{
    for (qsizetype i = 0; i < m_attempts.size(); ++i) {
        if (m_attempts.at(i).id == attemptId)
            return int(i);
    }
    return -1;
}

void AttemptHistoryModel::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_attempts.isEmpty())
        emit dataChanged(index(0, StatusColumn), index(rowCount() - 1, StatusColumn), {Qt::ForegroundRole});
}

int AttemptHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_attempts.size());
}

int AttemptHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttemptHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Attempt &attempt = m_attempts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return formatTimestampUs(attempt.startedAtUs, true);
        case KindColumn:
            return attemptKindName(attempt.kind);
        case StatusColumn:
            return attempt.failure == Attempt::Failure::None ? QString::number(attempt.status)
                                                             : attemptFailureName(attempt.failure);
        case FirstByteColumn:
            return formatDurationUs(attempt.timeToFirstByteUs);
        case TotalColumn:
            return formatDurationUs(attempt.totalUs);
        case TargetColumn:
            return attemptTarget(attempt);
        }
        break;
    case Qt::ToolTipRole:
        if (attempt.failure != Attempt::Failure::None)
            return attempt.error;
        if (index.column() == TimeColumn)
            return formatTimestampUs(attempt.startedAtUs);
        break;
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn)
            return httpStatusColor(attempt.failure == Attempt::Failure::None ? attempt.status : 0, m_dark);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == FirstByteColumn || index.column() == TotalColumn || index.column() == StatusColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case AttemptIdRole:
        return attempt.id;
    }
    return {};
}

QVariant AttemptHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return QStringLiteral("Time");
    case KindColumn:
        return QStringLiteral("Kind");
    case StatusColumn:
        return QStringLiteral("Status");
    case FirstByteColumn:
        return QStringLiteral("First byte");
    case TotalColumn:
        return QStringLiteral("Total");
    case TargetColumn:
        return QStringLiteral("Target");
    }
    return {};
}

} // namespace hookbench
