#include "hookbenchprocess.h"
#include "listenprocess.h"
#include "rawhttpclient.h"
#include "rawhttpreceiver.h"

#include "signing/hmac.h"
#include "signing/schemeregistry.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <csignal>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray listenSecret = QByteArrayLiteral("dbt-listen-secret-0c9e");
const QByteArray forwardSecret = QByteArrayLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QByteArray dbtBody = QByteArrayLiteral(
    R"({"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z","timestamp":"2023-01-31T19:28:15.742843678Z","eventType":"job.run.started","webhookName":"test","data":{"jobId":"123","runId":"12345","runStatus":"Running","runStatusCode":3}})");

QByteArray dbtSignature(const QByteArray &body, const QByteArray &key = listenSecret)
{
    return hmac(MacAlgorithm::Sha256, key, {body}).toHex();
}

QProcessEnvironment secrets()
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("LISTEN_SECRET"), QString::fromUtf8(listenSecret));
    environment.insert(QStringLiteral("FORWARD_SECRET"), QString::fromUtf8(forwardSecret));
    return environment;
}

QStringList listenArguments(const QString &target, const QStringList &more = {})
{
    return QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--secret-env"),
               QStringLiteral("LISTEN_SECRET"), QStringLiteral("--forward-to"), target}
    + more;
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : out.trimmed().split('\n')) {
        if (!line.isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

} // namespace

class TestListenForward : public QObject
{
    Q_OBJECT

private slots:
    void text_showsTheForwardAndTheDiagnosis()
    {
        RawHttpReceiver receiver;
        receiver.answerWith(RawHttpReceiver::okResponse("target ok", 202, "Accepted"));
        ListenProcess listen(listenArguments(receiver.url(QStringLiteral("/in"))), secrets());
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        QVERIFY(listen.out().contains(QByteArray("forwarding to " + receiver.url(QStringLiteral("/in")).toUtf8()
            + " (senders get the listener's "
              "answer; signatures as received)\n")));

        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/dbt", dbtBody, "Authorization: sha256=" + dbtSignature(dbtBody) + "\r\n"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QVERIFY(listen.waitForOutput(" #1 invalid\n"));

        const QByteArray out = listen.out();
        QVERIFY2(out.contains("Diagnosis (most likely first):\n  prefix-mismatch: Authorization"), out.constData());
        QVERIFY2(out.contains(
                     QByteArray("Forwarded to " + receiver.url(QStringLiteral("/in")).toUtf8() + ": 202 Accepted in ")),
            out.constData());
        QVERIFY2(out.contains(", attempt #1\n"), out.constData());
        // The forward's line comes before the access line of its capture.
        QVERIFY(out.indexOf("Forwarded to ") < out.indexOf(" #1 invalid\n"));
        QCOMPARE(receiver.requests().size(), 1);
        QCOMPARE(receiver.requests().first().body, dbtBody);
        QVERIFY(!out.contains(listenSecret));

        const ProcessResult shown
            = listen.captures({QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(shown.exitCode, 0);
        const QJsonObject capture = QJsonDocument::fromJson(shown.out).object();
        QVERIFY2(capture.value(u"verdictReason").toString().contains(u"Most likely: prefix-mismatch: "),
            shown.out.constData());
        const QJsonArray attempts = capture.value(u"attempts").toArray();
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().toObject().value(u"kind").toString(), QStringLiteral("forward"));
        QCOMPARE(attempts.first().toObject().value(u"status").toInt(), 202);

        listen.signal(SIGINT);
        QCOMPARE(listen.waitExit(), 0);
    }

    void json_hasAForwardObject_andReSignedForwardsVerify()
    {
        RawHttpReceiver receiver;
        ListenProcess listen(listenArguments(receiver.url(),
                                 {QStringLiteral("--forward-scheme"), QStringLiteral("standard-webhooks"),
                                     QStringLiteral("--forward-secret-env"), QStringLiteral("FORWARD_SECRET"),
                                     QStringLiteral("--json")}),
            secrets());
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        QVERIFY(listen.err().contains("re-signed for Standard Webhooks"));

        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/dbt?x=1", dbtBody, "Authorization: " + dbtSignature(dbtBody) + "\r\n"));
        QVERIFY(client.nextReply());
        QVERIFY(QTest::qWaitFor([&] { return listen.out().count('\n') == 1; }, 15000));

        const QJsonObject line = jsonLines(listen.out()).first();
        QCOMPARE(line.value(u"verdict").toString(), QStringLiteral("valid"));
        QVERIFY(!line.contains(u"diagnosis"));
        const QJsonObject forward = line.value(u"forward").toObject();
        QCOMPARE(forward.value(u"status").toInt(), 200);
        QCOMPARE(forward.value(u"url").toString(), receiver.url(QStringLiteral("/dbt?x=1")));
        QVERIFY(forward.value(u"totalUs").toInteger() > 0);
        QVERIFY(forward.value(u"attemptId").toInteger() > 0);
        QVERIFY(forward.value(u"error").isNull());

        const ReceivedRequest &sent = receiver.requests().first();
        QCOMPARE(sent.requestLine, QByteArray("POST /dbt?x=1 HTTP/1.1"));
        QCOMPARE(sent.body, dbtBody);
        auto scheme = createBuiltinScheme(u"standard-webhooks");
        VerifyOptions options;
        options.now = QDateTime::currentSecsSinceEpoch();
        const VerificationResult result = scheme->verify(parsedHeaders(sent), sent.body, {forwardSecret}, options);
        QVERIFY2(result.isValid(), qPrintable(result.reason));

        listen.signal(SIGINT);
        QCOMPARE(listen.waitExit(), 0);
        // Neither secret is printed or stored.
        for (const QByteArray &secret : {listenSecret, forwardSecret}) {
            QVERIFY(!listen.out().contains(secret));
            QVERIFY(!listen.err().contains(secret));
            QFile store(listen.storePath());
            QVERIFY(store.open(QIODevice::ReadOnly));
            QVERIFY(!store.readAll().contains(secret));
        }
    }

    void proxy_answersWithTheTarget_or502WhenItIsDown()
    {
        RawHttpReceiver receiver;
        receiver.answerWith("HTTP/1.1 409 Conflict\r\nX-From: target\r\nContent-Length: 9\r\n\r\nduplicate");
        ListenProcess listen(
            listenArguments(receiver.url(), {QStringLiteral("--proxy"), QStringLiteral("--json")}), secrets());
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/p", dbtBody, "Authorization: " + dbtSignature(dbtBody) + "\r\n"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 409);
        QCOMPARE(reply->body, QByteArray("duplicate"));
        QCOMPARE(reply->header("X-From"), QByteArray("target"));
        QVERIFY(QTest::qWaitFor([&] { return listen.out().count('\n') == 1; }, 15000));
        const QJsonObject line = jsonLines(listen.out()).first();
        QCOMPARE(line.value(u"status").toInt(), 409);
        QCOMPARE(line.value(u"forward").toObject().value(u"status").toInt(), 409);
        listen.signal(SIGINT);
        QCOMPARE(listen.waitExit(), 0);

        const QString down = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        ListenProcess proxyDown(
            listenArguments(down, {QStringLiteral("--proxy"), QStringLiteral("--json")}), secrets());
        const quint16 downPort = proxyDown.waitListening();
        QVERIFY2(downPort, proxyDown.err().constData());
        RawHttpClient second(downPort);
        QVERIFY(second.waitConnected());
        second.send(post("/p", "{}"));
        const auto failed = second.nextReply();
        QVERIFY(failed);
        QCOMPARE(failed->status, 502);
        QVERIFY(failed->body.contains("refused"));
        QVERIFY(QTest::qWaitFor([&] { return proxyDown.out().count('\n') == 1; }, 15000));
        const QJsonObject downLine = jsonLines(proxyDown.out()).first();
        QCOMPARE(downLine.value(u"status").toInt(), 502);
        const QJsonObject forward = downLine.value(u"forward").toObject();
        QVERIFY(forward.value(u"status").isNull());
        QCOMPARE(forward.value(u"error").toObject().value(u"kind").toString(), QStringLiteral("refused"));
        const ProcessResult shown
            = proxyDown.captures({QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(shown.out).object().value(u"responseStatus").toInt(), 502);
        proxyDown.signal(SIGINT);
        QCOMPARE(proxyDown.waitExit(), 0);
    }

    void background_targetDown_answersTheSender_andSaysTheForwardFailed()
    {
        const QString down = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        ListenProcess listen(listenArguments(down), secrets());
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/p", "{}"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QVERIFY(listen.waitForOutput(" #1 unsigned\n"));
        QVERIFY2(listen.out().contains(QByteArray("Forwarded to " + down.toUtf8() + "/p: failed (refused): ")),
            listen.out().constData());
        listen.signal(SIGINT);
        QCOMPARE(listen.waitExit(), 0);
    }

    void maxRedirects_followsLocation_orThe302IsTheAnswer_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("reachesTheNewPlace");
        QTest::newRow("followed") << QStringList {QStringLiteral("--forward-max-redirects"), QStringLiteral("2")} << 201
                                  << true;
        QTest::newRow("default") << QStringList {} << 302 << false;
        QTest::newRow("0") << QStringList {QStringLiteral("--forward-max-redirects"), QStringLiteral("0")} << 302
                           << false;
    }

    void maxRedirects_followsLocation_orThe302IsTheAnswer()
    {
        QFETCH(QStringList, options);
        QFETCH(int, status);
        QFETCH(bool, reachesTheNewPlace);
        RawHttpReceiver moved;
        moved.answerWith(RawHttpReceiver::okResponse("moved here", 201, "Created"));
        RawHttpReceiver first;
        first.answerWith("HTTP/1.1 302 Found\r\nLocation: " + moved.origin() + "/new\r\nContent-Length: 0\r\n\r\n");

        ListenProcess listen(listenArguments(first.url(), options << QStringLiteral("--json")), secrets());
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/dbt", dbtBody, "Authorization: " + dbtSignature(dbtBody) + "\r\n"));
        QVERIFY(client.nextReply());
        QVERIFY(QTest::qWaitFor([&] { return listen.out().count('\n') == 1; }, 15000));
        // The attempt records the last answer: the new place's when followed, else the 302.
        QCOMPARE(jsonLines(listen.out()).first().value(u"forward").toObject().value(u"status").toInt(), status);
        QCOMPARE(first.requests().size(), 1);
        QCOMPARE(moved.requests().size(), reachesTheNewPlace ? 1 : 0);
        if (reachesTheNewPlace) {
            // A webhook endpoint that moved still wants the POST and its body.
            QCOMPARE(moved.requests().first().requestLine, QByteArray("POST /new HTTP/1.1"));
            QCOMPARE(moved.requests().first().body, dbtBody);
        }
        listen.signal(SIGINT);
        QCOMPARE(listen.waitExit(), 0);
    }

    void help_describesTheForwardOptions()
    {
        const ProcessResult help = runHookbench({QStringLiteral("listen"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char *option :
            {"--forward-to", "--forward-concurrency", "--forward-queue", "--forward-max-redirects"})
            QVERIFY2(help.out.contains(option), option);
        QVERIFY(help.out.contains("--forward-max-redirects <N>  Follow up to N redirects (0 to 10)"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString url = QStringLiteral("http://127.0.0.1:9/");
        QTest::newRow("--proxy alone") << QStringList {QStringLiteral("--proxy")}
                                       << QStringLiteral("--proxy needs --forward-to");
        QTest::newRow("--forward-timeout alone") << QStringList {QStringLiteral("--forward-timeout"),
            QStringLiteral("3")} << QStringLiteral("--forward-timeout needs --forward-to");
        QTest::newRow("not http") << QStringList {QStringLiteral("--forward-to"), QStringLiteral("ftp://x/y")}
                                  << QStringLiteral("--forward-to must be an http:// or https:// URL with a host");
        QTest::newRow("credentials in the URL")
            << QStringList {QStringLiteral("--forward-to"), QStringLiteral("http://user:pw@127.0.0.1:9/")}
            << QStringLiteral("--forward-to must not carry a user name or password");
        QTest::newRow("scheme without secret") << QStringList {QStringLiteral("--forward-to"), url,
            QStringLiteral("--forward-scheme"), QStringLiteral("github")}
                                               << QStringLiteral("--forward-scheme needs --forward-secret-env VAR");
        QTest::newRow("unknown scheme") << QStringList {QStringLiteral("--forward-to"), url,
            QStringLiteral("--forward-scheme"), QStringLiteral("nope"), QStringLiteral("--forward-secret-env"),
            QStringLiteral("FORWARD_SECRET")}
                                        << QStringLiteral("--forward-scheme: unknown scheme \"nope\"");
        QTest::newRow("unset variable")
            << QStringList {QStringLiteral("--forward-to"), url, QStringLiteral("--forward-secret-env"),
                   QStringLiteral("HOOKBENCH_NOT_SET_ANYWHERE")}
            << QStringLiteral("environment variable HOOKBENCH_NOT_SET_ANYWHERE (--forward-secret-env) is not set");
        QTest::newRow("proxy with an answer option") << QStringList {QStringLiteral("--forward-to"), url,
            QStringLiteral("--proxy"), QStringLiteral("--respond-status"), QStringLiteral("201")}
                                                     << QStringLiteral("--respond-status doesn't apply with --proxy");
        QTest::newRow("bad timeout") << QStringList {QStringLiteral("--forward-to"), url,
            QStringLiteral("--forward-timeout"), QStringLiteral("soon")}
                                     << QStringLiteral("--forward-timeout must be a number of seconds");
        QTest::newRow("--forward-max-redirects alone") << QStringList {QStringLiteral("--forward-max-redirects"),
            QStringLiteral("2")} << QStringLiteral("--forward-max-redirects needs --forward-to");
        QTest::newRow("too many redirects")
            << QStringList {QStringLiteral("--forward-to"), url, QStringLiteral("--forward-max-redirects"),
                   QStringLiteral("11")}
            << QStringLiteral("--forward-max-redirects must be an integer from 0 to 10, not \"11\"");
        QTest::newRow("negative redirects") << QStringList {QStringLiteral("--forward-to"), url,
            QStringLiteral("--forward-max-redirects"),
            QStringLiteral("-1")} << QStringLiteral("--forward-max-redirects must be an integer from 0 to 10");
        QTest::newRow("redirects not a number") << QStringList {QStringLiteral("--forward-to"), url,
            QStringLiteral("--forward-max-redirects"), QStringLiteral("some")}
                                                << QStringLiteral("--forward-max-redirects must be an integer");
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const ProcessResult result = runHookbench(
            QStringList {QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("0")} + arguments, {},
            secrets());
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith(QByteArray("hookbench listen: " + message.toUtf8())), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY(!result.err.contains(forwardSecret));
        QVERIFY(result.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestListenForward)
#include "tst_listenforward.moc"
