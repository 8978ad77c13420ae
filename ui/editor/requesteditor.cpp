#include "requesteditor.h"

#include "attemptcompareview.h"
#include "attempthistorymodel.h"
#include "bodyeditor.h"
#include "headertablemodel.h"
#include "replay/capturerequest.h"
#include "replay/httpsender.h"
#include "replay/requestwire.h"
#include "resignpanel.h"
#include "responseview.h"
#include "store/capturewriter.h"
#include "widgets/recordtable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace hookbench {

namespace {

const QString lastUrlKey = QStringLiteral("editor/lastUrl");
const QString timeoutKey = QStringLiteral("editor/timeoutSeconds");

// Where the request-target starts in "scheme://authority/target": the first '/', '?' or '#'
// after the authority; -1 when the text has no "://".
qsizetype targetStart(const QString &text)
{
    const qsizetype scheme = text.indexOf(QStringLiteral("://"));
    if (scheme < 0)
        return -1;
    for (qsizetype i = scheme + 3; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('/') || c == QLatin1Char('?') || c == QLatin1Char('#'))
            return i;
    }
    return text.size();
}

QString originOf(const QString &text)
{
    const qsizetype start = targetStart(text);
    return start < 0 ? text : text.left(start);
}

QPushButton *smallButton(const QString &text, const QString &tip)
{
    auto *button = new QPushButton(text);
    button->setToolTip(tip);
    button->setAutoDefault(false);
    return button;
}

} // namespace

