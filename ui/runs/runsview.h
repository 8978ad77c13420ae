#pragma once

#include "dbt/dbtdeactivation.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace hookbench {

class DbtRunsModel;
class RunTimeline;
struct FaultConfig;
struct ResponseConfig;

// The Runs tab: the timeline above the table of runs (newest first), and below them the selected
// run's deliveries in arrival order and, when the listener's answers made deliveries fail, what
// dbt Cloud would have done about it. The timeline and the table share one selection. "Show
// captures" (or a double-click) asks the window to select the run's captures.
class RunsView : public QWidget
{
    Q_OBJECT

public:
    explicit RunsView(DbtRunsModel *model, QWidget *parent = nullptr);

    DbtRunsModel *model() const { return m_model.data(); }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    RunTimeline *timeline() const { return m_timeline; }
    QLabel *detailLabel() const { return m_detail; }
    QLabel *noteLabel() const { return m_note; }
    QPushButton *showCapturesButton() const { return m_showCaptures; }

    // The selected run as a row of the model (-1: none), and selecting one (from either view).
    int selectedRow() const;
    void selectRow(int row);
    bool selectRun(const QString &runId);
    // How a listener's answers are set up, in words ("fail first 5"), to say why deliveries failed.
    void setFaultDescriber(std::function<QString(const QString &listener)> describer);
    void setDark(bool dark);

    // The note's text for one endpoint: empty when nothing would have happened.
    static QString deactivationNote(const DbtDeactivation &deactivation, const QString &faultMode);
    // "fail first 5", "fail 30% with 503", "close without answering", "answer 404"; empty when
    // the listener answers every request normally.
    static QString faultModeText(const ResponseConfig &response, const FaultConfig &faults);

signals:
    void showCapturesRequested(const QList<qint64> &captureIds);

private:
    void updateDetails();
    void updateSummary();
    void showCaptures();

    QPointer<DbtRunsModel> m_model; // owned elsewhere; may go first when the window closes
    QSortFilterProxyModel *m_proxy;
    RunTimeline *m_timeline;
    QTableView *m_table;
    QToolButton *m_fit;
    QLabel *m_summary;
    QLabel *m_legend;
    QLabel *m_detail;
    QLabel *m_note;
    QPushButton *m_showCaptures;
    std::function<QString(const QString &)> m_describeFaults;
    QTimer m_refresh;
    bool m_dark = false;
    bool m_syncing = false;
};

} // namespace hookbench
