#pragma once

#include <QByteArray>

namespace hookbench::bench {

// dbt Cloud's documented job.run.completed sample (compact, as dbt sends it) with a longer
// runReason, 624 bytes: the payload size the project's receiver figures are quoted for.
inline QByteArray dbtBody()
{
    return QByteArrayLiteral(
        "{\"accountId\":1,\"webhookId\":\"wsu_12345abcde\",\"eventId\":\"wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD\","
        "\"timestamp\":\"2023-01-31T19:29:35.789265936Z\",\"eventType\":\"job.run.completed\",\"webhookName\":\"test\","
        "\"data\":{\"jobId\":\"123\",\"jobName\":\"Daily Job (dbt build)\",\"runId\":\"12345\",\"environmentId\":"
        "\"1234\",\"environmentName\":\"Production\",\"dbtVersion\":\"1.0.0\",\"projectName\":\"Snowflake Github "
        "Demo\",\"projectId\":\"167194\",\"runStatus\":\"Success\",\"runStatusCode\":10,\"runStatusMessage\":\"None\","
        "\"runReason\":\"Kicked off from the UI by analytics-engineering-on-call@example-data.com\",\"runStartedAt\":"
        "\"2023-01-31T19:28:07Z\",\"runFinishedAt\":\"2023-01-31T19:29:32Z\"}}");
}

} // namespace hookbench::bench
