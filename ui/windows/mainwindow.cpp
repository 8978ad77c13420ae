#include "mainwindow.h"

#include "dbt/dbtsummary.h"
#include "editor/requesteditor.h"
#include "models/bytestext.h"
#include "models/captureexport.h"
#include "models/capturelistmodel.h"
#include "models/dbtcardinfo.h"
#include "replay/batchreplaydialog.h"
#include "runs/dbteventdialog.h"
#include "runs/dbtrunsmodel.h"
#include "runs/runsview.h"
#include "secrets/keychainsecretvault.h"
#include "secrets/secretkeeper.h"
#include "widgets/capturedetailview.h"
#include "widgets/filterbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/overviewview.h"
#include "widgets/signatureview.h"
#include "widgets/theme.h"
#include "widgets/verdictstyle.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelection>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace hookbench {

namespace {

QString listenerKey(int index, const char *field)
{
    return QStringLiteral("listeners/%1/%2").arg(index).arg(QLatin1String(field));
}

void saveListeners(QSettings &settings, const QList<ListenerSettings> &listeners)
{
    settings.remove(QStringLiteral("listeners"));
    settings.setValue(QStringLiteral("listeners/count"), listeners.size());
    for (int i = 0; i < listeners.size(); ++i) {
        const ListenerSettings &l = listeners.at(i);
        settings.setValue(listenerKey(i, "id"), l.id);
        settings.setValue(listenerKey(i, "port"), l.port);
        settings.setValue(listenerKey(i, "bind"), l.bindAddress);
        settings.setValue(listenerKey(i, "scheme"), l.scheme);
        settings.setValue(listenerKey(i, "running"), l.running);
        settings.setValue(listenerKey(i, "status"), l.response.status);
        settings.setValue(
            listenerKey(i, "contentType"), QString::fromLatin1(headerValue(l.response.headers, "Content-Type")));
        settings.setValue(listenerKey(i, "body"), QString::fromLatin1(l.response.body.toBase64()));
        settings.setValue(listenerKey(i, "delayMs"), l.response.delayMs);
        settings.setValue(listenerKey(i, "failFirst"), l.faults.failFirst);
        settings.setValue(listenerKey(i, "failStatus"), l.faults.failStatus);
        settings.setValue(listenerKey(i, "failPercent"), l.faults.failPercent);
        settings.setValue(listenerKey(i, "closeWithoutAnswer"), l.faults.closeWithoutAnswer);
        // Forward mode (its re-sign secret is the SecretKeeper's, never here).
        settings.setValue(listenerKey(i, "forwardTarget"), l.forward.target);
        settings.setValue(listenerKey(i, "forwardProxy"), l.forward.mode == ForwardConfig::Mode::Proxy);
        settings.setValue(listenerKey(i, "forwardScheme"), l.forward.resignScheme);
        settings.setValue(listenerKey(i, "forwardTimeoutMs"), l.forward.timeoutMs);
        settings.setValue(listenerKey(i, "forwardInsecure"), l.forward.ignoreTlsErrors);
    }
}

QList<ListenerSettings> loadListeners(QSettings &settings)
{
    QList<ListenerSettings> listeners;
    const int count = settings.value(QStringLiteral("listeners/count"), 0).toInt();
    for (int i = 0; i < count; ++i) {
        ListenerSettings l;
        l.id = settings.value(listenerKey(i, "id"), l.id).toString();
        l.port = quint16(settings.value(listenerKey(i, "port"), l.port).toUInt());
        l.bindAddress = settings.value(listenerKey(i, "bind"), l.bindAddress).toString();
        l.scheme = settings.value(listenerKey(i, "scheme"), l.scheme).toString();
        l.running = settings.value(listenerKey(i, "running"), false).toBool();
        l.response.status = settings.value(listenerKey(i, "status"), l.response.status).toInt();
        const QByteArray contentType
            = settings.value(listenerKey(i, "contentType"), QStringLiteral("application/json")).toString().toLatin1();
        if (contentType.isEmpty())
            removeHeader(l.response.headers, "Content-Type");
        else
            setHeader(l.response.headers, "Content-Type", contentType);
        if (settings.contains(listenerKey(i, "body")))
            l.response.body = QByteArray::fromBase64(settings.value(listenerKey(i, "body")).toString().toLatin1());
        l.response.delayMs = settings.value(listenerKey(i, "delayMs"), 0).toInt();
        l.faults.failFirst = settings.value(listenerKey(i, "failFirst"), 0).toInt();
        l.faults.failStatus = settings.value(listenerKey(i, "failStatus"), 500).toInt();
        l.faults.failPercent = settings.value(listenerKey(i, "failPercent"), 0).toInt();
        l.faults.closeWithoutAnswer = settings.value(listenerKey(i, "closeWithoutAnswer"), false).toBool();
        l.forward.target = settings.value(listenerKey(i, "forwardTarget")).toString();
        l.forward.mode = settings.value(listenerKey(i, "forwardProxy"), false).toBool()
            ? ForwardConfig::Mode::Proxy
            : ForwardConfig::Mode::Background;
        l.forward.resignScheme = settings.value(listenerKey(i, "forwardScheme")).toString();
        l.forward.timeoutMs
            = std::clamp(settings.value(listenerKey(i, "forwardTimeoutMs"), 10000).toInt(), 100, 3'600'000);
        l.forward.ignoreTlsErrors = settings.value(listenerKey(i, "forwardInsecure"), false).toBool();
        listeners.append(l);
    }
    return listeners;
}

} // namespace

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
    m_export = std::make_unique<CaptureExport>(
        m_options.exportDirectory.isEmpty() ? CaptureExport::defaultDirectory() : m_options.exportDirectory);
    m_details = new CaptureDetailView(m_keeper);
}

