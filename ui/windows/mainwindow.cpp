#include "mainwindow.h"

#include "dbt/dbtsummary.h"
#include "listenersettingsstore.h"
#include "models/captureexport.h"
#include "models/capturelistmodel.h"
#include "models/dbtcardinfo.h"
#include "replaycontroller.h"
#include "secrets/keychainsecretvault.h"
#include "secrets/secretkeeper.h"
#include "widgets/capturedetailview.h"
#include "widgets/filterbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/overviewview.h"
#include "widgets/signatureview.h"
#include "widgets/theme.h"
#include "widgets/verdictstyle.h"
#include "windowaction.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace hookbench {

MainWindow::MainWindow(MainWindowOptions options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(std::move(options))
    , m_settings(m_options.settings)
    , m_theme(new Theme(this))
    , m_keeper(nullptr)
    , m_workspace(new QTabWidget)
    , m_sessions(new QComboBox)
    , m_filterBar(new FilterBar)
    , m_table(new QTableView)
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_details(nullptr)
    , m_storeLabel(new QLabel)
    , m_countLabel(new QLabel)
{
    initUiResources();
    setWindowTitle(QStringLiteral("Hookbench"));
    setWindowIcon(appIcon());
    if (!m_settings) {
        m_ownedSettings = std::make_unique<QSettings>();
        m_settings = m_ownedSettings.get();
    }
    std::unique_ptr<SecretVault> keychain;
    bool probeKeychain = false;
    if (m_options.useKeychain) {
        if (m_options.keychain) {
            keychain = std::move(m_options.keychain);
        } else {
            keychain = std::make_unique<KeychainSecretVault>();
            probeKeychain = true;
        }
    }
    const bool injected = keychain && !probeKeychain;
    m_keeper = new SecretKeeper(std::move(keychain), m_settings, this);
    if (injected)
        m_keeper->setKeychainAvailable(true);
    if (probeKeychain) {
        // The OS keychain answers (or not) in the background; until then secrets stay in memory.
        KeychainSecretVault::probe(this, [this](bool available, const QString &why) {
            m_keeper->setKeychainAvailable(available, why);
            if (available && m_listeners) {
                for (ListenerBar *bar : m_listeners->bars())
                    m_keeper->load(bar->secretKey());
            }
        });
    }
    connect(m_keeper, &SecretKeeper::problem, this, &MainWindow::setStatus);
    m_details = new CaptureDetailView(m_keeper);
}

MainWindow::~MainWindow()
{
    // A replay in flight stops first: it reads through the model's store and writes through the writer.
    delete m_replayController;
    m_replayController = nullptr;
    // Listeners answer their pending requests while the writer still exists; then the model's
    // worker thread and the writer stop.
    delete m_listeners;
    m_listeners = nullptr;
    delete m_model;
    m_model = nullptr;
    delete m_runsController; // its view before its model
    m_runsController = nullptr;
    m_writer.reset();
}

bool MainWindow::open(QString *error)
{
    StoreOptions storeOptions = m_options.store;
    if (storeOptions.path.isEmpty())
        storeOptions.path = defaultStorePath();
    m_writer = std::make_unique<CaptureWriter>(storeOptions);
    if (!m_writer->open(error))
        return false;
    m_model = new CaptureListModel(storeOptions, this);
    if (!m_model->open(error))
        return false;
    m_model->attachWriter(m_writer.get());
    m_sessionController = new SessionController(this, m_sessions, m_writer.get(), m_model, m_settings);
    connect(m_sessionController, &SessionController::sessionShown, this,
        [this](const QString &name) { setWindowTitle(QStringLiteral("%1 — Hookbench").arg(name)); });
    connect(m_sessionController, &SessionController::switched, this, &MainWindow::applyFilter);
    connect(m_sessionController, &SessionController::message, this, &MainWindow::setStatus);
    m_model->setDark(m_theme->isDark());
    connect(m_theme, &Theme::changed, m_model, &CaptureListModel::setDark);

    // Listeners.
    m_listeners = new ListenerPanel(m_writer.get(), m_keeper);
    // dbt Cloud events get their summary fields before they are stored (list column, filter).
    m_listeners->setCaptureDecorator(applyDbtSummary);
    m_details->overview()->setDbtCardProvider(dbtCardFromPayload);
    connect(m_listeners, &ListenerPanel::message, this, &MainWindow::setStatus);
    connect(m_listeners, &ListenerPanel::settingsChanged, this, &MainWindow::saveSettings);
    connect(m_listeners, &ListenerPanel::profilesChanged, this, [this] {
        if (m_details->hasCapture())
            m_details->signature()->setCapture(m_details->capture());
    });
    m_details->signature()->setProfileLookup(
        [this](const Capture &capture) { return m_listeners->checkProfile(capture.listener); });

    // Capture list.
    m_captureTable = new CaptureTable(this, m_table, m_model, m_details);
    connect(m_captureTable, &CaptureTable::captureShown, this, &MainWindow::captureShown);
    connect(m_captureTable, &CaptureTable::message, this, &MainWindow::setStatus);
    connect(m_model, &CaptureListModel::filterApplied, this, [this](qint64 matches, qint64 elapsedMs) {
        m_matches = matches;
        m_filterMs = elapsedMs;
        updateStatus();
    });
    connect(m_model, &CaptureListModel::rowsInserted, this, &MainWindow::updateStatus);
    connect(m_model, &CaptureListModel::rowsRemoved, this, &MainWindow::updateStatus);
    connect(m_model, &CaptureListModel::errorOccurred, this, &MainWindow::setStatus);
    connect(m_model, &CaptureListModel::loadingChanged, this, &MainWindow::updateStatus);

    connect(m_filterBar, &FilterBar::filterChanged, this, &MainWindow::applyFilter);

    buildLayout();
    buildActions();
    buildMenus();

    // The features: each controller makes its actions, menu and tabs, and reports through setStatus.
    m_editorController
        = new EditorController(this, m_workspace, m_captureTable, m_writer.get(), m_listeners, m_theme, m_settings);
    connect(m_editorController, &EditorController::message, this, &MainWindow::setStatus);
    addFeatureMenu(m_editorController->menu());
    m_table->addAction(action(QStringLiteral("editCapture")));
    // Delete acts on the capture list, which is out of sight in an editor tab: there the key
    // belongs to the editor (it removes headers), never to captures the user can't see.
    connect(m_workspace, &QTabWidget::currentChanged, this, [this] {
        action(QStringLiteral("deleteCaptures"))->setEnabled(m_workspace->currentWidget() == m_capturesTab);
    });
    m_replayController = new ReplayController(this, m_captureTable, m_writer.get(), m_keeper, m_settings);
    connect(m_replayController, &ReplayController::message, this, &MainWindow::setStatus);
    connect(this, &MainWindow::captureShown, m_replayController, &ReplayController::showAttempts);
    addFeatureMenu(m_replayController->menu());
    m_table->addAction(action(QStringLiteral("replayCaptures")));
    setTabOrder(m_filterBar->textField(), m_table);
    setTabOrder(m_table, m_details->tabs());
    m_sessionController->reload();
    restoreSettings();
    applyFilter();
    // The runs start on the session the list shows once the sessions and settings are read.
    m_runsController = new RunsController(this, m_workspace, m_captureTable, m_writer.get(), m_listeners, m_keeper,
        m_theme, m_sessionController->shownSession());
    connect(m_runsController, &RunsController::capturesTabWanted, this,
        [this] { m_workspace->setCurrentWidget(m_capturesTab); });
    connect(m_runsController, &RunsController::openInEditorRequested, this,
        [this](const HttpRequest &request) { openRequestInEditor(request, 0); });
    connect(m_runsController, &RunsController::message, this, &MainWindow::setStatus);
    addFeatureMenu(m_runsController->menu());
    updateStatus();
    m_table->setFocus();
    return true;
}

// The listeners above a tab widget whose first tab is the capture list beside the details.
void MainWindow::buildLayout()
{
    auto *listPane = new QWidget;
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_sessions);
    filterRow->addWidget(m_filterBar, 1);
    listLayout->addLayout(filterRow);
    listLayout->addWidget(m_table, 1);

    m_splitter->setObjectName(QStringLiteral("captureSplitter"));
    m_splitter->addWidget(listPane);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({780, 640});
    m_splitter->setChildrenCollapsible(false);

    m_capturesTab = new QWidget;
    auto *capturesLayout = new QVBoxLayout(m_capturesTab);
    capturesLayout->setContentsMargins(6, 6, 6, 6);
    capturesLayout->addWidget(m_splitter);
    m_workspace->setObjectName(QStringLiteral("workspace"));
    m_workspace->setDocumentMode(true);
    m_workspace->addTab(m_capturesTab, QStringLiteral("Captures"));

    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_listeners);
    centralLayout->addWidget(m_workspace, 1);
    setCentralWidget(central);

    m_storeLabel->setText(QDir::toNativeSeparators(m_model->storePath()));
    m_storeLabel->setToolTip(QStringLiteral("The capture store"));
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_storeLabel);
}

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

