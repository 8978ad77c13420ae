#include "bodyview.h"

#include "hexview.h"
#include "jsonhighlighter.h"
#include "models/bytestext.h"
#include "rawtextview.h"
#include "theme.h"
#include "verdictstyle.h"

#include <QButtonGroup>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QPromise>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTextDocument>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <memory>

namespace hookbench {

namespace {

// The longest prefix of `bytes` (at most `limit`) that does not cut a UTF-8 sequence in two.
QByteArrayView utf8Prefix(const QByteArray &bytes, qsizetype limit)
{
    if (bytes.size() <= limit)
        return bytes;
    qsizetype end = limit;
    while (end > 0 && (static_cast<unsigned char>(bytes.at(end)) & 0xc0) == 0x80)
        --end;
    return QByteArrayView(bytes).first(end);
}

bool hasBinaryBytes(const QByteArray &body)
{
    for (const char c : body) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            return true;
    }
    return false;
}

template <typename Edit = QPlainTextEdit> Edit *makeTextView(const QString &name)
{
    auto *edit = new Edit;
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setUndoRedoEnabled(false);
    return edit;
}

} // namespace

BodyView::BodyView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel)
    , m_notice(new QLabel)
    , m_modes(new QButtonGroup(this))
    , m_prettyButton(new QToolButton)
    , m_rawButton(new QToolButton)
    , m_hexButton(new QToolButton)
    , m_stack(new QStackedWidget)
    , m_pretty(makeTextView(QStringLiteral("prettyBody")))
    , m_raw(makeTextView<RawTextView>(QStringLiteral("rawBody")))
    , m_hex(new HexView)
    , m_highlighter(new JsonHighlighter(nullptr))
    , m_watcher(new QFutureWatcher<JsonPretty>(this))
{
    m_highlighter->setParent(this);
    m_hex->setObjectName(QStringLiteral("hexBody"));
    const std::initializer_list<std::pair<QToolButton *, QString>> buttons {{m_prettyButton, QStringLiteral("Pretty")},
        {m_rawButton, QStringLiteral("Raw")}, {m_hexButton, QStringLiteral("Hex")}};
    int id = 0;
    for (const auto &[button, text] : buttons) {
        button->setText(text);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_modes->addButton(button, id++);
    }
    m_prettyButton->setToolTip(QStringLiteral("Re-indented for reading (Alt+1). The stored bytes are not changed."));
    m_rawButton->setToolTip(QStringLiteral("The body as text, exactly as received (Alt+2)"));
    m_hexButton->setToolTip(QStringLiteral("Every byte in hex (Alt+3)"));
    m_prettyButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    m_rawButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_hexButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));
    connect(m_modes, &QButtonGroup::idClicked, this, [this](int id) { setMode(Mode(id)); });

    auto *copy = new QToolButton;
    copy->setText(QStringLiteral("Copy body"));
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, this, &BodyView::copyRequested);
    auto *save = new QToolButton;
    save->setText(QStringLiteral("Save body…"));
    save->setToolTip(QStringLiteral("Write the exact bytes to a file"));
    save->setAutoRaise(true);
    connect(save, &QToolButton::clicked, this, &BodyView::saveRequested);

    m_summary->setObjectName(QStringLiteral("bodySummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    connect(m_summary, &QLabel::linkActivated, this, [this] { showJsonError(); });
    m_notice->setObjectName(QStringLiteral("bodyNotice"));
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_prettyButton);
    bar->addWidget(m_rawButton);
    bar->addWidget(m_hexButton);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);
    bar->addWidget(copy);
    bar->addWidget(save);

    m_stack->addWidget(m_pretty);
    m_stack->addWidget(m_raw);
    m_stack->addWidget(m_hex);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    layout->addWidget(m_stack, 1);

    m_highlighter->setDark(Theme::isDark(palette()));
    clear();
}

BodyView::~BodyView()
{
    // The worker owns its copy of the body and its promise; nothing here needs it to finish.
    m_watcher->disconnect(this);
}

void BodyView::clear()
{
    setBody({});
}