RequestEditor::RequestEditor(RequestEditorContext context, QWidget *parent)
    : QWidget(parent)
    , m_context(std::move(context))
    , m_sender(new HttpSender(this))
    , m_method(new QComboBox)
    , m_url(new QLineEdit)
    , m_send(new QPushButton(QStringLiteral("Send")))
    , m_cancel(new QPushButton(QStringLiteral("Cancel")))
    , m_timeout(new QSpinBox)
    , m_ignoreTls(new QCheckBox(QStringLiteral("Ignore TLS errors for this send")))
    , m_follow(new QCheckBox(QStringLiteral("Follow redirects")))
    , m_sourceLabel(new QLabel)
    , m_headers(new HeaderTableModel(this))
    , m_headerTable(new QTableView)
    , m_body(new BodyEditor)
    , m_resign(new ResignPanel)
    , m_response(new ResponseView)
    , m_history(new AttemptHistoryModel(this))
    , m_historyTable(new QTableView)
    , m_compareButton(smallButton(QStringLiteral("Compare"), QStringLiteral("Compare the two selected attempts")))
    , m_main(new QSplitter(Qt::Horizontal))
    , m_left(new QSplitter(Qt::Vertical))
    , m_right(new QSplitter(Qt::Vertical))
    , m_reloadTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("requestEditor"));
    // Request line.
    m_method->setObjectName(QStringLiteral("methodBox"));
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("POST"), QStringLiteral("GET"), QStringLiteral("PUT"), QStringLiteral("PATCH"),
        QStringLiteral("DELETE"), QStringLiteral("HEAD"), QStringLiteral("OPTIONS")});
    m_method->setInsertPolicy(QComboBox::NoInsert);
    m_url->setObjectName(QStringLiteral("urlEdit"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:5000/webhooks"));
    m_url->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setToolTip(QStringLiteral("Send exactly these bytes (Ctrl+Return)"));
    m_send->setDefault(true);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    m_cancel->setAutoDefault(false);
    auto *requestLine = new QHBoxLayout;
    requestLine->addWidget(m_method);
    requestLine->addWidget(m_url, 1);
    requestLine->addWidget(m_send);
    requestLine->addWidget(m_cancel);

    // Options: the timeout persists, "ignore TLS errors" never does (an explicit choice each send).
    m_timeout->setObjectName(QStringLiteral("timeoutBox"));
    m_timeout->setRange(1, 600);
    m_timeout->setSuffix(QStringLiteral(" s"));
    m_timeout->setValue(m_context.settings ? m_context.settings->value(timeoutKey, 10).toInt() : 10);
    m_timeout->setToolTip(QStringLiteral("How long the whole exchange may take (dbt Cloud waits 10 s)"));
    m_ignoreTls->setObjectName(QStringLiteral("ignoreTlsBox"));
    m_ignoreTls->setToolTip(QStringLiteral("Accept any certificate for the next send only"));
    m_follow->setObjectName(QStringLiteral("followRedirectsBox"));
    m_follow->setToolTip(QStringLiteral("Follow up to 5 Location hops; off: a 3xx is the answer"));
    auto *options = new QHBoxLayout;
    options->addWidget(new QLabel(QStringLiteral("Timeout")));
    options->addWidget(m_timeout);
    options->addWidget(m_ignoreTls);
    options->addWidget(m_follow);
    options->addStretch(1);
    m_sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    m_sourceLabel->setWordWrap(true);

    // Headers.
    m_headerTable->setObjectName(QStringLiteral("headerTable"));
    m_headerTable->setModel(m_headers);
    m_headerTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headerTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_headerTable->setEditTriggers(
        QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    m_headerTable->horizontalHeader()->setStretchLastSection(true);
    m_headerTable->horizontalHeader()->setSectionResizeMode(HeaderTableModel::NameColumn, QHeaderView::Interactive);
    m_headerTable->setColumnWidth(HeaderTableModel::NameColumn, 200);
    m_headerTable->verticalHeader()->setDefaultSectionSize(m_headerTable->fontMetrics().height() + 6);
    m_headerTable->setWordWrap(false);
    auto *add = smallButton(QStringLiteral("Add"), QStringLiteral("Add a header at the end"));
    add->setObjectName(QStringLiteral("addHeader"));
    auto *remove = smallButton(QStringLiteral("Remove"), QStringLiteral("Remove the selected headers (Delete)"));
    remove->setObjectName(QStringLiteral("removeHeader"));
    auto *up = smallButton(QStringLiteral("Up"), QStringLiteral("Move the header up (Alt+Up)"));
    up->setObjectName(QStringLiteral("moveHeaderUp"));
    auto *down = smallButton(QStringLiteral("Down"), QStringLiteral("Move the header down (Alt+Down)"));
    down->setObjectName(QStringLiteral("moveHeaderDown"));
    connect(add, &QPushButton::clicked, this, &RequestEditor::addHeaderRow);
    connect(remove, &QPushButton::clicked, this, &RequestEditor::removeSelectedHeaders);
    connect(up, &QPushButton::clicked, this, [this] { moveSelectedHeader(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelectedHeader(+1); });
    const auto tableShortcut = [this](const QKeySequence &keys, auto slot) {
        auto *shortcut = new QShortcut(keys, m_headerTable);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, slot);
    };
    tableShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { moveSelectedHeader(-1); });
    tableShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { moveSelectedHeader(+1); });
    tableShortcut(QKeySequence(Qt::Key_Delete), [this] { removeSelectedHeaders(); });
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(new QLabel(QStringLiteral("<b>Headers</b> (sent in this order, exactly)")), 1);
    for (QPushButton *button : {add, remove, up, down})
        headerButtons->addWidget(button);
    auto *headersPane = new QWidget;
    auto *headersLayout = new QVBoxLayout(headersPane);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->addLayout(headerButtons);
    headersLayout->addWidget(m_headerTable, 1);

    // History.
    m_historyTable->setObjectName(QStringLiteral("historyTable"));
    m_historyTable->setModel(m_history);
    styleRecordTable(m_historyTable, QAbstractItemView::ExtendedSelection);
    m_historyTable->horizontalHeader()->setStretchLastSection(true);
    for (const int column : {AttemptHistoryModel::TimeColumn, AttemptHistoryModel::KindColumn,
             AttemptHistoryModel::StatusColumn, AttemptHistoryModel::FirstByteColumn, AttemptHistoryModel::TotalColumn})
        m_historyTable->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_compareButton->setObjectName(QStringLiteral("compareButton"));
    m_compareButton->setEnabled(false);
    connect(m_compareButton, &QPushButton::clicked, this, &RequestEditor::compareSelected);
    connect(m_historyTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &RequestEditor::historySelectionChanged);
    auto *historyPane = new QWidget;
    auto *historyLayout = new QVBoxLayout(historyPane);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    auto *historyTop = new QHBoxLayout;
    historyTop->addWidget(new QLabel(QStringLiteral("<b>History</b> (select two to compare)")), 1);
    historyTop->addWidget(m_compareButton);
    historyLayout->addLayout(historyTop);
    historyLayout->addWidget(m_historyTable, 1);

    // Layout: the request on the left, response and history on the right.
    m_left->setObjectName(QStringLiteral("editorLeftSplitter"));
    m_left->addWidget(headersPane);
    m_left->addWidget(m_body);
    m_left->addWidget(m_resign);
    m_left->setStretchFactor(0, 1);
    m_left->setStretchFactor(1, 2);
    m_left->setStretchFactor(2, 0);
    m_right->setObjectName(QStringLiteral("editorRightSplitter"));
    m_right->addWidget(m_response);
    m_right->addWidget(historyPane);
    m_right->setStretchFactor(0, 2);
    m_right->setStretchFactor(1, 1);
    auto *leftPane = new QWidget;
    auto *leftLayout = new QVBoxLayout(leftPane);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_sourceLabel);
    leftLayout->addWidget(m_left, 1);
    m_main->setObjectName(QStringLiteral("editorSplitter"));
    m_main->addWidget(leftPane);
    m_main->addWidget(m_right);
    m_main->setStretchFactor(0, 1);
    m_main->setStretchFactor(1, 1);
    m_main->setChildrenCollapsible(false);
    if (m_context.settings) {
        m_main->restoreState(m_context.settings->value(QStringLiteral("editor/splitter")).toByteArray());
        m_left->restoreState(m_context.settings->value(QStringLiteral("editor/leftSplitter")).toByteArray());
        m_right->restoreState(m_context.settings->value(QStringLiteral("editor/rightSplitter")).toByteArray());
    }
    for (QSplitter *splitter : {m_main, m_left, m_right})
        connect(splitter, &QSplitter::splitterMoved, this, &RequestEditor::saveSplitters);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(requestLine);
    layout->addLayout(options);
    layout->addWidget(m_main, 1);

    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    sendShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(sendShortcut, &QShortcut::activated, this, &RequestEditor::send);
    auto *sendEnter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    sendEnter->setContext(Qt::WidgetWithChildrenShortcut);
    connect(sendEnter, &QShortcut::activated, this, &RequestEditor::send);
    connect(m_send, &QPushButton::clicked, this, &RequestEditor::send);
    connect(m_cancel, &QPushButton::clicked, this, &RequestEditor::cancel);
    connect(m_url, &QLineEdit::returnPressed, this, &RequestEditor::send);
    connect(m_method, &QComboBox::currentTextChanged, this, &RequestEditor::edited);
    connect(m_url, &QLineEdit::textChanged, this, &RequestEditor::edited);
    connect(m_headers, &HeaderTableModel::headersEdited, this, &RequestEditor::edited);
    connect(m_body, &BodyEditor::bodyEdited, this, &RequestEditor::edited);
    connect(m_body, &BodyEditor::message, this, &RequestEditor::say);
    connect(m_resign, &ResignPanel::writeRequested, this, &RequestEditor::writeSignatureHeaders);

    // Attempts stored elsewhere (batch replay, forward mode) show up too; at most a few reloads
    // a second however fast they arrive.
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(300);
    connect(m_reloadTimer, &QTimer::timeout, this, &RequestEditor::reloadHistory);
    if (m_context.writer) {
        m_context.writer->addObserver(this, [this](const StoreChange &change) {
            const bool mine
                = change.attemptsAdded.contains(m_sourceId) || (!m_sourceId && !change.attemptsAdded.isEmpty());
            if (mine && !m_reloadTimer->isActive())
                m_reloadTimer->start();
        });
    }
}

