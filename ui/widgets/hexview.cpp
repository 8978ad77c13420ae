#include "hexview.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>

namespace hookbench {

namespace {

constexpr qsizetype maxCopyBytes = 16 * 1024 * 1024;

// Columns, in characters: "00000000  00 11 22 33 44 55 66 77  88 99 aa bb cc dd ee ff  0123456789abcdef"
constexpr int offsetChars = 8;
constexpr int hexStart = offsetChars + 2;
int hexColumn(int byteInLine)
{
    return hexStart + byteInLine * 3 + (byteInLine >= 8 ? 1 : 0);
}
constexpr int asciiStart = hexStart + 16 * 3 + 1 + 1;

QChar printable(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f ? QLatin1Char(c) : QLatin1Char('.');
}

} // namespace

HexView::HexView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setCursor(Qt::IBeamCursor);
    setAccessibleName(QStringLiteral("Hex view"));
}

void HexView::setData(const QByteArray &data)
{
    m_data = data;
    m_markStart = -1;
    m_markLength = 0;
    m_anchor = m_cursor = 0;
    m_hasSelection = false;
    verticalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

void HexView::setMarkedRange(qsizetype offset, qsizetype length)
{
    m_markStart = offset;
    m_markLength = length;
    viewport()->update();
}

qsizetype HexView::lineCount() const
{
    return (m_data.size() + BytesPerLine - 1) / BytesPerLine;
}

int HexView::lineHeight() const
{
    return fontMetrics().height();
}

int HexView::charWidth() const
{
    return fontMetrics().horizontalAdvance(QLatin1Char('0'));
}

int HexView::visibleLineCount() const
{
    return qMax(1, viewport()->height() / qMax(1, lineHeight()));
}

qsizetype HexView::firstVisibleLine() const
{
    return verticalScrollBar()->value();
}

void HexView::updateScrollBars()
{
    const qsizetype lines = lineCount();
    verticalScrollBar()->setRange(0, int(qMax<qsizetype>(0, lines - visibleLineCount())));
    verticalScrollBar()->setPageStep(visibleLineCount());
    verticalScrollBar()->setSingleStep(1);
    const int width = (asciiStart + BytesPerLine + 1) * charWidth();
    horizontalScrollBar()->setRange(0, qMax(0, width - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::scrollToOffset(qsizetype offset)
{
    const qsizetype line = offset / BytesPerLine;
    if (line < firstVisibleLine() || line >= firstVisibleLine() + visibleLineCount())
        verticalScrollBar()->setValue(int(qMax<qsizetype>(0, line - visibleLineCount() / 3)));
}

void HexView::setSelection(qsizetype start, qsizetype end)
{
    start = qBound<qsizetype>(0, start, m_data.size());
    end = qBound<qsizetype>(0, end, m_data.size());
    m_hasSelection = end > start;
    m_anchor = start;
    m_cursor = m_hasSelection ? end - 1 : start;
    viewport()->update();
}

qsizetype HexView::selectionEnd() const
{
    return m_hasSelection ? qMax(m_anchor, m_cursor) + 1 : selectionStart();
}

QByteArray HexView::selectedBytes() const
{
    if (!m_hasSelection)
        return {};
    return m_data.mid(selectionStart(), qMin(selectionEnd() - selectionStart(), maxCopyBytes));
}

QString HexView::selectionAsHex() const
{
    const QByteArray bytes = m_hasSelection ? selectedBytes() : m_data.left(maxCopyBytes);
    return QString::fromLatin1(bytes.toHex(' '));
}

QString HexView::dumpLines(qsizetype first, qsizetype count) const
{
    QString text;
    for (qsizetype line = first; line < qMin(lineCount(), first + count); ++line) {
        const qsizetype start = line * BytesPerLine;
        const qsizetype end = qMin<qsizetype>(start + BytesPerLine, m_data.size());
        QString row = QStringLiteral("%1").arg(start, offsetChars, 16, QLatin1Char('0'));
        row.resize(asciiStart + BytesPerLine, QLatin1Char(' '));
        for (qsizetype i = start; i < end; ++i) {
            const int column = hexColumn(int(i - start));
            const auto byte = static_cast<unsigned char>(m_data.at(i));
            row[column] = QLatin1Char("0123456789abcdef"[byte >> 4]);
            row[column + 1] = QLatin1Char("0123456789abcdef"[byte & 0xf]);
            row[asciiStart + (i - start)] = printable(m_data.at(i));
        }
        text += row.trimmed() + QLatin1Char('\n');
    }
    return text;
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette &pal = palette();
    painter.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    const int height = lineHeight();
    const int width = charWidth();
    const int ascent = fontMetrics().ascent();
    const int x0 = -horizontalScrollBar()->value() + 4;
    const qsizetype first = firstVisibleLine();
    const qsizetype last = qMin(lineCount(), first + visibleLineCount() + 1);
    const QColor offsetColor = pal.color(QPalette::PlaceholderText);
    const QColor mark = QColor(0xf0, 0xb4, 0x29, 110);
    QColor selection = pal.color(QPalette::Highlight);
    const qsizetype selStart = selectionStart();
    const qsizetype selEnd = selectionEnd();

    for (qsizetype line = first; line < last; ++line) {
        const int y = int(line - first) * height;
        const qsizetype start = line * BytesPerLine;
        const qsizetype end = qMin<qsizetype>(start + BytesPerLine, m_data.size());
        painter.setPen(offsetColor);
        painter.drawText(x0, y + ascent, QStringLiteral("%1").arg(start, offsetChars, 16, QLatin1Char('0')));
        for (qsizetype i = start; i < end; ++i) {
            const int inLine = int(i - start);
            const QRect hexRect(x0 + hexColumn(inLine) * width, y, width * 2, height);
            const QRect asciiRect(x0 + (asciiStart + inLine) * width, y, width, height);
            const bool selected = m_hasSelection && i >= selStart && i < selEnd;
            const bool marked
                = m_markStart >= 0 && i >= m_markStart && i < m_markStart + qMax<qsizetype>(1, m_markLength);
            if (selected || marked) {
                const QColor fill = selected ? selection : mark;
                painter.fillRect(hexRect.adjusted(0, 0, inLine % 8 == 7 ? 0 : width, 0), fill);
                painter.fillRect(asciiRect, fill);
            }
            const auto byte = static_cast<unsigned char>(m_data.at(i));
            painter.setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
            const char hex[2] = {"0123456789abcdef"[byte >> 4], "0123456789abcdef"[byte & 0xf]};
            painter.drawText(hexRect.x(), y + ascent, QString::fromLatin1(hex, 2));
            painter.drawText(asciiRect.x(), y + ascent, QString(printable(m_data.at(i))));
        }
        if (hasFocus() && !m_hasSelection && m_cursor >= start && m_cursor < end) {
            const int inLine = int(m_cursor - start);
            painter.setPen(pal.color(QPalette::Text));
            painter.drawRect(QRect(x0 + hexColumn(inLine) * width, y, width * 2, height - 1));
        }
    }
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
}

qsizetype HexView::byteAt(const QPoint &position) const
{
    const int width = charWidth();
    const int column = (position.x() + horizontalScrollBar()->value() - 4) / qMax(1, width);
    const qsizetype line = firstVisibleLine() + position.y() / qMax(1, lineHeight());
    int inLine = 0;
    if (column >= asciiStart)
        inLine = qMin(BytesPerLine - 1, column - asciiStart);
    else if (column >= hexStart)
        inLine = qBound(0, (column - hexStart - (column >= hexColumn(8) ? 1 : 0)) / 3, BytesPerLine - 1);
    return qBound<qsizetype>(0, line * BytesPerLine + inLine, qMax<qsizetype>(0, m_data.size() - 1));
}

void HexView::moveCursorTo(qsizetype byte, bool extend)
{
    if (m_data.isEmpty())
        return;
    byte = qBound<qsizetype>(0, byte, m_data.size() - 1);
    if (!extend) {
        m_anchor = byte;
        m_hasSelection = false;
    } else {
        m_hasSelection = true;
    }
    m_cursor = byte;
    scrollToOffset(byte);
    viewport()->update();
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        moveCursorTo(byteAt(event->position().toPoint()), event->modifiers() & Qt::ShiftModifier);
    QAbstractScrollArea::mousePressEvent(event);
}

void HexView::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton) {
        m_cursor = byteAt(event->position().toPoint());
        m_hasSelection = true;
        viewport()->update();
    }
}

void HexView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copyHex();
        return;
    }
    if (event->matches(QKeySequence::SelectAll)) {
        setSelection(0, m_data.size());
        return;
    }
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    switch (event->key()) {
    case Qt::Key_Left:
        moveCursorTo(m_cursor - 1, extend);
        return;
    case Qt::Key_Right:
        moveCursorTo(m_cursor + 1, extend);
        return;
    case Qt::Key_Up:
        moveCursorTo(m_cursor - BytesPerLine, extend);
        return;
    case Qt::Key_Down:
        moveCursorTo(m_cursor + BytesPerLine, extend);
        return;
    case Qt::Key_PageUp:
        moveCursorTo(m_cursor - BytesPerLine * visibleLineCount(), extend);
        return;
    case Qt::Key_PageDown:
        moveCursorTo(m_cursor + BytesPerLine * visibleLineCount(), extend);
        return;
    case Qt::Key_Home:
        moveCursorTo(event->modifiers() & Qt::ControlModifier ? 0 : m_cursor - m_cursor % BytesPerLine, extend);
        return;
    case Qt::Key_End:
        moveCursorTo(event->modifiers() & Qt::ControlModifier ? m_data.size() - 1
                                                              : m_cursor - m_cursor % BytesPerLine + BytesPerLine - 1,
            extend);
        return;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void HexView::copyHex()
{
    QApplication::clipboard()->setText(selectionAsHex());
}

void HexView::copyText()
{
    // Bytes as Latin-1 so every byte maps to one character; the clipboard is text.
    const QByteArray bytes = m_hasSelection ? selectedBytes() : m_data.left(maxCopyBytes);
    QApplication::clipboard()->setText(QString::fromLatin1(bytes));
}

void HexView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    const QString scope = m_hasSelection ? QStringLiteral("selection") : QStringLiteral("all");
    menu.addAction(QStringLiteral("Copy %1 as hex").arg(scope), this, &HexView::copyHex);
    menu.addAction(QStringLiteral("Copy %1 as text").arg(scope), this, &HexView::copyText);
    menu.addAction(QStringLiteral("Select all"), this, [this] { setSelection(0, m_data.size()); });
    menu.exec(event->globalPos());
}

} // namespace hookbench
