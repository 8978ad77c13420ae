#include "rawhttpclient.h"

#include "listener/listener.h"
#include "listener/verdictdiagnoser.h"
#include "signing/hmac.h"
#include "signing/schemeregistry.h"

#include <QSignalSpy>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray secret = QByteArrayLiteral("dbt-listener-secret-51c3");

QByteArray dbtMac(const QByteArray &body, const QByteArray &key = secret)
{
    return hmac(MacAlgorithm::Sha256, key, {body}).toHex();
}

VerificationProfile dbtProfile()
{
    return VerificationProfile(std::shared_ptr<const SignatureScheme>(createBuiltinScheme(u"dbt-cloud")), {secret});
}

ListenerConfig quickConfig()
{
    ListenerConfig config;
    config.port = 0;
    config.limits.idleTimeoutMs = 20000;
    config.limits.requestTimeoutMs = 20000;
    config.limits.lingerMs = 500;
    return config;
}

// A JSON body of about `size` bytes, the shape of a dbt Cloud event with a long log excerpt.
QByteArray largeJson(qsizetype size, int seed)
{
    QByteArray body = R"({"eventType":"job.run.errored","seed":)" + QByteArray::number(seed) + R"(,"data":{"lines":[)";
    int line = 0;
    while (body.size() < size - 64) {
        body += (line ? "," : "") + QByteArray(R"({"n":)") + QByteArray::number(line)
            + R"(,"text":"caf\u00e9 step ok"})";
        ++line;
    }
    return body + "]}}";
}

} // namespace

class TestListenerDiagnosis : public QObject
{
    Q_OBJECT

private:
    // Sends one request to a listener with the dbt Cloud profile; returns what was captured.
    std::optional<ListenerEvent> captureOne(const QByteArray &request)
    {
        MemoryCaptureSink sink;
        Listener listener(quickConfig(), &sink);
        listener.setVerificationProfile(dbtProfile());
        QSignalSpy handled(&listener, &Listener::requestHandled);
        if (!listener.start())
            return std::nullopt;
        RawHttpClient client(listener.port());
        if (!client.waitConnected())
            return std::nullopt;
        client.send(request);
        const auto reply = client.nextReply();
        if (!reply || reply->status != 200 || handled.size() != 1 || sink.captures().size() != 1)
            return std::nullopt;
        ListenerEvent event = handled.first().first().value<ListenerEvent>();
        // What was stored is what the event says.
        if (sink.captures().first().verdictReason != event.capture.verdictReason)
            return std::nullopt;
        return event;
    }

private slots:
    void initTestCase() { qRegisterMetaType<ListenerEvent>(); }

    void sha256Prefix_onDbtCloud_isNamedInTheReason()
    {
        const QByteArray body = R"({"eventType":"job.run.completed","data":{"runId":"7"}})";
        const auto event = captureOne(post("/dbt", body, "Authorization: sha256=" + dbtMac(body) + "\r\n"));
        QVERIFY(event);
        QCOMPARE(event->capture.verdict, Verdict::Invalid);
        QVERIFY(!event->diagnosis.isEmpty());
        QCOMPARE(event->diagnosis.first().code, FindingCode::PrefixMismatch);
        const QString reason = event->capture.verdictReason;
        QVERIFY2(
            reason.startsWith(event->verification.reason + u" Most likely: prefix-mismatch: "), qPrintable(reason));
        QVERIFY2(reason.contains(u"sha256="), qPrintable(reason));
        QVERIFY(!reason.contains(u'\n'));
        QVERIFY(!reason.toUtf8().contains(secret));
        QVERIFY(!event->diagnosisSkipped);
    }