RequestEditor::~RequestEditor() = default;

QString RequestEditor::defaultUrlFor(const Capture &capture, QSettings *settings)
{
    const QString last = settings ? settings->value(lastUrlKey).toString() : QString();
    if (!last.isEmpty()) {
        // A bare origin takes the capture's own target, like `replay --to`.
        return keepsCaptureTarget(QUrl(last)) ? originOf(last) + QString::fromUtf8(capture.target) : last;
    }
    const qsizetype colon = capture.listener.lastIndexOf(QLatin1Char(':'));
    const QString port = colon >= 0 ? capture.listener.mid(colon + 1) : QStringLiteral("5000");
    return QStringLiteral("%1://127.0.0.1:%2").arg(capture.tls ? QStringLiteral("https") : QStringLiteral("http"), port)
        + QString::fromUtf8(capture.target);
}

HttpRequest RequestEditor::requestForCapture(const Capture &capture, QSettings *settings)
{
    const QString url = defaultUrlFor(capture, settings);
    HttpRequest request = requestFromCapture(capture, QUrl(url));
    request.url = QUrl(url);
    const qsizetype start = targetStart(url);
    request.target = start < 0 ? QByteArray() : url.mid(start).toUtf8();
    if (request.target.isEmpty())
        request.target = QByteArrayLiteral("/");
    return request;
}

QString RequestEditor::urlText(const HttpRequest &request)
{
    if (request.target.isEmpty())
        return request.url.toString();
    return originOf(request.url.toString()) + QString::fromUtf8(request.target);
}

