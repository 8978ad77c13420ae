// `hookbench replay` through the built binary: stored captures sent again byte for byte to a
// receiver in this process, re-signed when asked, attempts stored, exit codes and messages.
#include "hookbenchprocess.h"
#include "rawhttpreceiver.h"

#include "signing/schemeregistry.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

ProcessResult runWhileServing(const QStringList &arguments, const QProcessEnvironment &environment = cleanEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(HOOKBENCH_BINARY), arguments);
    ProcessResult result;
    if (!process.waitForStarted(60000))
        return result;
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

const QByteArray dbtSecret = QByteArrayLiteral("replay-secret-123");

} // namespace

class TestReplayCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    QList<qint64> m_ids; // dbt, binary, custom verb

    qint64 storeCapture(CaptureWriter &writer, const Capture &capture)
    {
        qint64 id = 0;
        QString error;
        bool done = false;
        QObject context;
        writer.submit(capture, &context, [&](qint64 newId, const QString &why) {
            id = newId;
            error = why;
            done = true;
        });
        if (!QTest::qWaitFor([&done] { return done; }, 30000) || id <= 0)
            qWarning("storing a capture failed: %s", qPrintable(error));
        return id;
    }

    QStringList replay(const QStringList &extra) const
    {
        return QStringList {QStringLiteral("replay"), QStringLiteral("--store"), m_store} + extra;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(QStringLiteral("captures.sqlite"));
        StoreOptions options;
        options.path = m_store;
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));

        Capture dbt;
        dbt.method = "POST";
        dbt.target = "/hooks/dbt?source=%7ecloud";
        dbt.body = "{\"eventType\":\"job.run.completed\",\"data\":{\"runStatus\":\"Success\",\"n\":1.10}}";
        dbt.headers = {{"Host", "capture.test:5000"}, {"content-type", "application/json"},
            {"Authorization", createBuiltinScheme(u"dbt-cloud")->sign(dbt.body, "old-secret").first().value},
            {"Connection", "keep-alive"}, {"Content-Length", QByteArray::number(dbt.body.size())}, {"X-Dup", "a"},
            {"x-dup", "b"}};
        m_ids.append(storeCapture(writer, dbt));

        Capture binary;
        binary.method = "PUT";
        binary.target = "/bin";
        binary.body = QByteArray("\x00\xff\r\n\x7f", 5);
        binary.headers = {{"Transfer-Encoding", "chunked"}, {"Content-Type", "application/octet-stream"}};
        m_ids.append(storeCapture(writer, binary));

        Capture custom;
        custom.method = "PURGE";
        custom.target = "/cache/item";
        custom.headers = {{"X-Reason", "test"}};
        m_ids.append(storeCapture(writer, custom));
        writer.flush();
        QVERIFY(!m_ids.contains(0));
    }

    void store_readsManyCapturesInOrder()
    {
        CaptureStore store;
        StoreOptions options;
        options.path = m_store;
        QString error;
        QVERIFY2(store.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        const QList<Capture> captures = store.captures({m_ids.at(2), 999999, m_ids.at(0), m_ids.at(2)}, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(captures.size(), 3);
        QCOMPARE(captures.at(0).id, m_ids.at(2));
        QCOMPARE(captures.at(1).id, m_ids.at(0));
        QCOMPARE(captures.at(2).id, m_ids.at(2));
        const Capture one = *store.capture(m_ids.at(0));
        QCOMPARE(captures.at(1).headers, one.headers);
        QCOMPARE(captures.at(1).body, one.body);
        QCOMPARE(captures.at(1).target, one.target);
        QVERIFY(store.captures({}).isEmpty());
    }

    void replay_sendsEachCaptureByteExact()
    {
        RawHttpReceiver receiver;
        const QString origin = QString::fromLatin1(receiver.origin());
        const ProcessResult result = runWhileServing(
            replay({QString::number(m_ids.at(0)), QString::number(m_ids.at(1)), QString::number(m_ids.at(2)),
                QStringLiteral("--to"), origin, QStringLiteral("--concurrency"), QStringLiteral("1")}));
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.isEmpty(), result.err.constData());
        QCOMPARE(receiver.requests().size(), 3);
        const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(receiver.port()) + "\r\n";

        CaptureStore store;
        StoreOptions options;
        options.path = m_store;
        QString error;
        QVERIFY2(store.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        const Capture dbt = *store.capture(m_ids.at(0));
        QCOMPARE(receiver.requests().at(0).raw,
            "POST /hooks/dbt?source=%7ecloud HTTP/1.1\r\n" + host + "content-type: application/json\r\nAuthorization: "
                + headerValue(dbt.headers, "Authorization") + "\r\nX-Dup: a\r\nx-dup: b\r\nContent-Length: "
                + QByteArray::number(dbt.body.size()) + "\r\n\r\n" + dbt.body);
        QCOMPARE(receiver.requests().at(1).raw,
            "PUT /bin HTTP/1.1\r\n" + host + "Content-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\n"
                + QByteArray("\x00\xff\r\n\x7f", 5));
        QCOMPARE(receiver.requests().at(2).raw, "PURGE /cache/item HTTP/1.1\r\n" + host + "X-Reason: test\r\n\r\n");

        // One line per attempt, and each attempt stored with its capture.
        const QList<QByteArray> lines = result.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (qsizetype i = 0; i < 3; ++i) {
            QVERIFY2(lines.at(i).startsWith(QByteArray("capture " + QByteArray::number(m_ids.at(i)) + ": 200 OK in ")),
                lines.at(i).constData());
            const QList<Attempt> attempts = store.attempts(m_ids.at(i), &error);
            QVERIFY(!attempts.isEmpty());
            const Attempt &last = attempts.last();
            QCOMPARE(last.kind, Attempt::Kind::Replay);
            QCOMPARE(last.status, 200);
            QCOMPARE(last.request.method, receiver.requests().at(i).method);
            QVERIFY(lines.at(i).endsWith(QByteArray("(attempt " + QByteArray::number(last.id) + ')')));
        }
    }

    void resign_givesFreshValidSignatures()
    {
        RawHttpReceiver receiver;
        const ProcessResult result = runWhileServing(
            replay({QString::number(m_ids.at(0)), QStringLiteral("--to"), receiver.url(QStringLiteral("/elsewhere")),
                QStringLiteral("--resign"), QStringLiteral("--scheme"), QStringLiteral("dbt-cloud"),
                QStringLiteral("--secret"), QString::fromLatin1(dbtSecret), QStringLiteral("--json")}));
        QCOMPARE(result.exitCode, 0);
        QVERIFY(!result.out.contains(dbtSecret) && !result.err.contains(dbtSecret));
        const ReceivedRequest &request = receiver.requests().first();
        QCOMPARE(request.target, QByteArray("/elsewhere")); // --to with a path: exactly there
        const HeaderList headers = parsedHeaders(request);
        QCOMPARE(headers.at(2).name, QByteArray("Authorization")); // in its place
        const VerificationResult verdict
            = createBuiltinScheme(u"dbt-cloud")->verify(headers, request.body, {dbtSecret}, {});
        QVERIFY2(verdict.isValid(), qPrintable(verdict.reason));

        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json.value(u"captureId").toInteger(), m_ids.at(0));
        QCOMPARE(json.value(u"status").toInt(), 200);
        QVERIFY(json.value(u"attemptId").toInteger() > 0);
    }

    void exitCodes_andMessages()
    {
        RawHttpReceiver receiver;
        receiver.setHandler([](QTcpSocket *socket, const ReceivedRequest &request) {
            socket->write(request.method == "PUT" ? RawHttpReceiver::okResponse("no", 500, "Internal Server Error")
                                                  : RawHttpReceiver::okResponse());
        });
        const QString origin = QString::fromLatin1(receiver.origin());
        const QString range = QStringLiteral("%1-%2").arg(m_ids.first()).arg(m_ids.last());
        const ProcessResult mixed = runWhileServing(replay({range, QStringLiteral("--to"), origin}));
        QCOMPARE(mixed.exitCode, 1);
        QVERIFY2(mixed.err.contains(QByteArray("capture " + QByteArray::number(m_ids.at(1))
                     + ": the server answered 500 Internal Server Error\n")),
            mixed.err.constData());
        QVERIFY(mixed.err.contains("2 of 3 answered 2xx (500: 1)"));

        const quint16 port = closedPort();
        const ProcessResult refused = runWhileServing(replay(
            {QString::number(m_ids.at(0)), QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:%1").arg(port)}));
        QCOMPARE(refused.exitCode, 3);
        QCOMPARE(refused.err,
            "hookbench replay: capture " + QByteArray::number(m_ids.at(0))
                + ": connection refused by 127.0.0.1:" + QByteArray::number(port) + '\n');
        CaptureStore store;
        StoreOptions options;
        options.path = m_store;
        QVERIFY(store.open(options, CaptureStore::Missing::Fail, nullptr));
        const Attempt last = store.attempts(m_ids.at(0)).last();
        QCOMPARE(last.failure, Attempt::Failure::Refused); // failed attempts are stored too
    }

    void usageErrors_exitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no ids") << QStringList {QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:9")}
                                << "give the ids";
        QTest::newRow("bad id") << QStringList {QStringLiteral("abc"), QStringLiteral("--to"),
            QStringLiteral("http://127.0.0.1:9")}
                                << "\"abc\" is not a capture id";
        QTest::newRow("unknown id") << QStringList {QStringLiteral("999999"), QStringLiteral("--to"),
            QStringLiteral("http://127.0.0.1:9")}
                                    << "no capture 999999 in";
        QTest::newRow("scheme without resign") << QStringList {QStringLiteral("1"), QStringLiteral("--to"),
            QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--scheme"), QStringLiteral("github")}
                                               << "--scheme needs --resign";
        QTest::newRow("resign without secret") << QStringList {QStringLiteral("1"), QStringLiteral("--to"),
            QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--resign")}
                                               << "no secret";
        QTest::newRow("bad concurrency") << QStringList {QStringLiteral("1"), QStringLiteral("--to"),
            QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--concurrency"), QStringLiteral("0")}
                                         << "--concurrency must be an integer from 1 to 256";
    }
    void usageErrors_exitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const ProcessResult result = runHookbench(replay(arguments));
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.startsWith("hookbench replay: "), result.err.constData());
        QVERIFY2(result.err.contains(message.toUtf8()), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
    }

    void missingStore_isAnErrorAndNotCreated()
    {
        const QString path = m_dir.filePath(QStringLiteral("absent.sqlite"));
        const ProcessResult result = runHookbench({QStringLiteral("replay"), QStringLiteral("1"),
            QStringLiteral("--store"), path, QStringLiteral("--to"), QStringLiteral("http://127.0.0.1:9")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestReplayCommand)
#include "tst_replaycommand.moc"
