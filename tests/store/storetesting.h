#pragma once

// Shared by the store tests: realistic captures and a way to wait for the writer's callbacks.

#include "capture/capture.h"
#include "store/capturewriter.h"

#include <QDateTime>
#include <QObject>
#include <QTest>

namespace hookbench::testing {

inline const QByteArray dbtBody = QByteArrayLiteral(
    R"({"timestamp": "2026-12-01T10:00:00.000000Z", "eventId": "wev_2kYwAFbqwZkLh8TGfpcGXkWHyjL", )"
    R"("webhookId": "wsu_2kYw9dMxHWz5ZgLrlkpAaW1Tbzk", "webhookName": "hookbench demo", )"
    R"("eventType": "job.run.completed", "accountId": 1, "data": {"jobId": "123", "jobName": "Daily", )"
    R"("runId": "98765", "environmentId": "17", "environmentName": "Production", "dbtVersion": "1.8.0", )"
    R"("projectName": "Analytics", "projectId": "4", "runStatus": "Success", "runStatusCode": 10, )"
    R"("runStatusMessage": "None", "runReason": "Kicked off from UI by someone@example.com", )"
    R"("runStartedAt": "2026-12-01T09:55:00Z", "runFinishedAt": "2026-12-01T10:00:00Z"}})");

inline Capture sampleCapture(int n = 0)
{
    Capture capture;
    capture.receivedAtUs = QDateTime::currentMSecsSinceEpoch() * 1000 + n;
    capture.method = "POST";
    capture.target = "/webhooks/dbt?n=" + QByteArray::number(n);
    capture.headers = {{"Host", "127.0.0.1:5000"}, {"Content-Type", "application/json"},
        {"Authorization", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"},
        {"Content-Length", QByteArray::number(dbtBody.size())}};
    capture.body = dbtBody;
    capture.remoteAddress = QStringLiteral("127.0.0.1");
    capture.remotePort = quint16(40000 + n % 20000);
    capture.listener = QStringLiteral("127.0.0.1:5000");
    capture.scheme = QStringLiteral("dbt-cloud");
    capture.verdict = n % 3 == 0 ? Verdict::Invalid : Verdict::Valid;
    capture.verdictReason = capture.verdict == Verdict::Valid ? QString() : QStringLiteral("signature mismatch");
    capture.responseStatus = 200;
    capture.dbtEventType = QStringLiteral("job.run.completed");
    capture.dbtEventId = QStringLiteral("wev_2kYwAFbqwZkLh8TGfpcGXkWHyjL");
    capture.dbtRunId = QString::number(98765 + n % 7);
    capture.dbtCheck = QStringLiteral("ok");
    return capture;
}

// Collects the writer's answers; `done()` gives a CaptureSink::Done that records into it.
class Answers : public QObject
{
public:
    struct Answer
    {
        qint64 id = 0;
        QString error;
    };

    CaptureSink::Done done()
    {
        return [this](qint64 id, const QString &error) { m_answers.append({id, error}); };
    }
    const QList<Answer> &all() const { return m_answers; }
    qsizetype size() const { return m_answers.size(); }
    const Answer &last() const { return m_answers.last(); }
    bool waitFor(qsizetype count, int timeoutMs = 60000)
    {
        return QTest::qWaitFor([&] { return m_answers.size() >= count; }, timeoutMs);
    }

private:
    QList<Answer> m_answers;
};

// Submits one write and waits for its answer.
template <typename Write> Answers::Answer writeAndWait(Write write)
{
    Answers answers;
    write(&answers, answers.done());
    if (!answers.waitFor(1))
        return {0, QStringLiteral("timed out")};
    return answers.last();
}

} // namespace hookbench::testing