void RequestEditor::setRequest(const HttpRequest &request, const std::optional<Capture> &source)
{
    m_sourceId = source ? source->id : 0;
    const QString method = QString::fromUtf8(request.method);
    const int index = m_method->findText(method);
    if (index >= 0)
        m_method->setCurrentIndex(index);
    m_method->setEditText(method);
    m_url->setText(urlText(request));
    m_headers->setHeaders(request.headers);
    m_body->setBody(request.body, headerValue(request.headers, "Content-Type"));
    if (source) {
        m_resign->setOriginal(source->headers, source->body, true);
        if (m_context.profileFor) {
            if (const std::optional<CheckProfile> profile = m_context.profileFor(source->listener)) {
                m_resign->offerSecrets(profile->scheme ? profile->scheme->name() : QString(), profile->secrets);
            }
        }
        if (!source->scheme.isEmpty())
            m_resign->setSchemeName(source->scheme);
        m_sourceLabel->setText(
            QStringLiteral("From capture %1 (received by %2). Host, Content-Length and hop-by-hop headers of the "
                           "original connection are derived again for this one.")
                .arg(source->id)
                .arg(source->listener));
    } else {
        m_resign->setOriginal({}, {}, false);
        m_sourceLabel->setText(QStringLiteral("A new request. Host comes from the URL when the list has none."));
    }
    m_resign->setCurrent(m_headers->headers(), m_body->body());
    m_response->clear();
    reloadHistory();
    edited();
}

std::optional<HttpRequest> RequestEditor::request(QString *error) const
{
    const QString text = m_url->text().trimmed();
    const qsizetype start = targetStart(text);
    const QUrl url(text);
    if (start < 0 || !url.isValid() || url.host().isEmpty()) {
        if (error)
            *error = QStringLiteral("The URL must look like http://host:port/path.");
        return std::nullopt;
    }
    HttpRequest request;
    request.method = m_method->currentText().toUtf8();
    request.url = url;
    // The target as typed (percent-encodings kept): QUrl would normalise it.
    QString target = text.mid(start);
    const qsizetype fragment = target.indexOf(QLatin1Char('#'));
    if (fragment >= 0)
        target.truncate(fragment);
    if (target.startsWith(QLatin1Char('?')))
        target.prepend(QLatin1Char('/'));
    request.target = target.toUtf8();
    request.headers = m_headers->headers();
    request.body = m_body->body();
    return request;
}

QString RequestEditor::title() const
{
    QString target = m_url->text().trimmed();
    const qsizetype start = targetStart(target);
    target = start < 0 ? QString() : target.mid(start);
    const qsizetype query = target.indexOf(QLatin1Char('?'));
    if (query >= 0)
        target.truncate(query);
    if (target.isEmpty())
        target = QStringLiteral("/");
    if (target.size() > 40)
        target = target.left(39) + QStringLiteral("…");
    return m_method->currentText() + QLatin1Char(' ') + target;
}

void RequestEditor::edited()
{
    m_resign->setCurrent(m_headers->headers(), m_body->body());
    emit titleChanged(title());
}

void RequestEditor::say(const QString &text)
{
    m_lastMessage = text;
    emit message(text);
}

void RequestEditor::send()
{
    if (isSending())
        return;
    QString error;
    const std::optional<HttpRequest> built = request(&error);
    if (!built) {
        say(error);
        m_response->setNotSent(error);
        m_url->setFocus(Qt::OtherFocusReason);
        return;
    }
    const QString problem = requestProblem(*built);
    if (!problem.isEmpty()) {
        say(QStringLiteral("Can't send: %1").arg(problem));
        m_response->setNotSent(problem);
        return;
    }
    SendOptions options;
    options.timeoutMs = m_timeout->value() * 1000;
    options.ignoreTlsErrors = m_ignoreTls->isChecked();
    options.maxRedirects = m_follow->isChecked() ? 5 : 0;
    // Ignoring certificate errors is a choice for one send, never a setting that sticks.
    m_ignoreTls->setChecked(false);
    if (m_context.settings) {
        m_context.settings->setValue(lastUrlKey, m_url->text().trimmed());
        m_context.settings->setValue(timeoutKey, m_timeout->value());
    }
    m_response->setSending(m_url->text().trimmed());
    m_send->setEnabled(false);
    m_cancel->setEnabled(true);
    m_ticket = m_sender->send(*built, options, this, [this](const Attempt &attempt) { finished(attempt); });
    say(QStringLiteral("Sending %1…").arg(title()));
}

void RequestEditor::cancel()
{
    if (m_ticket)
        m_sender->abort(m_ticket, QStringLiteral("cancelled before a response arrived"));
}

