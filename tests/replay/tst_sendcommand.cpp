// `hookbench send` through the built binary against receivers in this process: what goes on the
// wire, what is printed, and the exit codes 0/1/2/3 with their one-line messages.
#include "hookbenchprocess.h"
#include "rawhttpreceiver.h"
#include "selfsignedcertificate.h"

#include "signing/schemeregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

// Like runHookbench(), but keeps this process's event loop running so that the receivers in it
// can answer while the command waits for them.
ProcessResult runWhileServing(const QStringList &arguments, const QByteArray &input = {},
    const QProcessEnvironment &environment = cleanEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(HOOKBENCH_BINARY), arguments);
    ProcessResult result;
    if (!process.waitForStarted(60000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    const bool ended = QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, 60000);
    result.finished = ended && process.exitStatus() == QProcess::NormalExit;
    if (!ended) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QStringList args(std::initializer_list<QString> list)
{
    return QStringList(list);
}

const QByteArray dbtBody = QByteArrayLiteral(
    "{\"accountId\":1,\"webhooksID\":\"wsu_1\",\"eventId\":\"wev_1\",\"eventType\":\"job.run.completed\","
    "\"data\":{\"runStatus\":\"Success\",\"value\":1.10}}");

} // namespace

class TestSendCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(bytes);
        return path;
    }

