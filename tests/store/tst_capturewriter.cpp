// CaptureWriter's contract with its callers: answers on the caller's thread, never for a
// destroyed context, in order, after the commit; errors as one line without losing what is
// already stored.
#include "storetesting.h"

#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

#include <atomic>
#include <memory>

using namespace hookbench;
using namespace hookbench::testing;

class TestCaptureWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    StoreOptions freshOptions()
    {
        StoreOptions options;
        options.path = m_dir.filePath(QStringLiteral("writer-%1.sqlite").arg(++m_files));
        return options;
    }

    static qint64 countIn(const StoreOptions &options)
    {
        CaptureStore reader;
        QString error;
        if (!reader.open(options, CaptureStore::Missing::Fail, &error))
            return -1;
        return reader.count();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void answers_arriveLaterNeverInsideSubmit()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        Answers answers;
        writer.submit(sampleCapture(1), &answers, answers.done());
        writer.flush(); // committed and posted, but this thread has not run its events yet
        QCOMPARE(answers.size(), 0);
        QCOMPARE(countIn(options), qint64(1));
        QVERIFY(answers.waitFor(1));
        QCOMPARE(answers.last().id, qint64(1));
    }

    void destroyedContext_dropsItsAnswersOnly()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        auto calledForDeleted = std::make_shared<int>(0);
        auto calledWhileAlive = std::make_shared<int>(0);
        Answers kept;
        for (int i = 0; i < 200; ++i) {
            auto *gone = new QObject;
            const bool deleteNow = i % 2;
            writer.submit(sampleCapture(i), gone, [=](qint64, const QString &) {
                // A deleteLater() context may legitimately still be alive when its answer comes.
                ++*(deleteNow ? calledForDeleted : calledWhileAlive);
            });
            writer.submit(sampleCapture(i), &kept, kept.done());
            if (deleteNow)
                delete gone; // before or while the writer commits
            else
                gone->deleteLater(); // whenever the event loop gets to it
        }
        QVERIFY(kept.waitFor(200));
        QTest::qWait(50);
        QCOMPARE(*calledForDeleted, 0);
        QVERIFY(*calledWhileAlive <= 100);
        QCOMPARE(countIn(options), qint64(400)); // the captures themselves are stored
    }

    void nullContext_storesWithoutAnswer()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        bool called = false;
        writer.submit(sampleCapture(1), nullptr, [&](qint64, const QString &) { called = true; });
        writer.flush();
        QTest::qWait(20);
        QVERIFY(!called);
        QCOMPARE(countIn(options), qint64(1));
    }

    void submitsFromManyThreads_answerOnEachCallersThread()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));

        constexpr int threads = 4;
        constexpr int perThread = 400;
        struct Result
        {
            QList<qint64> ids;
            int wrongThread = 0;
            int errors = 0;
        };
        std::vector<Result> results(threads);
        std::vector<std::unique_ptr<QThread>> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back(QThread::create([&writer, &results, t] {
                QObject context;
                QThread *self = QThread::currentThread();
                Result &result = results[size_t(t)];
                for (int i = 0; i < perThread; ++i) {
                    writer.submit(
                        sampleCapture(t * perThread + i), &context, [&result, self](qint64 id, const QString &problem) {
                            if (QThread::currentThread() != self)
                                ++result.wrongThread;
                            if (!problem.isEmpty())
                                ++result.errors;
                            result.ids.append(id);
                        });
                }
                if (!QTest::qWaitFor([&] { return result.ids.size() == perThread; }, 60000))
                    ++result.errors;
            }));
            workers.back()->start();
        }
        for (auto &worker : workers)
            QVERIFY(worker->wait(90000));

        QSet<qint64> all;
        for (const Result &result : results) {
            QCOMPARE(result.ids.size(), perThread);
            QCOMPARE(result.wrongThread, 0);
            QCOMPARE(result.errors, 0);
            // Each caller's answers come in its submission order.
            for (qsizetype i = 1; i < result.ids.size(); ++i)
                QVERIFY(result.ids.at(i) > result.ids.at(i - 1));
            for (const qint64 id : result.ids)
                all.insert(id);
        }
        QCOMPARE(all.size(), threads * perThread);
        QCOMPARE(countIn(options), qint64(threads * perThread));
    }

    void observers_hearWhatEachCommitChanged()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        StoreChange seen;
        QObject observerContext;
        writer.addObserver(&observerContext, [&](const StoreChange &change) { seen.merge(change); });

        Answers answers;
        for (int i = 0; i < 3; ++i)
            writer.submit(sampleCapture(i), &answers, answers.done());
        QVERIFY(answers.waitFor(3));
        writer.setResponseStatus(2, 500, &answers, answers.done());
        writer.deleteCaptures({1}, &answers, answers.done());
        writer.createSession(QStringLiteral("s"), &answers, answers.done());
        Attempt attempt;
        attempt.captureId = 3;
        writer.addAttempt(attempt, &answers, answers.done());
        writer.setResponseStatus(999, 500, &answers, answers.done()); // fails: no change
        QVERIFY(answers.waitFor(8));
        QTRY_COMPARE(seen.attemptsAdded, QList<qint64> {3});
        QCOMPARE(seen.addedCaptures, (QList<qint64> {1, 2, 3}));
        QCOMPARE(seen.updatedCaptures, QList<qint64> {2});
        QCOMPARE(seen.removedCaptures, QList<qint64> {1});
        QVERIFY(seen.sessionsChanged);
    }

    void submitBatch_commitsTheWholeWaveInOneTransaction()
    {
        StoreOptions options = freshOptions();
        options.commitIntervalUs = 0; // no timer: only the batch hand-over can group them
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        const qint64 before = writer.stats().transactions;
        Answers answers;
        QList<CaptureSink::Submission> wave;
        for (int i = 0; i < 40; ++i)
            wave.append({sampleCapture(i), &answers, answers.done()});
        writer.submitBatch(std::move(wave));
        QVERIFY(answers.waitFor(40));
        QCOMPARE(writer.stats().transactions - before, qint64(1));
        QCOMPARE(writer.stats().largestBatch, 40);
        // In the order handed over, each after the commit.
        for (qsizetype i = 0; i < answers.size(); ++i)
            QVERIFY2(answers.all().at(i).id == answers.all().at(0).id + i, qPrintable(answers.all().at(i).error));
        QCOMPARE(countIn(options), qint64(40));
    }

    void submitBatch_pastThePendingLimit_refusesOnlyTheRest()
    {
        StoreOptions options = freshOptions();
        options.busyTimeoutMs = 30000;
        options.maxPendingBytes = 1024 * 1024;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        const QString name = QStringLiteral("batch-staller");
        Answers answers;
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            other.setDatabaseName(options.path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
            QList<CaptureSink::Submission> wave;
            for (int i = 0; i < 3; ++i) {
                Capture big = sampleCapture(i);
                big.body = QByteArray(400 * 1024, 'b');
                wave.append({big, &answers, answers.done()});
            }
            writer.submitBatch(std::move(wave));
            QVERIFY(answers.waitFor(1)); // the third is refused at once
            QCOMPARE(answers.last().id, qint64(0));
            QVERIFY2(answers.last().error.contains(u"is behind"), qPrintable(answers.last().error));
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        }
        QSqlDatabase::removeDatabase(name);
        QVERIFY(answers.waitFor(3));
        QVERIFY(answers.all().at(1).id > 0 && answers.all().at(2).id > 0);
        QCOMPARE(countIn(options), qint64(2));
    }

    void destructor_commitsEverythingQueued()
    {
        const StoreOptions options = freshOptions();
        {
            CaptureWriter writer(options);
            QString error;
            QVERIFY(writer.open(&error));
            for (int i = 0; i < 500; ++i)
                writer.submit(sampleCapture(i), nullptr, {});
        }
        QCOMPARE(countIn(options), qint64(500));
    }

    void longFlood_keepsTheLogBounded()
    {
        StoreOptions options = freshOptions();
        options.checkpointPages = 100;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        constexpr int count = 10000; // ~13 MB of pages: the log would hold all of it unchecked
        Answers answers;
        for (int i = 0; i < count; ++i)
            writer.submit(sampleCapture(i), &answers, answers.done());
        QVERIFY(answers.waitFor(count));
        QVERIFY(writer.stats().checkpoints > 0);
        const qint64 logSize = QFileInfo(options.path + QStringLiteral("-wal")).size();
        QVERIFY2(logSize < 8 * 1024 * 1024, qPrintable(QString::number(logSize)));
        QCOMPARE(countIn(options), qint64(count));
    }

    // Small transactions back to back (a listener under steady load): the log grows while each
    // checkpoint pass runs, and a pass per commit would cost two disk flushes per batch.
    void steadyCommits_spaceCheckpointsApartAndRestartTheLog()
    {
        StoreOptions options = freshOptions();
        options.checkpointPages = 100;
        options.maxBatch = 4;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        constexpr int count = 8000;
        Answers answers;
        for (int i = 0; i < count; ++i)
            writer.submit(sampleCapture(i), &answers, answers.done());
        QVERIFY(answers.waitFor(count));
        const WriterStats stats = writer.stats();
        QVERIFY(stats.transactions >= count / 4);
        QVERIFY(stats.logPages > 20 * options.checkpointPages);
        QVERIFY(stats.checkpoints > 0);
        // At most one background pass per checkpointPages new pages, each followed by at most
        // one inline copy of what it missed (and a pass per idle second).
        QVERIFY2(stats.checkpoints <= 2 * stats.logPages / options.checkpointPages + 10,
            qPrintable(QStringLiteral("%1 checkpoints for %2 log pages").arg(stats.checkpoints).arg(stats.logPages)));
        // The log still starts over now and then rather than growing with the captures (more than
        // 30,000 pages here, over 120 MB).
        const qint64 logSize = QFileInfo(options.path + QStringLiteral("-wal")).size();
        QVERIFY2(logSize < 8 * 1024 * 1024, qPrintable(QString::number(logSize)));
        QCOMPARE(countIn(options), qint64(count));
    }

    void oneBadWrite_failsAloneInItsBatch()
    {
        const StoreOptions options = freshOptions();
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        Answers answers;
        for (int i = 0; i < 50; ++i) {
            Capture capture = sampleCapture(i);
            if (i == 25)
                capture.sessionId = 4242; // no such session: the foreign key refuses it
            writer.submit(capture, &answers, answers.done());
        }
        QVERIFY(answers.waitFor(50));
        for (int i = 0; i < 50; ++i) {
            const auto &answer = answers.all().at(i);
            if (i == 25) {
                QCOMPARE(answer.id, qint64(0));
                QVERIFY(!answer.error.isEmpty());
                QVERIFY(!answer.error.contains(u'\n'));
            } else {
                QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
                QVERIFY(answer.id > 0);
            }
        }
        QCOMPARE(countIn(options), qint64(49));
        QCOMPARE(writer.stats().failures, qint64(1));
    }

    void unopenablePath_failsOpenWithOneLine()
    {
        const QString blocker = m_dir.filePath(QStringLiteral("a-file"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a directory");
        file.close();
        StoreOptions options;
        options.path = blocker + QStringLiteral("/sub/captures.sqlite");
        CaptureWriter writer(options);
        QString error;
        QVERIFY(!writer.open(&error));
        QVERIFY2(error.contains(blocker), qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
        const auto answer = writeAndWait(
            [&](QObject *context, CaptureSink::Done done) { writer.submit(sampleCapture(1), context, done); });
        QCOMPARE(answer.id, qint64(0));
        QCOMPARE(answer.error, error);
    }

    void readOnlyStore_isRefusedAtOpenAndStillReadable()
    {
        // On the build tree's file system: the immutable flag needs a real one (not tmpfs).
        QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/readonly-XXXXXX"));
        QVERIFY(dir.isValid());
        StoreOptions options;
        options.path = dir.filePath(QStringLiteral("ro.sqlite"));
        {
            CaptureWriter writer(options);
            QString error;
            QVERIFY(writer.open(&error));
            QVERIFY(
                writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(sampleCapture(1), c, d); }).id == 1);
        }
        // Root ignores permissions, so root makes the file immutable instead.
        const bool root = ::geteuid() == 0;
        auto setReadOnly = [&](bool readOnly) {
            if (root)
                return QProcess::execute(QStringLiteral("chattr"),
                           {readOnly ? QStringLiteral("+i") : QStringLiteral("-i"), options.path})
                    == 0;
            return QFile::setPermissions(
                options.path, readOnly ? QFile::ReadOwner | QFile::ReadGroup : QFile::ReadOwner | QFile::WriteOwner);
        };
        QVERIFY(setReadOnly(true));
        const auto restore = qScopeGuard([&] { setReadOnly(false); });
        QFile probe(options.path);
        QVERIFY2(!probe.open(QIODevice::ReadWrite), "the store file should be read-only now");

        CaptureWriter writer(options);
        QString error;
        QVERIFY(!writer.open(&error));
        QCOMPARE(error, QStringLiteral("the capture store %1 is read-only").arg(options.path));

        CaptureStore reader;
        QVERIFY2(reader.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        QCOMPARE(reader.count(), qint64(1));
        QCOMPARE(reader.capture(1)->body, dbtBody);
    }

    void notAStore_isRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("garbage.sqlite"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        StoreOptions options;
        options.path = path;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(!writer.open(&error));
        QVERIFY2(error.contains(u"not a Hookbench capture store"), qPrintable(error));
        QFile check(path);
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray(8192, 'x')); // untouched
    }

    void lockedStore_failsWithClearErrorThenRecovers()
    {
        StoreOptions options = freshOptions();
        options.busyTimeoutMs = 200;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));
        QVERIFY(writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(sampleCapture(1), c, d); }).id > 0);

        const QString name = QStringLiteral("other-process");
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            other.setDatabaseName(options.path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY2(lock.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(lock.lastError().text()));

            const auto answer
                = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(sampleCapture(2), c, d); });
            QCOMPARE(answer.id, qint64(0));
            QVERIFY2(answer.error.contains(u"locked by another process"), qPrintable(answer.error));
            QVERIFY(answer.error.contains(options.path));
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        }
        QSqlDatabase::removeDatabase(name);

        const auto answer
            = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(sampleCapture(3), c, d); });
        QVERIFY2(answer.id > 0, qPrintable(answer.error));
        QCOMPARE(countIn(options), qint64(2));
    }

    void stalledDisk_refusesWritesPastThePendingLimit()
    {
        StoreOptions options = freshOptions();
        options.busyTimeoutMs = 30000; // the writer waits for the lock below, like a stalled disk
        options.maxPendingBytes = 1024 * 1024;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));

        const QString name = QStringLiteral("staller");
        Answers accepted;
        Answers refused;
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            other.setDatabaseName(options.path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));

            Capture big = sampleCapture(1);
            big.body = QByteArray(400 * 1024, 'b');
            writer.submit(big, &accepted, accepted.done()); // 0.4 MiB pending
            writer.submit(big, &accepted, accepted.done()); // 0.8 MiB
            writer.submit(big, &refused, refused.done()); // would be 1.2 MiB
            QVERIFY(refused.waitFor(1)); // answered while the others still wait
            QCOMPARE(accepted.size(), 0);
            QCOMPARE(refused.last().id, qint64(0));
            QVERIFY2(refused.last().error.contains(u"is behind"), qPrintable(refused.last().error));
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        }
        QSqlDatabase::removeDatabase(name);
        QVERIFY(accepted.waitFor(2));
        for (const auto &answer : accepted.all())
            QVERIFY2(answer.id > 0, qPrintable(answer.error));
        QCOMPARE(countIn(options), qint64(2));
        // Once written, the memory is free for new writes again.
        Capture next = sampleCapture(2);
        next.body = QByteArray(450 * 1024, 'n');
        Answers again;
        writer.submit(next, &again, again.done());
        writer.submit(next, &again, again.done());
        QVERIFY(again.waitFor(2));
        QVERIFY2(again.all().at(0).id > 0 && again.all().at(1).id > 0, qPrintable(again.last().error));
    }

    void fullStore_failsNewWritesKeepsStoredOnes()
    {
        StoreOptions options = freshOptions();
        options.maxSizeBytes = 512 * 1024;
        CaptureWriter writer(options);
        QString error;
        QVERIFY(writer.open(&error));

        QList<qint64> stored;
        QString fullError;
        for (int i = 0; i < 40 && fullError.isEmpty(); ++i) {
            Capture capture = sampleCapture(i);
            capture.body = QByteArray(64 * 1024, char('a' + i % 26));
            const auto answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(capture, c, d); });
            if (answer.id > 0)
                stored.append(answer.id);
            else
                fullError = answer.error;
        }
        QVERIFY2(fullError.contains(u"is full"), qPrintable(fullError));
        QVERIFY(stored.size() >= 3);

        CaptureStore reader;
        QVERIFY(reader.open(options, CaptureStore::Missing::Fail, &error));
        QCOMPARE(reader.count(), qint64(stored.size()));
        for (qsizetype i = 0; i < stored.size(); ++i)
            QCOMPARE(reader.capture(stored.at(i))->body, QByteArray(64 * 1024, char('a' + i % 26)));

        // Deleting makes room again.
        QCOMPARE(
            writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.deleteCaptures(stored.mid(0, 3), c, d); }).id,
            qint64(3));
        Capture again = sampleCapture(100);
        again.body = QByteArray(64 * 1024, 'z');
        const auto answer = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(again, c, d); });
        QVERIFY2(answer.id > 0, qPrintable(answer.error));
    }
};

QTEST_GUILESS_MAIN(TestCaptureWriter)
#include "tst_capturewriter.moc"
