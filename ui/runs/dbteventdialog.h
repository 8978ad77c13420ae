#pragma once

#include "capture/httprequest.h"
#include "dbt/dbtsamplegenerator.h"

#include <QDialog>
#include <QPointer>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace hookbench {

class HttpSender;
class ListenerPanel;
class SecretKeeper;
class SecretLineEdit;

// "New dbt event": generates a dbt Cloud event or a whole scenario (success, failure, retry)
// with DbtSampleGenerator — bodies byte for byte as it writes them, never re-encoded — and either
// sends it signed (dbt-cloud scheme) to a running listener of the window, with that listener's
// secret, or to a URL with a typed secret, listing the answers; or hands each signed request to
// the request editor (openInEditorRequested). The run id is fresh each time it is used.
class DbtEventDialog : public QDialog
{
    Q_OBJECT

public:
    DbtEventDialog(ListenerPanel *listeners, SecretKeeper *keeper, QWidget *parent = nullptr);
    ~DbtEventDialog() override;

    // What to generate: "scenario:success", "scenario:failure", "scenario:retry",
    // "event:job.run.started", "event:job.run.completed:success" (…:errored, …:cancelled),
    // "event:job.run.errored". False when unknown.
    bool setKind(const QString &kind);
    QString kind() const;
    // Chooses the target: a running listener (by its name, e.g. "127.0.0.1:5000"), or a URL.
    bool setListenerTarget(const QString &listenerName);
    void setUrlTarget(const QString &url, const QByteArray &secret);
    // Re-reads the running listeners (also done when the dialog is shown).
    void refreshListeners();

    // The settings as entered; nothing (and `*error`) when a field is wrong.
    std::optional<DbtSampleSettings> sampleSettings(QString *error = nullptr) const;
    // The deliveries for the current choice (a fresh generation each call).
    QList<DbtSampleDelivery> generate(QString *error = nullptr) const;
    // The signed requests for `deliveries` to the chosen target; nothing when there is none.
    std::optional<QList<HttpRequest>> requestsFor(
        const QList<DbtSampleDelivery> &deliveries, QString *error = nullptr) const;

    // Sends to the target (asynchronously; sendFinished() when every answer is in), or emits
    // openInEditorRequested() once per event. Both take a fresh run id afterwards.
    void send();
    void openInEditor();
    bool isSending() const { return !m_queue.isEmpty() || m_inFlight; }
    // What the last send or open generated, in order.
    const QList<DbtSampleDelivery> &lastDeliveries() const { return m_last; }
    QStringList responseLines() const;

    QComboBox *kindBox() const { return m_kind; }
    QComboBox *listenerBox() const { return m_listenerBox; }
    QLineEdit *runIdEdit() const { return m_runId; }
    QLineEdit *jobNameEdit() const { return m_jobName; }
    QLineEdit *urlEdit() const { return m_url; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *editorButton() const { return m_editor; }
    QLabel *errorLabel() const { return m_error; }

signals:
    void openInEditorRequested(const hookbench::HttpRequest &request);
    void sendFinished(int sent, int succeeded);

protected:
    void showEvent(QShowEvent *event) override;

private:
    // Generates and signs the current choice; on success it becomes lastDeliveries(), otherwise
    // the error is shown and nothing is returned.
    std::optional<QList<HttpRequest>> prepare();
    void freshRunId();
    void sendNext();
    void updateButtons();
    void setError(const QString &error);
    // The URL and secret of the chosen target.
    bool target(QUrl *url, QByteArray *secret, QString *error) const;

    QPointer<ListenerPanel> m_listeners;
    SecretKeeper *m_keeper;
    HttpSender *m_sender;

    QComboBox *m_kind;
    QLineEdit *m_jobName;
    QLineEdit *m_jobId;
    QLineEdit *m_runId;
    QLineEdit *m_projectName;
    QLineEdit *m_projectId;
    QLineEdit *m_environmentName;
    QLineEdit *m_environmentId;
    QRadioButton *m_toListener;
    QComboBox *m_listenerBox;
    QLineEdit *m_path;
    QRadioButton *m_toUrl;
    QLineEdit *m_url;
    SecretLineEdit *m_secret;
    QPushButton *m_send;
    QPushButton *m_editor;
    QListWidget *m_responses;
    QLabel *m_error;

    QList<DbtSampleDelivery> m_last;
    QList<QPair<QString, HttpRequest>> m_queue; // (label, request) still to send
    bool m_inFlight = false;
    int m_sent = 0;
    int m_succeeded = 0;
};

} // namespace hookbench
