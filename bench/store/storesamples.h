#pragma once

// Realistic captures for the store benchmarks: dbt Cloud job events of exactly 624 bytes,
// signed like dbt Cloud signs them, spread over listeners, verdicts, sessions and days.

#include "capture/capture.h"
#include "signing/hmac.h"

#include <QRandomGenerator>

namespace hookbench::bench {

inline constexpr qsizetype dbtBodySize = 624;

inline QByteArray dbtLikeBody(quint64 n, const QByteArray &eventType, const QByteArray &runStatus)
{
    QByteArray body = R"({"timestamp":"2026-12-01T10:00:00.000000Z","eventId":"wev_)"
        + QByteArray::number(n, 36).rightJustified(27, '0') + R"(","webhookId":"wsu_2kYw9dMxHWz5ZgLrlkpAaW1Tbzk",)"
        + R"("webhookName":"hookbench bench","eventType":")" + eventType + R"(","accountId":1,"data":{"jobId":")"
        + QByteArray::number(n % 40 + 100) + R"(","jobName":"Nightly build","runId":")"
        + QByteArray::number(n % 5000 + 900000)
        + R"(","environmentId":"17","environmentName":"Production","dbtVersion":"1.8.0","projectName":"Analytics",)"
        + R"("projectId":"4","runStatus":")" + runStatus
        + R"(","runStatusCode":10,"runReason":"Kicked off by schedule",)"
        + R"("runStartedAt":"2026-12-01T09:55:00Z","runFinishedAt":"2026-12-01T10:00:00Z","runStatusMessage":")";
    const QByteArray end = "\"}}";
    body += QByteArray(qMax<qsizetype>(0, dbtBodySize - body.size() - end.size()), 'x') + end;
    return body;
}

// The n-th capture of a realistic store.
inline Capture realisticCapture(quint64 n, qint64 startUs)
{
    static const QByteArray secret = "bench-secret-0123456789";
    static const QList<QByteArray> eventTypes {"job.run.started", "job.run.completed", "job.run.errored"};
    static const QList<QByteArray> statuses {"Running", "Success", "Error"};
    const int kind = int(n % 3);

    Capture capture;
    capture.receivedAtUs = startUs + qint64(n) * 250000; // four a second
    const bool probe = n % 50 == 49;
    capture.method = probe ? QByteArray("GET") : QByteArray("POST");
    capture.target = probe ? QByteArray("/health") : QByteArray("/webhooks/dbt/") + QByteArray::number(n % 4);
    capture.body = probe ? QByteArray() : dbtLikeBody(n, eventTypes.at(kind), statuses.at(kind));
    QByteArray signature = hmac(MacAlgorithm::Sha256, secret, {capture.body}).toHex();
    const bool tampered = n % 17 == 0;
    if (tampered)
        signature[3] = signature[3] == 'a' ? 'b' : 'a';
    capture.headers = {{"Host", "127.0.0.1:5000"}, {"User-Agent", "dbt-cloud-webhooks/1.0"},
        {"Content-Type", "application/json"}, {"Content-Length", QByteArray::number(capture.body.size())}};
    if (!probe)
        capture.headers.append(HttpHeader {"Authorization", signature});
    capture.headers.append(HttpHeader {"Accept-Encoding", "gzip"});
    capture.remoteAddress = QStringLiteral("127.0.0.1");
    capture.remotePort = quint16(30000 + n % 30000);
    capture.listener = n % 10 == 0 ? QStringLiteral("127.0.0.1:5001") : QStringLiteral("127.0.0.1:5000");
    capture.scheme = QStringLiteral("dbt-cloud");
    capture.verdict = probe ? Verdict::Unsigned : (tampered ? Verdict::Invalid : Verdict::Valid);
    capture.verdictReason = probe ? QStringLiteral("no Authorization header")
                                  : (tampered ? QStringLiteral("the signature does not match the body") : QString());
    capture.responseStatus = 200;
    if (!probe) {
        capture.dbtEventType = QString::fromLatin1(eventTypes.at(kind));
        capture.dbtEventId = QStringLiteral("wev_") + QString::number(n, 36).rightJustified(27, u'0');
        capture.dbtRunId = QString::number(n / 3 + 900000); // a run sends started, then completed or errored
        capture.dbtCheck = QStringLiteral("ok");
    }
    return capture;
}

} // namespace hookbench::bench
