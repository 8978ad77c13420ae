#pragma once

#include "models/jsontext.h"

#include <QByteArray>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace hookbench {

class HexView;
class JsonHighlighter;

// The request editor's body: monospace plain text with JSON colouring, edited exactly as typed.
// It never reformats on its own: "Pretty" and "Minify" are explicit buttons, and they say that
// they change the bytes (and so the signature). A body that text editing can't carry unchanged
// (not UTF-8, or with bytes such as CR that a text document turns into line breaks) is shown
// read-only as hex and sent exactly as it came. JSON errors are pointed at (debounced) with a
// link that puts the cursor there.
class BodyEditor : public QWidget
{
    Q_OBJECT

public:
    static constexpr int validateDelayMs = 250;
    static constexpr qsizetype maxEditableBytes = 8 * 1024 * 1024;
    static constexpr qsizetype maxHighlightBytes = 128 * 1024; // no colours beyond this

    explicit BodyEditor(QWidget *parent = nullptr);

    // `contentType` only decides whether JSON checking is on from the start.
    void setBody(const QByteArray &body, const QByteArray &contentType = {});
    // The bytes that will be sent.
    QByteArray body() const;
    // True when the body is shown as read-only hex.
    bool isReadOnlyBinary() const { return m_binary; }
    QString note() const;

    // The explicit reformatting actions; false (with a message in the status) when the body is
    // not JSON or is read-only.
    bool makePretty();
    bool minify();

    const std::optional<JsonError> &jsonError() const { return m_jsonError; }
    QString jsonStatus() const;
    // Validates now instead of waiting for the debounce (tests, and before sending).
    void validateNow();
    // Puts the text cursor at the current JSON error.
    void goToJsonError();

    QPlainTextEdit *textEdit() const { return m_text; }
    HexView *hexView() const { return m_hex; }
    QToolButton *prettyButton() const { return m_prettyButton; }
    QToolButton *minifyButton() const { return m_minifyButton; }
    QLabel *jsonLabel() const { return m_jsonLabel; }

    void setDark(bool dark);

signals:
    void bodyEdited();
    void message(const QString &text);

private:
    void replaceText(const QByteArray &bytes);
    void textChanged();
    void updateJsonLabel();
    static bool survivesTextEditing(const QByteArray &body);

    QByteArray m_binaryBody; // the body when it is shown as hex
    bool m_binary = false;
    mutable QByteArray m_cached;
    mutable bool m_cacheValid = false;
    std::optional<JsonError> m_jsonError;
    bool m_jsonChecked = false;
    bool m_looksJson = false;

    QToolButton *m_prettyButton;
    QToolButton *m_minifyButton;
    QLabel *m_note;
    QLabel *m_jsonLabel;
    QStackedWidget *m_stack;
    QPlainTextEdit *m_text;
    HexView *m_hex;
    JsonHighlighter *m_highlighter;
    QTimer *m_validate;
};

// Removes the whitespace between JSON tokens, leaving every token byte-exact. nullopt when the
// input is not valid JSON.
std::optional<QByteArray> minifyJson(QByteArrayView json);
// The text of a QTextDocument as it was typed: paragraph separators back to '\n' and no other
// substitution (toPlainText() would also turn non-breaking spaces into spaces).
QString documentText(const QPlainTextEdit *edit);

} // namespace hookbench
