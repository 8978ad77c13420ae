#include "dbtcardinfo.h"

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

} // namespace hookbench
