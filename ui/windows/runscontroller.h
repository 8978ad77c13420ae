#pragma once

#include "capture/httprequest.h"

#include <QObject>

class QMenu;
class QTabWidget;
class QWidget;

namespace hookbench {

class CaptureListModel;
class CaptureTable;
class CaptureWriter;
class DbtEventDialog;
class DbtRunsModel;
class ListenerPanel;
class RunsView;
class SecretKeeper;
class Theme;

// Everything dbt-specific in the workbench: the Runs tab (its model follows the session the
// capture list shows), the "&dbt" menu it owns and the window places, and New dbt event.
class RunsController : public QObject
{
    Q_OBJECT

public:
    // `session`: the session the capture list shows now.
    RunsController(QWidget *window, QTabWidget *workspace, CaptureTable *captures, CaptureWriter *writer,
        ListenerPanel *listeners, SecretKeeper *keeper, Theme *theme, qint64 session);
    // The view goes before its model.
    ~RunsController() override;

    RunsView *view() const { return m_view; }
    DbtRunsModel *model() const { return m_model; }
    QMenu *menu() const { return m_menu; }

    void showRuns();
    // Opens "New dbt event" (created on first use, kept for the session).
    DbtEventDialog *newDbtEvent();

signals:
    // A run's captures are about to be selected in the capture table: its tab should show.
    void capturesTabWanted();
    void openInEditorRequested(const hookbench::HttpRequest &request);
    void message(const QString &text);

private:
    QWidget *m_window;
    QTabWidget *m_workspace;
    CaptureListModel *m_captures;
    ListenerPanel *m_listeners;
    SecretKeeper *m_keeper;
    DbtRunsModel *m_model;
    RunsView *m_view;
    QMenu *m_menu;
    DbtEventDialog *m_dbtEventDialog = nullptr;
};

} // namespace hookbench
