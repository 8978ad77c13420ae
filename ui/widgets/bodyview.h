#pragma once

#include "models/jsontext.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <optional>

class QButtonGroup;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTextDocument;
class QThread;
class QToolButton;

namespace hookbench {

class HexView;
class JsonHighlighter;
class RawTextView;

// The Body tab: the body as pretty JSON (syntax highlighted), raw text, or hex. Display only:
// the bytes it was given are never changed. A JSON error is reported with its line, column and
// byte offset and can be shown in the raw and hex views. Big bodies stay responsive: pretty
// printing runs on a worker thread, the text views show at most maxTextBytes (with a note), and
// the hex view paints only what is visible.
class BodyView : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Pretty, Raw, Hex };
    Q_ENUM(Mode)

    static constexpr qsizetype asyncThreshold = 64 * 1024; // pretty-print on a worker above this
    static constexpr qsizetype maxTextBytes = 4 * 1024 * 1024; // the raw view shows at most this much
    static constexpr qsizetype maxPrettyBytes = 4 * 1024 * 1024; // the formatted text stops here
    static constexpr qsizetype maxHighlightBytes = 512 * 1024; // no colours beyond this
    static constexpr qsizetype feedChunk = 32 * 1024; // characters shown per event-loop turn

    explicit BodyView(QWidget *parent = nullptr);
    ~BodyView() override;

    // `contentType` and `contentEncoding` are the request's header values (may be null).
    void setBody(const QByteArray &body, const QByteArray &contentType = {}, const QByteArray &contentEncoding = {});
    void clear();
    const QByteArray &body() const { return m_body; }

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    bool isModeAvailable(Mode mode) const;
    bool isJson() const { return m_json; }
    bool isBinary() const { return m_binary; }
    const std::optional<JsonError> &jsonError() const { return m_jsonError; }
    bool isPrettyReady() const { return m_prettyReady; }
    QString summary() const;
    QString notice() const;

    QPlainTextEdit *prettyEdit() const { return m_pretty; }
    RawTextView *rawEdit() const { return m_raw; }
    HexView *hexView() const { return m_hex; }

    // Puts the raw view's cursor (and the hex view's mark) at the JSON error.
    void showJsonError();

signals:
    void prettyReady();
    void copyRequested(); // the window decides how to put bytes on the clipboard
    void saveRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    static std::shared_ptr<QTextDocument> makeDocument(const QFont &font);
    void showPrettyDocument(std::shared_ptr<QTextDocument> document);
    void startPretty();
    // Shows a formatted text: all at once when small, else a slice per event-loop turn, so that
    // laying out megabytes of lines never freezes the window (Qt walks each new line once).
    void applyPretty(const JsonPretty &pretty);
    void feedPretty(quint64 generation);
    void finishPretty();
    void updateSummary();
    void updateModeButtons();
    void fillRaw();
    static QString prettyForm(const QByteArray &body);

    QByteArray m_body;
    QByteArray m_contentType;
    QByteArray m_contentEncoding;
    bool m_json = false;
    bool m_form = false;
    bool m_binary = false;
    bool m_utf8 = true;
    bool m_prettyReady = false;
    bool m_prettyTruncated = false;
    std::optional<JsonError> m_jsonError;
    Mode m_mode = Mode::Raw;
    quint64 m_generation = 0;

    QLabel *m_summary;
    QLabel *m_notice;
    QButtonGroup *m_modes;
    QToolButton *m_prettyButton;
    QToolButton *m_rawButton;
    QToolButton *m_hexButton;
    QStackedWidget *m_stack;
    QPlainTextEdit *m_pretty;
    RawTextView *m_raw;
    bool m_rawFilled = false;
    HexView *m_hex;
    JsonHighlighter *m_highlighter;
    std::shared_ptr<QTextDocument> m_prettyDocument;
    QString m_feed; // formatted text still to be shown
    qsizetype m_fed = 0;
    QFutureWatcher<JsonPretty> *m_watcher;
};

} // namespace hookbench
