// Several processes on one store, and a writer killed with SIGKILL in the middle of a flood:
// every capture a writer answered for is in the store, and the file stays intact.
#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;

namespace {

// "<id> <n>" lines a helper printed; an unfinished last line (the kill came mid-write) is ignored.
QList<QPair<qint64, qint64>> answeredCaptures(const QByteArray &output)
{
    QList<QPair<qint64, qint64>> answered;
    const QList<QByteArray> lines = output.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // the last element follows the last '\n'
        const QList<QByteArray> fields = lines.at(i).split(' ');
        if (fields.size() == 2)
            answered.append({fields.at(0).toLongLong(), fields.at(1).toLongLong()});
    }
    return answered;
}

QString integrityCheck(const QString &path)
{
    QString result;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        database.setDatabaseName(path);
        if (database.open()) {
            QSqlQuery query(database);
            if (query.exec(QStringLiteral("PRAGMA integrity_check")) && query.next())
                result = query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return result;
}

void startHelper(QProcess &process, const QString &store, qint64 count, const QString &tag,
    const QString &synchronous = QStringLiteral("normal"))
{
    process.start(QStringLiteral(STORE_WRITER_HELPER),
        {QStringLiteral("--store"), store, QStringLiteral("--count"), QString::number(count), QStringLiteral("--tag"),
            tag, QStringLiteral("--synchronous"), synchronous});
}

} // namespace

class TestStoreProcesses : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("processes-%1.sqlite").arg(++m_files)); }

    // Every answered id holds the capture its writer sent for it.
    static void verifyAnswered(CaptureStore &reader, const QList<QPair<qint64, qint64>> &answered, const char *tag)
    {
        for (const auto &[id, n] : answered) {
            QString error;
            const auto capture = reader.capture(id, &error);
            QVERIFY2(capture,
                qPrintable(QStringLiteral("capture %1 (%2 #%3) is missing %4")
                               .arg(id)
                               .arg(QLatin1String(tag))
                               .arg(n)
                               .arg(error)));
            QCOMPARE(capture->target, "/" + QByteArray(tag) + "/" + QByteArray::number(n));
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void twoProcessesOnOneStore_bothCompleteAndTheFileStaysIntact()
    {
        const QString path = freshPath();
        // Created first, so that the two processes race on writes rather than on creating the file.
        {
            StoreOptions options;
            options.path = path;
            CaptureWriter writer(options);
            QString error;
            QVERIFY2(writer.open(&error), qPrintable(error));
        }
        constexpr qint64 each = 1500;
        QProcess a;
        QProcess b;
        startHelper(a, path, each, QStringLiteral("a"));
        startHelper(b, path, each, QStringLiteral("b"));
        QVERIFY(a.waitForFinished(120000));
        QVERIFY(b.waitForFinished(120000));
        QCOMPARE(a.exitStatus(), QProcess::NormalExit);
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
        QCOMPARE(a.readAllStandardError(), QByteArray());
        QCOMPARE(b.readAllStandardError(), QByteArray());
        const auto fromA = answeredCaptures(a.readAllStandardOutput());
        const auto fromB = answeredCaptures(b.readAllStandardOutput());
        QCOMPARE(fromA.size(), each);
        QCOMPARE(fromB.size(), each);

        QCOMPARE(integrityCheck(path), QStringLiteral("ok"));
        StoreOptions options;
        options.path = path;
        CaptureStore reader;
        QString error;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QCOMPARE(reader.count(), 2 * each);
        verifyAnswered(reader, fromA, "a");
        verifyAnswered(reader, fromB, "b");
    }

    void killedWriter_losesNothingItAnswered_data()
    {
        QTest::addColumn<int>("killAfter");
        QTest::addColumn<QString>("synchronous");
        QTest::newRow("after 1 answer") << 1 << QStringLiteral("normal");
        QTest::newRow("after 700 answers") << 700 << QStringLiteral("normal");
        QTest::newRow("after 4000 answers") << 4000 << QStringLiteral("normal");
        QTest::newRow("after 300 answers, synchronous full") << 300 << QStringLiteral("full");
    }

    void killedWriter_losesNothingItAnswered()
    {
        QFETCH(int, killAfter);
        QFETCH(QString, synchronous);
        const QString path = freshPath();
        QProcess writer;
        startHelper(writer, path, 100000000, QStringLiteral("k"), synchronous);
        QVERIFY(writer.waitForStarted());
        QByteArray output;
        QVERIFY(QTest::qWaitFor(
            [&] {
                writer.waitForReadyRead(100);
                output += writer.readAllStandardOutput();
                return output.count('\n') >= killAfter || writer.state() == QProcess::NotRunning;
            },
            120000));
        QCOMPARE(writer.state(), QProcess::Running); // still flooding when killed
        writer.kill(); // SIGKILL: no destructor, no final commit
        QVERIFY(writer.waitForFinished(30000));
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        output += writer.readAllStandardOutput();
        const auto answered = answeredCaptures(output);
        QVERIFY(answered.size() >= killAfter);

        QCOMPARE(integrityCheck(path), QStringLiteral("ok"));
        StoreOptions options;
        options.path = path;
        CaptureStore reader;
        QString error;
        QVERIFY2(reader.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        QVERIFY(reader.count() >= answered.size());
        verifyAnswered(reader, answered, "k");

        // The store takes writes again after the crash.
        CaptureWriter next(options);
        QVERIFY2(next.open(&error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestStoreProcesses)
#include "tst_storeprocesses.moc"
