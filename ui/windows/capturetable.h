#pragma once

#include <QList>
#include <QObject>

class QAction;
class QTableView;
class QWidget;

namespace hookbench {

class CaptureDetailView;
class CaptureListModel;

// The capture list's table: its columns and look, the selection as capture ids, the current
// row's capture in the details view, and following the newest delivery (the "follow" action).
// The actions, the replay and the runs all ask it which captures the user means, so that answer
// lives in one place rather than in the window.
class CaptureTable : public QObject
{
    Q_OBJECT

public:
    CaptureTable(QWidget *window, QTableView *table, CaptureListModel *model, CaptureDetailView *details);

    QTableView *view() const { return m_table; }
    CaptureListModel *model() const { return m_model; }
    CaptureDetailView *details() const { return m_details; }

    // The selected captures; none selected: the one shown, if any.
    QList<qint64> selectedIds() const;
    int currentRow() const;
    void selectRow(int row);
    // Selects these captures; returns how many are listed (the filter may hide some).
    int select(const QList<qint64> &ids);

    bool isFollowing() const;
    void setFollowing(bool follow);

signals:
    void captureShown(qint64 id);
    void message(const QString &text);

private:
    void showCurrent();
    void rowsArrived(int count);

    QTableView *m_table;
    CaptureListModel *m_model;
    CaptureDetailView *m_details;
    QAction *m_follow;
    qint64 m_shownId = 0;
};

} // namespace hookbench