void BodyView::setBody(const QByteArray &body, const QByteArray &contentType, const QByteArray &contentEncoding)
{
    ++m_generation;
    m_watcher->disconnect(this);
    m_watcher->setFuture(QFuture<JsonPretty>());
    connect(m_watcher, &QFutureWatcher<JsonPretty>::finished, this, [this, generation = m_generation] {
        if (generation == m_generation && m_watcher->future().resultCount() > 0)
            applyPretty(m_watcher->result());
    });

    m_body = body;
    m_contentType = contentType;
    m_contentEncoding = contentEncoding;
    m_jsonError.reset();
    m_prettyReady = false;
    m_prettyTruncated = false;
    m_json = JsonText::looksLikeJson(body) || (contentType.toLower().contains("json") && !body.trimmed().isEmpty());
    m_form = !m_json && contentType.toLower().startsWith("application/x-www-form-urlencoded");
    m_utf8 = body.isValidUtf8();
    m_binary = !m_utf8 || hasBinaryBytes(body);

    // The raw text is laid out only when it is first shown.
    m_raw->clear();
    m_rawFilled = false;
    m_raw->setPlaceholderText(body.isEmpty() ? QStringLiteral("(empty body)") : QString());
    m_hex->setData(body);

    m_highlighter->setDocument(nullptr);
    m_feed.clear();
    m_fed = 0;
    showPrettyDocument(makeDocument(m_pretty->font()));
    if (m_json) {
        if (body.size() > asyncThreshold) {
            m_pretty->setPlaceholderText(QStringLiteral("Formatting %1…").arg(formatSize(body.size())));
            startPretty();
        } else {
            applyPretty(JsonText::pretty(body, 2, maxPrettyBytes));
        }
    } else if (m_form) {
        JsonPretty form;
        form.text = prettyForm(body);
        applyPretty(form);
    }

    Mode preferred = Mode::Raw;
    if ((m_json && !m_jsonError) || m_form)
        preferred = Mode::Pretty;
    else if (m_binary && !m_json)
        preferred = Mode::Hex;
    m_mode = preferred;
    if (m_mode == Mode::Raw)
        fillRaw();
    updateModeButtons();
    m_stack->setCurrentIndex(int(m_mode));
    updateSummary();
}

void BodyView::fillRaw()
{
    if (m_rawFilled)
        return;
    m_rawFilled = true;
    m_raw->setOriginalText(QString::fromUtf8(utf8Prefix(m_body, maxTextBytes)));
}

std::shared_ptr<QTextDocument> BodyView::makeDocument(const QFont &font)
{
    auto *document = new QTextDocument;
    document->setUndoRedoEnabled(false);
    document->setDocumentLayout(new QPlainTextDocumentLayout(document));
    document->setDefaultFont(font);
    // deleteLater: a document can be dropped from inside one of its own signals.
    return std::shared_ptr<QTextDocument>(document, [](QTextDocument *d) { d->deleteLater(); });
}

void BodyView::showPrettyDocument(std::shared_ptr<QTextDocument> document)
{
    // Swap first, release the old one after: the view must never point at a deleted document.
    std::shared_ptr<QTextDocument> previous = std::move(m_prettyDocument);
    m_prettyDocument = std::move(document);
    m_pretty->setDocument(m_prettyDocument.get());
}

void BodyView::startPretty()
{
    auto promise = std::make_shared<QPromise<JsonPretty>>();
    m_watcher->setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, body = m_body] {
        promise->addResult(JsonText::pretty(body, 2, maxPrettyBytes));
        promise->finish();
    });
}

void BodyView::applyPretty(const JsonPretty &pretty)
{
    m_pretty->setPlaceholderText(QString());
    if (pretty.error) {
        m_prettyReady = true;
        m_jsonError = pretty.error;
        if (m_mode == Mode::Pretty) {
            m_mode = Mode::Raw;
            fillRaw();
            m_stack->setCurrentIndex(int(m_mode));
        }
        updateModeButtons();
        updateSummary();
        emit prettyReady();
        return;
    }
    m_prettyTruncated = pretty.truncated;
    if (m_json && pretty.text.size() <= maxHighlightBytes)
        m_highlighter->setDocument(m_prettyDocument.get());
    m_feed = pretty.text;
    m_fed = 0;
    if (m_feed.size() <= feedChunk) {
        feedPretty(m_generation);
        return;
    }
    updateModeButtons();
    feedPretty(m_generation);
}

void BodyView::feedPretty(quint64 generation)
{
    if (generation != m_generation)
        return; // another body meanwhile
    qsizetype end = qMin(m_feed.size(), m_fed + feedChunk);
    if (end < m_feed.size()) {
        // Whole lines: a slice that ends inside a line would split it in two blocks for a moment.
        const qsizetype newline = m_feed.lastIndexOf(QLatin1Char('\n'), end - 1);
        if (newline >= m_fed)
            end = newline + 1;
    }
    QTextCursor cursor(m_prettyDocument.get());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(QStringView(m_feed).sliced(m_fed, end - m_fed).toString());
    m_fed = end;
    if (m_fed < m_feed.size()) {
        QTimer::singleShot(0, this, [this, generation] { feedPretty(generation); });
        return;
    }
    finishPretty();
}

void BodyView::finishPretty()
{
    m_feed.clear();
    m_fed = 0;
    m_prettyReady = true;
    updateModeButtons();
    updateSummary();
    emit prettyReady();
}