    void reEncodedBody_isBodyReserialized()
    {
        // Signed as the sender wrote it (2-space indent); received re-encoded compactly by a proxy.
        const QByteArray signedBody = "{\n  \"eventType\": \"job.run.completed\",\n  \"data\": {\n    \"runId\": \"7\","
                                      "\n    \"note\": \"caf\xc3\xa9\"\n  }\n}";
        const QByteArray received
            = "{\"eventType\":\"job.run.completed\",\"data\":{\"runId\":\"7\",\"note\":\"caf\xc3\xa9\"}}";
        const auto event = captureOne(post("/dbt", received, "Authorization: " + dbtMac(signedBody) + "\r\n"));
        QVERIFY(event);
        QCOMPARE(event->capture.verdict, Verdict::Invalid);
        QVERIFY(!event->diagnosis.isEmpty());
        QCOMPARE(event->diagnosis.first().code, FindingCode::BodyReserialized);
        QVERIFY2(event->capture.verdictReason.contains(u"Most likely: body-reserialized: "),
            qPrintable(event->capture.verdictReason));
        QCOMPARE(event->capture.body, received); // the diagnosis never touches the stored bytes
    }

    void signatureInAnotherHeader_unsignedIsMissingHeader()
    {
        const QByteArray body = R"({"eventType":"job.run.started"})";
        const auto event = captureOne(post("/dbt", body, "X-Dbt-Signature: " + dbtMac(body) + "\r\n"));
        QVERIFY(event);
        QCOMPARE(event->capture.verdict, Verdict::Unsigned);
        QVERIFY(!event->diagnosis.isEmpty());
        QCOMPARE(event->diagnosis.first().code, FindingCode::MissingHeader);
        QVERIFY2(event->capture.verdictReason.contains(u"Most likely: missing-header: "),
            qPrintable(event->capture.verdictReason));
    }

    void validCapture_getsNoDiagnosis()
    {
        const QByteArray body = R"({"eventType":"job.run.started"})";
        const auto event = captureOne(post("/dbt", body, "Authorization: " + dbtMac(body) + "\r\n"));
        QVERIFY(event);
        QCOMPARE(event->capture.verdict, Verdict::Valid);
        QVERIFY(event->diagnosis.isEmpty());
        QVERIFY(!event->diagnosisSkipped);
        QCOMPARE(event->capture.verdictReason, event->verification.reason);
    }

