#pragma once

#include "capture/attempt.h"
#include "capture/capture.h"
#include "capture/httprequest.h"
#include "models/signaturecheck.h"

#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;
class QSplitter;
class QTableView;
class QTimer;
class QToolButton;

namespace hookbench {

class AttemptCompareView;
class AttemptHistoryModel;
class BodyEditor;
class CaptureWriter;
class HeaderTableModel;
class HttpSender;
class ResignPanel;
class ResponseView;

// What a request editor needs from the window, replaceable in tests.
struct RequestEditorContext
{
    CaptureWriter *writer = nullptr; // where attempts are stored; null: not stored
    // The attempts of a capture, or (captureId 0) the store's recent attempts.
    std::function<QList<Attempt>(qint64 captureId, QString *error)> loadAttempts;
    // The listener profile (scheme, secrets) of a capture's listener, to offer its secrets.
    std::function<std::optional<CheckProfile>(const QString &listener)> profileFor;
    QSettings *settings = nullptr; // last target, timeout, splitters (never secrets)
};

// One request being edited and sent: method, URL, header table, body, re-sign panel, send
// options; beside it the response of the selected attempt and the history of attempts for the
// source capture (all recent attempts for a blank request), two of which can be compared.
// What is shown is exactly what is sent: nothing reformats the bytes unless asked to.
class RequestEditor : public QWidget
{
    Q_OBJECT

public:
    explicit RequestEditor(RequestEditorContext context, QWidget *parent = nullptr);
    ~RequestEditor() override;

    // Shows `request` for editing. `source` is the capture it came from (for the signature
    // badge, the listener's secrets and the attempt links), if any.
    void setRequest(const HttpRequest &request, const std::optional<Capture> &source = std::nullopt);
    // The request as it will be sent (nullopt with `error` when the URL can't be used).
    std::optional<HttpRequest> request(QString *error = nullptr) const;
    qint64 sourceCaptureId() const { return m_sourceId; }
    QString title() const;

    void send();
    void cancel();
    bool isSending() const { return m_ticket != 0; }
    void writeSignatureHeaders();
    void reloadHistory();
    void compareSelected();
    void showAttempt(const Attempt &attempt);
    void setDark(bool dark);

    // The URL that opens a capture: the last target used, else the listener's own address.
    static QString defaultUrlFor(const Capture &capture, QSettings *settings);
    // The capture as a request to that URL (requestFromCapture: same method, headers less the
    // original connection's Host/Content-Length/hop-by-hop ones, same body), the target as typed.
    static HttpRequest requestForCapture(const Capture &capture, QSettings *settings);
    // "http://host:port" + the target bytes.
    static QString urlText(const HttpRequest &request);

    QComboBox *methodBox() const { return m_method; }
    QLineEdit *urlEdit() const { return m_url; }
    HeaderTableModel *headerModel() const { return m_headers; }
    QTableView *headerTable() const { return m_headerTable; }
    BodyEditor *bodyEditor() const { return m_body; }
    ResignPanel *resignPanel() const { return m_resign; }
    ResponseView *responseView() const { return m_response; }
    AttemptHistoryModel *historyModel() const { return m_history; }
    QTableView *historyTable() const { return m_historyTable; }
    AttemptCompareView *compareView() const { return m_compare; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *compareButton() const { return m_compareButton; }
    QSpinBox *timeoutBox() const { return m_timeout; }
    QCheckBox *ignoreTlsBox() const { return m_ignoreTls; }
    QCheckBox *followRedirectsBox() const { return m_follow; }
    QLabel *sourceLabel() const { return m_sourceLabel; }
    QString lastMessage() const { return m_lastMessage; }

signals:
    void titleChanged(const QString &title);
    void attemptFinished(const hookbench::Attempt &attempt);
    void attemptStored(qint64 attemptId);
    void message(const QString &text);

private:
    void edited();
    void finished(const Attempt &attempt);
    void historySelectionChanged();
    void moveSelectedHeader(int delta);
    void removeSelectedHeaders();
    void addHeaderRow();
    void saveSplitters();
    void say(const QString &text);

    RequestEditorContext m_context;
    qint64 m_sourceId = 0;
    HttpSender *m_sender;
    quint64 m_ticket = 0;
    QString m_lastMessage;

    QComboBox *m_method;
    QLineEdit *m_url;
    QPushButton *m_send;
    QPushButton *m_cancel;
    QSpinBox *m_timeout;
    QCheckBox *m_ignoreTls;
    QCheckBox *m_follow;
    QLabel *m_sourceLabel;
    HeaderTableModel *m_headers;
    QTableView *m_headerTable;
    BodyEditor *m_body;
    ResignPanel *m_resign;
    ResponseView *m_response;
    AttemptHistoryModel *m_history;
    QTableView *m_historyTable;
    QPushButton *m_compareButton;
    AttemptCompareView *m_compare = nullptr;
    QSplitter *m_main;
    QSplitter *m_left;
    QSplitter *m_right;
    QTimer *m_reloadTimer;
};

} // namespace hookbench
