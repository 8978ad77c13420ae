#include "attemptcompareview.h"

#include "attempthistorymodel.h"
#include "models/bytediff.h"
#include "models/bytestext.h"
#include "replay/requestwire.h"
#include "responseview.h"

#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextEdit>
#include <QVBoxLayout>

#include <vector>

namespace hookbench {

namespace {

QByteArray headerLines(const HeaderList &headers)
{
    QByteArray out;
    for (const HttpHeader &header : headers)
        out += displayBytes(header.name).toUtf8() + ": " + displayBytes(header.value).toUtf8() + '\n';
    return out;
}

QByteArray bodyText(const QByteArray &body)
{
    if (body.isEmpty())
        return QByteArrayLiteral("(no body)\n");
    const bool utf8 = QString::fromUtf8(body).toUtf8() == body;
    if (!utf8)
        return QStringLiteral("(%1 of binary data, sha256 %2)\n")
            .arg(formatSize(body.size()),
                QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex().left(16)))
            .toUtf8();
    QByteArray text = body.left(AttemptCompareView::maxBodyBytes);
    if (body.size() > AttemptCompareView::maxBodyBytes) {
        // Don't cut a UTF-8 sequence in half.
        while (!text.isEmpty() && (static_cast<unsigned char>(text.back()) & 0xc0) == 0x80)
            text.chop(1);
        if (!text.isEmpty() && static_cast<unsigned char>(text.back()) >= 0xc0)
            text.chop(1);
        text += QStringLiteral("\n(… %1 more)").arg(formatSize(body.size() - text.size())).toUtf8();
    }
    return text + '\n';
}

// UTF-16 positions of every byte offset of a valid UTF-8 text (size + 1 entries).
std::vector<int> utf16Positions(const QByteArray &utf8)
{
    std::vector<int> positions(size_t(utf8.size()) + 1);
    int position = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        positions[size_t(i)] = position;
        const auto byte = static_cast<unsigned char>(utf8.at(i));
        if ((byte & 0xc0) != 0x80)
            position += byte >= 0xf0 ? 2 : 1;
    }
    positions[size_t(utf8.size())] = position;
    return positions;
}

void mark(QPlainTextEdit *edit, const QByteArray &text, const QList<QPair<qsizetype, qsizetype>> &ranges,
    const QColor &colour)
{
    const std::vector<int> positions = utf16Positions(text);
    QList<QTextEdit::ExtraSelection> selections;
    for (const auto &[start, end] : ranges) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(edit->document());
        selection.cursor.setPosition(positions[size_t(start)]);
        selection.cursor.setPosition(positions[size_t(end)], QTextCursor::KeepAnchor);
        selection.format.setBackground(colour);
        selections.append(selection);
    }
    edit->setExtraSelections(selections);
}

} // namespace

AttemptCompareView::AttemptCompareView(QWidget *parent)
    : QDialog(parent)
    , m_leftTitle(new QLabel)
    , m_rightTitle(new QLabel)
    , m_summary(new QLabel)
    , m_left(new QPlainTextEdit)
    , m_right(new QPlainTextEdit)
{
    setWindowTitle(QStringLiteral("Compare attempts"));
    setObjectName(QStringLiteral("attemptCompare"));
    for (QPlainTextEdit *edit : {m_left, m_right}) {
        edit->setReadOnly(true);
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        // Wrapped, so that a long one-line body shows its differences without scrolling sideways.
        edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    }
    m_left->setObjectName(QStringLiteral("compareLeft"));
    m_right->setObjectName(QStringLiteral("compareRight"));
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *grid = new QGridLayout;
    grid->addWidget(m_leftTitle, 0, 0);
    grid->addWidget(m_rightTitle, 0, 1);
    grid->addWidget(m_left, 1, 0);
    grid->addWidget(m_right, 1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(grid, 1);
    layout->addWidget(buttons);
    resize(1200, 760);

    // Scroll both sides together: the same parts sit at about the same lines.
    connect(
        m_left->verticalScrollBar(), &QScrollBar::valueChanged, m_right->verticalScrollBar(), &QScrollBar::setValue);
    connect(
        m_right->verticalScrollBar(), &QScrollBar::valueChanged, m_left->verticalScrollBar(), &QScrollBar::setValue);
}

QByteArray AttemptCompareView::describe(const Attempt &attempt)
{
    QByteArray out;
    out += "── request ──\n";
    out += displayBytes(attempt.request.method).toUtf8() + ' ' + attemptTarget(attempt).toUtf8() + '\n';
    out += headerLines(attempt.request.headers);
    out += '\n';
    out += bodyText(attempt.request.body);
    out += "\n── response ──\n";
    if (attempt.failure != Attempt::Failure::None) {
        out += "no response: " + attempt.error.toUtf8() + '\n';
    } else {
        out += QByteArray::number(attempt.status) + ' ' + displayBytes(attempt.reasonPhrase).toUtf8() + '\n';
        out += headerLines(attempt.responseHeaders);
        out += '\n';
        out += bodyText(attempt.responseBody);
    }
    return out;
}

void AttemptCompareView::setAttempts(const Attempt &left, const Attempt &right)
{
    const auto title = [](const Attempt &attempt) {
        return QStringLiteral("Attempt %1 · %2 · %3")
            .arg(attempt.id)
            .arg(formatTimestampUs(attempt.startedAtUs),
                attempt.failure == Attempt::Failure::None ? QString::number(attempt.status)
                                                          : attemptFailureName(attempt.failure));
    };
    m_leftTitle->setText(title(left));
    m_rightTitle->setText(title(right));
    const QByteArray a = describe(left);
    const QByteArray b = describe(right);
    m_left->setPlainText(QString::fromUtf8(a));
    m_right->setPlainText(QString::fromUtf8(b));
    // Myers costs (N+M)·D: fewer marked edits for big texts keeps the dialog quick to open.
    const ByteDiff diff = diffBytes(a, b, a.size() + b.size() > 128 * 1024 ? 200 : 800);
    mark(m_left, a, diff.removed, QColor(255, 120, 120, 110));
    mark(m_right, b, diff.added, QColor(90, 200, 90, 110));
    m_marked = int(diff.removed.size() + diff.added.size());

    QStringList parts;
    parts << (left.status == right.status && left.failure == right.failure ? QStringLiteral("same status")
                                                                           : QStringLiteral("status differs"));
    parts << (left.request.body == right.request.body ? QStringLiteral("same request body")
                                                      : QStringLiteral("request bodies differ"));
    parts << (left.request.headers == right.request.headers ? QStringLiteral("same request headers")
                                                            : QStringLiteral("request headers differ"));
    parts << (left.responseBody == right.responseBody ? QStringLiteral("same response body")
                                                      : QStringLiteral("response bodies differ"));
    if (!diff.complete)
        parts << QStringLiteral("too many differences to mark them all");
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

QString AttemptCompareView::leftText() const
{
    return m_left->toPlainText();
}

QString AttemptCompareView::rightText() const
{
    return m_right->toPlainText();
}

QString AttemptCompareView::summary() const
{
    return m_summary->text();
}

} // namespace hookbench
