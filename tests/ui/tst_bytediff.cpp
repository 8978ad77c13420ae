#include "models/bytediff.h"

#include <QTest>

using namespace hookbench;

using Ranges = QList<QPair<qsizetype, qsizetype>>;

class TestByteDiff : public QObject
{
    Q_OBJECT

private slots:
    void marksWhatDiffers_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<Ranges>("removed");
        QTest::addColumn<Ranges>("added");
        QTest::newRow("equal") << QByteArray("{\"a\":1}") << QByteArray("{\"a\":1}") << Ranges {} << Ranges {};
        QTest::newRow("python separators") << QByteArray("{\"a\":1,\"b\":2}") << QByteArray("{\"a\": 1, \"b\": 2}")
                                           << Ranges {} << Ranges {{5, 6}, {8, 9}, {13, 14}};
        QTest::newRow("crlf to lf") << QByteArray("a\r\nb\r\n") << QByteArray("a\nb\n") << Ranges {{1, 2}, {4, 5}}
                                    << Ranges {};
        QTest::newRow("trailing newline") << QByteArray("{}") << QByteArray("{}\n") << Ranges {} << Ranges {{2, 3}};
        QTest::newRow("bom") << QByteArray("\xef\xbb\xbf{}") << QByteArray("{}") << Ranges {{0, 3}} << Ranges {};
        QTest::newRow("replaced") << QByteArray("abcXdef") << QByteArray("abcYdef") << Ranges {{3, 4}}
                                  << Ranges {{3, 4}};
        QTest::newRow("from empty") << QByteArray() << QByteArray("xyz") << Ranges {} << Ranges {{0, 3}};
    }
    void marksWhatDiffers()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(Ranges, removed);
        QFETCH(Ranges, added);
        const ByteDiff diff = diffBytes(a, b);
        QVERIFY(diff.complete);
        QCOMPARE(diff.removed, removed);
        QCOMPARE(diff.added, added);
    }

    // Whatever the inputs, removing `removed` from a and `added` from b leaves the same bytes.
    void rangesAlwaysLeaveACommonSubsequence()
    {
        QByteArray a = "{\"accountId\":1,\"data\":{\"runId\":\"12345\",\"ok\":true}}";
        QByteArray b = "{\n  \"accountId\": 1,\n  \"data\": {\n    \"ok\": true,\n    \"runId\": \"12345\"\n  }\n}";
        const ByteDiff diff = diffBytes(a, b);
        QVERIFY(diff.complete);
        auto keep = [](const QByteArray &bytes, const Ranges &ranges) -> QByteArray {
            QByteArray kept;
            qsizetype at = 0;
            for (const auto &[start, end] : ranges) {
                kept += bytes.mid(at, start - at);
                at = end;
            }
            return kept + bytes.mid(at);
        };
        QCOMPARE(keep(a, diff.removed), keep(b, diff.added));
    }

    void tooManyDifferences_stopsAndMarksTheRest()
    {
        QByteArray a(3000, 'a');
        QByteArray b(3000, 'b');
        const ByteDiff diff = diffBytes(a, b, 100);
        QVERIFY(!diff.complete);
        QCOMPARE(diff.removed, (Ranges {{0, 3000}}));
        QCOMPARE(diff.added, (Ranges {{0, 3000}}));
    }
};

QTEST_GUILESS_MAIN(TestByteDiff)
#include "tst_bytediff.moc"
