#include "batchreplaydialog.h"

#include "targeturl.h"

#include "editor/attempthistorymodel.h"
#include "secrets/secretkeeper.h"
#include "signing/schemeregistry.h"
#include "widgets/secretlineedit.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace hookbench {

namespace {

QString count(qsizetype n)
{
    return QLocale().toString(qint64(n));
}

QString oneLine(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

// "200: 45, 201: 2" for the codes of one class (2 for 2xx, ...).
QString codesOfClass(const QMap<int, qsizetype> &counts, int statusClass)
{
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.key() / 100 == statusClass)
            parts.append(QStringLiteral("%1: %2").arg(it.key()).arg(count(it.value())));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

BatchReplayDialog::BatchReplayDialog(Context context, QWidget *parent)
    : QDialog(parent)
    , m_context(std::move(context))
    , m_selection(new QRadioButton)
    , m_filter(new QRadioButton)
    , m_target(new QLineEdit)
    , m_resign(new QCheckBox(QStringLiteral("Re-sign each body with")))
    , m_scheme(new QComboBox)
    , m_secret(new SecretLineEdit)
    , m_concurrency(new QSpinBox)
    , m_rate(new QDoubleSpinBox)
    , m_timeout(new QDoubleSpinBox)
    , m_insecure(new QCheckBox(QStringLiteral("Ignore TLS certificate errors for this batch")))
    , m_progress(new QProgressBar)
    , m_progressLabel(new QLabel)
    , m_countsLabel(new QLabel)
    , m_message(new QLabel)
    , m_summaryLabel(new QLabel)
    , m_failureTable(new QTableWidget(0, 4))
    , m_start(new QPushButton(QStringLiteral("&Replay")))
    , m_cancel(new QPushButton(QStringLiteral("Cancel batch")))
    , m_close(new QPushButton(QStringLiteral("Close")))
{
    setObjectName(QStringLiteral("batchReplayDialog"));
    setWindowTitle(QStringLiteral("Replay captures"));
    setModal(false);
    setAttribute(Qt::WA_DeleteOnClose, false);

    auto *sources = new QButtonGroup(this);
    sources->addButton(m_selection);
    sources->addButton(m_filter);
    m_selection->setObjectName(QStringLiteral("replaySelection"));
    m_filter->setObjectName(QStringLiteral("replayFilter"));
    m_selection->setChecked(true);

    m_target->setObjectName(QStringLiteral("replayTarget"));
    m_target->setPlaceholderText(QStringLiteral("http://localhost:8000 (keeps each capture's path) or a full URL"));
    m_target->setToolTip(QStringLiteral("Without a path, each capture keeps its own path and query on this origin; "
                                        "with a path, every capture goes to exactly this URL."));
    m_target->setClearButtonEnabled(true);

    m_resign->setObjectName(QStringLiteral("replayResign"));
    m_scheme->setObjectName(QStringLiteral("replayScheme"));
    for (const QString &name : builtinSchemeNames())
        m_scheme->addItem(createBuiltinScheme(name)->title(), name);
    m_secret->setObjectName(QStringLiteral("replaySecret"));
    m_secret->setPlaceholderText(QStringLiteral("secret"));
    auto *resignRow = new QHBoxLayout;
    resignRow->addWidget(m_resign);
    resignRow->addWidget(m_scheme);
    resignRow->addWidget(m_secret, 1);

    m_concurrency->setObjectName(QStringLiteral("replayConcurrency"));
    m_concurrency->setRange(1, maxConcurrency);
    m_concurrency->setValue(defaultConcurrency);
    m_concurrency->setToolTip(QStringLiteral("Requests in flight at once"));
    m_rate->setObjectName(QStringLiteral("replayRate"));
    m_rate->setRange(0, 100000);
    m_rate->setDecimals(1);
    m_rate->setSpecialValueText(QStringLiteral("no limit"));
    m_rate->setSuffix(QStringLiteral(" requests/s"));
    m_rate->setToolTip(QStringLiteral("At most this many requests started per second (0: no limit)"));
    m_timeout->setObjectName(QStringLiteral("replayTimeout"));
    m_timeout->setRange(0.1, 3600);
    m_timeout->setDecimals(1);
    m_timeout->setValue(10);
    m_timeout->setSuffix(QStringLiteral(" s"));
    m_timeout->setToolTip(QStringLiteral("For each whole exchange: connect, send, full response (dbt Cloud: 10 s)"));
    m_insecure->setObjectName(QStringLiteral("replayInsecure"));
    m_insecure->setToolTip(QStringLiteral("Accept self-signed, expired or mismatched certificates. Not remembered."));

    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Replay"), m_selection);
    form->addRow(QString(), m_filter);
    form->addRow(QStringLiteral("&To"), m_target);
    form->addRow(QString(), resignRow);
    form->addRow(QStringLiteral("&Concurrency"), m_concurrency);
    form->addRow(QStringLiteral("Rate &limit"), m_rate);
    form->addRow(QStringLiteral("T&imeout"), m_timeout);
    form->addRow(QString(), m_insecure);

    m_progress->setObjectName(QStringLiteral("replayProgress"));
    m_progress->setFormat(QStringLiteral("%v / %m"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progressLabel->setObjectName(QStringLiteral("replayProgressText"));
    m_countsLabel->setObjectName(QStringLiteral("replayCounts"));
    m_countsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName(QStringLiteral("replayMessage"));
    m_message->setWordWrap(true);
    m_summaryLabel->setObjectName(QStringLiteral("replaySummary"));
    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_failureTable->setObjectName(QStringLiteral("replayFailures"));
    m_failureTable->setHorizontalHeaderLabels(
        {QStringLiteral("Capture"), QStringLiteral("Target"), QStringLiteral("Failure"), QStringLiteral("Reason")});
    m_failureTable->verticalHeader()->hide();
    m_failureTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_failureTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_failureTable->horizontalHeader()->setStretchLastSection(true);
    m_failureTable->setWordWrap(false);
    m_failureTable->hide();

    m_start->setObjectName(QStringLiteral("replayStart"));
    m_start->setDefault(true);
    m_cancel->setObjectName(QStringLiteral("replayCancel"));
    m_cancel->setEnabled(false);
    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressLabel);
    layout->addWidget(m_countsLabel);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_failureTable, 1);
    layout->addWidget(buttons);

    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_cancel, &QPushButton::clicked, this, &BatchReplayDialog::cancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_resign, &QCheckBox::toggled, this, &BatchReplayDialog::updateChoices);
    connect(m_scheme, &QComboBox::currentIndexChanged, this, [this] {
        m_secret->setSecret(m_context.keeper ? m_context.keeper->secret(secretKey()) : QByteArray());
        if (m_context.keeper && !m_context.keeper->hasSecret(secretKey()))
            m_context.keeper->load(secretKey());
    });
    connect(m_secret, &QLineEdit::textEdited, this, [this] {
        if (!m_context.keeper)
            return;
        const QByteArray secret = m_secret->secret();
        if (secret.isEmpty())
            m_context.keeper->forget(secretKey());
        else
            m_context.keeper->setSecret(secretKey(), secret,
                m_context.keeper->persistence(secretKey()) == SecretKeeper::Persistence::Settings
                    ? SecretKeeper::Persistence::Settings
                    : m_context.keeper->defaultPersistence());
    });
    if (m_context.keeper) {
        connect(m_context.keeper, &SecretKeeper::secretLoaded, this, [this](const QString &key) {
            if (key == secretKey() && m_secret->text().isEmpty())
                m_secret->setSecret(m_context.keeper->secret(key));
        });
    }

    // Remembered choices (never the secret, nor the TLS exception: that one is asked each time).
    if (QSettings *settings = m_context.settings) {
        m_target->setText(settings->value(QStringLiteral("replay/target")).toString());
        m_concurrency->setValue(settings->value(QStringLiteral("replay/concurrency"), defaultConcurrency).toInt());
        m_rate->setValue(settings->value(QStringLiteral("replay/rate"), 0.0).toDouble());
        m_timeout->setValue(settings->value(QStringLiteral("replay/timeoutSeconds"), 10.0).toDouble());
        m_resign->setChecked(settings->value(QStringLiteral("replay/resign"), false).toBool());
        const int scheme = m_scheme->findData(settings->value(QStringLiteral("replay/scheme")).toString());
        if (scheme >= 0)
            m_scheme->setCurrentIndex(scheme);
    }
    if (m_context.keeper) {
        if (m_context.keeper->hasSecret(secretKey()))
            m_secret->setSecret(m_context.keeper->secret(secretKey()));
        else
            m_context.keeper->load(secretKey());
    }

    m_refresh.setInterval(100);
    connect(&m_refresh, &QTimer::timeout, this, &BatchReplayDialog::refreshProgress);
    updateChoices();
    resize(720, 520);
}

BatchReplayDialog::~BatchReplayDialog()
{
    // Attempts still being written report to this dialog; the writer drops them once it is gone.
    if (m_batch) {
        disconnect(m_batch, nullptr, this, nullptr);
        m_batch->cancel();
    }
}

QString BatchReplayDialog::secretKey() const
{
    return QStringLiteral("replay/") + m_scheme->currentData().toString();
}

void BatchReplayDialog::setCaptures(
    QList<qint64> selected, qint64 matchingCount, std::function<QList<qint64>()> matchingIds)
{
    m_selectedIds = std::move(selected);
    m_matchingIds = std::move(matchingIds);
    setMatchingCount(matchingCount);
}

void BatchReplayDialog::setMatchingCount(qint64 matchingCount)
{
    m_matchingCount = matchingCount;
    m_selection->setText(QStringLiteral("the selected captures (%1)").arg(count(m_selectedIds.size())));
    m_filter->setText(QStringLiteral("every capture the filter matches (%1)").arg(count(m_matchingCount)));
    if (isRunning())
        return; // the form stays as it was started
    m_selection->setEnabled(!m_selectedIds.isEmpty());
    m_filter->setEnabled(m_matchingCount > 0 && m_matchingIds);
    if (m_selectedIds.isEmpty() && m_filter->isEnabled())
        m_filter->setChecked(true);
    else if (!m_selectedIds.isEmpty() && !m_filter->isChecked())
        m_selection->setChecked(true);
    updateChoices();
}

void BatchReplayDialog::setSource(Source source)
{
    (source == Source::Selection ? m_selection : m_filter)->setChecked(true);
}

BatchReplayDialog::Source BatchReplayDialog::source() const
{
    return m_filter->isChecked() ? Source::Filter : Source::Selection;
}

void BatchReplayDialog::updateChoices()
{
    const bool running = isRunning();
    m_scheme->setEnabled(!running && m_resign->isChecked());
    m_secret->setEnabled(!running && m_resign->isChecked());
    m_start->setEnabled(!running && (m_selection->isEnabled() || m_filter->isEnabled()));
    m_cancel->setEnabled(running);
}

void BatchReplayDialog::setFormEnabled(bool enabled)
{
    for (QWidget *widget : std::initializer_list<QWidget *> {
             m_selection, m_filter, m_target, m_resign, m_concurrency, m_rate, m_timeout, m_insecure}) {
        widget->setEnabled(enabled);
    }
    if (enabled) {
        m_selection->setEnabled(!m_selectedIds.isEmpty());
        m_filter->setEnabled(m_matchingCount > 0 && m_matchingIds);
    }
    updateChoices();
}

void BatchReplayDialog::showError(const QString &message)
{
    m_message->setText(message);
}

void BatchReplayDialog::saveChoices()
{
    QSettings *settings = m_context.settings;
    if (!settings)
        return;
    settings->setValue(QStringLiteral("replay/target"), m_target->text().trimmed());
    settings->setValue(QStringLiteral("replay/concurrency"), m_concurrency->value());
    settings->setValue(QStringLiteral("replay/rate"), m_rate->value());
    settings->setValue(QStringLiteral("replay/timeoutSeconds"), m_timeout->value());
    settings->setValue(QStringLiteral("replay/resign"), m_resign->isChecked());
    settings->setValue(QStringLiteral("replay/scheme"), m_scheme->currentData().toString());
}

bool BatchReplayDialog::start(QString *error)
{
    const auto refuse = [&](const QString &message) {
        showError(message);
        if (error)
            *error = message;
        return false;
    };
    if (isRunning())
        return refuse(QStringLiteral("A batch is already running."));
    if (m_pendingWrites > 0)
        return refuse(QStringLiteral("The last batch's attempts are still being stored."));
    if (!m_context.fetch || !m_context.sink)
        return refuse(QStringLiteral("No capture store is open."));

    QString problem;
    const QUrl destination = parseTargetUrl(m_target->text(), &problem);
    if (destination.isEmpty())
        return refuse(problem);

    ReplayBatch::Options options;
    options.concurrency = std::clamp(m_concurrency->value(), 1, maxConcurrency);
    options.rateLimit = m_rate->value();
    options.send.timeoutMs = std::max(1, int(std::lround(m_timeout->value() * 1000)));
    options.send.ignoreTlsErrors = m_insecure->isChecked();
    if (m_resign->isChecked()) {
        const QString name = m_scheme->currentData().toString();
        std::shared_ptr<const SignatureScheme> scheme(createBuiltinScheme(name));
        if (!scheme)
            return refuse(QStringLiteral("Unknown scheme \"%1\".").arg(name));
        if (m_secret->secret().isEmpty())
            return refuse(QStringLiteral("Enter the secret to re-sign with, or untick re-signing."));
        auto resigner = std::make_shared<Resigner>(scheme, m_secret->secret());
        if (!resigner->problem().isEmpty())
            return refuse(resigner->problem()); // never quotes the secret
        options.resigner = resigner;
    }

    QList<qint64> ids = source() == Source::Filter && m_matchingIds ? m_matchingIds() : m_selectedIds;
    if (ids.isEmpty())
        return refuse(QStringLiteral("There are no captures to replay."));

    saveChoices();
    m_message->clear();
    m_summary.reset();
    m_finishedSummary.reset();
    m_statusCounts.clear();
    m_failureCounts.clear();
    m_failures.clear();
    m_stored = 0;
    m_aborted = 0;
    m_cancelling = false;
    m_storeFailures = 0;
    m_storeError.clear();
    m_summaryLabel->clear();
    m_failureTable->setRowCount(0);
    m_failureTable->hide();

    // One query serves a chunk, read just before it is needed: a few requests' bodies at a time.
    const int chunk = std::clamp(options.concurrency, 4, 64);
    const qsizetype total = ids.size();
    m_batch = new ReplayBatch(total, captureLoader(std::move(ids), destination, m_context.fetch, chunk), options, this);
    connect(m_batch, &ReplayBatch::attemptFinished, this,
        [this](qsizetype, const Attempt &attempt) { onAttempt(attempt); });
    connect(m_batch, &ReplayBatch::finished, this, &BatchReplayDialog::onFinished);
    m_progress->setRange(0, int(std::min<qsizetype>(total, std::numeric_limits<int>::max())));
    m_progress->setValue(0);
    setFormEnabled(false);
    m_batch->start();
    m_refresh.start();
    refreshProgress();
    emit batchStarted(total);
    return true;
}

void BatchReplayDialog::cancel()
{
    if (m_batch) {
        m_message->setText(QStringLiteral("Cancelling: nothing more is sent; requests in flight are aborted."));
        m_cancelling = true;
        m_batch->cancel();
    }
}

void BatchReplayDialog::onAttempt(const Attempt &attempt)
{
    if (attempt.failure == Attempt::Failure::None) {
        ++m_statusCounts[attempt.status];
    } else {
        ++m_failureCounts[attempt.failure];
        if (m_cancelling)
            ++m_aborted; // the cancel aborts everything in flight: each ends as a failure
        if (m_failures.size() < maxListedFailures)
            m_failures.append({attempt.captureId, attemptTarget(attempt), attempt.failure, oneLine(attempt.error)});
    }
    // Never sent (the capture vanished, or couldn't be re-signed): nothing went on the wire, so
    // there is no attempt to store, as with `hookbench replay`.
    if (attempt.totalUs < 0)
        return;
    ++m_pendingWrites;
    m_context.sink->addAttempt(attempt, this, [this](qint64 id, const QString &error) {
        --m_pendingWrites;
        if (id > 0) {
            ++m_stored;
        } else {
            ++m_storeFailures;
            m_storeError = error;
        }
        finishIfStored();
    });
}

void BatchReplayDialog::onFinished(const ReplaySummary &summary)
{
    m_finishedSummary = summary;
    m_batch->deleteLater();
    m_batch = nullptr;
    finishIfStored();
}

void BatchReplayDialog::finishIfStored()
{
    if (!m_finishedSummary || m_pendingWrites > 0)
        return;
    m_summary = std::exchange(m_finishedSummary, std::nullopt);
    m_refresh.stop();
    setFormEnabled(true);
    refreshProgress();
    m_message->setText(m_storeFailures == 0
            ? QString()
            : QStringLiteral("%1 attempts could not be stored: %2").arg(count(m_storeFailures)).arg(m_storeError));
    m_summaryLabel->setText(summaryText());
    m_failureTable->setRowCount(int(m_failures.size()));
    for (int row = 0; row < m_failures.size(); ++row) {
        const FailureRow &failure = m_failures.at(row);
        auto *id = new QTableWidgetItem;
        id->setData(Qt::DisplayRole, failure.captureId);
        m_failureTable->setItem(row, 0, id);
        m_failureTable->setItem(row, 1, new QTableWidgetItem(failure.target));
        m_failureTable->setItem(row, 2, new QTableWidgetItem(attemptFailureName(failure.failure)));
        auto *reason = new QTableWidgetItem(failure.reason);
        reason->setToolTip(failure.reason);
        m_failureTable->setItem(row, 3, reason);
    }
    m_failureTable->resizeColumnsToContents();
    m_failureTable->setVisible(!m_failures.isEmpty());
    emit batchDone(*m_summary);
}

QString BatchReplayDialog::progressText() const
{
    if (!m_batch && !m_summary)
        return {};
    const ReplayProgress progress = m_batch
        ? m_batch->currentProgress()
        : ReplayProgress {m_summary->completed, m_summary->total, m_summary->elapsedMs, 0};
    const double rate = progress.elapsedMs > 0 ? double(progress.done) * 1000.0 / double(progress.elapsedMs) : 0.0;
    QString text = QStringLiteral("%1 of %2 done · %3 requests/s")
                       .arg(count(progress.done), count(progress.total))
                       .arg(rate, 0, 'f', rate < 10 ? 1 : 0);
    if (m_batch)
        text
            += QStringLiteral(" · ETA %1").arg(progress.etaMs < 0 ? QStringLiteral("…") : durationText(progress.etaMs));
    else
        text += QStringLiteral(" · took %1").arg(durationText(progress.elapsedMs));
    return text;
}

void BatchReplayDialog::refreshProgress()
{
    const qsizetype done = m_batch ? m_batch->currentProgress().done : m_summary ? m_summary->completed : 0;
    m_progress->setValue(int(std::min<qsizetype>(done, m_progress->maximum())));
    m_progressLabel->setText(progressText());
    QStringList parts;
    for (auto it = m_statusCounts.cbegin(); it != m_statusCounts.cend(); ++it)
        parts.append(QStringLiteral("%1: %2").arg(it.key()).arg(count(it.value())));
    for (auto it = m_failureCounts.cbegin(); it != m_failureCounts.cend(); ++it)
        parts.append(QStringLiteral("%1: %2").arg(attemptFailureName(it.key())).arg(count(it.value())));
    m_countsLabel->setText(parts.join(QStringLiteral(" · ")));
}

QString BatchReplayDialog::summaryText() const
{
    if (!m_summary)
        return {};
    const ReplaySummary &summary = *m_summary;
    QStringList lines;
    lines.append(QStringLiteral("%1 of %2 answered 2xx in %3.")
                     .arg(count(summary.succeeded), count(summary.total), durationText(summary.elapsedMs)));
    for (int statusClass = 1; statusClass <= 5; ++statusClass) {
        const QString codes = codesOfClass(m_statusCounts, statusClass);
        if (!codes.isEmpty())
            lines.append(QStringLiteral("%1xx — %2").arg(statusClass).arg(codes));
    }
    QStringList failures;
    for (auto it = m_failureCounts.cbegin(); it != m_failureCounts.cend(); ++it)
        failures.append(QStringLiteral("%1: %2").arg(attemptFailureName(it.key())).arg(count(it.value())));
    if (!failures.isEmpty())
        lines.append(QStringLiteral("No answer — %1").arg(failures.join(QStringLiteral(", "))));
    if (summary.cancelled) {
        lines.append(QStringLiteral("Cancelled: %1 not sent, %2 aborted in flight.")
                         .arg(count(summary.notStarted), count(m_aborted)));
    }
    lines.append(QStringLiteral("%1 attempts stored.").arg(count(m_stored)));
    return lines.join(QLatin1Char('\n'));
}

} // namespace hookbench
