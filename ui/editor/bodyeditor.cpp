#include "bodyeditor.h"

#include "models/bytestext.h"
#include "widgets/hexview.h"
#include "widgets/jsonhighlighter.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace hookbench {

namespace {

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::optional<QByteArray> minifyJson(QByteArrayView json)
{
    if (JsonText::validate(json))
        return std::nullopt;
    QByteArray out;
    out.reserve(json.size());
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            out.append(c);
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
            out.append(c);
        } else if (!isJsonWhitespace(c)) {
            out.append(c);
        }
    }
    return out;
}

QString documentText(const QPlainTextEdit *edit)
{
    QString text = edit->document()->toRawText();
    text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    return text;
}

BodyEditor::BodyEditor(QWidget *parent)
    : QWidget(parent)
    , m_prettyButton(new QToolButton)
    , m_minifyButton(new QToolButton)
    , m_note(new QLabel)
    , m_jsonLabel(new QLabel)
    , m_stack(new QStackedWidget)
    , m_text(new QPlainTextEdit)
    , m_hex(new HexView)
    , m_highlighter(nullptr)
    , m_validate(new QTimer(this))
{
    m_prettyButton->setObjectName(QStringLiteral("prettyButton"));
    m_prettyButton->setText(QStringLiteral("Pretty"));
    m_prettyButton->setToolTip(QStringLiteral(
        "Re-indent the JSON body. This changes the bytes, so the original signature no longer matches."));
    m_minifyButton->setObjectName(QStringLiteral("minifyButton"));
    m_minifyButton->setText(QStringLiteral("Minify"));
    m_minifyButton->setToolTip(QStringLiteral(
        "Remove the whitespace between JSON tokens. This changes the bytes, so the original signature no longer "
        "matches."));
    connect(m_prettyButton, &QToolButton::clicked, this, &BodyEditor::makePretty);
    connect(m_minifyButton, &QToolButton::clicked, this, &BodyEditor::minify);

    m_jsonLabel->setObjectName(QStringLiteral("jsonStatus"));
    m_jsonLabel->setTextFormat(Qt::RichText);
    m_jsonLabel->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_jsonLabel, &QLabel::linkActivated, this, &BodyEditor::goToJsonError);
    m_note->setObjectName(QStringLiteral("bodyNote"));
    m_note->setWordWrap(true);
    m_note->hide();

    m_text->setObjectName(QStringLiteral("bodyText"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Wrapped: webhook bodies are often one long line, which Qt lays out again in full on every
    // keystroke; wrapping at the width makes that 2-3x cheaper and needs no sideways scrolling.
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_text->setTabChangesFocus(false);
    m_text->setPlaceholderText(QStringLiteral("Body (sent exactly as typed)"));
    m_highlighter = new JsonHighlighter(m_text->document());
    connect(m_text, &QPlainTextEdit::textChanged, this, &BodyEditor::textChanged);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_hex);

    m_validate->setSingleShot(true);
    m_validate->setInterval(validateDelayMs);
    connect(m_validate, &QTimer::timeout, this, &BodyEditor::validateNow);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(QStringLiteral("Body")));
    bar->addWidget(m_jsonLabel, 1);
    bar->addWidget(m_prettyButton);
    bar->addWidget(m_minifyButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_note);
    layout->addWidget(m_stack, 1);
}

bool BodyEditor::survivesTextEditing(const QByteArray &body)
{
    if (body.size() > maxEditableBytes)
        return false;
    // A text document turns CR, CRLF and U+2028/2029 into its own line breaks, and invalid UTF-8
    // into U+FFFD: such bodies could not be sent back unchanged.
    if (body.contains('\r') || body.contains("\xe2\x80\xa8") || body.contains("\xe2\x80\xa9"))
        return false;
    const QString text = QString::fromUtf8(body);
    return text.toUtf8() == body;
}

void BodyEditor::setBody(const QByteArray &body, const QByteArray &contentType)
{
    m_looksJson = contentType.toLower().contains("json") || JsonText::looksLikeJson(body);
    m_binary = !survivesTextEditing(body);
    m_cacheValid = false;
    if (!m_binary) {
        m_binaryBody.clear();
        m_hex->setData({});
        m_stack->setCurrentWidget(m_text);
        m_note->hide();
        // Colouring re-scans the edited line on every keystroke: not worth it for big bodies.
        m_highlighter->setDocument(body.size() > maxHighlightBytes ? nullptr : m_text->document());
        m_text->setPlainText(QString::fromUtf8(body));
        m_cacheValid = false;
        // The final word on "text can carry it": what the document gives back.
        m_binary = this->body() != body;
        m_cacheValid = false;
    }
    if (m_binary) {
        m_binaryBody = body;
        m_hex->setData(body);
        m_stack->setCurrentWidget(m_hex);
        const QString why = body.size() > maxEditableBytes
            ? QStringLiteral("too large to edit here (%1)").arg(formatSize(body.size()))
            : QStringLiteral("not plain UTF-8 text (binary bytes, or CR line endings a text editor would rewrite)");
        m_note->setText(
            QStringLiteral("This body is %1: it is shown read-only as hex and sent unchanged, byte for byte.")
                .arg(why));
        m_note->show();
        const QSignalBlocker blocker(m_text);
        m_text->clear();
    }
    m_text->setReadOnly(m_binary);
    m_prettyButton->setEnabled(!m_binary);
    m_minifyButton->setEnabled(!m_binary);
    validateNow();
}

