#include "hookbenchprocess.h"
#include "listenprocess.h"
#include "rawhttpclient.h"

#include "listener/tlsidentity.h"
#include "signing/hmac.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray secret = QByteArrayLiteral("dbt-secret-4f1c7e0a9b");
const QByteArray dbtBody = QByteArrayLiteral(
    R"({"accountId":1,"webhookId":"wsu_12345abcde","eventId":"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z","timestamp":"2023-01-31T19:28:15.742843678Z","eventType":"job.run.started","webhookName":"test","data":{"jobId":"123","runId":"12345","runStatus":"Running","runStatusCode":3}})");

QByteArray dbtSignature(const QByteArray &body, const QByteArray &key)
{
    return hmac(MacAlgorithm::Sha256, key, {body}).toHex();
}

QProcessEnvironment environmentWithSecret()
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("DBT_SECRET"), QString::fromUtf8(secret));
    return environment;
}

// Blocking POSIX client for the flood of bytes: the listener runs in another process, so
// nothing here needs the event loop.
int connectBlocking(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One request and its answer over a blocking socket; the status, or 0 when the connection failed.
int exchangeBlocking(int fd, const QByteArray &request)
{
    if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) != ssize_t(request.size()))
        return 0;
    QByteArray answer;
    char buffer[4096];
    for (;;) {
        const qsizetype end = answer.indexOf("\r\n\r\n");
        if (end >= 0) {
            const qsizetype lengthAt = answer.indexOf("Content-Length: ");
            const qsizetype length = lengthAt < 0
                ? 0
                : answer.mid(lengthAt + 16, answer.indexOf('\r', lengthAt) - lengthAt - 16).toLongLong();
            if (answer.size() >= end + 4 + length)
                return answer.mid(9, 3).toInt();
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return 0;
        answer.append(buffer, n);
    }
}

} // namespace

class TestListenCommand : public QObject
{
    Q_OBJECT

private slots:
    void textMode_printsSignatureBodyComputedValidityAndAccessLine()
    {
        ListenProcess listen({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--secret-env"),
                                 QStringLiteral("DBT_SECRET")},
            environmentWithSecret());
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        QVERIFY(listen.out().contains("dbt Cloud signatures, 1 secret"));

        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        const QByteArray signature = dbtSignature(dbtBody, secret);
        client.send(post("/dbt/hook?source=%2Fcloud", dbtBody, "Authorization: " + signature + "\r\n"));
        QVERIFY(client.nextReply());
        const QByteArray wrong = dbtSignature(dbtBody, "another-secret");
        client.send(post("/dbt/hook", dbtBody, "Authorization: " + wrong + "\r\n"));
        QVERIFY(client.nextReply());
        client.send(post("/dbt/hook", "{}"));
        QVERIFY(client.nextReply());
        QVERIFY(listen.waitForOutput("\"POST /dbt/hook\" 200 2B #3 unsigned"));

        const QByteArray out = listen.out();
        QVERIFY(out.contains(QByteArray("Received signature (Authorization): " + signature + "\n")));
        QVERIFY(out.contains(QByteArray("Body: " + dbtBody + "\n")));
        QVERIFY(out.contains(QByteArray("Computed signature: " + signature + "\n")));
        QVERIFY(out.contains("Valid: yes\n"));
        QVERIFY(out.contains("dbt Cloud event: job.run.started (run 12345, payload check: "));
        QVERIFY(out.contains(QByteArray(
            " \"POST /dbt/hook?source=%2Fcloud\" 200 " + QByteArray::number(dbtBody.size()) + "B #1 valid\n")));
        QVERIFY(out.contains(QByteArray("Received signature (Authorization): " + wrong + "\n")));
        QVERIFY(out.contains("Valid: no — The dbt Cloud signature does not match the body signed with the secret."));
        QVERIFY(out.contains("Received signature (Authorization): (absent)\n"));
        QVERIFY(!out.contains(secret));
        QVERIFY(!listen.err().contains(secret));

        listen.signal(SIGINT);
        QCOMPARE(listen.waitExit(), 0);
    }

