// `hookbench sample --to URL`: the built binary delivers generated dbt Cloud events to a real
// loopback receiver, signed as dbt signs them, in order, with `send`'s exit codes.
#include "rawhttpreceiver.h"

#include "dbt/dbtpayloadcheck.h"
#include "signing/schemeregistry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the binary without blocking the event loop, so the in-process receiver can answer.
Run runAsync(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("WEBHOOK_KEY"));
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(HOOKBENCH_BINARY), arguments);
    process.closeWriteChannel();
    if (!finished.wait(60000))
        process.kill();
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestSampleSend : public QObject
{
    Q_OBJECT

private slots:
    void failureScenario_isDeliveredSignedAndInOrder()
    {
        RawHttpReceiver receiver;
        const Run run = runAsync({QStringLiteral("sample"), QStringLiteral("--scenario"), QStringLiteral("failure"),
            QStringLiteral("--run-id"), QStringLiteral("4242"), QStringLiteral("--to"),
            receiver.url(QStringLiteral("/hooks/dbt")), QStringLiteral("--secret"), QStringLiteral("dbt-secret"),
            QStringLiteral("--json")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(receiver.requests().size(), 3);

        auto scheme = createBuiltinScheme(u"dbt-cloud");
        const QStringList expectedTypes {
            QStringLiteral("job.run.started"), QStringLiteral("job.run.errored"), QStringLiteral("job.run.completed")};
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const ReceivedRequest &request = receiver.requests().at(i);
            QCOMPARE(request.method, QByteArray("POST"));
            QCOMPARE(request.target, QByteArray("/hooks/dbt"));
            HeaderList headers;
            for (const QByteArray &line : request.headerLines) {
                HttpHeader header;
                QVERIFY(parseHeaderLine(line, &header));
                headers.append(header);
            }
            const VerificationResult verdict = scheme->verify(headers, request.body, {"dbt-secret"}, {});
            QVERIFY2(verdict.isValid(), qPrintable(verdict.reason));
            const DbtPayloadCheck check = checkDbtPayload(request.body);
            QCOMPARE(check.event.eventTypeName, expectedTypes.at(i));
            QCOMPARE(check.event.runId, QStringLiteral("4242"));

            const QJsonObject json = QJsonDocument::fromJson(lines.at(i)).object();
            QCOMPARE(json[QStringLiteral("status")].toInt(), 200);
            QCOMPARE(json[QStringLiteral("eventType")].toString(), expectedTypes.at(i));
            QCOMPARE(json[QStringLiteral("eventId")].toString(), check.event.eventId);
        }
        QVERIFY(!run.out.contains("dbt-secret") && !run.err.contains("dbt-secret"));
    }

    void textOutput_namesEachDeliveryAndShowsTheResponse()
    {
        RawHttpReceiver receiver;
        receiver.answerWith(RawHttpReceiver::okResponse("{\"received\":true}"));
        const Run run = runAsync({QStringLiteral("sample"), QStringLiteral("--scenario"), QStringLiteral("retry"),
            QStringLiteral("--to"), receiver.url(), QStringLiteral("--secret"), QStringLiteral("k")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(receiver.requests().size(), 3);
        QCOMPARE(receiver.requests().at(2).body, receiver.requests().at(1).body); // the retry is byte-identical
        QCOMPARE(run.out.count("HTTP/1.1 200 OK"), 3);
        QCOMPARE(run.out.count("> job.run.completed wev_"), 2);
        QVERIFY(run.out.contains(" again ("));
        QVERIFY(run.out.contains("{\"received\":true}"));
    }

    void non2xxAnswer_exitsOne()
    {
        RawHttpReceiver receiver;
        receiver.answerWith(RawHttpReceiver::okResponse("nope", 401, "Unauthorized"));
        const Run run = runAsync({QStringLiteral("sample"), QStringLiteral("--to"), receiver.url(),
            QStringLiteral("--secret"), QStringLiteral("k")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("401"), run.err.constData());
    }

    void refusedConnection_exitsThree()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        const Run run = runAsync({QStringLiteral("sample"), QStringLiteral("--to"),
            QStringLiteral("http://127.0.0.1:%1/").arg(port), QStringLiteral("--secret"), QStringLiteral("k")});
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.err.count('\n'), 1);
    }

    void usageErrors()
    {
        const Run noSecret
            = runAsync({QStringLiteral("sample"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:1/")});
        QCOMPARE(noSecret.exitCode, 2);
        QVERIFY(noSecret.err.contains("no secret"));
        const Run jsonWithoutTo = runAsync({QStringLiteral("sample"), QStringLiteral("--json")});
        QCOMPARE(jsonWithoutTo.exitCode, 2);
        QVERIFY(jsonWithoutTo.err.contains("--json only applies with --to"));
        const Run badUrl = runAsync({QStringLiteral("sample"), QStringLiteral("--to"), QStringLiteral("ftp://x"),
            QStringLiteral("--secret"), QStringLiteral("k")});
        QCOMPARE(badUrl.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestSampleSend)
#include "tst_samplesend.moc"
