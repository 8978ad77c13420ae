#include "dbtcardinfo.h"

#include "dbt/dbtpayloadcheck.h"

namespace hookbench {

std::optional<DbtCardInfo> dbtCardFromCapture(const Capture &capture)
{
    if (capture.dbtEventType.isEmpty())
        return std::nullopt;
    DbtCardInfo card;
    card.eventType = capture.dbtEventType;
    card.eventId = capture.dbtEventId;
    card.runId = capture.dbtRunId;
    card.check = capture.dbtCheck;
    if (capture.dbtEventType == u"job.run.started")
        card.tone = DbtCardInfo::Tone::Running;
    else if (capture.dbtEventType == u"job.run.errored")
        card.tone = DbtCardInfo::Tone::Error;
    return card;
}

namespace {

QString nameAndId(const QString &name, const QString &id)
{
    if (name.isEmpty())
        return id;
    return id.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, id);
}

} // namespace

std::optional<DbtCardInfo> dbtCardFromPayload(const Capture &capture)
{
    if (capture.body.size() > 1024 * 1024)
        return dbtCardFromCapture(capture); // dbt events are small; don't parse megabytes here
    const DbtPayloadCheck check = checkDbtPayload(capture.body);
    if (check.outcome == DbtPayloadCheck::Outcome::NotDbtEvent)
        return std::nullopt;
    DbtCardInfo card;
    card.detailed = true;
    card.check = check.summary();
    for (const DbtFinding &finding : check.findings) {
        DbtCardFinding shown;
        shown.code = finding.codeName();
        shown.message = finding.message;
        shown.severity = finding.severity() == DbtSeverity::Error ? DbtCardFinding::Severity::Error
            : finding.severity() == DbtSeverity::Warning          ? DbtCardFinding::Severity::Warning
                                                                  : DbtCardFinding::Severity::Note;
        card.findings.append(shown);
    }
    if (check.outcome == DbtPayloadCheck::Outcome::InvalidJson) {
        card.eventType = capture.dbtEventType.isEmpty() ? QStringLiteral("(unreadable event)") : capture.dbtEventType;
        card.tone = DbtCardInfo::Tone::Error;
        return card;
    }
    const DbtEvent &e = check.event;
    card.eventType = e.eventTypeName;
    card.eventId = e.eventId;
    card.webhookName = e.webhookName;
    card.accountId = e.accountId ? QString::number(*e.accountId) : QString();
    card.jobId = e.jobId;
    card.jobName = e.jobName;
    card.runId = e.runId;
    card.runStatus = e.runStatusName;
    switch (e.runStatus()) {
    case DbtRunStatus::Success:
        card.tone = DbtCardInfo::Tone::Success;
        break;
    case DbtRunStatus::Errored:
        card.tone = DbtCardInfo::Tone::Error;
        break;
    case DbtRunStatus::Cancelled:
        card.tone = DbtCardInfo::Tone::Cancelled;
        break;
    case DbtRunStatus::Queued:
    case DbtRunStatus::Starting:
    case DbtRunStatus::Running:
        card.tone = DbtCardInfo::Tone::Running;
        break;
    case DbtRunStatus::Unknown:
        break;
    }
    card.runStatusMessage = e.runStatusMessage;
    card.runReason = e.runReason;
    card.environment = nameAndId(e.environmentName, e.environmentId);
    card.project = nameAndId(e.projectName, e.projectId);
    card.dbtVersion = e.dbtVersion;
    const std::initializer_list<std::pair<QString, const DbtTime *>> times {{QStringLiteral("Sent"), &e.timestamp},
        {QStringLiteral("Started"), &e.runStartedAt}, {QStringLiteral("Finished"), &e.runFinishedAt},
        {QStringLiteral("Errored"), &e.runErroredAt}};
    for (const auto &[label, time] : times) {
        if (!time->isNull())
            card.times.append({label, time->text()});
    }
    const DbtTime ended = e.runEndedAt();
    if (e.runStartedAt.isValid() && ended.isValid() && !(ended < e.runStartedAt))
        card.duration = dbtDurationText(e.runStartedAt.nanosecondsTo(ended) / 1000000);
    return card;
}

} // namespace hookbench