    void jsonMode_printsOneObjectPerCapture()
    {
        ListenProcess listen(
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--json"), QString::fromUtf8(secret)});
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        QVERIFY(listen.out().isEmpty()); // the banner goes to stderr: stdout is pure JSON lines

        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/one", dbtBody, "Authorization: " + dbtSignature(dbtBody, secret) + "\r\n"));
        QVERIFY(client.nextReply());
        client.send("PURGE /two?x=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        QVERIFY(client.nextReply());
        QVERIFY(QTest::qWaitFor([&] { return listen.out().count('\n') == 2; }, 10000));

        const QList<QByteArray> lines = listen.out().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
        QCOMPARE(first.value(u"id").toInteger(), 1);
        QCOMPARE(first.value(u"method").toString(), QStringLiteral("POST"));
        QCOMPARE(first.value(u"target").toString(), QStringLiteral("/one"));
        QCOMPARE(first.value(u"size").toInteger(), dbtBody.size());
        QCOMPARE(first.value(u"verdict").toString(), QStringLiteral("valid"));
        QCOMPARE(first.value(u"dbtEventType").toString(), QStringLiteral("job.run.started"));
        QVERIFY(!first.value(u"reason").toString().isEmpty());
        QVERIFY(first.value(u"time").toString().endsWith(u'Z'));
        const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
        QCOMPARE(second.value(u"method").toString(), QStringLiteral("PURGE"));
        QCOMPARE(second.value(u"target").toString(), QStringLiteral("/two?x=1"));
        QCOMPARE(second.value(u"verdict").toString(), QStringLiteral("unsigned"));
        QVERIFY(!listen.out().contains(secret));
        QVERIFY(!listen.err().contains(secret));

        listen.signal(SIGTERM);
        QCOMPARE(listen.waitExit(), 0);
    }

    void quietMode_printsNothingPerRequest_andNoSecretStillCaptures()
    {
        ListenProcess listen({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")});
        const quint16 port = listen.waitListening();
        QVERIFY(port);
        QVERIFY(listen.err().contains("no secret: captures are not checked"));
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/q", "x"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        listen.signal(SIGTERM);
        QCOMPARE(listen.waitExit(), 0);
        QVERIFY(listen.out().isEmpty());
    }

    void sigterm_finishesPendingAnswersBeforeExiting()
    {
        ListenProcess listen(
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--respond-delay"), QStringLiteral("1500")});
        const quint16 port = listen.waitListening();
        QVERIFY(port);
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/pending", "please answer me"));
        QVERIFY(listen.waitForOutput("\"POST /pending\" 200")); // stored; the answer waits 1.5 s
        listen.signal(SIGTERM);
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->body, QByteArray(R"({"status":"ok"})"));
        QCOMPARE(listen.waitExit(), 0);
        QVERIFY(listen.out().contains("Stopped after 1 capture."));
    }

    void oversizeFlood_gets413_memoryStaysBounded()
    {
        ListenProcess listen({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet"),
            QStringLiteral("--max-body"), QStringLiteral("1048576")});
        const quint16 port = listen.waitListening();
        QVERIFY(port);
        const qint64 before = listen.residentKiB();
        QVERIFY(before > 0);

        // 200 MB announced and sent; the listener answers 413 after the head and throws the rest away.
        const qint64 total = 200LL * 1000 * 1000;
        const int fd = connectBlocking(port);
        QVERIFY(fd >= 0);
        const QByteArray head = "POST /flood HTTP/1.1\r\nContent-Length: " + QByteArray::number(total) + "\r\n\r\n";
        QCOMPARE(::send(fd, head.constData(), size_t(head.size()), MSG_NOSIGNAL), ssize_t(head.size()));
        const QByteArray block(256 * 1024, 'z');
        qint64 sent = 0;
        qint64 peak = before;
        int blocks = 0;
        while (sent < total) {
            const ssize_t n
                = ::send(fd, block.constData(), size_t(qMin<qint64>(block.size(), total - sent)), MSG_NOSIGNAL);
            if (n <= 0)
                break;
            sent += n;
            if (++blocks % 64 == 0)
                peak = qMax(peak, listen.residentKiB());
        }
        QByteArray answer;
        char buffer[4096];
        ssize_t n = 0;
        while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
            answer.append(buffer, n);
        ::close(fd);
        QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.left(200).constData());
        QVERIFY(answer.contains("exceeds the limit of 1048576 bytes"));
        peak = qMax(peak, listen.residentKiB());
        qInfo("resident before %lld KiB, peak while flooded %lld KiB, sent %lld MB", before, peak, sent / 1000000);
        QCOMPARE(sent, total); // read to the end and thrown away, not refused with a reset
        QVERIFY2(peak - before < 16 * 1024, qPrintable(QStringLiteral("grew by %1 KiB").arg(peak - before)));

        QVERIFY(listen.isRunning());
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/after", "still here"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
    }

    void tls_printsTheFingerprintOfTheCertificateItServes()
    {
        ListenProcess listen({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls")});
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        QVERIFY(listen.out().contains("Listening on https://127.0.0.1:"));
        static const QRegularExpression pattern(QStringLiteral("fingerprint: ([0-9A-F:]{95})"));
        const auto match = pattern.match(QString::fromUtf8(listen.out()));
        QVERIFY(match.hasMatch());
        RawHttpClient client(port, true);
        QVERIFY(client.waitConnected());
        QCOMPARE(sha256Fingerprint(client.sslSocket()->peerCertificate()), match.captured(1));
        client.send(post("/tls", "x"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
    }

    void anyAddress_warnsOnStderr()
    {
        ListenProcess listen(
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"), QStringLiteral("0.0.0.0")});
        QVERIFY(listen.waitListening());
        QVERIFY(QTest::qWaitFor([&] { return listen.err().contains("warning"); }, 5000));
        QVERIFY(listen.err().contains("hookbench listen: warning: listening on 0.0.0.0:"));
        QVERIFY(listen.err().contains("every machine on your networks"));
    }

    void portInUse_exits3WithOneLine()
    {
        ListenProcess first({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")});
        const quint16 port = first.waitListening();
        QVERIFY(port);
        QTemporaryDir directory;
        const ProcessResult second
            = runHookbench({QStringLiteral("listen"), QStringLiteral("--port"), QString::number(port),
                               QStringLiteral("--store"), directory.filePath(QStringLiteral("other.sqlite"))},
                {}, isolatedEnvironment(directory));
        QCOMPARE(second.exitCode, 3);
        QCOMPARE(second.err.count('\n'), 1);
        QVERIFY(second.err.startsWith("hookbench listen: can't listen on 127.0.0.1:"));
        QVERIFY(second.err.contains("already in use"));
    }

    void captures_storedByteExact_inTheirSession()
    {
        ListenProcess listen({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet"),
            QStringLiteral("--session"), QStringLiteral("demo 2026-12-01")});
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());
        QVERIFY(listen.err().contains("session \"demo 2026-12-01\""));
        const QByteArray binary("\0\xff\r\n{\"a\":1.10}\0", 14);
        RawHttpClient client(port);
        QVERIFY(client.waitConnected());
        client.send(post("/bin?x=%2F", binary, "X-Dup: 1\r\nx-dup: 2\r\n"));
        QVERIFY(client.nextReply());
        client.send("PURGE /cache HTTP/1.1\r\n\r\n");
        QVERIFY(client.nextReply());

        const ProcessResult list = listen.captures({QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.exitCode, 0);
        const QList<QByteArray> lines = list.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject newest = QJsonDocument::fromJson(lines.at(0)).object();
        const QJsonObject oldest = QJsonDocument::fromJson(lines.at(1)).object();
        QCOMPARE(newest.value(u"method").toString(), QStringLiteral("PURGE"));
        QCOMPARE(oldest.value(u"target").toString(), QStringLiteral("/bin?x=%2F"));
        QCOMPARE(oldest.value(u"session").toString(), QStringLiteral("demo 2026-12-01"));
        QCOMPARE(oldest.value(u"responseStatus").toInt(), 200);

        const ProcessResult body = listen.captures(
            {QStringLiteral("show"), QString::number(oldest.value(u"id").toInteger()), QStringLiteral("--body")});
        QCOMPARE(body.exitCode, 0);
        QCOMPARE(body.out, binary);
        const ProcessResult show = listen.captures(
            {QStringLiteral("show"), QString::number(oldest.value(u"id").toInteger()), QStringLiteral("--json")});
        QVERIFY(show.out.contains("X-Dup"));
        QVERIFY(show.out.contains("x-dup"));
    }

    void killDashNine_duringAFlood_everyAnsweredRequestIsStored()
    {
        ListenProcess listen({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")});
        const quint16 port = listen.waitListening();
        QVERIFY2(port, listen.err().constData());

        constexpr int clients = 6;
        std::atomic<int> answered {0};
        std::atomic<bool> stop {false};
        std::vector<QList<QByteArray>> acknowledged(clients);
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, c] {
                const int fd = connectBlocking(port);
                if (fd < 0)
                    return;
                for (int n = 0; !stop; ++n) {
                    const QByteArray target = "/flood/" + QByteArray::number(c) + "/" + QByteArray::number(n);
                    const int status = exchangeBlocking(fd, post(target, "delivery " + target));
                    if (status == 0)
                        break; // the listener is gone
                    if (status >= 200 && status < 300) {
                        acknowledged[size_t(c)].append(target);
                        ++answered;
                    }
                }
                ::close(fd);
            });
        }
        // Kill mid-flood, once a good number of deliveries were acknowledged (however long a busy
        // machine takes to get there).
        for (int i = 0; i < 12000 && answered < 600; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        listen.signal(SIGKILL);
        QTest::qWait(200);
        stop = true;
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(listen.waitExit(), -1); // killed, not exited

        const ProcessResult list = listen.captures(
            {QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("0")});
        QCOMPARE(list.exitCode, 0);
        QSet<QString> stored;
        for (const QByteArray &line : list.out.trimmed().split('\n'))
            stored.insert(QJsonDocument::fromJson(line).object().value(u"target").toString());
        int checked = 0;
        for (const QList<QByteArray> &targets : acknowledged) {
            for (const QByteArray &target : targets) {
                QVERIFY2(stored.contains(QString::fromLatin1(target)), target.constData());
                ++checked;
            }
        }
        qInfo("%d acknowledged deliveries, %lld captures in the store after kill -9", checked, qint64(stored.size()));
        QVERIFY(checked >= 100);
    }

    void unusableStore_exits2WithOneLine()
    {
        QTemporaryDir directory;
        QFile blocker(directory.filePath(QStringLiteral("not-a-directory")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const ProcessResult result
            = runHookbench({QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("0"),
                               QStringLiteral("--store"), blocker.fileName() + QStringLiteral("/captures.sqlite")},
                {}, isolatedEnvironment(directory));
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY2(result.err.startsWith("hookbench listen: can't open the capture store"), result.err.constData());
    }

    void usageErrors_exit2WithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("json and quiet") << QStringList {QStringLiteral("--json"), QStringLiteral("--quiet")}
                                        << QByteArray("--json and --quiet exclude each other");
        QTest::newRow("bad bind") << QStringList {QStringLiteral("--bind"), QStringLiteral("example.com")}
                                  << QByteArray("--bind needs an IP address");
        QTest::newRow("bad port") << QStringList {QStringLiteral("--port"), QStringLiteral("70000")}
                                  << QByteArray("--port must be an integer from 0 to 65535");
        QTest::newRow("cert without key") << QStringList {QStringLiteral("--cert"), QStringLiteral("/dev/null")}
                                          << QByteArray("--cert and --key go together");
        QTest::newRow("unknown scheme") << QStringList {QStringLiteral("--scheme"), QStringLiteral("nope")}
                                        << QByteArray("unknown scheme \"nope\"");
        QTest::newRow("status") << QStringList {QStringLiteral("--respond-status"), QStringLiteral("99")}
                                << QByteArray("--respond-status must be an integer from 200 to 599");
        QTest::newRow("two secrets as arguments")
            << QStringList {QStringLiteral("a"), QStringLiteral("b")} << QByteArray("unexpected argument \"b\"");
    }

    void usageErrors_exit2WithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        QTemporaryDir directory;
        const ProcessResult result = runHookbench(QStringList {QStringLiteral("listen")} + arguments
                << QStringLiteral("--store") << directory.filePath(QStringLiteral("c.sqlite")),
            {}, isolatedEnvironment(directory));
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY2(result.err.contains(message), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestListenCommand)
#include "tst_listencommand.moc"
