#pragma once

#include "capture/attempt.h"

#include <QAbstractTableModel>
#include <QList>

namespace hookbench {

// The attempts made for the editor's source capture (or, for a blank request, the store's
// recent attempts), newest first: time, kind, status (or the failure), time to first byte,
// total, target. Holds full attempts so that one can be shown or compared without a query.
class AttemptHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptHistoryModel)

public:
    enum Column { TimeColumn, KindColumn, StatusColumn, FirstByteColumn, TotalColumn, TargetColumn, ColumnCount };
    enum Role { AttemptIdRole = Qt::UserRole + 1 };

    explicit AttemptHistoryModel(QObject *parent = nullptr);

    // Any order in; newest (highest id) first out. Keeps rows whose ids stay (no reset when the
    // list only grew), so a selection survives a refresh.
    void setAttempts(QList<Attempt> attempts);
    const Attempt &attemptAt(int row) const { return m_attempts.at(row); }
    int rowOf(qint64 attemptId) const;
    void setDark(bool dark);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Attempt> m_attempts;
    bool m_dark = false;
};

// "https://host:port/path?query" of what an attempt sent.
QString attemptTarget(const Attempt &attempt);

} // namespace hookbench