MainWindow::~MainWindow()
{
    // A replay in flight stops first: it reads through the model's store and writes through the writer.
    delete m_replayDialog;
    // Listeners answer their pending requests while the writer still exists; then the model's
    // worker thread and the writer stop.
    delete m_listeners;
    m_listeners = nullptr;
    delete m_model;
    m_model = nullptr;
    delete m_runsView; // before its model
    m_runsView = nullptr;
    delete m_runsModel;
    m_runsModel = nullptr;
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
    m_writer->addObserver(this, [this](const StoreChange &change) {
        if (change.sessionsChanged)
            reloadSessions();
    });
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
    m_table->setObjectName(QStringLiteral("captureTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(CaptureListModel::PathColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(CaptureListModel::TimeColumn, digit * 14);
    m_table->setColumnWidth(CaptureListModel::MethodColumn, digit * 9);
    m_table->setColumnWidth(CaptureListModel::SizeColumn, digit * 10);
    m_table->setColumnWidth(CaptureListModel::VerdictColumn, digit * 13);
    m_table->setColumnWidth(CaptureListModel::EventColumn, digit * 19);
    m_table->setColumnWidth(CaptureListModel::StatusColumn, digit * 7);
    m_table->setIconSize(QSize(16, 16));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::showCurrent);
    connect(m_model, &CaptureListModel::newRowsArrived, this, &MainWindow::rowsArrived);
    connect(m_model, &CaptureListModel::filterApplied, this, [this](qint64 matches, qint64 elapsedMs) {
        m_matches = matches;
        m_filterMs = elapsedMs;
        updateStatus();
        if (m_shownId) {
            const int row = m_model->rowOf(m_shownId);
            if (row >= 0)
                m_table->selectRow(row);
        }
    });
    connect(m_model, &CaptureListModel::rowsInserted, this, &MainWindow::updateStatus);
    connect(m_model, &CaptureListModel::rowsRemoved, this, &MainWindow::updateStatus);
    connect(m_model, &CaptureListModel::errorOccurred, this, &MainWindow::setStatus);
    connect(m_model, &CaptureListModel::loadingChanged, this, &MainWindow::updateStatus);
    connect(m_details, &CaptureDetailView::copyBodyRequested, this, &MainWindow::copyBody);
    connect(m_details, &CaptureDetailView::saveBodyRequested, this, &MainWindow::saveBody);

    m_sessions->setObjectName(QStringLiteral("sessionBox"));
    m_sessions->setToolTip(QStringLiteral("Session: new captures go here, and the list shows it"));
    m_sessions->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_sessions, &QComboBox::activated, this,
        [this](int index) { switchSession(m_sessions->itemData(index).toLongLong()); });
    connect(m_filterBar, &FilterBar::filterChanged, this, &MainWindow::applyFilter);

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

    auto *capturesTab = new QWidget;
    auto *capturesLayout = new QVBoxLayout(capturesTab);
    capturesLayout->setContentsMargins(6, 6, 6, 6);
    capturesLayout->addWidget(m_splitter);
    m_workspace->setObjectName(QStringLiteral("workspace"));
    m_workspace->setDocumentMode(true);
    m_workspace->addTab(capturesTab, QStringLiteral("Captures"));

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

    buildActions();
    buildMenus();
    buildEditor();
    buildReplay();
    setTabOrder(m_filterBar->textField(), m_table);
    setTabOrder(m_table, m_details->tabs());
    reloadSessions();
    restoreSettings();
    applyFilter();
    buildRuns();
    updateStatus();
    m_table->setFocus();
    return true;
}

