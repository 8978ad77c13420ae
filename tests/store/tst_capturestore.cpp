// The capture store through its public API, on real SQLite files: bytes in equal bytes out,
// filters and paging, sessions, deletions, attempts.
#include "storetesting.h"

#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
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
};

QTEST_GUILESS_MAIN(TestCaptureStore)
#include "tst_capturestore.moc"
