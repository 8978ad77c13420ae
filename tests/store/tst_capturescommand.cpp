// `hookbench captures list|show|sessions` through the built binary, on a real store.
#include "hookbenchprocess.h"
#include "storetesting.h"

#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

class TestCapturesCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    qint64 m_json = 0; // a dbt event with an attempt
    qint64 m_binary = 0; // binary body, custom verb, non-UTF-8 target, repeated headers
    qint64 m_demo = 0; // in session "demo 2026-12-01"
    QByteArray m_binaryBody;

    ProcessResult run(QStringList arguments, const QProcessEnvironment &environment = cleanEnvironment())
    {
        return runHookbench(arguments, {}, environment);
    }

    static QList<QByteArray> lines(const QByteArray &out)
    {
        QList<QByteArray> all = out.split('\n');
        if (!all.isEmpty() && all.last().isEmpty())
            all.removeLast();
        return all;
    }

    static bool isOneErrorLine(const QByteArray &err)
    {
        return err.startsWith("hookbench captures: ") && err.endsWith('\n') && err.count('\n') == 1;
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

        Capture json = sampleCapture(1);
        m_json = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(json, c, d); }).id;
        Attempt attempt;
        attempt.captureId = m_json;
        attempt.kind = Attempt::Kind::Replay;
        attempt.startedAtUs = json.receivedAtUs + 5000000;
        attempt.request.url = QUrl(QStringLiteral("http://127.0.0.1:9000/replay"));
        attempt.status = 204;
        QVERIFY(writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.addAttempt(attempt, c, d); }).id > 0);

        QRandomGenerator generator(7);
        m_binaryBody = QByteArray("\0\xff\r\n\x1b[2J", 8);
        for (int i = 0; i < 2 * 1024 * 1024; ++i)
            m_binaryBody += char(generator.bounded(256));
        Capture binary = sampleCapture(2);
        binary.method = "PROPFIND";
        binary.target = "/bin/\xff?q=\x01";
        binary.headers = {{"X-Dup", "1"}, {"x-dup", "2"}, {"X-DUP", "3"}, {"X-Esc", "\x1b[31mred"}};
        binary.body = m_binaryBody;
        binary.verdict = Verdict::Invalid;
        binary.dbtEventType.clear();
        m_binary = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(binary, c, d); }).id;

        const qint64 demoSession = writeAndWait([&](QObject *c, CaptureSink::Done d) {
            writer.createSession(QStringLiteral("demo 2026-12-01"), c, d);
        }).id;
        Capture demo = sampleCapture(3);
        demo.sessionId = demoSession;
        demo.verdict = Verdict::Valid;
        m_demo = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(demo, c, d); }).id;
        QVERIFY(m_json > 0 && m_binary > m_json && m_demo > m_binary);
    }

    void list_printsOneLineEachNewestFirst()
    {
        const ProcessResult result
            = run({QStringLiteral("captures"), QStringLiteral("list"), QStringLiteral("--store"), m_store});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.err, QByteArray());
        const QList<QByteArray> rows = lines(result.out);
        QCOMPARE(rows.size(), 3);
        const QRegularExpression shape(QStringLiteral(
            R"(^\s*(\d+)  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}  (\S+)\s*  (\S+)\s*  \s*(\d+)  (valid|invalid|unsigned|no-secret)$)"));
        QList<qint64> ids;
        for (const QByteArray &row : rows) {
            const auto match = shape.match(QString::fromUtf8(row));
            QVERIFY2(match.hasMatch(), row.constData());
            ids.append(match.captured(1).toLongLong());
        }
        QCOMPARE(ids, (QList<qint64> {m_demo, m_binary, m_json}));
        // The binary capture's line: custom verb, escaped target, exact size, verdict.
        const QString binaryRow = QString::fromUtf8(rows.at(1));
        QVERIFY2(binaryRow.contains(u"PROPFIND  /bin/\\xff?q=\\x01"), qPrintable(binaryRow));
        QVERIFY(binaryRow.contains(QString::number(m_binaryBody.size()) + QStringLiteral("  invalid")));
        QVERIFY(!result.out.contains('\x1b'));
    }

    void list_json_givesOneObjectPerLine()
    {
        const ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("list"), QStringLiteral("--store"),
            m_store, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> rows = lines(result.out);
        QCOMPARE(rows.size(), 3);
        QList<QJsonObject> objects;
        for (const QByteArray &row : rows) {
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(row, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, row.constData());
            objects.append(document.object());
        }
        QCOMPARE(objects.at(0).value(u"id").toInteger(), m_demo);
        QCOMPARE(objects.at(0).value(u"session").toString(), QStringLiteral("demo 2026-12-01"));
        QCOMPARE(objects.at(2).value(u"method").toString(), QStringLiteral("POST"));
        QCOMPARE(objects.at(2).value(u"size").toInteger(), testing::dbtBody.size());
        QCOMPARE(objects.at(2).value(u"verdict").toString(), QStringLiteral("valid"));
        QCOMPARE(objects.at(2).value(u"dbtEventType").toString(), QStringLiteral("job.run.completed"));
        QVERIFY(objects.at(2).value(u"time").toString().endsWith(u'Z'));
        QCOMPARE(QByteArray::fromBase64(objects.at(1).value(u"targetBase64").toString().toLatin1()),
            QByteArray("/bin/\xff?q=\x01"));
        QCOMPARE(objects.at(1).value(u"size").toInteger(), m_binaryBody.size());
    }

    void list_filtersAndPages_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("limit") << QStringList {QStringLiteral("--limit"), QStringLiteral("1")} << QList<qint64> {3};
        QTest::newRow("before") << QStringList {QStringLiteral("--before"), QStringLiteral("3")}
                                << QList<qint64> {2, 1};
        QTest::newRow("session") << QStringList {QStringLiteral("--session"), QStringLiteral("demo 2026-12-01")}
                                 << QList<qint64> {3};
        QTest::newRow("verdict") << QStringList {QStringLiteral("--verdict"), QStringLiteral("invalid")}
                                 << QList<qint64> {2};
        QTest::newRow("method") << QStringList {QStringLiteral("--method"), QStringLiteral("PROPFIND")}
                                << QList<qint64> {2};
        QTest::newRow("path") << QStringList {QStringLiteral("--path"), QStringLiteral("/webhooks/")}
                              << QList<qint64> {3, 1};
        QTest::newRow("search") << QStringList {QStringLiteral("--search"), QStringLiteral("n=3")} << QList<qint64> {3};
        QTest::newRow("dbt event") << QStringList {QStringLiteral("--dbt-event"), QStringLiteral("job.run.completed")}
                                   << QList<qint64> {3, 1};
        QTest::newRow("limit 0 is all") << QStringList {QStringLiteral("--limit"), QStringLiteral("0")}
                                        << QList<qint64> {3, 2, 1};
    }

    void list_filtersAndPages()
    {
        QFETCH(QStringList, options);
        QFETCH(QList<qint64>, expected);
        const ProcessResult result = run(QStringList {QStringLiteral("captures"), QStringLiteral("list"),
                                             QStringLiteral("--store"), m_store, QStringLiteral("--json")}
            + options);
        QCOMPARE(result.exitCode, 0);
        QList<qint64> ids;
        for (const QByteArray &row : lines(result.out))
            ids.append(QJsonDocument::fromJson(row).object().value(u"id").toInteger());
        QCOMPARE(ids, expected);
    }

    void show_body_writesTheRawBytesOnly()
    {
        ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("show"), QString::number(m_binary),
            QStringLiteral("--store"), m_store, QStringLiteral("--body")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.err, QByteArray());
        QCOMPARE(result.out.size(), m_binaryBody.size());
        QVERIFY(result.out == m_binaryBody);

        result = run({QStringLiteral("captures"), QStringLiteral("show"), QString::number(m_json),
            QStringLiteral("--body"), QStringLiteral("--store"), m_store});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, testing::dbtBody);
    }

    void show_json_givesEveryField()
    {
        const ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("show"), QString::number(m_binary),
            QStringLiteral("--store"), m_store, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.count('\n'), 1);
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json.value(u"id").toInteger(), m_binary);
        QCOMPARE(json.value(u"method").toString(), QStringLiteral("PROPFIND"));
        QCOMPARE(QByteArray::fromBase64(json.value(u"body").toString().toLatin1()), m_binaryBody);
        QCOMPARE(json.value(u"size").toInteger(), m_binaryBody.size());
        const QJsonArray headers = json.value(u"headers").toArray();
        QCOMPARE(headers.size(), 4);
        QCOMPARE(headers.at(0).toObject().value(u"name").toString(), QStringLiteral("X-Dup"));
        QCOMPARE(headers.at(1).toObject().value(u"name").toString(), QStringLiteral("x-dup"));
        QCOMPARE(headers.at(2).toObject().value(u"value").toString(), QStringLiteral("3"));
        for (const char *key :
            {"session", "time", "receivedAtUs", "remoteAddress", "remotePort", "tls", "listener", "scheme", "verdict",
                "verdictReason", "responseStatus", "dbtEventType", "dbtEventId", "dbtRunId", "dbtCheck", "attempts"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json.value(u"verdict").toString(), QStringLiteral("invalid"));
        QCOMPARE(json.value(u"remotePort").toInt(), 40002);

        const ProcessResult withAttempt = run({QStringLiteral("captures"), QStringLiteral("show"),
            QString::number(m_json), QStringLiteral("--store"), m_store, QStringLiteral("--json")});
        const QJsonArray attempts = QJsonDocument::fromJson(withAttempt.out).object().value(u"attempts").toArray();
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.at(0).toObject().value(u"kind").toString(), QStringLiteral("replay"));
        QCOMPARE(attempts.at(0).toObject().value(u"status").toInt(), 204);
    }

    void show_plain_isReadableAndSafeForTerminals()
    {
        ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("show"), QString::number(m_json),
            QStringLiteral("--store"), m_store});
        QCOMPARE(result.exitCode, 0);
        const QString text = QString::fromUtf8(result.out);
        QVERIFY(text.startsWith(QStringLiteral("Capture %1 in session \"default\"\n").arg(m_json)));
        QVERIFY(text.contains(QStringLiteral("Request   POST /webhooks/dbt?n=1\n")));
        QVERIFY(text.contains(QStringLiteral("Verdict   valid (dbt-cloud)\n")));
        const qsizetype host = text.indexOf(QStringLiteral("\n  Host: 127.0.0.1:5000\n"));
        const qsizetype type = text.indexOf(QStringLiteral("\n  Content-Type: application/json\n"));
        const qsizetype length = text.indexOf(QStringLiteral("\n  Content-Length: "));
        QVERIFY(host > 0 && type > host && length > type);
        QVERIFY(result.out.contains(testing::dbtBody));
        QVERIFY(text.contains(QStringLiteral("replay POST http://127.0.0.1:9000/replay → 204")));

        result = run({QStringLiteral("captures"), QStringLiteral("show"), QString::number(m_binary),
            QStringLiteral("--store"), m_store});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("(binary; 'hookbench captures show"));
        QVERIFY(result.out.contains("00 ff 0d 0a 1b 5b 32 4a"));
        QVERIFY(result.out.contains("X-Esc: \\x1b[31mred"));
        QVERIFY(!result.out.contains('\x1b'));
        QVERIFY(result.out.size() < 10000); // a 2 MB binary body is summarised, not dumped
    }

    void errors_areOneLineWithExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString missing = QStringLiteral("/nonexistent-dir/none.sqlite");
        QTest::newRow("unknown id") << QStringList {QStringLiteral("show"), QStringLiteral("999")}
                                    << QStringLiteral("no capture with id 999 in ");
        QTest::newRow("not an id") << QStringList {QStringLiteral("show"), QStringLiteral("abc")}
                                   << QStringLiteral("\"abc\" is not a capture id");
        QTest::newRow("no id") << QStringList {QStringLiteral("show")} << QStringLiteral("show needs a capture id");
        QTest::newRow("body and json") << QStringList {QStringLiteral("show"), QStringLiteral("1"),
            QStringLiteral("--body"), QStringLiteral("--json")}
                                       << QStringLiteral("exclude each other");
        QTest::newRow("unknown session") << QStringList {QStringLiteral("list"), QStringLiteral("--session"),
            QStringLiteral("nope")} << QStringLiteral("no session named \"nope\"");
        QTest::newRow("bad limit") << QStringList {QStringLiteral("list"), QStringLiteral("--limit"),
            QStringLiteral("-1")} << QStringLiteral("--limit must be an integer");
        QTest::newRow("bad verdict") << QStringList {QStringLiteral("list"), QStringLiteral("--verdict"),
            QStringLiteral("maybe")} << QStringLiteral("unknown --verdict");
        QTest::newRow("unknown subcommand")
            << QStringList {QStringLiteral("purge")} << QStringLiteral("unknown subcommand \"purge\"");
    }

    void errors_areOneLineWithExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const ProcessResult result = run(
            QStringList {QStringLiteral("captures")} + arguments + QStringList {QStringLiteral("--store"), m_store});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.out, QByteArray());
        QVERIFY2(isOneErrorLine(result.err), result.err.constData());
        QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
    }

    void missingStore_isAnErrorAndIsNotCreated()
    {
        const QString path = m_dir.filePath(QStringLiteral("nowhere/none.sqlite"));
        for (const QStringList &arguments :
            {QStringList {QStringLiteral("list")}, QStringList {QStringLiteral("show"), QStringLiteral("1")},
                QStringList {QStringLiteral("show"), QStringLiteral("1"), QStringLiteral("--body")},
                QStringList {QStringLiteral("sessions")}}) {
            const ProcessResult result = run(
                QStringList {QStringLiteral("captures")} + arguments + QStringList {QStringLiteral("--store"), path});
            QCOMPARE(result.exitCode, 2);
            QCOMPARE(result.out, QByteArray());
            QCOMPARE(result.err, "hookbench captures: no capture store at " + path.toUtf8() + '\n');
        }
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QDir(m_dir.filePath(QStringLiteral("nowhere"))).exists());
    }

    void defaultStore_isInTheAppDataDirectory()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("HOME"), home.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        const QString expected = home.filePath(QStringLiteral("data/Hookbench/hookbench/captures.sqlite"));

        ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("list")}, environment);
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err, "hookbench captures: no capture store at " + expected.toUtf8() + '\n');
        QVERIFY(!QDir(home.filePath(QStringLiteral("data"))).exists());

        {
            StoreOptions options;
            options.path = expected;
            CaptureWriter writer(options);
            QString error;
            QVERIFY2(writer.open(&error), qPrintable(error));
            QVERIFY(
                writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(sampleCapture(9), c, d); }).id == 1);
        }
        result = run({QStringLiteral("captures"), QStringLiteral("list"), QStringLiteral("--json")}, environment);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(lines(result.out).size(), 1);
        QVERIFY(result.out.contains("\"target\":\"/webhooks/dbt?n=9\""));
    }

    void notAStore_isRefusedInOneLine()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'n'));
        file.close();
        const ProcessResult result
            = run({QStringLiteral("captures"), QStringLiteral("list"), QStringLiteral("--store"), path});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(isOneErrorLine(result.err), result.err.constData());
        QVERIFY(result.err.contains("not a Hookbench capture store"));
    }

    void lockedStore_givesClearErrorAfterTheTimeout()
    {
        // Another program holding an exclusive lock: even WAL readers must wait for it.
        const QString name = QStringLiteral("exclusive");
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            other.setDatabaseName(m_store);
            QVERIFY(other.open());
            QSqlQuery query(other);
            QVERIFY(query.exec(QStringLiteral("PRAGMA locking_mode=EXCLUSIVE")));
            QVERIFY(query.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            QVERIFY(query.exec(QStringLiteral("UPDATE sessions SET name = name WHERE id = 1")));

            const ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("list"),
                QStringLiteral("--store"), m_store, QStringLiteral("--lock-timeout"), QStringLiteral("200")});
            QCOMPARE(result.exitCode, 2);
            QVERIFY2(isOneErrorLine(result.err), result.err.constData());
            QVERIFY2(result.err.contains("is locked by another process"), result.err.constData());
            QVERIFY(query.exec(QStringLiteral("ROLLBACK")));
        }
        QSqlDatabase::removeDatabase(name);
        const ProcessResult after
            = run({QStringLiteral("captures"), QStringLiteral("list"), QStringLiteral("--store"), m_store});
        QCOMPARE(after.exitCode, 0);
        QCOMPARE(lines(after.out).size(), 3);
    }

    void sessions_andHelp()
    {
        ProcessResult result = run({QStringLiteral("captures"), QStringLiteral("sessions"), QStringLiteral("--store"),
            m_store, QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> rows = lines(result.out);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(
            QJsonDocument::fromJson(rows.at(1)).object().value(u"name").toString(), QStringLiteral("demo 2026-12-01"));
        QCOMPARE(QJsonDocument::fromJson(rows.at(0)).object().value(u"captures").toInt(), 2);

        result = run({QStringLiteral("captures")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.startsWith("Usage: hookbench captures"));
        result = run({QStringLiteral("captures"), QStringLiteral("list"), QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("Usage: hookbench captures list"));
        result = run({QStringLiteral("--help")});
        QVERIFY(result.out.contains("captures"));
    }
};

QTEST_GUILESS_MAIN(TestCapturesCommand)
#include "tst_capturescommand.moc"
