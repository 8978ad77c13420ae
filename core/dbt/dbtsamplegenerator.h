#pragma once

#include "dbtevent.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace hookbench {

// What a generated run looks like. The defaults read like a real account's; every field can be
// set. Ids are strings of digits, as dbt sends them.
struct DbtSampleSettings
{
    qint64 accountId = 70403;
    QString webhookId = QStringLiteral("wsu_2Lh8ZcVq0XyTbN3kR7sJmW1pQdF");
    QString webhookName = QStringLiteral("Hookbench");
    QString jobId = QStringLiteral("418230");
    QString jobName = QStringLiteral("Daily Job (dbt build)");
    QString runId; // empty: a fresh 9-digit id
    QString environmentId = QStringLiteral("225961");
    QString environmentName = QStringLiteral("Production");
    QString projectId = QStringLiteral("167194");
    QString projectName = QStringLiteral("Analytics");
    QString dbtVersion = QStringLiteral("1.9.4");
    QString runReason = QStringLiteral("Kicked off from the UI by analyst@example.com");
    // runStatusMessage of the run's outcome (completed/errored events). Null: "None", or
    // "dbt command failed" for an errored run. Started events always say "None".
    QString statusMessage;
    // When the run started (whole seconds, like dbt). Invalid: so that the run's last event is now.
    QDateTime startedAt;
    int durationSeconds = 85; // runStartedAt → runFinishedAt (or runErroredAt)
};

inline constexpr int minDbtSampleDurationSeconds = 10; // the started event goes out 8 s into the run
inline constexpr int maxDbtSampleDurationSeconds = 7 * 24 * 3600;

enum class DbtScenario {
    Success, // started → completed (Success)
    Failure, // started → errored → completed (Errored)
    Retry, // started → completed → the same completed delivery again, byte for byte
};

QString dbtScenarioName(DbtScenario scenario); // "success", "failure", "retry"
std::optional<DbtScenario> dbtScenarioFromName(QStringView name);

// One generated delivery: the event and the exact body to send.
struct DbtSampleDelivery
{
    DbtEvent event;
    QByteArray body;
    bool redelivery = false; // a retry of the previous delivery (same body, same eventId)
};

// Generates dbt Cloud events for one run, as dbt would send them: the same run, job, project and
// environment in every event; RFC 3339 timestamps with nanoseconds a plausible few seconds after
// what they report; a fresh "wev_" KSUID per event (cryptographic RNG) carrying the event's time;
// compact JSON in dbt's key order.
class DbtSampleGenerator
{
public:
    explicit DbtSampleGenerator(DbtSampleSettings settings = {});

    const DbtSampleSettings &settings() const { return m_settings; }
    const QString &runId() const { return m_settings.runId; } // resolved (never empty)
    qint64 startedAtSeconds() const { return m_startedAt; }

    // One event of the run. `outcome` says how the run ended for job.run.completed (Success,
    // Errored or Cancelled); errored events are always Errored and started ones Running.
    DbtSampleDelivery event(DbtEventType type, DbtRunStatus outcome = DbtRunStatus::Success) const;
    QList<DbtSampleDelivery> scenario(DbtScenario scenario) const;

private:
    DbtEvent baseEvent(DbtEventType type, DbtRunStatus status) const;
    DbtTime eventTime(qint64 unixSeconds) const; // a random nanosecond within that second
    QString outcomeMessage(DbtRunStatus status) const;

    DbtSampleSettings m_settings;
    qint64 m_startedAt = 0; // Unix seconds
};

} // namespace hookbench
