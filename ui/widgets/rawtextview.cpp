#include "rawtextview.h"

#include <QMimeData>
#include <QTextCursor>

#include <algorithm>

namespace hookbench {

RawTextView::RawTextView(QWidget *parent) : QPlainTextEdit(parent)
{ }

void RawTextView::setOriginalText(const QString &text)
{
    m_breaks.clear();
    QString shown;
    shown.reserve(text.size() + text.size() / maxLineLength + 1);
    qsizetype lineLength = 0;
    for (const QChar c : text) {
        if (c == u'\n') {
            lineLength = 0;
        } else if (lineLength == maxLineLength) {
            m_breaks.append(int(shown.size()));
            shown += QLatin1Char('\n');
            lineLength = 0;
        }
        shown += c;
        if (c != u'\n')
            ++lineLength;
    }
    setPlainText(shown);
}

QString RawTextView::originalText() const
{
    return originalBetween(0, document()->characterCount() - 1);
}

int RawTextView::documentPosition(qsizetype originalOffset) const
{
    // Each break before the target shifts it by one; breaks sit at increasing positions.
    qsizetype position = originalOffset;
    for (const int at : m_breaks) {
        if (at > position)
            break;
        ++position;
    }
    return int(position);
}

QString RawTextView::originalBetween(int from, int to) const
{
    QTextCursor cursor(document());
    cursor.setPosition(from);
    cursor.setPosition(to, QTextCursor::KeepAnchor);
    // QTextCursor::selectedText uses U+2029 for block separators: turn them back into '\n'.
    QString text = cursor.selectedText();
    text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    auto first = std::lower_bound(m_breaks.cbegin(), m_breaks.cend(), from);
    // Remove from the end so earlier indexes stay valid.
    QList<int> inside;
    for (auto it = first; it != m_breaks.cend() && *it < to; ++it)
        inside.append(*it - from);
    for (auto it = inside.crbegin(); it != inside.crend(); ++it)
        text.remove(*it, 1);
    return text;
}

QMimeData *RawTextView::createMimeDataFromSelection() const
{
    const QTextCursor cursor = textCursor();
    auto *data = new QMimeData;
    data->setText(originalBetween(cursor.selectionStart(), cursor.selectionEnd()));
    return data;
}

} // namespace hookbench
