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
