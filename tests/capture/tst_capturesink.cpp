#include "capture/capturesink.h"

#include <QSignalSpy>
#include <QTest>

using namespace hookbench;

class TestCaptureSink : public QObject
{
    Q_OBJECT

private slots:
    void done_isQueued_andCarriesTheId()
    {
        MemoryCaptureSink sink;
        QObject context;
        qint64 committed = -1;
        Capture capture;
        capture.body = QByteArray("\0\xff", 2);
        sink.submit(capture, &context, [&](qint64 id, const QString &error) {
            committed = id;
            QVERIFY(error.isEmpty());
        });
        QCOMPARE(committed, -1); // never inside submit()
        QTRY_COMPARE(committed, 1);
        QCOMPARE(sink.captures().first().body, QByteArray("\0\xff", 2));
    }

    void failure_reportsZeroAndTheError()
    {
        MemoryCaptureSink sink;
        sink.setFailure(QStringLiteral("disk full"));
        QObject context;
        QString reported;
        qint64 committed = -1;
        sink.submit(Capture(), &context, [&](qint64 id, const QString &error) {
            committed = id;
            reported = error;
        });
        QTRY_COMPARE(committed, 0);
        QCOMPARE(reported, QStringLiteral("disk full"));
        QVERIFY(sink.captures().isEmpty());
    }

    void attempts_andResponseStatus_areKept()
    {
        MemoryCaptureSink sink;
        QObject context;
        qint64 captureId = 0;
        sink.submit(Capture(), &context, [&](qint64 id, const QString &) { captureId = id; });
        QTRY_COMPARE(captureId, 1);

        Attempt attempt;
        attempt.kind = Attempt::Kind::Forward;
        attempt.captureId = captureId;
        attempt.status = 201;
        qint64 attemptId = -1;
        sink.addAttempt(attempt, &context, [&](qint64 id, const QString &error) {
            attemptId = id;
            QVERIFY(error.isEmpty());
        });
        QCOMPARE(attemptId, -1); // never inside the call
        QTRY_COMPARE(attemptId, 1);
        QCOMPARE(sink.attempts().first().status, 201);
        QCOMPARE(sink.attempts().first().id, 1);

        qint64 updated = -1;
        sink.setResponseStatus(captureId, 502, &context, [&](qint64 rows, const QString &) { updated = rows; });
        QTRY_COMPARE(updated, 1);
        QCOMPARE(sink.captures().first().responseStatus, 502);

        QString error;
        sink.setResponseStatus(99, 200, &context, [&](qint64 rows, const QString &message) {
            updated = rows;
            error = message;
        });
        QTRY_COMPARE(updated, 0);
        QCOMPARE(error, QStringLiteral("no capture with id 99"));
    }

    void sinkWithoutAttempts_reportsAnError()
    {
        class CapturesOnly : public CaptureSink
        {
        public:
            void submit(Capture, QObject *, Done) override { }
        } sink;
        QObject context;
        QString error;
        qint64 id = -1;
        sink.addAttempt(Attempt(), &context, [&](qint64 value, const QString &message) {
            id = value;
            error = message;
        });
        QTRY_COMPARE(id, 0);
        QVERIFY(!error.isEmpty());
    }

    void destroyedContext_dropsTheCallback()
    {
        MemoryCaptureSink sink;
        bool called = false;
        {
            QObject context;
            sink.submit(Capture(), &context, [&](qint64, const QString &) { called = true; });
        }
        QTest::qWait(20);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestCaptureSink)
#include "tst_capturesink.moc"