void RequestEditor::finished(const Attempt &sent)
{
    m_ticket = 0;
    m_send->setEnabled(true);
    m_cancel->setEnabled(false);
    Attempt attempt = sent;
    attempt.captureId = m_sourceId;
    attempt.kind = m_sourceId ? Attempt::Kind::Replay : Attempt::Kind::Send;
    m_response->setAttempt(attempt);
    say(attempt.failure == Attempt::Failure::None ? QStringLiteral("%1 → %2").arg(title()).arg(attempt.status)
                                                  : QStringLiteral("%1: %2").arg(title(), attempt.error));
    emit attemptFinished(attempt);
    if (!m_context.writer)
        return;
    m_context.writer->addAttempt(attempt, this, [this](qint64 id, const QString &error) {
        if (!id) {
            say(QStringLiteral("The attempt was not stored: %1").arg(error));
            return;
        }
        reloadHistory();
        const int row = m_history->rowOf(id);
        if (row >= 0) {
            const QSignalBlocker blocker(m_historyTable->selectionModel());
            m_historyTable->selectRow(row);
            m_compareButton->setEnabled(false);
        }
        emit attemptStored(id);
    });
}

void RequestEditor::reloadHistory()
{
    if (!m_context.loadAttempts)
        return;
    QString error;
    const QList<Attempt> attempts = m_context.loadAttempts(m_sourceId, &error);
    if (!error.isEmpty()) {
        say(QStringLiteral("Can't read the history: %1").arg(error));
        return;
    }
    m_history->setAttempts(attempts);
}

void RequestEditor::historySelectionChanged()
{
    const QModelIndexList rows = m_historyTable->selectionModel()->selectedRows();
    m_compareButton->setEnabled(rows.size() == 2);
    if (rows.size() == 1)
        showAttempt(m_history->attemptAt(rows.first().row()));
}

void RequestEditor::showAttempt(const Attempt &attempt)
{
    m_response->setAttempt(attempt);
}

void RequestEditor::compareSelected()
{
    QModelIndexList rows = m_historyTable->selectionModel()->selectedRows();
    if (rows.size() != 2) {
        say(QStringLiteral("Select two attempts to compare."));
        return;
    }
    // Older on the left: rows are newest first.
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() > b.row(); });
    if (!m_compare)
        m_compare = new AttemptCompareView(this);
    m_compare->setAttempts(m_history->attemptAt(rows.at(0).row()), m_history->attemptAt(rows.at(1).row()));
    m_compare->show();
    m_compare->raise();
}

void RequestEditor::writeSignatureHeaders()
{
    HeaderList headers = m_headers->headers();
    QString error;
    if (!m_resign->writeSignature(headers, m_body->body(), &error)) {
        say(error);
        return;
    }
    m_headers->setHeaders(headers);
    m_resign->updateNow();
    say(QStringLiteral("Wrote fresh %1 signature headers for the current body.")
            .arg(m_resign->schemeBox()->currentText()));
}

void RequestEditor::addHeaderRow()
{
    const int row = m_headers->addHeader({});
    const QModelIndex index = m_headers->index(row, HeaderTableModel::NameColumn);
    m_headerTable->setCurrentIndex(index);
    m_headerTable->edit(index);
}

void RequestEditor::removeSelectedHeaders()
{
    QList<int> rows;
    for (const QModelIndex &index : m_headerTable->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_headerTable->currentIndex().isValid())
        rows.append(m_headerTable->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (const int row : std::as_const(rows))
        m_headers->removeHeaderAt(row);
}

void RequestEditor::moveSelectedHeader(int delta)
{
    const QModelIndex current = m_headerTable->currentIndex();
    if (!current.isValid())
        return;
    const int row = current.row();
    if (!m_headers->moveHeader(row, delta))
        return;
    const QModelIndex moved = m_headers->index(row + delta, current.column());
    m_headerTable->setCurrentIndex(moved);
    m_headerTable->selectRow(row + delta);
}

void RequestEditor::saveSplitters()
{
    if (!m_context.settings)
        return;
    m_context.settings->setValue(QStringLiteral("editor/splitter"), m_main->saveState());
    m_context.settings->setValue(QStringLiteral("editor/leftSplitter"), m_left->saveState());
    m_context.settings->setValue(QStringLiteral("editor/rightSplitter"), m_right->saveState());
}

void RequestEditor::setDark(bool dark)
{
    m_body->setDark(dark);
    m_response->setDark(dark);
    m_history->setDark(dark);
}

} // namespace hookbench