QAction *MainWindow::addAction(
    const QString &name, const QString &text, const QKeySequence &shortcut, void (MainWindow::*slot)())
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WindowShortcut);
    connect(action, &QAction::triggered, this, slot);
    QMainWindow::addAction(action);
    return action;
}

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

void MainWindow::buildActions()
{
    addAction(QStringLiteral("copyAsCurl"), QStringLiteral("Copy as &curl"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), &MainWindow::copyAsCurl)
        ->setToolTip(QStringLiteral("A curl command that sends this request again, byte for byte"));
    addAction(QStringLiteral("copyBody"), QStringLiteral("Copy &body"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
        &MainWindow::copyBody);
    addAction(QStringLiteral("saveBody"), QStringLiteral("&Save body…"), QKeySequence::Save, &MainWindow::saveBody);
    addAction(
        QStringLiteral("deleteCaptures"), QStringLiteral("&Delete"), QKeySequence::Delete, &MainWindow::deleteSelected);
    auto *clear = new QAction(QStringLiteral("C&lear session…"), this);
    clear->setObjectName(QStringLiteral("clearSession"));
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete));
    connect(clear, &QAction::triggered, this, [this] { clearSession(true); });
    QMainWindow::addAction(clear);
    auto *newSession = new QAction(QStringLiteral("&New session…"), this);
    newSession->setObjectName(QStringLiteral("newSession"));
    newSession->setShortcut(QKeySequence::New);
    connect(newSession, &QAction::triggered, this, [this] { this->newSession(); });
    QMainWindow::addAction(newSession);
    auto *switchTo = new QAction(QStringLiteral("S&witch session"), this);
    switchTo->setObjectName(QStringLiteral("switchSession"));
    switchTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(switchTo, &QAction::triggered, this, [this] {
        m_sessions->setFocus(Qt::ShortcutFocusReason);
        m_sessions->showPopup();
    });
    QMainWindow::addAction(switchTo);
    addAction(QStringLiteral("revealStore"), QStringLiteral("&Reveal the store file"), QKeySequence(),
        &MainWindow::revealStore);
    auto *find = new QAction(QStringLiteral("&Filter"), this);
    find->setObjectName(QStringLiteral("focusFilter"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_filterBar, &FilterBar::focusText);
    QMainWindow::addAction(find);
    auto *follow = new QAction(QStringLiteral("F&ollow newest"), this);
    follow->setObjectName(QStringLiteral("follow"));
    follow->setCheckable(true);
    follow->setChecked(true);
    follow->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    follow->setToolTip(QStringLiteral("Keep the newest capture in view as deliveries arrive"));
    connect(follow, &QAction::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToTop();
    });
    QMainWindow::addAction(follow);
    auto *addListener = new QAction(QStringLiteral("&Add listener"), this);
    addListener->setObjectName(QStringLiteral("addListener"));
    addListener->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    connect(addListener, &QAction::triggered, this, [this] {
        ListenerSettings settings;
        settings.port = m_listeners->nextFreePort();
        m_listeners->addListener(settings);
        saveSettings();
    });
    QMainWindow::addAction(addListener);
    auto *startStop = new QAction(QStringLiteral("&Start or stop all listeners"), this);
    startStop->setObjectName(QStringLiteral("startStopAll"));
    startStop->setShortcut(QKeySequence(Qt::Key_F5));
    connect(startStop, &QAction::triggered, this, [this] {
        if (m_listeners->anyRunning())
            m_listeners->stopAll();
        else
            m_listeners->startAll();
    });
    QMainWindow::addAction(startStop);
    auto *quit = new QAction(QStringLiteral("&Quit"), this);
    quit->setObjectName(QStringLiteral("quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMainWindow::addAction(quit);

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

void MainWindow::buildEditor()
{
    auto *edit = new QAction(QStringLiteral("Edit && &replay…"), this);
    edit->setObjectName(QStringLiteral("editCapture"));
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    edit->setToolTip(QStringLiteral("Open the selected capture in a request editor, byte for byte"));
    connect(edit, &QAction::triggered, this, &MainWindow::editSelectedCapture);
    QMainWindow::addAction(edit);
    auto *blank = new QAction(QStringLiteral("New &request"), this);
    blank->setObjectName(QStringLiteral("newRequest"));
    blank->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N)); // Ctrl+Shift+N adds a listener
    connect(blank, &QAction::triggered, this, &MainWindow::newRequest);
    QMainWindow::addAction(blank);

    QMenu *request = new QMenu(QStringLiteral("&Request"), this);
    request->addAction(edit);
    request->addAction(blank);
    QAction *help = nullptr;
    for (QAction *menu : menuBar()->actions()) {
        if (menu->text() == QStringLiteral("&Help"))
            help = menu;
    }
    menuBar()->insertMenu(help, request);
    m_table->addAction(edit);

    // Editors close from their tab; the captures tab stays.
    m_workspace->setTabsClosable(true);
    m_workspace->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    m_workspace->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    // Delete acts on the capture list, which is out of sight in an editor tab: there the key
    // belongs to the editor (it removes headers), never to captures the user can't see.
    QWidget *capturesTab = m_workspace->widget(0);
    connect(m_workspace, &QTabWidget::currentChanged, this, [this, capturesTab] {
        action(QStringLiteral("deleteCaptures"))->setEnabled(m_workspace->currentWidget() == capturesTab);
    });
    connect(m_workspace, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *editor = qobject_cast<RequestEditor *>(m_workspace->widget(index))) {
            m_workspace->removeTab(index);
            editor->deleteLater();
        }
    });
}

