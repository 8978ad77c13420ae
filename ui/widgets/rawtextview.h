#pragma once

#include <QList>
#include <QPlainTextEdit>

namespace hookbench {

// Read-only text that stays fast with very long lines. QPlainTextEdit lays out a whole line at
// once, so a 4 MiB one-line JSON body takes seconds; this view breaks lines longer than
// maxLineLength characters into display lines (marked in the gutter-less way a soft wrap would
// look) and takes the breaks out again when text is copied, so a copy is exactly the original.
class RawTextView : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int maxLineLength = 1000;

    explicit RawTextView(QWidget *parent = nullptr);

    void setOriginalText(const QString &text);
    QString originalText() const;
    int softBreakCount() const { return int(m_breaks.size()); }
    // The document position of a character offset in the original text.
    int documentPosition(qsizetype originalOffset) const;
    // The original text between two document positions (soft breaks removed).
    QString originalBetween(int from, int to) const;

protected:
    QMimeData *createMimeDataFromSelection() const override;

private:
    QList<int> m_breaks; // document positions of the inserted line breaks, ascending
};

} // namespace hookbench
