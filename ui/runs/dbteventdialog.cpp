#include "dbteventdialog.h"

#include "dbt/dbtrequest.h"
#include "replay/httpsender.h"
#include "secrets/secretkeeper.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/secretlineedit.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace hookbench {

namespace {

bool isDigits(const QString &value)
{
    return !value.isEmpty() && value.size() <= 18
        && std::all_of(value.cbegin(), value.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

QLineEdit *field(const QString &name, const QString &text)
{
    auto *edit = new QLineEdit(text);
    edit->setObjectName(name);
    return edit;
}

} // namespace

DbtEventDialog::DbtEventDialog(ListenerPanel *listeners, SecretKeeper *keeper, QWidget *parent)
    : QDialog(parent)
    , m_listeners(listeners)
    , m_keeper(keeper)
    , m_sender(new HttpSender(this))
    , m_kind(new QComboBox)
    , m_toListener(new QRadioButton(QStringLiteral("A running &listener")))
    , m_listenerBox(new QComboBox)
    , m_path(field(QStringLiteral("path"), QStringLiteral("/webhooks/dbt")))
    , m_toUrl(new QRadioButton(QStringLiteral("A &URL")))
    , m_url(field(QStringLiteral("url"), QString()))
    , m_secret(new SecretLineEdit)
    , m_send(new QPushButton(QStringLiteral("&Send")))
    , m_editor(new QPushButton(QStringLiteral("Open in &editor")))
    , m_responses(new QListWidget)
    , m_error(new QLabel)
{
    setObjectName(QStringLiteral("dbtEventDialog"));
    setWindowTitle(QStringLiteral("New dbt event"));
    const DbtSampleSettings defaults;

    m_kind->setObjectName(QStringLiteral("kind"));
    m_kind->addItem(QStringLiteral("Successful run (started → completed)"), QStringLiteral("scenario:success"));
    m_kind->addItem(
        QStringLiteral("Failed run (started → errored → completed, Errored)"), QStringLiteral("scenario:failure"));
    m_kind->addItem(
        QStringLiteral("Retried delivery (started → completed → completed again)"), QStringLiteral("scenario:retry"));
    m_kind->insertSeparator(m_kind->count());
    m_kind->addItem(QStringLiteral("job.run.started"), QStringLiteral("event:job.run.started"));
    m_kind->addItem(QStringLiteral("job.run.completed (Success)"), QStringLiteral("event:job.run.completed:success"));
    m_kind->addItem(QStringLiteral("job.run.completed (Errored)"), QStringLiteral("event:job.run.completed:errored"));
    m_kind->addItem(
        QStringLiteral("job.run.completed (Cancelled)"), QStringLiteral("event:job.run.completed:cancelled"));
    m_kind->addItem(QStringLiteral("job.run.errored"), QStringLiteral("event:job.run.errored"));

    m_jobName = field(QStringLiteral("jobName"), defaults.jobName);
    m_jobId = field(QStringLiteral("jobId"), defaults.jobId);
    m_runId = field(QStringLiteral("runId"), QString());
    m_projectName = field(QStringLiteral("projectName"), defaults.projectName);
    m_projectId = field(QStringLiteral("projectId"), defaults.projectId);
    m_environmentName = field(QStringLiteral("environmentName"), defaults.environmentName);
    m_environmentId = field(QStringLiteral("environmentId"), defaults.environmentId);
    freshRunId();

    auto *freshRun = new QToolButton;
    freshRun->setText(QStringLiteral("New"));
    freshRun->setToolTip(QStringLiteral("A fresh run id (one is taken after each use anyway)"));
    connect(freshRun, &QToolButton::clicked, this, &DbtEventDialog::freshRunId);

    auto *what = new QGroupBox(QStringLiteral("Event"));
    auto *whatLayout = new QGridLayout(what);
    int row = 0;
    auto *kindCaption = new QLabel(QStringLiteral("&Kind:"));
    kindCaption->setBuddy(m_kind);
    whatLayout->addWidget(kindCaption, row, 0);
    whatLayout->addWidget(m_kind, row++, 1, 1, 4);
    auto addPair = [&](const QString &label, QLineEdit *name, QLineEdit *id, QWidget *extra = nullptr) {
        auto *caption = new QLabel(label);
        caption->setBuddy(name);
        whatLayout->addWidget(caption, row, 0);
        whatLayout->addWidget(name, row, 1);
        whatLayout->addWidget(new QLabel(QStringLiteral("id")), row, 2);
        whatLayout->addWidget(id, row, 3);
        if (extra)
            whatLayout->addWidget(extra, row, 4);
        ++row;
    };
    addPair(QStringLiteral("&Job:"), m_jobName, m_jobId);
    addPair(QStringLiteral("&Project:"), m_projectName, m_projectId);
    addPair(QStringLiteral("En&vironment:"), m_environmentName, m_environmentId);
    auto *runCaption = new QLabel(QStringLiteral("&Run id:"));
    runCaption->setBuddy(m_runId);
    whatLayout->addWidget(runCaption, row, 0);
    whatLayout->addWidget(m_runId, row, 1);
    whatLayout->addWidget(freshRun, row, 2);
    whatLayout->setColumnStretch(1, 3);
    whatLayout->setColumnStretch(3, 1);

    m_listenerBox->setObjectName(QStringLiteral("listener"));
    m_secret->setObjectName(QStringLiteral("secret"));
    m_url->setPlaceholderText(QStringLiteral("https://example.com/webhooks/dbt"));
    m_secret->setPlaceholderText(QStringLiteral("the webhook's secret key (empty: unsigned)"));
    m_toListener->setChecked(true);
    auto *where = new QGroupBox(QStringLiteral("Send to"));
    auto *whereLayout = new QGridLayout(where);
    whereLayout->addWidget(m_toListener, 0, 0);
    whereLayout->addWidget(m_listenerBox, 0, 1);
    whereLayout->addWidget(new QLabel(QStringLiteral("path")), 0, 2);
    whereLayout->addWidget(m_path, 0, 3);
    whereLayout->addWidget(m_toUrl, 1, 0);
    whereLayout->addWidget(m_url, 1, 1, 1, 3);
    whereLayout->addWidget(new QLabel(QStringLiteral("Secret:")), 2, 0, Qt::AlignRight);
    whereLayout->addWidget(m_secret, 2, 1, 1, 3);
    whereLayout->setColumnStretch(1, 2);
    whereLayout->setColumnStretch(3, 1);
    auto *note
        = new QLabel(QStringLiteral("A listener's own secret signs for it (dbt-cloud scheme: Authorization = hex "
                                    "HMAC-SHA256 of the body)."));
    note->setWordWrap(true);
    note->setEnabled(false);
    whereLayout->addWidget(note, 3, 0, 1, 4);

    m_responses->setObjectName(QStringLiteral("responses"));
    m_responses->setMinimumHeight(90);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->hide();

    m_send->setObjectName(QStringLiteral("send"));
    m_send->setDefault(true);
    m_editor->setObjectName(QStringLiteral("openInEditor"));
    m_editor->setToolTip(QStringLiteral("Open each signed request in the request editor instead of sending it"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_editor, QDialogButtonBox::ActionRole);
    buttons->addButton(m_send, QDialogButtonBox::ActionRole);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(where);
    layout->addWidget(new QLabel(QStringLiteral("Responses:")));
    layout->addWidget(m_responses, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_send, &QPushButton::clicked, this, &DbtEventDialog::send);
    connect(m_editor, &QPushButton::clicked, this, &DbtEventDialog::openInEditor);
    connect(m_toListener, &QRadioButton::toggled, this, &DbtEventDialog::updateButtons);
    connect(m_url, &QLineEdit::textEdited, this, [this] { m_toUrl->setChecked(true); });
    connect(m_listenerBox, &QComboBox::activated, this, [this] { m_toListener->setChecked(true); });
    refreshListeners();
    resize(640, 520);
}

DbtEventDialog::~DbtEventDialog() = default;

void DbtEventDialog::showEvent(QShowEvent *event)
{
    refreshListeners();
    QDialog::showEvent(event);
}

void DbtEventDialog::freshRunId()
{
    m_runId->setText(DbtSampleGenerator().runId());
}

bool DbtEventDialog::setKind(const QString &kind)
{
    const int index = m_kind->findData(kind);
    if (index < 0)
        return false;
    m_kind->setCurrentIndex(index);
    return true;
}

QString DbtEventDialog::kind() const
{
    return m_kind->currentData().toString();
}

void DbtEventDialog::refreshListeners()
{
    const QString current = m_listenerBox->currentData().toString();
    m_listenerBox->clear();
    if (m_listeners) {
        for (ListenerBar *bar : m_listeners->bars()) {
            connect(bar, &ListenerBar::started, this, &DbtEventDialog::refreshListeners, Qt::UniqueConnection);
            connect(bar, &ListenerBar::stopped, this, &DbtEventDialog::refreshListeners, Qt::UniqueConnection);
            if (!bar->isRunning())
                continue;
            const bool hasSecret = m_keeper && m_keeper->hasSecret(bar->secretKey());
            m_listenerBox->addItem(QStringLiteral("%1%2").arg(
                                       bar->url(), hasSecret ? QString() : QStringLiteral(" (no secret: unsigned)")),
                bar->listenerName());
        }
    }
    const int index = m_listenerBox->findData(current);
    if (index >= 0)
        m_listenerBox->setCurrentIndex(index);
    if (m_listenerBox->count() == 0) {
        m_listenerBox->addItem(QStringLiteral("no listener is running"));
        m_listenerBox->setEnabled(false);
        if (m_toListener->isChecked() && !m_url->text().isEmpty())
            m_toUrl->setChecked(true);
    } else {
        m_listenerBox->setEnabled(true);
    }
    updateButtons();
}

bool DbtEventDialog::setListenerTarget(const QString &listenerName)
{
    refreshListeners();
    const int index = m_listenerBox->findData(listenerName);
    if (index < 0)
        return false;
    m_listenerBox->setCurrentIndex(index);
    m_toListener->setChecked(true);
    return true;
}

void DbtEventDialog::setUrlTarget(const QString &url, const QByteArray &secret)
{
    m_url->setText(url);
    m_secret->setSecret(secret);
    m_toUrl->setChecked(true);
}

void DbtEventDialog::updateButtons()
{
    m_send->setText(m_toListener->isChecked() ? QStringLiteral("&Send to listener") : QStringLiteral("&Send to URL"));
    m_send->setEnabled(!isSending());
}

void DbtEventDialog::setError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

std::optional<DbtSampleSettings> DbtEventDialog::sampleSettings(QString *error) const
{
    DbtSampleSettings settings;
    const std::pair<QLineEdit *, QString *> ids[] = {{m_jobId, &settings.jobId}, {m_runId, &settings.runId},
        {m_projectId, &settings.projectId}, {m_environmentId, &settings.environmentId}};
    const QString idNames[]
        = {QStringLiteral("job"), QStringLiteral("run"), QStringLiteral("project"), QStringLiteral("environment")};
    for (int i = 0; i < 4; ++i) {
        const QString value = ids[i].first->text().trimmed();
        if (!isDigits(value)) {
            if (error)
                *error
                    = QStringLiteral("The %1 id must be 1 to 18 digits, not \"%2\".").arg(idNames[i], value.left(40));
            return std::nullopt;
        }
        *ids[i].second = value;
    }
    settings.jobName = m_jobName->text();
    settings.projectName = m_projectName->text();
    settings.environmentName = m_environmentName->text();
    return settings;
}

QList<DbtSampleDelivery> DbtEventDialog::generate(QString *error) const
{
    const std::optional<DbtSampleSettings> settings = sampleSettings(error);
    if (!settings)
        return {};
    const DbtSampleGenerator generator(*settings);
    const QStringList parts = kind().split(u':');
    if (parts.value(0) == u"scenario") {
        const auto scenario = dbtScenarioFromName(parts.value(1));
        if (scenario)
            return generator.scenario(*scenario);
    } else if (parts.value(0) == u"event") {
        const DbtEventType type = dbtEventTypeFromName(parts.value(1));
        DbtRunStatus outcome = DbtRunStatus::Success;
        if (parts.value(2) == u"errored")
            outcome = DbtRunStatus::Errored;
        else if (parts.value(2) == u"cancelled")
            outcome = DbtRunStatus::Cancelled;
        if (type != DbtEventType::Unknown)
            return {generator.event(type, outcome)};
    }
    if (error)
        *error = QStringLiteral("Choose what to generate.");
    return {};
}

bool DbtEventDialog::target(QUrl *url, QByteArray *secret, QString *error) const
{
    if (m_toListener->isChecked()) {
        ListenerBar *bar = m_listeners ? m_listeners->barFor(m_listenerBox->currentData().toString()) : nullptr;
        if (!bar || !bar->isRunning()) {
            *error = QStringLiteral("No running listener chosen: start one, or send to a URL.");
            return false;
        }
        QString path = m_path->text().trimmed();
        if (!path.startsWith(u'/'))
            path.prepend(u'/');
        *url = QUrl(bar->url() + path, QUrl::StrictMode);
        *secret = m_keeper ? m_keeper->secret(bar->secretKey()) : QByteArray();
    } else {
        *url = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
        *secret = m_secret->secret();
    }
    if (!url->isValid() || (url->scheme() != u"http" && url->scheme() != u"https") || url->host().isEmpty()) {
        *error = QStringLiteral("Not an http(s) URL: \"%1\".").arg(url->toDisplayString().left(80));
        return false;
    }
    return true;
}

std::optional<QList<HttpRequest>> DbtEventDialog::requestsFor(
    const QList<DbtSampleDelivery> &deliveries, QString *error) const
{
    QUrl url;
    QByteArray secret;
    QString problem;
    if (!target(&url, &secret, &problem)) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    QList<HttpRequest> requests;
    for (const DbtSampleDelivery &delivery : deliveries)
        requests.append(dbtDeliveryRequest(delivery.body, url, secret));
    return requests;
}

std::optional<QList<HttpRequest>> DbtEventDialog::prepare()
{
    QString error;
    const QList<DbtSampleDelivery> deliveries = generate(&error);
    std::optional<QList<HttpRequest>> requests = deliveries.isEmpty() ? std::nullopt : requestsFor(deliveries, &error);
    if (!requests) {
        setError(error);
        return std::nullopt;
    }
    setError({});
    m_last = deliveries;
    return requests;
}

void DbtEventDialog::send()
{
    if (isSending())
        return;
    const std::optional<QList<HttpRequest>> requests = prepare();
    if (!requests)
        return;
    const QList<DbtSampleDelivery> &deliveries = m_last;
    m_sent = 0;
    m_succeeded = 0;
    for (qsizetype i = 0; i < deliveries.size(); ++i) {
        const DbtSampleDelivery &delivery = deliveries.at(i);
        QString label = QStringLiteral("run %1 · %2").arg(delivery.event.runId, delivery.event.eventTypeName);
        if (delivery.redelivery)
            label += QStringLiteral(" (again)");
        m_queue.append({label, requests->at(i)});
    }
    freshRunId();
    updateButtons();
    sendNext();
}

void DbtEventDialog::sendNext()
{
    if (m_queue.isEmpty()) {
        m_inFlight = false;
        updateButtons();
        emit sendFinished(m_sent, m_succeeded);
        return;
    }
    // One at a time, in order: dbt delivers a run's events in sequence.
    const auto [label, request] = m_queue.takeFirst();
    m_inFlight = true;
    m_sender->send(request, SendOptions(), this, [this, label = label](const Attempt &attempt) {
        ++m_sent;
        if (attempt.succeeded())
            ++m_succeeded;
        QString outcome;
        if (attempt.failure == Attempt::Failure::None) {
            outcome = QStringLiteral("%1 %2").arg(attempt.status).arg(QString::fromLatin1(attempt.reasonPhrase));
            if (attempt.totalUs >= 0)
                outcome += QStringLiteral(" · %1 ms").arg(double(attempt.totalUs) / 1000.0, 0, 'f', 1);
        } else {
            outcome = QStringLiteral("failed: %1").arg(attempt.error);
        }
        m_responses->addItem(QStringLiteral("%1 → %2").arg(label, outcome.trimmed()));
        m_responses->scrollToBottom();
        sendNext();
    });
}

void DbtEventDialog::openInEditor()
{
    const std::optional<QList<HttpRequest>> requests = prepare();
    if (!requests)
        return;
    freshRunId();
    for (const HttpRequest &request : *requests)
        emit openInEditorRequested(request);
}

QStringList DbtEventDialog::responseLines() const
{
    QStringList lines;
    for (int i = 0; i < m_responses->count(); ++i)
        lines << m_responses->item(i)->text();
    return lines;
}

} // namespace hookbench