RequestEditor *MainWindow::addEditor(const HttpRequest &request, qint64 sourceCaptureId)
{
    std::optional<Capture> source;
    if (sourceCaptureId) {
        QString error;
        source = m_model->capture(sourceCaptureId, &error);
        if (!source)
            setStatus(error.isEmpty() ? QStringLiteral("Capture %1 is gone.").arg(sourceCaptureId) : error);
    }
    RequestEditorContext context;
    context.writer = m_writer.get();
    context.settings = m_settings;
    context.loadAttempts = [this](qint64 captureId, QString *error) {
        return captureId ? m_model->store().attempts(captureId, error) : m_model->store().recentAttempts(0, 200, error);
    };
    context.profileFor = [this](const QString &listener) { return m_listeners->checkProfile(listener); };
    auto *editor = new RequestEditor(std::move(context));
    editor->setDark(m_theme->isDark());
    connect(m_theme, &Theme::changed, editor, &RequestEditor::setDark);
    connect(editor, &RequestEditor::message, this, &MainWindow::setStatus);
    connect(editor, &RequestEditor::titleChanged, this, [this, editor](const QString &title) {
        const int index = m_workspace->indexOf(editor);
        if (index >= 0)
            m_workspace->setTabText(index, QString(title).replace(u'&', QStringLiteral("&&")));
    });
    editor->setRequest(request, source);
    const int index = m_workspace->addTab(editor, editor->title().replace(u'&', QStringLiteral("&&")));
    m_workspace->setCurrentIndex(index);
    editor->urlEdit()->setFocus(Qt::OtherFocusReason);
    return editor;
}

void MainWindow::openRequestInEditor(const hookbench::HttpRequest &request, qint64 sourceCaptureId)
{
    addEditor(request, sourceCaptureId);
}