// The window's own actions; each controller makes those of its feature.
void MainWindow::buildActions()
{
    m_captureActions = new CaptureActions(this, m_captureTable, m_writer.get(),
        m_options.exportDirectory.isEmpty() ? CaptureExport::defaultDirectory() : m_options.exportDirectory);
    connect(m_captureActions, &CaptureActions::message, this, &MainWindow::setStatus);
    connect(addWindowAction(this, QStringLiteral("focusFilter"), QStringLiteral("&Filter"), QKeySequence::Find),
        &QAction::triggered, m_filterBar, &FilterBar::focusText);
    connect(addWindowAction(this, QStringLiteral("addListener"), QStringLiteral("&Add listener"),
                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)),
        &QAction::triggered, this, [this] {
            ListenerSettings settings;
            settings.port = m_listeners->nextFreePort();
            m_listeners->addListener(settings);
            saveSettings();
        });
    connect(addWindowAction(this, QStringLiteral("startStopAll"), QStringLiteral("&Start or stop all listeners"),
                QKeySequence(Qt::Key_F5)),
        &QAction::triggered, this, [this] {
            if (m_listeners->anyRunning())
                m_listeners->stopAll();
            else
                m_listeners->startAll();
        });
    connect(addWindowAction(this, QStringLiteral("quit"), QStringLiteral("&Quit"), QKeySequence::Quit),
        &QAction::triggered, this, &QWidget::close);

    m_appearance = new QActionGroup(this);
    const std::initializer_list<std::pair<Theme::Appearance, QString>> appearances {
        {Theme::Appearance::System, QStringLiteral("Follow the &system")},
        {Theme::Appearance::Light, QStringLiteral("&Light")}, {Theme::Appearance::Dark, QStringLiteral("&Dark")}};
    for (const auto &[appearance, text] : appearances) {
        QAction *choice = m_appearance->addAction(text);
        choice->setCheckable(true);
        choice->setData(int(appearance));
        choice->setChecked(appearance == Theme::Appearance::System);
    }
    connect(m_appearance, &QActionGroup::triggered, this, [this](QAction *choice) {
        m_theme->setAppearance(Theme::Appearance(choice->data().toInt()));
        m_settings->setValue(QStringLiteral("appearance"), choice->data().toInt());
    });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(action(QStringLiteral("newSession")));
    file->addAction(action(QStringLiteral("switchSession")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("saveBody")));
    file->addAction(action(QStringLiteral("revealStore")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quit")));

    QMenu *edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    edit->addAction(action(QStringLiteral("copyAsCurl")));
    edit->addAction(action(QStringLiteral("copyBody")));
    edit->addSeparator();
    edit->addAction(action(QStringLiteral("deleteCaptures")));
    edit->addAction(action(QStringLiteral("clearSession")));
    edit->addSeparator();
    edit->addAction(action(QStringLiteral("focusFilter")));

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(action(QStringLiteral("follow")));
    QMenu *appearance = view->addMenu(QStringLiteral("&Appearance"));
    appearance->addActions(m_appearance->actions());

    QMenu *listen = menuBar()->addMenu(QStringLiteral("&Listeners"));
    listen->addAction(action(QStringLiteral("addListener")));
    listen->addAction(action(QStringLiteral("startStopAll")));

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Hookbench"), this, [this] {
        QMessageBox::about(this, QStringLiteral("About Hookbench"),
            QStringLiteral("<b>Hookbench %1</b><br>A workbench for webhooks: capture every delivery byte-exactly, "
                           "check its signature live, and learn why it fails.<br><br>Store: %2")
                .arg(QCoreApplication::applicationVersion(), m_model->storePath().toHtmlEscaped()));
    });

    // The table's own context menu: the actions that apply to the selection.
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(action(QStringLiteral("copyAsCurl")));
    m_table->addAction(action(QStringLiteral("copyBody")));
    m_table->addAction(action(QStringLiteral("saveBody")));
    m_table->addAction(action(QStringLiteral("deleteCaptures")));
}

