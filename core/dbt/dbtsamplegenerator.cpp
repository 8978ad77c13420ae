#include "dbtsamplegenerator.h"

#include "dbteventwriter.h"
#include "ksuid.h"

#include <QRandomGenerator>

namespace hookbench {

namespace {

// Delays between what an event reports and when dbt emits it, as in dbt's documented samples:
// started 8 s into the run, completed 3 s after the finish (artifacts are ingested first),
// errored within a second of the error. A failed run finishes 4 s after it errored.
constexpr int startedEventDelay = 8;
constexpr int completedEventDelay = 3;
constexpr int finishAfterError = 4;

} // namespace

QString dbtScenarioName(DbtScenario scenario)
{
    switch (scenario) {
    case DbtScenario::Success:
        return QStringLiteral("success");
    case DbtScenario::Failure:
        return QStringLiteral("failure");
    case DbtScenario::Retry:
        return QStringLiteral("retry");
    }
    return {};
}

std::optional<DbtScenario> dbtScenarioFromName(QStringView name)
{
    for (DbtScenario scenario : {DbtScenario::Success, DbtScenario::Failure, DbtScenario::Retry}) {
        if (name == dbtScenarioName(scenario))
            return scenario;
    }
    return std::nullopt;
}

DbtSampleGenerator::DbtSampleGenerator(DbtSampleSettings settings) : m_settings(std::move(settings))
{
    m_settings.durationSeconds
        = qBound(minDbtSampleDurationSeconds, m_settings.durationSeconds, maxDbtSampleDurationSeconds);
    if (m_settings.runId.isEmpty())
        m_settings.runId = QString::number(QRandomGenerator::global()->bounded(100000000, 999999999));
    if (m_settings.startedAt.isValid()) {
        m_startedAt = m_settings.startedAt.toSecsSinceEpoch();
    } else {
        // The longest scenario's last event is emitted duration + 4 + 3 s after the start.
        m_startedAt = QDateTime::currentSecsSinceEpoch() - m_settings.durationSeconds - finishAfterError
            - completedEventDelay - 1;
    }
}

DbtTime DbtSampleGenerator::eventTime(qint64 unixSeconds) const
{
    return DbtTime::fromUnix(unixSeconds, int(QRandomGenerator::global()->bounded(1000000000)));
}

QString DbtSampleGenerator::outcomeMessage(DbtRunStatus status) const
{
    if (!m_settings.statusMessage.isNull())
        return m_settings.statusMessage;
    return status == DbtRunStatus::Errored ? QStringLiteral("dbt command failed") : QStringLiteral("None");
}

DbtEvent DbtSampleGenerator::baseEvent(DbtEventType type, DbtRunStatus status) const
{
    DbtEvent event;
    event.accountId = m_settings.accountId;
    event.webhookId = m_settings.webhookId;
    event.eventType = type;
    event.eventTypeName = dbtEventTypeName(type);
    event.webhookName = m_settings.webhookName;
    event.jobId = m_settings.jobId;
    event.jobName = m_settings.jobName;
    event.runId = m_settings.runId;
    event.environmentId = m_settings.environmentId;
    event.environmentName = m_settings.environmentName;
    event.dbtVersion = m_settings.dbtVersion;
    event.projectName = m_settings.projectName;
    event.projectId = m_settings.projectId;
    event.runStatusName = dbtRunStatusName(status);
    event.runStatusCode = qint64(status);
    event.runStatusMessage = status == DbtRunStatus::Running ? QStringLiteral("None") : outcomeMessage(status);
    event.runReason = m_settings.runReason;
    event.runStartedAt = DbtTime::fromUnix(m_startedAt, 0, 0);
    return event;
}

DbtSampleDelivery DbtSampleGenerator::event(DbtEventType type, DbtRunStatus outcome) const
{
    const qint64 ended = m_startedAt + m_settings.durationSeconds;
    DbtEvent event;
    switch (type) {
    case DbtEventType::RunStarted:
        event = baseEvent(type, DbtRunStatus::Running);
        event.timestamp = eventTime(m_startedAt + startedEventDelay);
        break;
    case DbtEventType::RunErrored:
        event = baseEvent(type, DbtRunStatus::Errored);
        event.runErroredAt = DbtTime::fromUnix(ended, 0, 0);
        event.timestamp = eventTime(ended);
        break;
    case DbtEventType::RunCompleted:
    case DbtEventType::Unknown: {
        if (outcome != DbtRunStatus::Errored && outcome != DbtRunStatus::Cancelled)
            outcome = DbtRunStatus::Success;
        event = baseEvent(DbtEventType::RunCompleted, outcome);
        const qint64 finished = outcome == DbtRunStatus::Errored ? ended + finishAfterError : ended;
        event.runFinishedAt = DbtTime::fromUnix(finished, 0, 0);
        event.timestamp = eventTime(finished + completedEventDelay);
        break;
    }
    }
    event.eventId = QStringLiteral("wev_") + Ksuid::generate(event.timestamp.secondsSinceEpoch()).toString();
    return {event, writeDbtEvent(event), false};
}

QList<DbtSampleDelivery> DbtSampleGenerator::scenario(DbtScenario scenario) const
{
    QList<DbtSampleDelivery> deliveries;
    deliveries.append(event(DbtEventType::RunStarted));
    switch (scenario) {
    case DbtScenario::Success:
        deliveries.append(event(DbtEventType::RunCompleted, DbtRunStatus::Success));
        break;
    case DbtScenario::Failure:
        deliveries.append(event(DbtEventType::RunErrored));
        deliveries.append(event(DbtEventType::RunCompleted, DbtRunStatus::Errored));
        break;
    case DbtScenario::Retry: {
        deliveries.append(event(DbtEventType::RunCompleted, DbtRunStatus::Success));
        DbtSampleDelivery again = deliveries.last();
        again.redelivery = true;
        deliveries.append(again);
        break;
    }
    }
    return deliveries;
}

} // namespace hookbench
