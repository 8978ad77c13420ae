#pragma once

#include "capture/capture.h"

#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

namespace hookbench {

// What the Overview tab's dbt Cloud card shows: plain strings, so the card does not depend on
// how the event was parsed. A provider (see DbtCardProvider) fills it from the parsed event
// and its payload check; without one, dbtCardFromCapture() shows what the capture's stored
// summary fields say.
struct DbtCardFinding
{
    enum class Severity { Error, Warning, Note };
    Severity severity = Severity::Note;
    QString code; // stable, e.g. "missing-field"
    QString message; // one line
};

struct DbtCardInfo
{
    enum class Tone { Neutral, Running, Success, Error, Cancelled };

    QString eventType; // "job.run.completed"
    QString eventId;
    QString webhookName;
    QString accountId;
    QString jobId;
    QString jobName;
    QString runId;
    QString runStatus; // as received: "Running", "Success", "Errored", …
    Tone tone = Tone::Neutral;
    QString runStatusMessage;
    QString runReason;
    QString environment; // name (id)
    QString project; // name (id)
    QString dbtVersion;
    QList<QPair<QString, QString>> times; // ("Started", "2023-01-31T19:28:07Z"), …; as received
    QString duration; // "1 min 25 s" when start and end are known
    QString check; // "ok", "notes", "warnings", "errors"
    QList<DbtCardFinding> findings;
    bool detailed = false; // false: only the stored summary was available
};

using DbtCardProvider = std::function<std::optional<DbtCardInfo>(const Capture &capture)>;

// The card from the capture's stored dbt fields only (event type, event id, run id, check).
std::optional<DbtCardInfo> dbtCardFromCapture(const Capture &capture);
// The full card: the body parsed and checked by core/dbt (the body is only read). Nothing for
// bodies that are not dbt events.
std::optional<DbtCardInfo> dbtCardFromPayload(const Capture &capture);

} // namespace hookbench
