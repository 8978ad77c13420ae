#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace hookbench {

// Colours the pretty-printed JSON of the Body tab: keys, strings, numbers, true/false/null.
// Works line by line (a JSON token never spans lines once re-indented) and follows the palette.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument *document);
    void setDark(bool dark);

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
    QTextCharFormat m_punctuation;
};

} // namespace hookbench
