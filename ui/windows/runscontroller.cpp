#include "runscontroller.h"

#include "capturetable.h"
#include "models/capturelistmodel.h"
#include "runs/dbteventdialog.h"
#include "runs/dbtrunsmodel.h"
#include "runs/runsview.h"
#include "store/capturewriter.h"
#include "widgets/listenerpanel.h"
#include "widgets/theme.h"
#include "windowaction.h"

#include <QMenu>
#include <QTabBar>
#include <QTabWidget>

namespace hookbench {

RunsController::RunsController(QWidget *window, QTabWidget *workspace, CaptureTable *captures, CaptureWriter *writer,
    ListenerPanel *listeners, SecretKeeper *keeper, Theme *theme, qint64 session)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_captures(captures->model())
    , m_listeners(listeners)
    , m_keeper(keeper)
    , m_model(new DbtRunsModel(writer->options(), this))
    , m_view(new RunsView(m_model))
    , m_menu(new QMenu(QStringLiteral("&dbt"), window))
{
    m_model->attachWriter(writer);
    m_view->setDark(theme->isDark());
    connect(theme, &Theme::changed, m_view, &RunsView::setDark);
    m_view->setFaultDescriber([this](const QString &listener) {
        ListenerBar *bar = m_listeners ? m_listeners->barFor(listener) : nullptr;
        return bar ? RunsView::faultModeText(bar->settings().response, bar->settings().faults) : QString();
    });
    connect(m_view, &RunsView::showCapturesRequested, this, [this, captures](const QList<qint64> &ids) {
        emit capturesTabWanted();
        const int listed = captures->select(ids);
        if (listed < ids.size())
            emit message(QStringLiteral("%1 of the run's %2 captures are hidden by the filter.")
                             .arg(ids.size() - listed)
                             .arg(ids.size()));
    });
    connect(m_model, &DbtRunsModel::errorOccurred, this, &RunsController::message);
    // New rows in the list may come from another process writing the store (its polling).
    connect(m_captures, &CaptureListModel::newRowsArrived, m_model, &DbtRunsModel::checkForNew);
    // The runs follow the session the capture list shows.
    connect(m_captures, &CaptureListModel::filterApplied, this, [this] {
        if (m_captures->filter().sessionId != m_model->session())
            m_model->setSession(m_captures->filter().sessionId);
    });
    m_model->setSession(session);
    const int runsTab = m_workspace->insertTab(1, m_view, QStringLiteral("Runs"));
    // Only editor tabs close; the runs stay like the captures.
    m_workspace->tabBar()->setTabButton(runsTab, QTabBar::RightSide, nullptr);
    m_workspace->tabBar()->setTabButton(runsTab, QTabBar::LeftSide, nullptr);

    QAction *newEvent = addWindowAction(window, QStringLiteral("newDbtEvent"), QStringLiteral("New dbt &event…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    newEvent->setToolTip(QStringLiteral("Send a signed dbt Cloud event or run to a listener or URL"));
    connect(newEvent, &QAction::triggered, this, [this] { newDbtEvent(); });
    QAction *runs = addWindowAction(window, QStringLiteral("showRuns"), QStringLiteral("Show &runs"));
    connect(runs, &QAction::triggered, this, &RunsController::showRuns);
    m_menu->addAction(newEvent);
    m_menu->addAction(runs);
}

RunsController::~RunsController()
{
    delete m_view;
    delete m_model;
}

void RunsController::showRuns()
{
    m_workspace->setCurrentWidget(m_view);
}

DbtEventDialog *RunsController::newDbtEvent()
{
    if (!m_dbtEventDialog) {
        m_dbtEventDialog = new DbtEventDialog(m_listeners, m_keeper, m_window);
        connect(m_dbtEventDialog, &DbtEventDialog::openInEditorRequested, this, &RunsController::openInEditorRequested);
    }
    m_dbtEventDialog->show();
    m_dbtEventDialog->raise();
    m_dbtEventDialog->activateWindow();
    return m_dbtEventDialog;
}

} // namespace hookbench
