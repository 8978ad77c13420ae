#pragma once

#include "capture/httprequest.h"
#include "captureactions.h"
#include "capturetable.h"
#include "editorcontroller.h"
#include "runscontroller.h"
#include "secrets/secretvault.h"
#include "sessioncontroller.h"
#include "store/capturewriter.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QSettings;
class QSplitter;
class QTabWidget;
class QTableView;

namespace hookbench {

class CaptureDetailView;
class CaptureListModel;
class DbtEventDialog;
class DbtRunsModel;
class FilterBar;
class ListenerPanel;
class ReplayController;
class RequestEditor;
class RunsView;
class SecretKeeper;
class Theme;

struct MainWindowOptions
{
    StoreOptions store; // path empty: the default store
    std::optional<quint16> port; // the first listener listens on this port and starts
    bool autoStart = true; // start the listeners that were running (and the first one on a first run)
    QSettings *settings = nullptr; // null: the application's QSettings
    // The persistent vault offered for secrets; null: the OS keychain (probed at start).
    std::unique_ptr<SecretVault> keychain;
    bool useKeychain = true; // false: secrets never leave the session (tests, --no-keychain)
    QString exportDirectory; // where curl body files go; empty: CaptureExport::defaultDirectory()
};

// The workbench: listeners at the top, the capture list (filter bar, newest first, follow the
// tail) beside the selected capture's details, actions in menus with shortcuts. The captures
// tab sits in a tab widget so later views (request editor, runs, replay history) become tabs
// next to it. Window state, listeners (not their secrets) and choices persist in QSettings.
// The window lays out and composes; each feature's wiring is a controller of its own
// (CaptureTable, CaptureActions, SessionController, EditorController, ReplayController,
// RunsController); the methods below that belong to a feature forward to its controller.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(MainWindowOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the store (creating it when missing) and restores the listeners. False with a
    // one-line error when the store can't be used.
    bool open(QString *error);

    CaptureWriter *writer() const { return m_writer.get(); }
    CaptureListModel *model() const { return m_model; }
    QTableView *captureTable() const { return m_table; }
    CaptureDetailView *details() const { return m_details; }
    ListenerPanel *listeners() const { return m_listeners; }
    FilterBar *filterBar() const { return m_filterBar; }
    QTabWidget *workspace() const { return m_workspace; }
    SecretKeeper *secrets() const { return m_keeper; }
    Theme *theme() const { return m_theme; }
    bool isFollowing() const { return m_captureTable->isFollowing(); }
    void setFollowing(bool follow) { m_captureTable->setFollowing(follow); }
    qint64 currentSession() const;
    QAction *action(const QString &name) const; // by objectName, e.g. "copyAsCurl"

    // Actions, also reachable from the menus and shortcuts.
    void copyAsCurl() { m_captureActions->copyAsCurl(); }
    void copyBody() { m_captureActions->copyBody(); }
    void saveBody() { m_captureActions->saveBody(); }
    void deleteSelected() { m_captureActions->deleteSelected(); }
    void clearSession(bool confirm = true) { m_sessionController->clear(confirm); }
    void newSession(const QString &name = {}) { m_sessionController->create(name); }
    void switchSession(qint64 sessionId) { m_sessionController->switchTo(sessionId); }
    void revealStore() { m_captureActions->revealStore(); }
    QList<qint64> selectedIds() const { return m_captureTable->selectedIds(); }
    void selectRow(int row) { m_captureTable->selectRow(row); }

    // dbt runs (the Runs tab) and the New dbt event dialog.
    RunsView *runsView() const { return m_runsController ? m_runsController->view() : nullptr; }
    DbtRunsModel *runsModel() const { return m_runsController ? m_runsController->model() : nullptr; }
    // Selects these captures in the Captures tab (and shows it); returns how many are listed
    // there (the filter may hide some).
    int selectCaptures(const QList<qint64> &ids);
    void showRuns() { m_runsController->showRuns(); }
    // Opens "New dbt event" (created on first use, kept for the session).
    DbtEventDialog *newDbtEvent() { return m_runsController->newDbtEvent(); }

    // Request editor (ui/editor): each open editor is a closable tab of the workspace.
    void editSelectedCapture() { m_editorController->editSelectedCapture(); }
    void newRequest() { m_editorController->newRequest(); }
    QList<RequestEditor *> editors() const
    {
        return m_editorController ? m_editorController->editors() : QList<RequestEditor *>();
    }

public slots:
    // Opens `request` in a new editor tab, linked to `sourceCaptureId` (0: none) for the
    // signature badge, the attempt history and the attempts' capture link.
    void openRequestInEditor(const hookbench::HttpRequest &request, qint64 sourceCaptureId = 0)
    {
        m_editorController->open(request, sourceCaptureId);
    }

signals:
    void captureShown(qint64 id);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildLayout();
    void buildActions();
    void buildMenus();
    void addFeatureMenu(QMenu *menu);
    void restoreSettings();
    void saveSettings();
    void applyFilter();
    void showCurrent();
    void updateStatus();
    void setStatus(const QString &message);

    MainWindowOptions m_options;
    QSettings *m_settings;
    std::unique_ptr<QSettings> m_ownedSettings;
    std::unique_ptr<CaptureWriter> m_writer;
    Theme *m_theme;
    SecretKeeper *m_keeper;
    CaptureListModel *m_model = nullptr;
    ListenerPanel *m_listeners = nullptr;
    QTabWidget *m_workspace;
    QWidget *m_capturesTab = nullptr;
    QComboBox *m_sessions;
    FilterBar *m_filterBar;
    QTableView *m_table;
    QSplitter *m_splitter;
    CaptureDetailView *m_details;
    QLabel *m_storeLabel;
    QLabel *m_countLabel;
    QActionGroup *m_appearance = nullptr;
    CaptureTable *m_captureTable = nullptr;
    CaptureActions *m_captureActions = nullptr;
    SessionController *m_sessionController = nullptr;
    EditorController *m_editorController = nullptr;
    ReplayController *m_replayController = nullptr;
    RunsController *m_runsController = nullptr;
    qint64 m_matches = 0;
    qint64 m_filterMs = 0;
};

} // namespace hookbench
