#pragma once

// dbt Cloud's documented sample payloads (shared/reference/dbt-cloud-webhooks.md), compact as dbt
// sends them. The started body is copied byte for byte; completed and errored are built from it
// exactly as the reference describes them ("same envelope with …").

#include <QByteArray>

namespace hookbench::testing {

inline QByteArray documentedStarted()
{
    return QByteArray(
        R"json({"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z","timestamp":"2023-01-31T19:28:15.742843678Z","eventType":"job.run.started","webhookName":"test","data":{"jobId":"123","jobName":"Daily Job (dbt build)","runId":"12345","environmentId":"1234","environmentName":"Production","dbtVersion":"1.0.0","projectName":"Snowflake Github Demo","projectId":"167194","runStatus":"Running","runStatusCode":3,"runStatusMessage":"None","runReason":"Kicked off from the UI by test@test.com","runStartedAt":"2023-01-31T19:28:07Z"}})json");
}

inline QByteArray documentedCompleted()
{
    return QByteArray(
        R"json({"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD","timestamp":"2023-01-31T19:29:35.789265936Z","eventType":"job.run.completed","webhookName":"test","data":{"jobId":"123","jobName":"Daily Job (dbt build)","runId":"12345","environmentId":"1234","environmentName":"Production","dbtVersion":"1.0.0","projectName":"Snowflake Github Demo","projectId":"167194","runStatus":"Success","runStatusCode":10,"runStatusMessage":"None","runReason":"Kicked off from the UI by test@test.com","runStartedAt":"2023-01-31T19:28:07Z","runFinishedAt":"2023-01-31T19:29:32Z"}})json");
}

inline QByteArray documentedErrored()
{
    return QByteArray(
        R"json({"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6m5BggBw9uPNuSmtg4MUiW4Re","timestamp":"2023-01-31T21:15:20.419714619Z","eventType":"job.run.errored","webhookName":"test","data":{"jobId":"123","jobName":"dbt Vault","runId":"12345","environmentId":"1234","environmentName":"dbt Vault Demo","dbtVersion":"1.0.0","projectName":"Snowflake Github Demo","projectId":"167194","runStatus":"Errored","runStatusCode":20,"runStatusMessage":"None","runReason":"Kicked off from the UI by test@test.com","runStartedAt":"2023-01-31T21:14:41Z","runErroredAt":"2023-01-31T21:15:20Z"}})json");
}

// Shaped like the real 2025 delivery the reference describes (its other fields are ours): a
// completed run that errored, on a versionless account, with an empty runReason.
inline QByteArray realCompletedErrored2025()
{
    return QByteArray(
        R"json({"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD","timestamp":"2025-10-02T08:01:12.123456789Z","eventType":"job.run.completed","webhookName":"test","data":{"jobId":"123","jobName":"Daily Job (dbt build)","runId":"12346","environmentId":"1234","environmentName":"Production","dbtVersion":"2025.9.30+21d3fd7","projectName":"Snowflake Github Demo","projectId":"167194","runStatus":"Errored","runStatusCode":20,"runStatusMessage":"dbt command failed","runReason":"","runStartedAt":"2025-10-02T08:00:01Z","runFinishedAt":"2025-10-02T08:01:09Z"}})json");
}

} // namespace hookbench::testing
