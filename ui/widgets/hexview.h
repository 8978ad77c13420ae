#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>

namespace hookbench {

// A hex dump of any number of bytes that stays fast: only the visible lines are formatted and
// painted (16 bytes a line: offset, hex, printable ASCII), so a 16 MiB body scrolls like a short
// one. Bytes can be selected with the mouse or Shift+arrows and copied as hex or as text; a
// range can be marked (e.g. where a JSON error is).
class HexView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    static constexpr int BytesPerLine = 16;

    explicit HexView(QWidget *parent = nullptr);

    void setData(const QByteArray &data);
    const QByteArray &data() const { return m_data; }

    void setMarkedRange(qsizetype offset, qsizetype length);
    void scrollToOffset(qsizetype offset);
    qsizetype firstVisibleLine() const;
    int visibleLineCount() const;

    // Selection in bytes: [start, end).
    void setSelection(qsizetype start, qsizetype end);
    qsizetype selectionStart() const { return qMin(m_anchor, m_cursor); }
    qsizetype selectionEnd() const;
    QByteArray selectedBytes() const;
    // "0a 1b ff" for the selection (all bytes when nothing is selected), capped at 16 MiB.
    QString selectionAsHex() const;
    // The formatted dump of lines [first, first + count), as shown.
    QString dumpLines(qsizetype first, qsizetype count) const;

    void copyHex();
    void copyText();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    qsizetype lineCount() const;
    int lineHeight() const;
    int charWidth() const;
    qsizetype byteAt(const QPoint &position) const;
    void updateScrollBars();
    void moveCursorTo(qsizetype byte, bool extend);

    QByteArray m_data;
    qsizetype m_markStart = -1;
    qsizetype m_markLength = 0;
    qsizetype m_anchor = 0; // selection: from anchor to cursor (cursor inclusive when selecting)
    qsizetype m_cursor = 0;
    bool m_hasSelection = false;
};

} // namespace hookbench
