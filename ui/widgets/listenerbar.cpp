#include "listenerbar.h"

#include "ratesparkline.h"
#include "replay/forwardsettingsdialog.h"
#include "replay/targeturl.h"
#include "responsesettingsdialog.h"
#include "secretlineedit.h"
#include "secrets/secretkeeper.h"
#include "signing/schemeregistry.h"
#include "theme.h"
#include "verdictstyle.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>

namespace hookbench {

namespace {

QString hostPort(const QString &address, quint16 port)
{
    return address.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(address).arg(port)
                                              : QStringLiteral("%1:%2").arg(address).arg(port);
}

} // namespace

ListenerBar::ListenerBar(CaptureSink *sink, SecretKeeper *keeper, QThread *listenerThread, QWidget *parent)
    : QWidget(parent)
    , m_sink(sink)
    , m_keeper(keeper)
    , m_listenerThread(listenerThread && listenerThread != thread() ? listenerThread : nullptr)
    , m_port(new QSpinBox)
    , m_bind(new QComboBox)
    , m_scheme(new QComboBox)
    , m_secret(new SecretLineEdit)
    , m_response(new QToolButton)
    , m_forward(new QToolButton)
    , m_startStop(new QPushButton)
    , m_state(new QLabel)
    , m_sparkline(new RateSparkline)
    , m_copyUrl(new QToolButton)
    , m_remove(new QToolButton)
{
    setObjectName(QStringLiteral("listenerBar"));
    m_port->setObjectName(QStringLiteral("listenerPort"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(QStringLiteral("any"));
    m_port->setToolTip(QStringLiteral("Port (0: any free port)"));
    m_port->setAccessibleName(QStringLiteral("Port"));

    m_bind->setObjectName(QStringLiteral("listenerBind"));
    m_bind->setEditable(true);
    m_bind->addItems({QStringLiteral("127.0.0.1"), QStringLiteral("::1"), QStringLiteral("0.0.0.0")});
    m_bind->setMinimumContentsLength(11);
    m_bind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_bind->setToolTip(
        QStringLiteral("Bind address. 127.0.0.1 keeps it on this machine; 0.0.0.0 exposes it to the network."));
    m_bind->setAccessibleName(QStringLiteral("Bind address"));

    m_scheme->setObjectName(QStringLiteral("listenerScheme"));
    for (const QString &name : builtinSchemeNames())
        m_scheme->addItem(createBuiltinScheme(name)->title(), name);
    m_scheme->addItem(QStringLiteral("No check"), QString());
    m_scheme->setAccessibleName(QStringLiteral("Signature scheme"));

    m_secret->setObjectName(QStringLiteral("listenerSecret"));
    m_secret->setPlaceholderText(QStringLiteral("secret (optional)"));
    m_secret->setMinimumWidth(160);
    m_secret->setAccessibleName(QStringLiteral("Secret"));

    m_startStop->setObjectName(QStringLiteral("listenerStartStop"));
    m_startStop->setDefault(false);
    m_startStop->setAutoDefault(false);

    m_state->setObjectName(QStringLiteral("listenerState"));
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state->setMinimumWidth(220);

    m_copyUrl->setText(QStringLiteral("Copy URL"));
    m_copyUrl->setToolTip(QStringLiteral("Copy the URL to point a sender at"));
    m_copyUrl->setAutoRaise(true);

    m_response->setText(QStringLiteral("Response…"));
    m_response->setObjectName(QStringLiteral("listenerResponse"));
    m_response->setToolTip(QStringLiteral("What the listener answers, and deliberate failures"));
    m_response->setAutoRaise(true);
    m_response->setPopupMode(QToolButton::MenuButtonPopup);
    auto *menu = new QMenu(m_response);
    menu->addAction(QStringLiteral("Response and faults…"), this, &ListenerBar::editResponse);
    QMenu *remember = menu->addMenu(QStringLiteral("Remember the secret"));
    auto *choices = new QActionGroup(remember);
    const std::initializer_list<std::pair<SecretKeeper::Persistence, QString>> options {
        {SecretKeeper::Persistence::Session, QStringLiteral("For this session only")},
        {SecretKeeper::Persistence::Keychain, QStringLiteral("In the keychain")},
        {SecretKeeper::Persistence::Settings, QStringLiteral("In the settings file (unencrypted)…")}};
    for (const auto &[persistence, text] : options) {
        QAction *action = remember->addAction(text);
        action->setCheckable(true);
        action->setData(int(persistence));
        choices->addAction(action);
    }
    connect(remember, &QMenu::aboutToShow, this, [this, remember] {
        const SecretKeeper::Persistence current = m_keeper->persistence(secretKey());
        for (QAction *action : remember->actions()) {
            const auto persistence = SecretKeeper::Persistence(action->data().toInt());
            action->setChecked(persistence == current);
            action->setEnabled(persistence != SecretKeeper::Persistence::Keychain || m_keeper->keychainAvailable());
            if (persistence == SecretKeeper::Persistence::Keychain && !m_keeper->keychainAvailable())
                action->setToolTip(m_keeper->keychainProblem());
        }
    });
    connect(choices, &QActionGroup::triggered, this, [this](QAction *action) {
        const auto persistence = SecretKeeper::Persistence(action->data().toInt());
        if (persistence == SecretKeeper::Persistence::Settings) {
            // The one explicit confirmation: a secret in a plain file is a real risk.
            const auto answer = QMessageBox::warning(this, QStringLiteral("Save the secret unencrypted?"),
                m_keeper->settingsWarning(), QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Cancel);
            if (answer != QMessageBox::Save)
                return;
        }
        if (!m_secret->secret().isEmpty())
            m_keeper->setSecret(secretKey(), m_secret->secret(), persistence);
        emit message(
            QStringLiteral("The secret is kept %1.")
                .arg(persistence == SecretKeeper::Persistence::Session ? QStringLiteral("for this session only")
                        : persistence == SecretKeeper::Persistence::Keychain
                        ? QStringLiteral("in the keychain")
                        : QStringLiteral("in the settings file, unencrypted")));
    });
    menu->addSeparator();
    menu->addAction(QStringLiteral("Remove this listener"), this, &ListenerBar::removeRequested);
    m_response->setMenu(menu);
    connect(m_response, &QToolButton::clicked, this, &ListenerBar::editResponse);

    m_forward->setText(QStringLiteral("Forward…"));
    m_forward->setObjectName(QStringLiteral("listenerForward"));
    m_forward->setToolTip(QStringLiteral("Also send every capture to another URL, optionally re-signed"));
    m_forward->setAutoRaise(true);
    m_forward->setCheckable(false);
    connect(m_forward, &QToolButton::clicked, this, &ListenerBar::editForward);

    m_remove->setText(QStringLiteral("✕"));
    m_remove->setToolTip(QStringLiteral("Remove this listener"));
    m_remove->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(QStringLiteral("Port")));
    layout->addWidget(m_port);
    layout->addWidget(m_bind);
    layout->addWidget(m_scheme);
    layout->addWidget(m_secret, 1);
    layout->addWidget(m_response);
    layout->addWidget(m_forward);
    layout->addWidget(m_startStop);
    layout->addWidget(m_sparkline);
    layout->addWidget(m_state, 2);
    layout->addWidget(m_copyUrl);
    layout->addWidget(m_remove);

    connect(m_startStop, &QPushButton::clicked, this, &ListenerBar::toggle);
    connect(m_copyUrl, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(url());
        emit message(QStringLiteral("Copied %1").arg(url()));
    });
    connect(m_remove, &QToolButton::clicked, this, &ListenerBar::removeRequested);
    connect(m_secret, &QLineEdit::textEdited, this, &ListenerBar::secretEdited);
    connect(m_scheme, &QComboBox::currentIndexChanged, this, [this] {
        m_settings.scheme = m_scheme->currentData().toString();
        applyProfile();
        emit settingsChanged();
    });
    connect(m_port, &QSpinBox::valueChanged, this, [this](int port) {
        m_settings.port = quint16(port);
        updateState();
        emit settingsChanged();
    });
    connect(m_bind, &QComboBox::currentTextChanged, this, [this](const QString &address) {
        m_settings.bindAddress = address.trimmed();
        updateState();
        emit settingsChanged();
    });
    connect(m_keeper, &SecretKeeper::secretLoaded, this, [this](const QString &key) {
        if (key == secretKey() && m_secret->text().isEmpty()) {
            m_secret->setSecret(m_keeper->secret(key));
            applyProfile();
        }
        // Started before the keychain answered: forwarding can start now that its secret is here.
        if (key == forwardSecretKey() && m_forwardWaitsForSecret && isRunning()) {
            m_restartWhenStopped = true;
            stop();
        }
    });

    if (m_listenerThread) {
        m_threadContext = new QObject;
        m_threadContext->moveToThread(m_listenerThread);
    }
    m_sampler.setInterval(1000);
    connect(&m_sampler, &QTimer::timeout, this, &ListenerBar::sample);
    setSettings(m_settings);
}

ListenerBar::~ListenerBar()
{
    destroyListener();
    if (m_threadContext)
        QMetaObject::invokeMethod(m_threadContext, &QObject::deleteLater);
}

void ListenerBar::onListener(std::function<void(Listener *)> call, bool wait)
{
    if (!m_listener)
        return;
    if (!m_listenerThread) {
        call(m_listener);
        return;
    }
    Listener *listener = m_listener;
    QMetaObject::invokeMethod(
        listener, [listener, call = std::move(call)] { call(listener); },
        wait ? Qt::BlockingQueuedConnection : Qt::QueuedConnection);
}

void ListenerBar::destroyListener()
{
    if (!m_listener)
        return;
    Listener *listener = std::exchange(m_listener, nullptr);
    disconnect(listener, nullptr, this, nullptr);
    // Deleted on its own thread, and before this returns: it reports to the sink, which the
    // window destroys after the listeners.
    if (m_listenerThread)
        QMetaObject::invokeMethod(
            listener, [listener] { delete listener; }, Qt::BlockingQueuedConnection);
    else
        delete listener;
    m_listenerState = Listener::State::Stopped;
    m_boundPort = 0;
}

void ListenerBar::setSettings(const ListenerSettings &settings)
{
    m_settings = settings;
    {
        const QSignalBlocker blockPort(m_port);
        const QSignalBlocker blockBind(m_bind);
        const QSignalBlocker blockScheme(m_scheme);
        m_port->setValue(settings.port);
        m_bind->setCurrentText(settings.bindAddress);
        m_scheme->setCurrentIndex(qMax(0, m_scheme->findData(settings.scheme)));
    }
    if (m_keeper->hasSecret(secretKey()))
        m_secret->setSecret(m_keeper->secret(secretKey()));
    else
        m_keeper->load(secretKey());
    if (!settings.forward.resignScheme.isEmpty() && !m_keeper->hasSecret(forwardSecretKey()))
        m_keeper->load(forwardSecretKey());
    updateState();
}

ListenerSettings ListenerBar::settings() const
{
    ListenerSettings settings = m_settings;
    settings.running = isRunning();
    return settings;
}

void ListenerBar::setCaptureDecorator(std::function<void(Capture &)> decorator)
{
    m_decorator = std::move(decorator);
    onListener([decorator = m_decorator](Listener *listener) { listener->setCaptureDecorator(decorator); });
}

bool ListenerBar::isRunning() const
{
    return m_listener && m_listenerState == Listener::State::Listening;
}

QString ListenerBar::listenerName() const
{
    if (!m_name.isEmpty())
        return m_name; // also after a stop: earlier captures carry it
    return hostPort(m_settings.bindAddress, m_settings.port);
}

QString ListenerBar::url() const
{
    if (isRunning())
        return m_url;
    return (m_settings.tls ? QStringLiteral("https://") : QStringLiteral("http://"))
        + hostPort(m_settings.bindAddress, m_settings.port);
}

QString ListenerBar::stateText() const
{
    return m_stateText;
}

VerificationProfile ListenerBar::makeProfile(QString *problem) const
{
    if (m_settings.scheme.isEmpty())
        return {};
    std::shared_ptr<const SignatureScheme> scheme(createBuiltinScheme(m_settings.scheme));
    if (!scheme)
        return {};
    QList<QByteArray> secrets;
    const QByteArray secret = m_secret->secret();
    if (!secret.isEmpty()) {
        QString why;
        if (!scheme->keyFromSecret(secret, &why))
            *problem = QStringLiteral("This secret can't be used with %1: %2.").arg(scheme->title(), why);
        secrets << secret;
    }
    return VerificationProfile(scheme, secrets);
}

std::optional<CheckProfile> ListenerBar::checkProfile() const
{
    if (m_settings.scheme.isEmpty())
        return CheckProfile {QStringLiteral("listener %1 checks no signature").arg(listenerName()), nullptr, {}};
    std::shared_ptr<const SignatureScheme> scheme(createBuiltinScheme(m_settings.scheme));
    if (!scheme)
        return std::nullopt;
    QList<QByteArray> secrets;
    if (!m_secret->secret().isEmpty())
        secrets << m_secret->secret();
    const QString label = QStringLiteral("listener %1 · %2 · %3")
                              .arg(listenerName(), scheme->title(),
                                  secrets.isEmpty() ? QStringLiteral("no secret") : QStringLiteral("1 secret"));
    return CheckProfile {label, scheme, secrets};
}

void ListenerBar::secretEdited()
{
    const QByteArray secret = m_secret->secret();
    if (secret.isEmpty())
        m_keeper->forget(secretKey());
    else
        m_keeper->setSecret(secretKey(), secret,
            m_keeper->persistence(secretKey()) == SecretKeeper::Persistence::Settings
                ? SecretKeeper::Persistence::Settings
                : m_keeper->defaultPersistence());
    applyProfile();
}

void ListenerBar::applyProfile()
{
    QString problem;
    const VerificationProfile profile = makeProfile(&problem);
    m_warning = problem;
    onListener([profile](Listener *listener) { listener->setVerificationProfile(profile); });
    updateState();
    emit profileChanged();
}

void ListenerBar::toggle()
{
    if (m_listener && m_listenerState != Listener::State::Stopped && m_listenerState != Listener::State::Failed)
        stop();
    else
        start();
}

bool ListenerBar::start()
{
    if (isRunning())
        return true;
    m_error.clear();
    ListenerConfig config;
    QHostAddress address;
    if (!address.setAddress(m_settings.bindAddress)) {
        setError(QStringLiteral("\"%1\" is not an IP address").arg(m_settings.bindAddress));
        return false;
    }
    config.address = address;
    config.port = m_settings.port;
    config.response = m_settings.response;
    config.faults = m_settings.faults;
    config.tls.enabled = m_settings.tls;
    QString problem;
    const VerificationProfile profile = makeProfile(&problem);
    m_warning = problem;
    config.forward = makeForwardConfig();

    destroyListener();
    // Created on its thread: its timers and sockets belong there.
    auto create = [this, config, profile] {
        auto *listener = new Listener(config, m_sink);
        listener->setVerificationProfile(profile);
        if (m_decorator)
            listener->setCaptureDecorator(m_decorator);
        return listener;
    };
    if (m_listenerThread)
        QMetaObject::invokeMethod(
            m_threadContext, [&] { m_listener = create(); }, Qt::BlockingQueuedConnection);
    else
        m_listener = create();

    connect(m_listener, &Listener::errorOccurred, this, &ListenerBar::setError);
    connect(m_listener, &Listener::stateChanged, this, [this](Listener::State state) {
        m_listenerState = state;
        updateState();
    });
    connect(m_listener, &Listener::statsChanged, this, [this](const ListenerStats &stats) {
        m_stats = stats;
        updateState();
    });
    connect(m_listener, &Listener::forwarded, this, [this](const ForwardEvent &event) {
        ++m_forwarded;
        if (!event.attempt.succeeded())
            ++m_forwardFailed;
        updateState();
        emit forwarded(event);
    });
    connect(m_listener, &Listener::exposed, this, [this](const QString &warning) {
        m_warning = warning;
        updateState();
    });
    // Queued even on the same thread: a restart deletes the listener, which must not happen
    // while it is still emitting.
    connect(
        m_listener, &Listener::stopped, this,
        [this] {
            m_sampler.stop();
            m_listenerState = Listener::State::Stopped;
            m_boundPort = 0;
            updateState();
            emit stopped();
            if (std::exchange(m_restartWhenStopped, false))
                start();
        },
        Qt::QueuedConnection);

    struct Outcome
    {
        bool ok = false;
        quint16 port = 0;
        QString name;
        QString url;
        QString error;
    } outcome;
    onListener(
        [&outcome](Listener *listener) {
            outcome.ok = listener->start();
            outcome.port = listener->port();
            outcome.name = listener->name();
            outcome.url = listener->url();
            outcome.error = listener->lastError();
        },
        true);
    if (!outcome.ok) {
        destroyListener();
        setError(outcome.error.isEmpty() ? QStringLiteral("the listener could not start") : outcome.error);
        return false;
    }
    m_listenerState = Listener::State::Listening;
    m_stats = ListenerStats();
    m_boundPort = outcome.port;
    m_name = outcome.name;
    m_url = outcome.url;
    m_lastCaptured = 0;
    m_forwarded = 0;
    m_forwardFailed = 0;
    m_forwardTarget = config.forward.isEnabled() ? config.forward.target.toString() : QString();
    m_sparkline->clear();
    m_sampler.start();
    updateState();
    emit started(m_name);
    emit settingsChanged();
    return true;
}

void ListenerBar::stop()
{
    if (!m_listener)
        return;
    if (m_listenerState == Listener::State::Listening) {
        m_listenerState = Listener::State::Stopping;
        onListener([](Listener *listener) { listener->stop(); });
    }
    updateState();
    emit settingsChanged();
}

void ListenerBar::editResponse()
{
    ResponseSettingsDialog dialog(m_settings.response, m_settings.faults, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_settings.response = dialog.response();
    m_settings.faults = dialog.faults();
    emit settingsChanged();
    if (isRunning()) {
        // The response is part of the listener's configuration: restart to apply it.
        m_restartWhenStopped = true;
        stop();
    }
}

ForwardConfig ListenerBar::makeForwardConfig()
{
    m_forwardWarning.clear();
    m_forwardWaitsForSecret = false;
    const ForwardSettings &forward = m_settings.forward;
    if (!forward.isEnabled())
        return {};
    QString problem;
    ForwardConfig config;
    config.target = parseTargetUrl(forward.target, &problem);
    if (config.target.isEmpty()) {
        m_forwardWarning = QStringLiteral("Not forwarding: %1").arg(problem);
        return {};
    }
    config.mode = forward.mode;
    config.send.timeoutMs = forward.timeoutMs;
    config.send.ignoreTlsErrors = forward.ignoreTlsErrors;
    config.send.maxRedirects = forward.maxRedirects;
    config.maxInFlight = forward.maxInFlight;
    config.maxQueued = forward.maxQueued;
    if (!forward.resignScheme.isEmpty()) {
        std::shared_ptr<const SignatureScheme> scheme(createBuiltinScheme(forward.resignScheme));
        const QByteArray secret = m_keeper->secret(forwardSecretKey());
        if (!scheme) {
            m_forwardWarning = QStringLiteral("Not forwarding: unknown scheme \"%1\"").arg(forward.resignScheme);
            return {};
        }
        if (secret.isEmpty()) {
            // Forwarding with the received signature would not be what was asked for.
            m_forwardWarning = QStringLiteral("Not forwarding: the re-sign secret is not available (Forward…)");
            m_forwardWaitsForSecret = true;
            return {};
        }
        auto resigner = std::make_shared<Resigner>(scheme, secret);
        if (!resigner->problem().isEmpty()) {
            m_forwardWarning = QStringLiteral("Not forwarding: %1").arg(resigner->problem());
            return {};
        }
        config.resigner = resigner;
    }
    return config;
}

ForwardConfig ListenerBar::forwardConfig() const
{
    if (!m_listener)
        return {};
    // Read on the listener's thread: its configuration is its own.
    ForwardConfig config;
    Listener *listener = m_listener;
    if (m_listenerThread)
        QMetaObject::invokeMethod(
            listener, [listener, &config] { config = listener->config().forward; }, Qt::BlockingQueuedConnection);
    else
        config = listener->config().forward;
    return config;
}

void ListenerBar::editForward()
{
    ForwardSettingsDialog dialog(m_settings.forward, m_keeper->secret(forwardSecretKey()), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setForwardSettings(dialog.settings(), dialog.secret());
}

void ListenerBar::setForwardSettings(const ForwardSettings &forward, const QByteArray &secret)
{
    const bool secretChanged = secret != m_keeper->secret(forwardSecretKey());
    if (secret.isEmpty())
        m_keeper->forget(forwardSecretKey());
    else if (secretChanged)
        m_keeper->setSecret(forwardSecretKey(), secret,
            m_keeper->persistence(forwardSecretKey()) == SecretKeeper::Persistence::Settings
                ? SecretKeeper::Persistence::Settings
                : m_keeper->defaultPersistence());
    const bool changed = forward != m_settings.forward || secretChanged;
    m_settings.forward = forward;
    emit settingsChanged();
    if (!changed)
        return;
    if (isRunning()) {
        // The forward configuration is part of the listener's: restart to apply it.
        m_restartWhenStopped = true;
        stop();
    } else {
        makeForwardConfig(); // shows now what would keep it from forwarding
        updateState();
    }
}

void ListenerBar::setError(const QString &error)
{
    m_error = error;
    updateState();
}

void ListenerBar::sample()
{
    if (!m_listener)
        return;
    const qint64 captured = m_stats.captured;
    m_sparkline->addSample(double(captured - m_lastCaptured));
    m_lastCaptured = captured;
    updateState();
}

void ListenerBar::updateState()
{
    const bool dark = Theme::isDark(palette());
    const bool running = isRunning();
    const bool busy = m_listener && m_listenerState == Listener::State::Stopping;
    m_startStop->setText(running || busy ? QStringLiteral("Stop") : QStringLiteral("Start"));
    m_startStop->setEnabled(!busy);
    m_port->setEnabled(!running && !busy);
    {
        // While listening, show the port actually bound (port 0 picks one); the setting stays.
        const QSignalBlocker blocker(m_port);
        m_port->setValue(running && m_boundPort ? m_boundPort : m_settings.port);
    }
    m_bind->setEnabled(!running && !busy);
    m_copyUrl->setEnabled(running);

    QString text;
    QString color;
    if (!m_error.isEmpty() && !running) {
        text = m_error;
        color = VerdictStyle::textColor(Verdict::Invalid, dark).name();
    } else if (running) {
        text = QStringLiteral("listening on %1 · %2 captured").arg(m_url).arg(m_stats.captured);
    } else if (busy) {
        text = QStringLiteral("stopping…");
    } else {
        text = QStringLiteral("stopped");
    }
    QString html = color.isEmpty()
        ? text.toHtmlEscaped()
        : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color, text.toHtmlEscaped());
    // Forwarding gets its own line: with the URL on the first, one line would not fit the bar.
    QString forwarding;
    if (running && !m_forwardTarget.isEmpty()) {
        forwarding = QStringLiteral("→ %1 · %2 forwarded").arg(m_forwardTarget).arg(m_forwarded);
        if (m_forwardFailed > 0)
            forwarding += QStringLiteral(", %1 failed").arg(m_forwardFailed);
        html += QStringLiteral("<br>") + forwarding.toHtmlEscaped();
    }
    QStringList warnings;
    if (!m_warning.isEmpty())
        warnings.append(m_warning);
    if (!m_forwardWarning.isEmpty())
        warnings.append(m_forwardWarning);
    for (const QString &warning : std::as_const(warnings)) {
        html += QStringLiteral("<br><span style=\"color:%1\">%2</span>")
                    .arg(VerdictStyle::textColor(Verdict::Unsigned, dark).name(), warning.toHtmlEscaped());
    }
    m_state->setText(html);
    m_stateText = text;
    if (!forwarding.isEmpty())
        m_stateText += QStringLiteral("\n") + forwarding;
    for (const QString &warning : std::as_const(warnings))
        m_stateText += QStringLiteral("\n") + warning;
    m_forward->setText(m_settings.forward.isEnabled() ? QStringLiteral("Forwarding…") : QStringLiteral("Forward…"));
    m_state->setToolTip(m_stateText);
}

void ListenerBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateState();
}

} // namespace hookbench