// Feature menus go between the window's own menus and Help, in the order they are added.
void MainWindow::addFeatureMenu(QMenu *menu)
{
    QAction *help = nullptr;
    for (QAction *entry : menuBar()->actions()) {
        if (entry->text() == QStringLiteral("&Help"))
            help = entry;
    }
    menuBar()->insertMenu(help, menu);
}

void MainWindow::restoreSettings()
{
    restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(m_settings->value(QStringLiteral("window/splitter")).toByteArray());
    m_table->horizontalHeader()->restoreState(m_settings->value(QStringLiteral("window/columns")).toByteArray());
    m_details->tabs()->setCurrentIndex(m_settings->value(QStringLiteral("window/detailTab"), 0).toInt());
    const int appearance = m_settings->value(QStringLiteral("appearance"), int(Theme::Appearance::System)).toInt();
    for (QAction *choice : m_appearance->actions()) {
        if (choice->data().toInt() == appearance) {
            choice->setChecked(true);
            m_theme->setAppearance(Theme::Appearance(appearance));
        }
    }
    setFollowing(m_settings->value(QStringLiteral("follow"), true).toBool());

    QList<ListenerSettings> listeners = ListenerSettingsStore(m_settings).load();
    const bool firstRun = listeners.isEmpty();
    if (firstRun)
        listeners.append(ListenerSettings());
    if (m_options.port) {
        listeners.first().port = *m_options.port;
        listeners.first().running = true;
    }
    for (const ListenerSettings &settings : std::as_const(listeners))
        m_listeners->addListener(settings);
    // Start what was running, and on the first run the one default listener: the first five
    // minutes should need no setup.
    for (int i = 0; i < listeners.size() && m_options.autoStart; ++i) {
        if (listeners.at(i).running || (firstRun && i == 0))
            m_listeners->bars().at(i)->start();
    }
}