void MainWindow::editSelectedCapture()
{
    if (!m_details->hasCapture()) {
        setStatus(QStringLiteral("Select a capture first."));
        return;
    }
    const Capture &capture = m_details->capture();
    const HttpRequest request = RequestEditor::requestForCapture(capture, m_settings);
    addEditor(request, capture.id);
}

void MainWindow::newRequest()
{
    HttpRequest request;
    const QString last = m_settings->value(QStringLiteral("editor/lastUrl")).toString();
    request.url = QUrl(last.isEmpty() ? QStringLiteral("http://127.0.0.1:5000/") : last);
    request.headers = {{"Content-Type", "application/json"}};
    addEditor(request, 0);
}

QList<RequestEditor *> MainWindow::editors() const
{
    QList<RequestEditor *> all;
    for (int i = 0; i < m_workspace->count(); ++i) {
        if (auto *editor = qobject_cast<RequestEditor *>(m_workspace->widget(i)))
            all.append(editor);
    }
    return all;
}

// Batch replay (the "&Replay" menu, Ctrl+R, the table's context menu) and the forward attempts
// of the capture shown.
void MainWindow::buildReplay()
{
    auto *replay = new QAction(QStringLiteral("&Replay…"), this);
    replay->setObjectName(QStringLiteral("replayCaptures"));
    replay->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    replay->setShortcutContext(Qt::WindowShortcut);
    replay->setToolTip(QStringLiteral("Send the selected captures, or all the filter matches, to a URL again"));
    QMainWindow::addAction(replay);
    // What the dialog offers follows the selection and the filter while it is open and idle.
    const auto offerCaptures = [this] {
        if (!m_replayDialog || m_replayDialog->isRunning())
            return;
        QList<qint64> selected = selectedIds();
        std::sort(selected.begin(), selected.end()); // oldest first, as they arrived
        m_replayDialog->setCaptures(selected, m_model->rowCount(), [this] {
            QList<qint64> ids; // rows are newest first: read them backwards, oldest first
            ids.reserve(m_model->rowCount());
            for (int row = m_model->rowCount() - 1; row >= 0; --row)
                ids.append(m_model->idAt(row));
            return ids;
        });
    };
    // Reading a large selection costs time: at most one refresh per turn of selection changes.
    auto *offerLater = new QTimer(this);
    offerLater->setSingleShot(true);
    offerLater->setInterval(50);
    connect(offerLater, &QTimer::timeout, this, [this, offerCaptures] {
        if (m_replayDialog && m_replayDialog->isVisible())
            offerCaptures();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, offerLater, qOverload<>(&QTimer::start));
    connect(m_model, &CaptureListModel::filterApplied, offerLater, qOverload<>(&QTimer::start));
    // New captures only change the filter's count (a flood must not re-read the selection).
    const auto recount = [this] {
        if (m_replayDialog && m_replayDialog->isVisible())
            m_replayDialog->setMatchingCount(m_model->rowCount());
    };
    connect(m_model, &CaptureListModel::rowsInserted, this, recount);
    connect(m_model, &CaptureListModel::rowsRemoved, this, recount);
    connect(replay, &QAction::triggered, this, [this, offerCaptures] {
        if (!m_replayDialog) {
            BatchReplayDialog::Context context;
            context.fetch
                = [this](const QList<qint64> &ids, QString *error) { return m_model->store().captures(ids, error); };
            context.sink = m_writer.get();
            context.keeper = m_keeper;
            context.settings = m_settings;
            m_replayDialog = new BatchReplayDialog(std::move(context), this);
            connect(m_replayDialog, &BatchReplayDialog::batchDone, this, [this](const ReplaySummary &summary) {
                setStatus(
                    QStringLiteral("Replay done: %1 of %2 answered 2xx.").arg(summary.succeeded).arg(summary.total));
            });
        }
        offerCaptures();
        m_replayDialog->show();
        m_replayDialog->raise();
        m_replayDialog->activateWindow();
    });
    QMenu *menu = new QMenu(QStringLiteral("&Replay"), this);
    menu->addAction(replay);
    const QList<QAction *> menus = menuBar()->actions();
    menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), menu); // before Help
    m_table->addAction(replay);

    // Forward attempts of the capture shown: on selection, and as new ones are stored.
    const auto showAttempts = [this](qint64 id) {
        QString error;
        const QList<Attempt> attempts = m_model->store().attempts(id, &error);
        if (!error.isEmpty())
            setStatus(error);
        if (m_details->hasCapture() && m_details->capture().id == id)
            m_details->setAttempts(attempts);
    };
    connect(this, &MainWindow::captureShown, this, showAttempts);
    m_writer->addObserver(this, [this, showAttempts](const StoreChange &change) {
        if (m_shownId && m_details->hasCapture() && change.attemptsAdded.contains(m_shownId))
            showAttempts(m_shownId);
    });
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

    QList<ListenerSettings> listeners = loadListeners(*m_settings);
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
    saveListeners(*m_settings, m_listeners->settings());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    m_settings->sync();
    event->accept();
}