    void withoutSecret_nothingIsDiagnosed()
    {
        MemoryCaptureSink sink;
        Listener listener(quickConfig(), &sink);
        QSignalSpy handled(&listener, &Listener::requestHandled);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "{}", "Authorization: sha256=abc\r\n"));
        QVERIFY(client.nextReply());
        QCOMPARE(handled.size(), 1);
        const auto event = handled.first().first().value<ListenerEvent>();
        QCOMPARE(event.capture.verdict, Verdict::NoSecret);
        QVERIFY(event.diagnosis.isEmpty());
        QVERIFY(!event.capture.verdictReason.contains(u"Most likely"));
    }

    void diagnoser_capsPendingDiagnoses()
    {
        DiagnosisConfig config;
        config.threads = 1;
        config.maxPending = 2;
        VerdictDiagnoser diagnoser(config);
        QCOMPARE(diagnoser.threads(), 1);
        const VerificationProfile profile = dbtProfile();
        const QByteArray body = R"({"a":1})";
        const HeaderList headers {{"Authorization", "sha256=" + dbtMac(body)}};
        const VerificationResult result = profile.check(headers, body, 0);
        QVERIFY(VerdictDiagnoser::wanted(profile, result));
        QList<QList<DiagnosisFinding>> done;
        const auto collect = [&](const QList<DiagnosisFinding> &findings) { done.append(findings); };
        QVERIFY(diagnoser.diagnose(profile, result, headers, body, 0, collect));
        QVERIFY(diagnoser.diagnose(profile, result, headers, body, 0, collect));
        // Results come back through this thread's event loop, so both are still pending here.
        QCOMPARE(diagnoser.pending(), 2);
        QVERIFY(!diagnoser.diagnose(profile, result, headers, body, 0, collect));
        QTRY_COMPARE(done.size(), 2);
        QCOMPARE(diagnoser.pending(), 0);
        for (const auto &findings : std::as_const(done))
            QCOMPARE(findings.first().code, FindingCode::PrefixMismatch);
        QVERIFY(diagnoser.diagnose(profile, result, headers, body, 0, collect));
        QTRY_COMPARE(done.size(), 3);

        const HeaderList valid {{"Authorization", dbtMac(body)}};
        QVERIFY(!VerdictDiagnoser::wanted(profile, profile.check(valid, body, 0)));
        QVERIFY(!VerdictDiagnoser::wanted(VerificationProfile(), result));
    }

    void reasons_areOneLineWithTheTopFinding()
    {
        DiagnosisFinding top;
        top.code = FindingCode::WrongSecret;
        top.message = QStringLiteral("No variation matches.");
        DiagnosisFinding second;
        second.code = FindingCode::OtherScheme;
        second.message = QStringLiteral("ignored");
        QCOMPARE(reasonWithDiagnosis(QStringLiteral("It does not match."), {top, second}),
            QStringLiteral("It does not match. Most likely: wrong-secret: No variation matches."));
        QCOMPARE(reasonWithDiagnosis(QStringLiteral("It does not match."), {}), QStringLiteral("It does not match."));
        QCOMPARE(reasonWithoutDiagnosis(QStringLiteral("It does not match.")),
            QStringLiteral("It does not match. (Not diagnosed: the listener was busy.)"));
    }

    void floodOfInvalidLargeRequests_keepsAnsweringAndStoresEverything()
    {
        MemoryCaptureSink sink;
        ListenerConfig config = quickConfig();
        config.diagnosis.threads = 1;
        config.diagnosis.maxPending = 2;
        Listener listener(config, &sink);
        listener.setVerificationProfile(dbtProfile());
        QVERIFY(listener.start());

        constexpr int floodConnections = 4;
        constexpr int perConnection = 4;
        constexpr int validRequests = 12;
        std::vector<std::unique_ptr<RawHttpClient>> flood;
        for (int c = 0; c < floodConnections; ++c) {
            flood.push_back(std::make_unique<RawHttpClient>(listener.port()));
            QVERIFY(flood.back()->waitConnected());
        }
        RawHttpClient valid(listener.port());
        QVERIFY(valid.waitConnected());

        // Every flood request pipelined at once: 16 MiB of invalid JSON bodies of 1 MiB each.
        for (int c = 0; c < floodConnections; ++c) {
            QByteArray requests;
            for (int i = 0; i < perConnection; ++i) {
                const QByteArray body = largeJson(1024 * 1024, c * perConnection + i);
                requests += post("/flood", body, "Authorization: " + dbtMac(body, "not-the-secret") + "\r\n");
            }
            flood[size_t(c)]->send(requests);
        }
        // Valid requests one after the other meanwhile: each is answered.
        for (int i = 0; i < validRequests; ++i) {
            const QByteArray body = R"({"valid":)" + QByteArray::number(i) + "}";
            valid.send(post("/valid", body, "Authorization: " + dbtMac(body) + "\r\n"));
            const auto reply = valid.nextReply(false, 60000);
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
        }
        for (int c = 0; c < floodConnections; ++c) {
            for (int i = 0; i < perConnection; ++i) {
                const auto reply = flood[size_t(c)]->nextReply(false, 60000);
                QVERIFY(reply);
                QCOMPARE(reply->status, 200);
            }
        }

        // Answered means stored, each with a verdict and a one-line reason.
        QCOMPARE(sink.captures().size(), floodConnections * perConnection + validRequests);
        int diagnosed = 0;
        int skipped = 0;
        for (const Capture &capture : sink.captures()) {
            if (capture.target == "/valid") {
                QCOMPARE(capture.verdict, Verdict::Valid);
                continue;
            }
            QCOMPARE(capture.verdict, Verdict::Invalid);
            QCOMPARE(capture.body.size() > 1000000, true);
            if (capture.verdictReason.contains(u"Most likely: "))
                ++diagnosed;
            else if (capture.verdictReason.contains(u"(Not diagnosed: the listener was busy.)"))
                ++skipped;
            else
                QFAIL(qPrintable(capture.verdictReason));
        }
        QCOMPARE(diagnosed + skipped, floodConnections * perConnection);
        qInfo("flood: %d diagnosed, %d skipped as busy", diagnosed, skipped);
        QVERIFY(diagnosed >= 1); // the first one at least found a free slot
        QCOMPARE(listener.diagnoser()->pending(), 0);
    }
};

QTEST_GUILESS_MAIN(TestListenerDiagnosis)
#include "tst_listenerdiagnosis.moc"