QString BodyView::prettyForm(const QByteArray &body)
{
    // One field per line, decoded, in the order sent (display only).
    QStringList lines;
    for (const QByteArray &pair : body.split('&')) {
        const qsizetype equals = pair.indexOf('=');
        QByteArray name = equals < 0 ? pair : pair.left(equals);
        QByteArray value = equals < 0 ? QByteArray() : pair.mid(equals + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        lines << QString::fromUtf8(QByteArray::fromPercentEncoding(name)) + QStringLiteral(" = ")
                + QString::fromUtf8(QByteArray::fromPercentEncoding(value));
    }
    return lines.join(QLatin1Char('\n'));
}

bool BodyView::isModeAvailable(Mode mode) const
{
    switch (mode) {
    case Mode::Pretty:
        return (m_json && !m_jsonError) || m_form;
    case Mode::Raw:
    case Mode::Hex:
        return true;
    }
    return false;
}

void BodyView::setMode(Mode mode)
{
    if (!isModeAvailable(mode))
        return;
    m_mode = mode;
    if (mode == Mode::Raw)
        fillRaw();
    m_stack->setCurrentIndex(int(mode));
    updateModeButtons();
    updateSummary();
}

void BodyView::updateModeButtons()
{
    m_prettyButton->setEnabled(isModeAvailable(Mode::Pretty));
    m_modes->button(int(m_mode))->setChecked(true);
}

QString BodyView::summary() const
{
    return m_summary->text();
}

QString BodyView::notice() const
{
    return m_notice->isVisibleTo(this) ? m_notice->text() : QString();
}

void BodyView::updateSummary()
{
    QStringList parts;
    if (!m_contentType.isEmpty())
        parts << displayBytes(m_contentType, 80).toHtmlEscaped();
    parts << formatSize(m_body.size());
    const bool dark = Theme::isDark(palette());
    if (m_body.isEmpty()) {
        parts << QStringLiteral("empty");
    } else if (m_json && !m_prettyReady) {
        parts << QStringLiteral("checking JSON…");
    } else if (m_jsonError) {
        parts << QStringLiteral("<span style=\"color:%1\">not valid JSON: %2</span> · <a href=\"#error\">show</a>")
                     .arg(VerdictStyle::textColor(Verdict::Invalid, dark).name(),
                         m_jsonError->describe().toHtmlEscaped());
    } else if (m_json) {
        parts << QStringLiteral("valid JSON");
    } else if (m_form) {
        parts << QStringLiteral("form fields");
    } else if (m_binary) {
        parts << (m_utf8 ? QStringLiteral("text with control characters") : QStringLiteral("binary (not UTF-8)"));
    } else {
        parts << QStringLiteral("text");
    }
    m_summary->setText(parts.join(QStringLiteral(" · ")));

    QStringList notes;
    if (!m_contentEncoding.isEmpty() && m_contentEncoding.toLower() != "identity")
        notes << QStringLiteral("Content-Encoding: %1 — shown as stored (still encoded).")
                     .arg(displayBytes(m_contentEncoding, 40));
    if (m_body.size() > maxTextBytes && m_mode != Mode::Hex)
        notes << QStringLiteral("Showing the first %1 of %2 as text; Hex and Save body… cover every byte.")
                     .arg(formatSize(maxTextBytes), formatSize(m_body.size()));
    if (m_prettyTruncated && m_mode == Mode::Pretty)
        notes << QStringLiteral("The formatted text stops at %1; Raw, Hex and Save body… cover every byte.")
                     .arg(formatSize(maxPrettyBytes));
    if (m_mode == Mode::Pretty && m_prettyReady && m_json && m_pretty->document()->characterCount() > maxHighlightBytes)
        notes << QStringLiteral("No colours above %1, to stay fast.").arg(formatSize(maxHighlightBytes));
    if (m_mode == Mode::Raw && m_raw->softBreakCount() > 0)
        notes << QStringLiteral("Lines longer than %1 characters are shown wrapped; copying keeps the original.")
                     .arg(RawTextView::maxLineLength);
    if (m_mode == Mode::Raw && !m_utf8 && !m_body.isEmpty())
        notes << QStringLiteral("Bytes that are not UTF-8 are shown as \uFFFD here; Hex shows them exactly.");
    m_notice->setText(notes.join(QLatin1Char(' ')));
    m_notice->setVisible(!notes.isEmpty());
}

void BodyView::showJsonError()
{
    if (!m_jsonError)
        return;
    const qsizetype offset = m_jsonError->offset;
    m_hex->setMarkedRange(offset, 1);
    m_hex->scrollToOffset(offset);
    if (offset <= maxTextBytes) {
        // Characters before the error: the decoded length of the bytes before it.
        fillRaw();
        const int position = m_raw->documentPosition(QString::fromUtf8(utf8Prefix(m_body, offset)).size());
        QTextCursor cursor(m_raw->document());
        cursor.setPosition(qMin(position, m_raw->document()->characterCount() - 1));
        cursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor);
        m_raw->setTextCursor(cursor);
        m_raw->ensureCursorVisible();
        setMode(Mode::Raw);
        m_raw->setFocus();
    } else {
        setMode(Mode::Hex);
    }
}

void BodyView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setDark(Theme::isDark(palette()));
        updateSummary();
    }
    QWidget::changeEvent(event);
}

} // namespace hookbench