bool MainWindow::isFollowing() const
{
    return action(QStringLiteral("follow"))->isChecked();
}

void MainWindow::setFollowing(bool follow)
{
    action(QStringLiteral("follow"))->setChecked(follow);
}

qint64 MainWindow::currentSession() const
{
    return m_writer ? m_writer->currentSession() : 0;
}

void MainWindow::reloadSessions()
{
    QString error;
    const QList<Session> sessions = m_model->store().sessions(&error);
    if (!error.isEmpty())
        setStatus(error);
    // Keep the session shown; on the first load, the one saved in the settings.
    const qint64 wanted = m_sessions->count()
        ? m_sessions->currentData().toLongLong()
        : m_settings->value(QStringLiteral("session"), m_writer->currentSession()).toLongLong();
    const QSignalBlocker blocker(m_sessions);
    m_sessions->clear();
    for (const Session &session : sessions)
        m_sessions->addItem(session.name, session.id);
    int index = m_sessions->findData(wanted);
    if (index < 0)
        index = m_sessions->findData(m_writer->currentSession());
    m_sessions->setCurrentIndex(qMax(0, index));
    setWindowTitle(QStringLiteral("%1 — Hookbench").arg(m_sessions->currentText()));
    if (index >= 0 && m_sessions->itemData(index).toLongLong() != m_writer->currentSession())
        m_writer->setCurrentSession(m_sessions->itemData(index).toLongLong());
}

void MainWindow::switchSession(qint64 sessionId)
{
    if (sessionId <= 0)
        return;
    m_writer->setCurrentSession(sessionId);
    const int index = m_sessions->findData(sessionId);
    if (index >= 0)
        m_sessions->setCurrentIndex(index);
    m_settings->setValue(QStringLiteral("session"), sessionId);
    setWindowTitle(QStringLiteral("%1 — Hookbench").arg(m_sessions->currentText()));
    applyFilter();
    setStatus(QStringLiteral("Session \"%1\": new captures go here.").arg(m_sessions->currentText()));
}

void MainWindow::newSession(const QString &name)
{
    QString chosen = name;
    if (chosen.isEmpty()) {
        bool ok = false;
        chosen = QInputDialog::getText(this, QStringLiteral("New session"), QStringLiteral("Name:"), QLineEdit::Normal,
            QStringLiteral("session %1").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
            &ok)
                     .trimmed();
        if (!ok || chosen.isEmpty())
            return;
    }
    m_writer->createSession(chosen, this, [this, chosen](qint64 id, const QString &error) {
        if (!id) {
            setStatus(QStringLiteral("Can't create the session: %1").arg(error));
            return;
        }
        m_settings->setValue(QStringLiteral("session"), id);
        reloadSessions();
        switchSession(id);
    });
}

void MainWindow::applyFilter()
{
    CaptureFilter filter = m_filterBar->filter();
    filter.sessionId = m_sessions->currentData().toLongLong();
    m_model->setFilter(filter);
}

void MainWindow::showCurrent()
{
    const QModelIndex current = m_table->currentIndex();
    const qint64 id = current.isValid() ? m_model->idAt(current.row()) : 0;
    if (id == m_shownId && m_details->hasCapture())
        return;
    m_shownId = id;
    if (!id) {
        m_details->clear();
        return;
    }
    QString error;
    const std::optional<Capture> capture = m_model->capture(id, &error);
    if (!capture) {
        m_details->clear();
        setStatus(error.isEmpty() ? QStringLiteral("Capture %1 is gone.").arg(id) : error);
        return;
    }
    m_details->setCapture(*capture);
    emit captureShown(id);
}

