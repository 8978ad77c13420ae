#pragma once

#include "dbtevent.h"

#include <QByteArray>

namespace hookbench {

// The body dbt Cloud would send for `event`: compact JSON with the keys in dbt's order
// (accountId, webhookId, eventId, timestamp, eventType, webhookName, data{jobId … runStartedAt,
// runFinishedAt | runErroredAt}). Times are written as their text. Fields dbt may omit are
// written only when set: webhookId (as "webhooksID" when webhookIdOldSpelling), projectId,
// runStatusCode, runFinishedAt, runErroredAt; a missing accountId is written as 0.
QByteArray writeDbtEvent(const DbtEvent &event);

} // namespace hookbench