QByteArray BodyEditor::body() const
{
    if (m_binary)
        return m_binaryBody;
    if (!m_cacheValid) {
        m_cached = documentText(m_text).toUtf8();
        m_cacheValid = true;
    }
    return m_cached;
}

QString BodyEditor::note() const
{
    return m_note->isVisible() || m_binary ? m_note->text() : QString();
}

void BodyEditor::textChanged()
{
    m_cacheValid = false;
    if (!m_jsonChecked || !m_looksJson)
        m_looksJson = JsonText::looksLikeJson(body());
    m_validate->start();
    emit bodyEdited();
}

void BodyEditor::validateNow()
{
    m_validate->stop();
    m_jsonChecked = true;
    const QByteArray bytes = body();
    m_jsonError.reset();
    if (!m_binary && (m_looksJson || JsonText::looksLikeJson(bytes)) && !bytes.isEmpty())
        m_jsonError = JsonText::validate(bytes);
    updateJsonLabel();
}

QString BodyEditor::jsonStatus() const
{
    return m_jsonLabel->text();
}

void BodyEditor::updateJsonLabel()
{
    const QByteArray bytes = body();
    if (m_binary) {
        m_jsonLabel->setText(QStringLiteral("%1 · read-only").arg(formatSize(bytes.size())));
    } else if (m_jsonError) {
        m_jsonLabel->setText(QStringLiteral("%1 · <a href=\"#error\">JSON error at %2</a>")
                                 .arg(formatSize(bytes.size()), m_jsonError->describe().toHtmlEscaped()));
    } else if (m_looksJson && !bytes.isEmpty()) {
        m_jsonLabel->setText(QStringLiteral("%1 · valid JSON").arg(formatSize(bytes.size())));
    } else {
        m_jsonLabel->setText(formatSize(bytes.size()));
    }
}

void BodyEditor::goToJsonError()
{
    if (!m_jsonError || m_binary)
        return;
    // The error is a byte offset; the cursor counts UTF-16 units of the same text.
    const QByteArray bytes = body();
    const int position = int(QString::fromUtf8(bytes.left(m_jsonError->offset)).size());
    QTextCursor cursor = m_text->textCursor();
    cursor.setPosition(qMin(position, m_text->document()->characterCount() - 1));
    m_text->setTextCursor(cursor);
    m_text->centerCursor();
    m_text->setFocus(Qt::OtherFocusReason);
}

void BodyEditor::replaceText(const QByteArray &bytes)
{
    // Through a cursor, so that Undo takes the reformatting back.
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(bytes));
    cursor.endEditBlock();
    validateNow();
}

bool BodyEditor::makePretty()
{
    if (m_binary)
        return false;
    const QByteArray bytes = body();
    const JsonPretty pretty = JsonText::pretty(bytes, 2, maxEditableBytes * 4);
    if (pretty.error || pretty.truncated) {
        emit message(QStringLiteral("Pretty needs a valid JSON body: %1")
                         .arg(pretty.error ? pretty.error->describe() : QStringLiteral("the result is too large")));
        return false;
    }
    const QByteArray formatted = pretty.text.toUtf8();
    if (formatted == bytes)
        return true;
    replaceText(formatted);
    emit message(QStringLiteral("Re-indented the body: its bytes changed, so re-sign before sending."));
    return true;
}

bool BodyEditor::minify()
{
    if (m_binary)
        return false;
    const QByteArray bytes = body();
    const std::optional<QByteArray> minified = minifyJson(bytes);
    if (!minified) {
        emit message(QStringLiteral("Minify needs a valid JSON body."));
        return false;
    }
    if (*minified == bytes)
        return true;
    replaceText(*minified);
    emit message(QStringLiteral("Minified the body: its bytes changed, so re-sign before sending."));
    return true;
}

void BodyEditor::setDark(bool dark)
{
    m_highlighter->setDark(dark);
}

} // namespace hookbench