void MainWindow::rowsArrived(int count)
{
    QScrollBar *bar = m_table->verticalScrollBar();
    if (isFollowing()) {
        m_table->scrollToTop();
        // With nothing chosen yet, show the newest delivery.
        if (!m_table->currentIndex().isValid())
            selectRow(0);
    } else if (bar->value() > 0 || m_table->rowAt(0) > 0) {
        // Keep the rows the user is looking at where they are.
        bar->setValue(bar->value() + count);
    }
}

void MainWindow::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->selectRow(row);
}

QList<qint64> MainWindow::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(m_model->idAt(index.row()));
    if (ids.isEmpty() && m_details->hasCapture())
        ids.append(m_details->capture().id);
    return ids;
}

void MainWindow::copyAsCurl()
{
    if (!m_details->hasCapture()) {
        setStatus(QStringLiteral("Select a capture first."));
        return;
    }
    QString error;
    QString bodyFile;
    const std::optional<QByteArray> command = m_export->curlCommand(m_details->capture(), &error, &bodyFile);
    if (!command) {
        setStatus(error);
        return;
    }
    QApplication::clipboard()->setText(QString::fromUtf8(*command));
    setStatus(bodyFile.isEmpty() ? QStringLiteral("Copied a curl command for capture %1.").arg(m_details->capture().id)
                                 : QStringLiteral("Copied a curl command; the body is in %1.").arg(bodyFile));
}

void MainWindow::copyBody()
{
    if (!m_details->hasCapture())
        return;
    QApplication::clipboard()->setMimeData(CaptureExport::bodyMimeData(m_details->capture()));
    setStatus(QStringLiteral("Copied the body (%1).").arg(formatSize(m_details->capture().bodySize())));
}

void MainWindow::saveBody()
{
    if (!m_details->hasCapture())
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save body"), QStringLiteral("capture-%1.body").arg(m_details->capture().id));
    if (path.isEmpty())
        return;
    QString error;
    if (CaptureExport::saveBody(m_details->capture(), path, &error))
        setStatus(QStringLiteral("Saved %1 to %2.").arg(formatSize(m_details->capture().bodySize()), path));
    else
        setStatus(error);
}

void MainWindow::deleteSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    // Keep the keyboard where it was: the next row takes the selection.
    const int row = m_table->currentIndex().row();
    m_writer->deleteCaptures(ids, this, [this, row](qint64 deleted, const QString &error) {
        if (!error.isEmpty()) {
            setStatus(QStringLiteral("Can't delete: %1").arg(error));
            return;
        }
        setStatus(
            deleted == 1 ? QStringLiteral("Deleted 1 capture.") : QStringLiteral("Deleted %1 captures.").arg(deleted));
        QMetaObject::invokeMethod(
            this, [this, row] { selectRow(qMin(row, m_model->rowCount() - 1)); }, Qt::QueuedConnection);
    });
}