void MainWindow::saveSettings()
{
    if (!m_listeners)
        return;
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_settings->setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    m_settings->setValue(QStringLiteral("window/columns"), m_table->horizontalHeader()->saveState());
    m_settings->setValue(QStringLiteral("window/detailTab"), m_details->tabs()->currentIndex());
    m_settings->setValue(QStringLiteral("follow"), isFollowing());
    m_settings->setValue(QStringLiteral("session"), currentSession());
    ListenerSettingsStore(m_settings).save(m_listeners->settings());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    m_settings->sync();
    event->accept();
}

qint64 MainWindow::currentSession() const
{
    return m_writer ? m_writer->currentSession() : 0;
}

void MainWindow::applyFilter()
{
    CaptureFilter filter = m_filterBar->filter();
    filter.sessionId = m_sessionController->shownSession();
    m_model->setFilter(filter);
}

void MainWindow::updateStatus()
{
    if (!m_model)
        return;
    const QString shown = QLocale().toString(m_model->rowCount());
    m_countLabel->setText(
        m_model->isLoading() ? QStringLiteral("filtering…") : QStringLiteral("%1 captures").arg(shown));
    m_filterBar->setResultText(m_model->isLoading() ? QStringLiteral("filtering…")
            : m_model->filter().text.isEmpty() && m_model->filter().method.isEmpty() && !m_model->filter().verdict
                && m_model->filter().dbtEventType.isEmpty()
            ? QStringLiteral("%1 shown").arg(shown)
            : QStringLiteral("%1 match · %2 ms").arg(shown).arg(m_filterMs));
}

void MainWindow::setStatus(const QString &message)
{
    statusBar()->showMessage(message, 8000);
}

int MainWindow::selectCaptures(const QList<qint64> &ids)
{
    m_workspace->setCurrentWidget(m_capturesTab);
    return m_captureTable->select(ids);
}

} // namespace hookbench
