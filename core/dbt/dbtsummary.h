#pragma once

#include <QByteArray>
#include <QString>

namespace hookbench {

struct Capture;
struct DbtPayloadCheck;

// The four facts about a dbt event that a capture carries, so lists can show and filter on them
// without parsing bodies (Capture::dbtEventType, dbtEventId, dbtRunId, dbtCheck).
struct DbtSummary
{
    QString eventType; // as received, e.g. "job.run.completed"
    QString eventId;
    QString runId;
    QString check; // "ok", "notes", "warnings", "errors"; empty when the body is not a dbt event

    bool isDbtEvent() const { return !check.isEmpty(); }
};

// Bodies larger than this are not summarized: dbt events are a few hundred bytes, and the
// listener calls summarizeDbtEvent() for every request.
inline constexpr qsizetype maxDbtSummaryBodySize = 64 * 1024;
// Longer values are cut in the summary (the store keeps them as columns).
inline constexpr qsizetype maxDbtSummaryFieldLength = 200;

// Summarizes `body` for the capture list. Cheap for bodies that can't be dbt events: anything
// that doesn't start with '{' (after whitespace) or doesn't contain "eventType" is skipped without
// parsing. A body that looks like a dbt event but isn't valid JSON (e.g. truncated on the way)
// gets check "errors" and no other field.
DbtSummary summarizeDbtEvent(const QByteArray &body);
// The summary of a body's check, full or summary detail (what summarizeDbtEvent() gives for a body
// it doesn't skip).
DbtSummary dbtSummaryOf(const DbtPayloadCheck &check);

// Fills the capture's dbt fields from its body (clears them when it is not a dbt event).
void applyDbtSummary(Capture &capture);

} // namespace hookbench