void MainWindow::clearSession(bool confirm)
{
    const qint64 session = m_sessions->currentData().toLongLong();
    if (confirm) {
        const auto answer = QMessageBox::question(this, QStringLiteral("Clear session"),
            QStringLiteral("Delete every capture of \"%1\"?").arg(m_sessions->currentText()),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_writer->clearSession(session, this, [this](qint64 deleted, const QString &error) {
        setStatus(error.isEmpty() ? QStringLiteral("Cleared %1 captures.").arg(deleted)
                                  : QStringLiteral("Can't clear: %1").arg(error));
    });
}

void MainWindow::revealStore()
{
    const QString directory = QFileInfo(m_model->storePath()).absolutePath();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(directory))) {
        QApplication::clipboard()->setText(m_model->storePath());
        setStatus(QStringLiteral("No file manager answered; copied the path: %1").arg(m_model->storePath()));
    }
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

// The Runs tab, the "&dbt" menu and New dbt event: everything dbt-specific in one place.
void MainWindow::buildRuns()
{
    m_runsModel = new DbtRunsModel(m_writer->options(), this);
    m_runsModel->attachWriter(m_writer.get());
    m_runsView = new RunsView(m_runsModel);
    m_runsView->setDark(m_theme->isDark());
    connect(m_theme, &Theme::changed, m_runsView, &RunsView::setDark);
    m_runsView->setFaultDescriber([this](const QString &listener) {
        ListenerBar *bar = m_listeners ? m_listeners->barFor(listener) : nullptr;
        return bar ? RunsView::faultModeText(bar->settings().response, bar->settings().faults) : QString();
    });
    connect(m_runsView, &RunsView::showCapturesRequested, this, [this](const QList<qint64> &ids) {
        const int listed = selectCaptures(ids);
        if (listed < ids.size())
            setStatus(QStringLiteral("%1 of the run's %2 captures are hidden by the filter.")
                          .arg(ids.size() - listed)
                          .arg(ids.size()));
    });
    connect(m_runsModel, &DbtRunsModel::errorOccurred, this, &MainWindow::setStatus);
    // New rows in the list may come from another process writing the store (its polling).
    connect(m_model, &CaptureListModel::newRowsArrived, m_runsModel, &DbtRunsModel::checkForNew);
    // The runs follow the session the capture list shows.
    connect(m_model, &CaptureListModel::filterApplied, this, [this] {
        if (m_model->filter().sessionId != m_runsModel->session())
            m_runsModel->setSession(m_model->filter().sessionId);
    });
    m_runsModel->setSession(m_sessions->currentData().toLongLong());
    const int runsTab = m_workspace->insertTab(1, m_runsView, QStringLiteral("Runs"));
    // Only editor tabs close; the runs stay like the captures.
    m_workspace->tabBar()->setTabButton(runsTab, QTabBar::RightSide, nullptr);
    m_workspace->tabBar()->setTabButton(runsTab, QTabBar::LeftSide, nullptr);

    auto *newEvent = new QAction(QStringLiteral("New dbt &event…"), this);
    newEvent->setObjectName(QStringLiteral("newDbtEvent"));
    newEvent->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    newEvent->setToolTip(QStringLiteral("Send a signed dbt Cloud event or run to a listener or URL"));
    connect(newEvent, &QAction::triggered, this, [this] { newDbtEvent(); });
    QMainWindow::addAction(newEvent);
    auto *runs = new QAction(QStringLiteral("Show &runs"), this);
    runs->setObjectName(QStringLiteral("showRuns"));
    connect(runs, &QAction::triggered, this, &MainWindow::showRuns);
    QMainWindow::addAction(runs);

    auto *menu = new QMenu(QStringLiteral("&dbt"), this);
    menu->addAction(newEvent);
    menu->addAction(runs);
    QAction *before = nullptr;
    for (QAction *entry : menuBar()->actions()) {
        if (entry->text() == QStringLiteral("&Help"))
            before = entry;
    }
    menuBar()->insertMenu(before, menu);
}

int MainWindow::selectCaptures(const QList<qint64> &ids)
{
    QItemSelection selection;
    int first = -1;
    for (const qint64 id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        selection.select(m_model->index(row, 0), m_model->index(row, CaptureListModel::ColumnCount - 1));
        first = first < 0 ? row : qMin(first, row);
    }
    m_workspace->setCurrentIndex(m_workspace->indexOf(m_splitter->parentWidget()));
    if (first < 0) {
        m_table->clearSelection();
        return 0;
    }
    QItemSelectionModel *selectionModel = m_table->selectionModel();
    selectionModel->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(m_model->index(first, 0));
    return int(selectionModel->selectedRows().size());
}

void MainWindow::showRuns()
{
    m_workspace->setCurrentWidget(m_runsView);
}

DbtEventDialog *MainWindow::newDbtEvent()
{
    if (!m_dbtEventDialog) {
        m_dbtEventDialog = new DbtEventDialog(m_listeners, m_keeper, this);
        connect(m_dbtEventDialog, &DbtEventDialog::openInEditorRequested, this,
            [this](const HttpRequest &request) { openRequestInEditor(request, 0); });
    }
    m_dbtEventDialog->show();
    m_dbtEventDialog->raise();
    m_dbtEventDialog->activateWindow();
    return m_dbtEventDialog;
}

} // namespace hookbench
