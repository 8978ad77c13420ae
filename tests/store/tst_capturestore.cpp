// The capture store through its public API, on real SQLite files: bytes in equal bytes out,
// filters and paging, sessions, deletions, attempts.
#include "storetesting.h"

#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        bytes[i] = char(generator.bounded(256));
    return bytes;
}

} // namespace

class TestCaptureStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    StoreOptions freshOptions()
    {
        StoreOptions options;
        options.path = m_dir.filePath(QStringLiteral("store-%1.sqlite").arg(++m_files));
        return options;
    }

    qint64 store(CaptureWriter &writer, const Capture &capture)
    {
        const auto answer = writeAndWait(
            [&](QObject *context, CaptureSink::Done done) { writer.submit(capture, context, std::move(done)); });
        if (!answer.error.isEmpty())
            qWarning("submit failed: %s", qPrintable(answer.error));
        return answer.id;
    }

    static qint64 rowCount(const QString &path, const char *table)
    {
        qint64 count = -1;
        {
            QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("count"));
            database.setDatabaseName(path);
            if (database.open()) {
                QSqlQuery query(database);
                if (query.exec(QStringLiteral("SELECT count(*) FROM ") + QString::fromLatin1(table)) && query.next())
                    count = query.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("count"));
        return count;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTrip_keepsEveryByte_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<QByteArray>("body");

        QTest::newRow("dbt json") << QByteArray("POST") << QByteArray("/webhooks/dbt")
                                  << HeaderList {{"Content-Type", "application/json"}, {"Authorization", "abc"}}
                                  << dbtBody;
        QTest::newRow("NUL and 0xFF") << QByteArray("PUT") << QByteArray("/a%00b?x=%FF") << HeaderList {{"X-Bin", "v"}}
                                      << QByteArray("a\0b\xff\xfe\0", 6);
        QTest::newRow("CRLF body") << QByteArray("POST") << QByteArray("/") << HeaderList {}
                                   << QByteArray("line1\r\nline2\r\n\r\n\n\r");
        QTest::newRow("2 MB random") << QByteArray("POST") << QByteArray("/big") << HeaderList {{"X", "1"}}
                                     << randomBytes(2 * 1024 * 1024 + 3, 42);
        QTest::newRow("empty body, GET") << QByteArray("GET") << QByteArray("/health?probe=1") << HeaderList {}
                                         << QByteArray();
        QTest::newRow("custom verb") << QByteArray("PROPFIND") << QByteArray("/dav/") << HeaderList {{"Depth", "1"}}
                                     << QByteArray("<propfind/>");
        QTest::newRow("order, case, duplicates")
            << QByteArray("POST") << QByteArray("/h")
            << HeaderList {{"x-lower", "1"}, {"X-UPPER", "2"}, {"Set-Thing", "a"}, {"set-thing", "b"},
                   {"Set-Thing", "a"}, {"Empty", ""}, {"Spaced", "  two leading spaces"}, {"Trail", "x  "},
                   {"Obs-Text", "caf\xe9"}}
            << QByteArray("{}");
        QTest::newRow("headers HTTP can't carry")
            << QByteArray("POST") << QByteArray("/h")
            << HeaderList {{"Line\r\nBreak", "v"}, {"Colon:Name", "x"}, {"Value", "a\r\nb\nc\rd"},
                   {QByteArray("\0nul", 4), QByteArray("\0", 1)}}
            << QByteArray("x");
    }

    void roundTrip_keepsEveryByte()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(HeaderList, headers);
        QFETCH(QByteArray, body);

        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));

        Capture capture = sampleCapture(1);
        capture.method = method;
        capture.target = target;
        capture.headers = headers;
        capture.body = body;
        capture.tls = true;
        capture.remoteAddress = QStringLiteral("::1");
        capture.remotePort = 65535;
        capture.verdict = Verdict::Unsigned;
        capture.verdictReason = QStringLiteral("no Authorization header");
        capture.responseStatus = 503;
        capture.dbtCheck = QStringLiteral("notes");
        const qint64 id = store(writer, capture);
        QVERIFY(id > 0);

        CaptureStore reader;
        QVERIFY2(reader.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        const auto stored = reader.capture(id, &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(stored->id, id);
        QCOMPARE(stored->sessionId, qint64(1));
        QCOMPARE(stored->receivedAtUs, capture.receivedAtUs);
        QCOMPARE(stored->method, method);
        QCOMPARE(stored->target, target);
        QCOMPARE(stored->headers.size(), headers.size());
        for (qsizetype i = 0; i < headers.size(); ++i) {
            QCOMPARE(stored->headers.at(i).name, headers.at(i).name);
            QCOMPARE(stored->headers.at(i).value, headers.at(i).value);
        }
        QCOMPARE(stored->body.size(), body.size());
        QCOMPARE(QCryptographicHash::hash(stored->body, QCryptographicHash::Sha256),
            QCryptographicHash::hash(body, QCryptographicHash::Sha256));
        QCOMPARE(stored->remoteAddress, capture.remoteAddress);
        QCOMPARE(stored->remotePort, capture.remotePort);
        QCOMPARE(stored->tls, true);
        QCOMPARE(stored->listener, capture.listener);
        QCOMPARE(stored->scheme, capture.scheme);
        QCOMPARE(stored->verdict, Verdict::Unsigned);
        QCOMPARE(stored->verdictReason, capture.verdictReason);
        QCOMPARE(stored->responseStatus, 503);
        QCOMPARE(stored->dbtEventType, capture.dbtEventType);
        QCOMPARE(stored->dbtEventId, capture.dbtEventId);
        QCOMPARE(stored->dbtRunId, capture.dbtRunId);
        QCOMPARE(stored->dbtCheck, QStringLiteral("notes"));

        const QList<CaptureSummary> summaries = reader.summaries({}, 0, 10);
        QCOMPARE(summaries.size(), 1);
        QCOMPARE(summaries.first().bodySize, body.size());
        QCOMPARE(summaries.first().method, method);
        QCOMPARE(summaries.first().target, target);
    }

    void groupCommit_manySubmits_allAnsweredWithDistinctIdsInFewerTransactions()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));

        constexpr int count = 3000;
        Answers answers;
        for (int i = 0; i < count; ++i)
            writer.submit(sampleCapture(i), &answers, answers.done());
        QVERIFY(answers.waitFor(count));
        QCOMPARE(answers.size(), count);

        QSet<qint64> ids;
        for (const auto &answer : answers.all()) {
            QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
            QVERIFY(answer.id > 0);
            ids.insert(answer.id);
        }
        QCOMPARE(ids.size(), count);
        const WriterStats stats = writer.stats();
        QCOMPARE(stats.captures, qint64(count));
        QVERIFY2(stats.transactions < count / 4,
            qPrintable(QStringLiteral("%1 transactions for %2 captures").arg(stats.transactions).arg(count)));
        QVERIFY(stats.largestBatch > 1);

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QCOMPARE(reader.count(), qint64(count));
        // Answers come back in submission order, and ids follow it.
        for (qsizetype i = 1; i < answers.size(); ++i)
            QVERIFY(answers.all().at(i).id > answers.all().at(i - 1).id);
    }

    void filters_matchOnlyTheirField()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));

        QList<Capture> captures;
        for (int i = 0; i < 30; ++i) {
            Capture capture = sampleCapture(i); // i % 3 == 0: invalid, else valid
            capture.listener = i % 2 ? QStringLiteral("127.0.0.1:5001") : QStringLiteral("127.0.0.1:5000");
            capture.method = i % 5 == 0 ? QByteArray("PUT") : QByteArray("POST");
            capture.target
                = (i % 4 == 0 ? QByteArray("/hooks/github/") : QByteArray("/hooks/dbt/")) + QByteArray::number(i);
            if (i == 7)
                capture.body = QByteArray("{\"Needle\": \"Café\"}");
            if (i == 11)
                capture.headers.append(HttpHeader {"X-Trace", "needle-in-header"});
            if (i == 13)
                capture.body = QByteArray("\0\xff\0 binary, then NeEdLe2", 24);
            if (i % 6 == 0)
                capture.dbtEventType = QStringLiteral("job.run.errored");
            captures.append(capture);
            QVERIFY(store(writer, capture) > 0);
        }

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        auto expect = [&](const CaptureFilter &filter, const std::function<bool(int)> &matches) {
            QList<qint64> expected;
            for (int i = captures.size() - 1; i >= 0; --i) {
                if (matches(i))
                    expected.append(i + 1); // ids follow submission order in a fresh store
            }
            QCOMPARE(reader.ids(filter), expected);
            QCOMPARE(reader.count(filter), qint64(expected.size()));
            QList<qint64> listed;
            for (const CaptureSummary &summary : reader.summaries(filter, 0, 100))
                listed.append(summary.id);
            QCOMPARE(listed, expected);
        };

        expect({}, [](int) { return true; });
        CaptureFilter filter;
        filter.verdict = Verdict::Invalid;
        expect(filter, [](int i) { return i % 3 == 0; });
        filter = {};
        filter.listener = QStringLiteral("127.0.0.1:5001");
        expect(filter, [](int i) { return i % 2 == 1; });
        filter = {};
        filter.verdict = Verdict::Valid; // the value the verdict index leaves out
        expect(filter, [](int i) { return i % 3 != 0; });
        filter = {};
        filter.method = "PUT";
        expect(filter, [](int i) { return i % 5 == 0; });
        filter.method = "POST"; // the value the method index leaves out
        expect(filter, [](int i) { return i % 5 != 0; });
        filter = {};
        filter.targetPrefix = "/hooks/github/";
        expect(filter, [](int i) { return i % 4 == 0; });
        filter = {};
        filter.targetPrefix = "/hooks/dbt/1";
        expect(filter, [](int i) { return i % 4 != 0 && QByteArray::number(i).startsWith('1'); });
        filter = {};
        filter.dbtEventType = QStringLiteral("job.run.errored");
        expect(filter, [](int i) { return i % 6 == 0; });
        filter = {};
        filter.dbtRunId = QString::number(98765 + 3);
        expect(filter, [](int i) { return i % 7 == 3; });
        filter = {};
        filter.text = QStringLiteral("needle"); // body (any case) and header
        expect(filter, [](int i) { return i == 7 || i == 11 || i == 13; });
        filter.text = QStringLiteral("needle2"); // after NUL bytes in a binary body
        expect(filter, [](int i) { return i == 13; });
        filter.text = QStringLiteral("Café"); // non-ASCII matches exactly
        expect(filter, [](int i) { return i == 7; });
        filter.text = QStringLiteral("CAFÉ"); // ...and only exactly
        expect(filter, [](int) { return false; });
        filter = {};
        filter.text = QStringLiteral("GITHUB/12"); // target, any case
        expect(filter, [](int i) { return i == 12; });
        filter = {};
        filter.verdict = Verdict::Valid;
        filter.method = "POST";
        filter.listener = QStringLiteral("127.0.0.1:5000");
        expect(filter, [](int i) { return i % 3 != 0 && i % 5 != 0 && i % 2 == 0; });
        filter = {};
        filter.text = QStringLiteral("%"); // no LIKE wildcards
        expect(filter, [](int) { return false; });
    }

    void paging_walksEveryCaptureOnceNewestFirst()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        Answers answers;
        for (int i = 0; i < 1003; ++i)
            writer.submit(sampleCapture(i), &answers, answers.done());
        QVERIFY(answers.waitFor(1003));

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QList<qint64> walked;
        qint64 cursor = 0;
        int pages = 0;
        for (;;) {
            const QList<CaptureSummary> page = reader.summaries({}, cursor, 100);
            if (page.isEmpty())
                break;
            QVERIFY(page.size() <= 100);
            for (const CaptureSummary &summary : page)
                walked.append(summary.id);
            cursor = page.last().id;
            ++pages;
        }
        QCOMPARE(pages, 11);
        QCOMPARE(walked, reader.ids());
        QCOMPARE(walked.size(), 1003);
        for (qsizetype i = 1; i < walked.size(); ++i)
            QVERIFY(walked.at(i) < walked.at(i - 1));

        // A lazy view addresses row N through ids() and fetches that screenful by id.
        const QList<qint64> all = reader.ids();
        const QList<qint64> screen = all.mid(500, 40);
        const QList<CaptureSummary> rows = reader.summariesFor(screen + QList<qint64> {999999});
        QCOMPARE(rows.size(), screen.size());
        for (qsizetype i = 0; i < rows.size(); ++i)
            QCOMPARE(rows.at(i).id, screen.at(i));

        // New captures show up above the newest id a view already has.
        const qint64 newest = reader.newestId();
        QCOMPARE(newest, all.first());
        Answers more;
        writer.submit(sampleCapture(2000), &more, more.done());
        writer.submit(sampleCapture(2001), &more, more.done());
        QVERIFY(more.waitFor(2));
        QCOMPARE(reader.ids({}, newest), (QList<qint64> {more.all().at(1).id, more.all().at(0).id}));
    }

    void sessions_createRenameDeleteAndSeparateCaptures()
    {
        StoreOptions options = freshOptions();
        options.session = QStringLiteral("demo 2026-12-01");
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));
        const qint64 demo = writer.currentSession();
        QVERIFY(demo > 1);

        const qint64 inDemo = store(writer, sampleCapture(1));
        auto answer = writeAndWait(
            [&](QObject *c, CaptureSink::Done d) { writer.createSession(QStringLiteral("other"), c, d); });
        QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
        const qint64 other = answer.id;
        Capture explicitSession = sampleCapture(2);
        explicitSession.sessionId = other;
        const qint64 inOther = store(writer, explicitSession);
        writer.setCurrentSession(1);
        const qint64 inDefault = store(writer, sampleCapture(3));

        answer = writeAndWait(
            [&](QObject *c, CaptureSink::Done d) { writer.createSession(QStringLiteral(" other "), c, d); });
        QCOMPARE(answer.id, qint64(0));
        QVERIFY(answer.error.contains(u"already exists"));
        answer
            = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.createSession(QStringLiteral("  "), c, d); });
        QVERIFY(answer.error.contains(u"needs a name"));

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QList<Session> sessions = reader.sessions();
        QCOMPARE(sessions.size(), 3);
        QCOMPARE(sessions.at(0).name, QStringLiteral("default"));
        QCOMPARE(sessions.at(0).captureCount, qint64(1));
        QCOMPARE(sessions.at(1).name, QStringLiteral("demo 2026-12-01"));
        QCOMPARE(sessions.at(1).captureCount, qint64(1));
        QCOMPARE(sessions.at(2).name, QStringLiteral("other"));
        QVERIFY(sessions.at(2).createdAtUs > 0);
        CaptureFilter filter;
        filter.sessionId = other;
        QCOMPARE(reader.ids(filter), QList<qint64> {inOther});
        filter.sessionId = demo;
        QCOMPARE(reader.ids(filter), QList<qint64> {inDemo});
        QCOMPARE(reader.capture(inDefault)->sessionId, qint64(1));

        answer = writeAndWait(
            [&](QObject *c, CaptureSink::Done d) { writer.renameSession(other, QStringLiteral("renamed"), c, d); });
        QCOMPARE(answer.id, qint64(1));
        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) {
            writer.renameSession(other, QStringLiteral("demo 2026-12-01"), c, d);
        });
        QVERIFY(answer.error.contains(u"already exists"));
        answer = writeAndWait(
            [&](QObject *c, CaptureSink::Done d) { writer.renameSession(424242, QStringLiteral("x"), c, d); });
        QVERIFY(answer.error.contains(u"no session"));
        QCOMPARE(reader.sessionNamed(QStringLiteral("renamed"))->id, other);
        QVERIFY(!reader.sessionNamed(QStringLiteral("other")));

        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.deleteSession(1, c, d); });
        QVERIFY(answer.error.contains(u"default session"));
        writer.setCurrentSession(demo);
        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.deleteSession(demo, c, d); });
        QVERIFY(answer.error.contains(u"switch sessions"));
        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.deleteSession(other, c, d); });
        QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
        QCOMPARE(answer.id, qint64(1)); // one capture went with it
        QVERIFY(!reader.capture(inOther));
        QCOMPARE(reader.sessions().size(), 2);
        QCOMPARE(reader.count(), qint64(2));

        // A second writer on the same store finds the named session instead of duplicating it.
        writer.flush();
        CaptureWriter second(options);
        QVERIFY(second.open(&error));
        QCOMPARE(second.currentSession(), demo);
    }

    void deleteAndClear_removeCapturesPayloadsAndAttempts()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        QList<qint64> ids;
        for (int i = 0; i < 10; ++i)
            ids.append(store(writer, sampleCapture(i)));
        Attempt attempt;
        attempt.captureId = ids.at(2);
        attempt.kind = Attempt::Kind::Replay;
        QVERIFY(writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.addAttempt(attempt, c, d); }).id > 0);

        auto answer = writeAndWait([&](QObject *c, CaptureSink::Done d) {
            writer.deleteCaptures({ids.at(1), ids.at(2), 999999}, c, d);
        });
        QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
        QCOMPARE(answer.id, qint64(2));

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QCOMPARE(reader.count(), qint64(8));
        QVERIFY(!reader.capture(ids.at(1)));
        QVERIFY(reader.attempts(ids.at(2)).isEmpty());
        QVERIFY(reader.capture(ids.at(3)));
        QCOMPARE(rowCount(options.path, "capture_payloads"), qint64(8));
        QCOMPARE(rowCount(options.path, "attempts"), qint64(0));

        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.clearSession(1, c, d); });
        QCOMPARE(answer.id, qint64(8));
        QCOMPARE(reader.count(), qint64(0));
        QCOMPARE(reader.sessions().size(), 1);
        QCOMPARE(rowCount(options.path, "capture_payloads"), qint64(0));
        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.clearSession(77, c, d); });
        QVERIFY(answer.error.contains(u"no session"));

        // Ids are never reused, so a view's stale id can't point at a newer capture.
        QVERIFY(store(writer, sampleCapture(99)) > ids.last());
    }

    void attemptsAndResponseStatus_roundTrip()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        Capture forwarded = sampleCapture(1);
        forwarded.responseStatus = 0;
        const qint64 id = store(writer, forwarded);

        Attempt replay;
        replay.captureId = id;
        replay.kind = Attempt::Kind::Forward;
        replay.startedAtUs = 1764583200123456;
        replay.request.method = "PATCH";
        replay.request.url = QUrl(QStringLiteral("http://127.0.0.1:8080/in?a=1&b=%2F&c=~"));
        replay.request.target = "/in?a=1&b=%2F&c=%7e"; // as it went on the wire; QUrl says ~
        replay.request.headers = {{"Authorization", "sig"}, {"authorization", "dup"}};
        replay.request.body = QByteArray("\0\xff\r\n", 4);
        replay.status = 502;
        replay.reasonPhrase = "Bad Gateway";
        replay.responseHeaders = {{"Server", "x"}, {"X-Multi", "a\r\nb"}};
        replay.responseBody = "upstream down";
        replay.timeToFirstByteUs = 1500;
        replay.totalUs = 2100;
        const qint64 attemptId
            = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.addAttempt(replay, c, d); }).id;
        QVERIFY(attemptId > 0);
        Attempt refused;
        refused.kind = Attempt::Kind::Send;
        refused.request.url = QUrl(QStringLiteral("http://127.0.0.1:1/"));
        refused.failure = Attempt::Failure::Refused;
        refused.error = QStringLiteral("connection refused");
        const qint64 sendId
            = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.addAttempt(refused, c, d); }).id;
        QVERIFY(sendId > attemptId);

        auto answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.setResponseStatus(id, 202, c, d); });
        QCOMPARE(answer.id, qint64(1));
        answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.setResponseStatus(424242, 202, c, d); });
        QCOMPARE(answer.id, qint64(0));
        QVERIFY(answer.error.contains(u"no capture with id 424242"));

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QCOMPARE(reader.capture(id)->responseStatus, 202);
        const QList<Attempt> attempts = reader.attempts(id);
        QCOMPARE(attempts.size(), 1);
        const Attempt &stored = attempts.first();
        QCOMPARE(stored.id, attemptId);
        QCOMPARE(stored.captureId, id);
        QCOMPARE(stored.kind, Attempt::Kind::Forward);
        QCOMPARE(stored.startedAtUs, replay.startedAtUs);
        QCOMPARE(stored.request.method, replay.request.method);
        QCOMPARE(stored.request.url, replay.request.url);
        QCOMPARE(stored.request.target, replay.request.target);
        QCOMPARE(stored.request.headers, replay.request.headers);
        QCOMPARE(stored.request.body, replay.request.body);
        QCOMPARE(stored.status, 502);
        QCOMPARE(stored.reasonPhrase, replay.reasonPhrase);
        QCOMPARE(stored.responseHeaders, replay.responseHeaders);
        QCOMPARE(stored.responseBody, replay.responseBody);
        QCOMPARE(stored.timeToFirstByteUs, 1500);
        QCOMPARE(stored.totalUs, 2100);
        QCOMPARE(stored.failure, Attempt::Failure::None);

        const QList<Attempt> recent = reader.recentAttempts(0, 10);
        QCOMPARE(recent.size(), 2);
        QCOMPARE(recent.first().id, sendId);
        QCOMPARE(recent.first().captureId, qint64(0));
        QCOMPARE(recent.first().failure, Attempt::Failure::Refused);
        QCOMPARE(recent.first().error, refused.error);
        QCOMPARE(recent.first().request.target, QByteArray());
        QCOMPARE(reader.recentAttempts(sendId, 10).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCaptureStore)
#include "tst_capturestore.moc"
