#pragma once

#include "listener/listener.h"
#include "listener/listenerconfig.h"
#include "models/signaturecheck.h"
#include "replay/forwardsettings.h"

#include <QPointer>
#include <QTimer>
#include <QUuid>
#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QThread;
class QToolButton;

namespace hookbench {

class CaptureSink;
class RateSparkline;
class SecretKeeper;
class SecretLineEdit;

// What a listener bar remembers between runs (never its secret: that is the SecretKeeper's).
struct ListenerSettings
{
    QString id = QUuid::createUuid().toString(QUuid::WithoutBraces); // keys the secret
    quint16 port = 5000;
    QString bindAddress = QStringLiteral("127.0.0.1");
    QString scheme = QStringLiteral("dbt-cloud"); // "" for none
    ResponseConfig response;
    FaultConfig faults;
    bool tls = false;
    ForwardSettings forward; // forward mode (its re-sign secret is the SecretKeeper's)
    bool running = false; // was listening when the window closed
};

// One listener, in a row: port, bind address, scheme, secret (masked, show/hide), the response
// settings, start/stop, its state ("listening on http://127.0.0.1:5000 · 132 captured") with a
// rate sparkline, and copy URL. Problems (port in use, bind refused, a bad secret) show in the
// state text, never as a dialog. The secret and scheme apply to a running listener at once;
// port, address and response settings restart it.
//
// The Listener itself can run on another thread (`listenerThread`), so thousands of requests a
// second never queue behind painting: it is created, called and deleted on that thread, and the
// bar keeps what it shows (state, counts, port) from the listener's queued signals.
class ListenerBar : public QWidget
{
    Q_OBJECT

public:
    // `listenerThread`: where the listener runs (null: this thread). It must outlive the bar.
    ListenerBar(CaptureSink *sink, SecretKeeper *keeper, QThread *listenerThread = nullptr, QWidget *parent = nullptr);
    ~ListenerBar() override;

    void setSettings(const ListenerSettings &settings);
    ListenerSettings settings() const;
    QString secretKey() const { return QStringLiteral("listener/") + m_settings.id; }
    // Runs on every capture before it is stored (e.g. fills the dbt Cloud fields).
    void setCaptureDecorator(std::function<void(Capture &)> decorator);

    bool start();
    void stop();
    // Closes and deletes the listener now (pending requests are cut off): before removing the bar.
    void shutdown() { destroyListener(); }
    bool isRunning() const;
    quint16 port() const { return m_boundPort; } // the bound port while listening, else 0
    qint64 captured() const { return m_stats.captured; } // since it started
    QString listenerName() const; // as captures record it: "127.0.0.1:5000"
    QString url() const;
    QString stateText() const; // plain text of the state label
    bool hasError() const { return !m_error.isEmpty(); }
    // The running listener's check, for the Signature tab.
    std::optional<CheckProfile> checkProfile() const;
    // The response settings dialog (modal; applies on OK, restarting a running listener).
    void editResponse();

    // Forward mode: every capture is also sent to a target (see ForwardSettingsDialog).
    QString forwardSecretKey() const { return secretKey() + QStringLiteral("/forward"); }
    // The forward dialog (modal; applies on OK).
    void editForward();
    // Applies forward settings (and keeps `secret` in the SecretKeeper), restarting a running
    // listener: its forward configuration is fixed while it runs.
    void setForwardSettings(const ForwardSettings &forward, const QByteArray &secret);
    // The forward configuration the listener was started with (disabled when none is running).
    ForwardConfig forwardConfig() const;
    qint64 forwardedCount() const { return m_forwarded; } // since it started
    qint64 forwardFailedCount() const { return m_forwardFailed; } // no answer, or not 2xx
    QToolButton *forwardButton() const { return m_forward; }

    QSpinBox *portBox() const { return m_port; }
    QComboBox *bindBox() const { return m_bind; }
    QComboBox *schemeBox() const { return m_scheme; }
    SecretLineEdit *secretEdit() const { return m_secret; }
    QPushButton *startButton() const { return m_startStop; }
    QLabel *stateLabel() const { return m_state; }
    RateSparkline *sparkline() const { return m_sparkline; }

signals:
    void started(const QString &name);
    void stopped();
    void removeRequested();
    void settingsChanged();
    void profileChanged();
    void message(const QString &text); // for the status bar ("URL copied")
    // Forward mode: a capture's forward is done and its attempt stored.
    void forwarded(const hookbench::ForwardEvent &event);

protected:
    void changeEvent(QEvent *event) override;

private:
    void toggle();
    void applyProfile();
    void updateState();
    void sample();
    void setError(const QString &error);
    // The listener's forward configuration from the settings (disabled, with m_forwardWarning
    // saying why, when it can't be used).
    ForwardConfig makeForwardConfig();
    void secretEdited();
    VerificationProfile makeProfile(QString *problem) const;
    // Runs `call` with the listener on its thread: queued, or waiting for it when `wait`.
    void onListener(std::function<void(Listener *)> call, bool wait = false);
    void destroyListener();

    CaptureSink *m_sink;
    SecretKeeper *m_keeper;
    ListenerSettings m_settings;
    std::function<void(Capture &)> m_decorator;
    QThread *m_listenerThread;
    QObject *m_threadContext = nullptr; // lives on m_listenerThread: runs calls there
    Listener *m_listener = nullptr; // owned; lives on m_listenerThread
    Listener::State m_listenerState = Listener::State::Stopped;
    ListenerStats m_stats;
    quint16 m_boundPort = 0;
    QString m_name;
    QString m_url;
    QString m_error;
    QString m_warning;
    QString m_stateText; // what the state label says, as plain text
    qint64 m_lastCaptured = 0;
    bool m_restartWhenStopped = false;
    qint64 m_forwarded = 0;
    qint64 m_forwardFailed = 0;
    QString m_forwardTarget; // what the running listener forwards to ("" when not forwarding)
    QString m_forwardWarning; // why the configured forwarding is not on
    bool m_forwardWaitsForSecret = false; // started without forwarding: its secret wasn't loaded yet
    QTimer m_sampler;

    QSpinBox *m_port;
    QComboBox *m_bind;
    QComboBox *m_scheme;
    SecretLineEdit *m_secret;
    QToolButton *m_response;
    QToolButton *m_forward;
    QPushButton *m_startStop;
    QLabel *m_state;
    RateSparkline *m_sparkline;
    QToolButton *m_copyUrl;
    QToolButton *m_remove;
};

} // namespace hookbench