private slots:
    void sendsExactlyWhatIsGiven_andPrintsTheResponse()
    {
        RawHttpReceiver receiver;
        QByteArray body = dbtBody;
        body.append('\0').append("\xff\n", 2);
        const QString bodyFile = writeFile(QStringLiteral("body.bin"), body);
        const ProcessResult result = runWhileServing(args({QStringLiteral("send"), QStringLiteral("--to"),
            receiver.url(QStringLiteral("/in?x=1")), QStringLiteral("-X"), QStringLiteral("PATCH"),
            QStringLiteral("-H"), QStringLiteral("X-B: 2"), QStringLiteral("-H"), QStringLiteral("x-a:1"),
            QStringLiteral("-H"), QStringLiteral("X-B: 3"), QStringLiteral("--body-file"), bodyFile}));
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.isEmpty(), result.err.constData());
        QCOMPARE(result.out, QByteArray("HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\nok"));
        QCOMPARE(receiver.requests().size(), 1);
        QCOMPARE(receiver.requests().first().raw,
            "PATCH /in?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(receiver.port())
                + "\r\nX-B: 2\r\nx-a: 1\r\nX-B: 3\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
                + body);
    }

    void bodyFromStandardInput_isRaw()
    {
        RawHttpReceiver receiver;
        const QByteArray body("line one\r\nline two\n\n");
        const ProcessResult result
            = runWhileServing(args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url()}), body);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(receiver.requests().first().body, body);
        QCOMPARE(receiver.requests().first().method, QByteArray("POST"));
    }

    void scheme_signsAndReplacesInPlace()
    {
        RawHttpReceiver receiver;
        const QString bodyFile = writeFile(QStringLiteral("dbt.json"), dbtBody);
        const ProcessResult result = runWhileServing(
            args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url(QStringLiteral("/dbt")),
                QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"), QStringLiteral("-H"),
                QStringLiteral("authorization: stale"), QStringLiteral("-H"), QStringLiteral("X-After: 1"),
                QStringLiteral("--scheme"), QStringLiteral("dbt-cloud"), QStringLiteral("--secret"),
                QStringLiteral("send-secret-123"), QStringLiteral("--body-file"), bodyFile}));
        QCOMPARE(result.exitCode, 0);
        QVERIFY(!result.out.contains("send-secret-123") && !result.err.contains("send-secret-123"));
        const ReceivedRequest &request = receiver.requests().first();
        QCOMPARE(request.body, dbtBody);
        const HeaderList headers = parsedHeaders(request);
        QCOMPARE(headers.at(2).name, QByteArray("authorization")); // the given spelling and place
        QCOMPARE(headers.at(3), (HttpHeader {"X-After", "1"}));
        const auto dbt = createBuiltinScheme(u"dbt-cloud");
        const VerificationResult verdict = dbt->verify(headers, request.body, {"send-secret-123"}, {});
        QVERIFY2(verdict.isValid(), qPrintable(verdict.reason));
    }

    void scheme_secretFromTheEnvironment()
    {
        RawHttpReceiver receiver;
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("WEBHOOK_KEY"), QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        const ProcessResult result
            = runWhileServing(args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url(),
                                  QStringLiteral("--scheme"), QStringLiteral("svix")}),
                dbtBody, environment);
        QCOMPARE(result.exitCode, 0);
        const HeaderList headers = parsedHeaders(receiver.requests().first());
        VerifyOptions now;
        now.now = QDateTime::currentSecsSinceEpoch();
        const VerificationResult verdict
            = createBuiltinScheme(u"standard-webhooks")
                  ->verify(headers, dbtBody, {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, now);
        QVERIFY2(verdict.isValid(), qPrintable(verdict.reason));

        // Without --scheme the same environment does not sign.
        const ProcessResult unsigned_ = runWhileServing(
            args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url()}), dbtBody, environment);
        QCOMPARE(unsigned_.exitCode, 0);
        QVERIFY(!receiver.requests().last().raw.contains("webhook-signature"));
    }

    void nonSuccessStatus_exitsOne()
    {
        RawHttpReceiver receiver;
        receiver.answerWith(RawHttpReceiver::okResponse("boom", 500, "Internal Server Error"));
        const ProcessResult result
            = runWhileServing(args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url()}), "x");
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.out.startsWith("HTTP/1.1 500 Internal Server Error\n"));
        QVERIFY(result.out.endsWith("\n\nboom"));
        QCOMPARE(result.err, QByteArray("hookbench send: the server answered 500 Internal Server Error\n"));
    }

    void networkFailures_exitThree_data()
    {
        QTest::addColumn<QString>("behaviour");
        QTest::addColumn<QString>("expected"); // the stderr line, %1 = port
        QTest::newRow("refused") << "refused"
                                 << "hookbench send: connection refused by 127.0.0.1:%1\n";
        QTest::newRow("timeout") << "hold"
                                 << "hookbench send: timed out after 1 s waiting for a response from 127.0.0.1:%1\n";
        QTest::newRow("garbage")
            << "garbage"
            << "hookbench send: bad response from 127.0.0.1:%1: the response does not start with an "
               "HTTP/1.x status line (got \"garbage\")\n";
    }
    void networkFailures_exitThree()
    {
        QFETCH(QString, behaviour);
        QFETCH(QString, expected);
        RawHttpReceiver receiver;
        quint16 port = receiver.port();
        if (behaviour == u"refused")
            port = closedPort();
        else if (behaviour == u"hold")
            receiver.holdRequests();
        else
            receiver.answerWith("garbage\r\n\r\n", true);
        const ProcessResult result = runWhileServing(
            args({QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:%1/").arg(port),
                QStringLiteral("--timeout"), QStringLiteral("1")}),
            "x");
        QCOMPARE(result.exitCode, 3);
        QVERIFY(result.out.isEmpty());
        QCOMPARE(QString::fromUtf8(result.err), expected.arg(port));
    }

    void tls_certificateErrorsNeedInsecure()
    {
        QString error;
        const QSslConfiguration tls = selfSignedServerConfiguration(&error);
        QVERIFY2(!tls.isNull(), qPrintable(error));
        RawHttpReceiver receiver(tls);

        const ProcessResult strict
            = runWhileServing(args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url()}), "x");
        QCOMPARE(strict.exitCode, 3);
        QVERIFY(strict.out.isEmpty());
        const QByteArray prefix
            = "hookbench send: TLS certificate of 127.0.0.1:" + QByteArray::number(receiver.port()) + " rejected: ";
        QVERIFY2(strict.err.startsWith(prefix), strict.err.constData());
        QVERIFY(strict.err.endsWith("(--insecure ignores certificate errors)\n"));
        QCOMPARE(strict.err.count('\n'), 1);
        QCOMPARE(receiver.requests().size(), 0);

        const ProcessResult insecure = runWhileServing(
            args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url(), QStringLiteral("--insecure")}), "x");
        QCOMPARE(insecure.exitCode, 0);
        QCOMPARE(receiver.requests().size(), 1);
    }

    void json_isOneObject()
    {
        RawHttpReceiver receiver;
        receiver.answerWith(QByteArray("HTTP/1.1 202 Accepted\r\nX-Dup: 1\r\nX-Dup: 2\r\nContent-Length: 3\r\n\r\n")
            + QByteArray("\xff\x00\x01", 3));
        const ProcessResult result = runWhileServing(
            args({QStringLiteral("send"), QStringLiteral("--to"), receiver.url(), QStringLiteral("--json")}), "x");
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.count('\n'), 1);
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json.value(u"status").toInt(), 202);
        QCOMPARE(json.value(u"reason").toString(), QStringLiteral("Accepted"));
        QCOMPARE(json.value(u"method").toString(), QStringLiteral("POST"));
        QCOMPARE(json.value(u"url").toString(), receiver.url());
        const QJsonArray headers = json.value(u"headers").toArray();
        QCOMPARE(headers.size(), 3);
        QCOMPARE(headers.at(1).toObject().value(u"value").toString(), QStringLiteral("2"));
        QCOMPARE(json.value(u"bodyEncoding").toString(), QStringLiteral("base64"));
        QCOMPARE(QByteArray::fromBase64(json.value(u"body").toString().toLatin1()), QByteArray("\xff\x00\x01", 3));
        QCOMPARE(json.value(u"bodySize").toInt(), 3);
        QVERIFY(json.value(u"timeToFirstByteUs").toInteger() >= 0);
        QVERIFY(json.value(u"totalUs").toInteger() >= json.value(u"timeToFirstByteUs").toInteger());
        QVERIFY(json.value(u"error").isNull());

        const quint16 port = closedPort();
        const ProcessResult refused
            = runWhileServing(args({QStringLiteral("send"), QStringLiteral("--to"),
                                  QStringLiteral("http://127.0.0.1:%1/").arg(port), QStringLiteral("--json")}),
                "x");
        QCOMPARE(refused.exitCode, 3);
        const QJsonObject failed = QJsonDocument::fromJson(refused.out).object();
        QVERIFY(failed.value(u"status").isNull());
        QCOMPARE(failed.value(u"error").toObject().value(u"kind").toString(), QStringLiteral("refused"));
        QCOMPARE(failed.value(u"error").toObject().value(u"message").toString(),
            QStringLiteral("connection refused by 127.0.0.1:%1").arg(port));
    }

    void usageErrors_exitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString to = QStringLiteral("http://127.0.0.1:9/");
        QTest::newRow("no --to") << QStringList {} << "--to URL is required";
        QTest::newRow("bad --to") << QStringList {QStringLiteral("--to"), QStringLiteral("localhost:8080")}
                                  << "--to must be an http:// or https:// URL";
        QTest::newRow("bad header") << QStringList {QStringLiteral("--to"), to, QStringLiteral("-H"),
            QStringLiteral("nocolon")}
                                    << "malformed header \"nocolon\"";
        QTest::newRow("bad method") << QStringList {QStringLiteral("--to"), to, QStringLiteral("-X"),
            QStringLiteral("GE T")} << "-X \"GE T\" is not a valid HTTP method";
        QTest::newRow("bad timeout") << QStringList {QStringLiteral("--to"), to, QStringLiteral("--timeout"),
            QStringLiteral("0")} << "--timeout must be a number of seconds";
        QTest::newRow("secret without scheme") << QStringList {QStringLiteral("--to"), to, QStringLiteral("--secret"),
            QStringLiteral("***")} << "--secret needs --scheme";
        QTest::newRow("unknown scheme") << QStringList {QStringLiteral("--to"), to, QStringLiteral("--scheme"),
            QStringLiteral("twilio"), QStringLiteral("--secret"), QStringLiteral("s")}
                                        << "unknown scheme \"twilio\"";
        QTest::newRow("scheme without secret") << QStringList {QStringLiteral("--to"), to, QStringLiteral("--scheme"),
            QStringLiteral("github")} << "no secret";
        QTest::newRow("unusable secret") << QStringList {QStringLiteral("--to"), to, QStringLiteral("--scheme"),
            QStringLiteral("standard-webhooks"), QStringLiteral("--secret"), QStringLiteral("whsec_***")}
                                         << "not base64";
        QTest::newRow("missing body file") << QStringList {QStringLiteral("--to"), to, QStringLiteral("--body-file"),
            QStringLiteral("/nonexistent/body.json")}
                                           << "can't read body file /nonexistent/body.json";
        QTest::newRow("stray argument") << QStringList {QStringLiteral("--to"), to, QStringLiteral("extra")}
                                        << "unexpected argument \"extra\"";
    }
    void usageErrors_exitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const ProcessResult result = runHookbench(QStringList {QStringLiteral("send")} + arguments, "x");
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.startsWith("hookbench send: "), result.err.constData());
        QVERIFY2(result.err.contains(message.toUtf8()), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY(!result.err.contains("***"));
    }

    void help_describesTheCommand()
    {
        const ProcessResult help = runHookbench({QStringLiteral("send"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.startsWith("Usage: hookbench send --to URL"));
        for (const char *option : {"--insecure", "--timeout", "--scheme", "--max-redirects", "--json"})
            QVERIFY2(help.out.contains(option), option);
        QVERIFY(runHookbench({QStringLiteral("--help")}).out.contains("send"));
    }
};

QTEST_GUILESS_MAIN(TestSendCommand)
#include "tst_sendcommand.moc"
