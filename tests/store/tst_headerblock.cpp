// The header block format: readable HTTP lines when possible, an exact binary form otherwise.
#include "store/headerblock.h"

#include <QTest>

using namespace hookbench;

class TestHeaderBlock : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_keepsOrderCaseDuplicatesAndBytes_data()
    {
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<bool>("readable");

        QTest::newRow("none") << HeaderList {} << true;
        QTest::newRow("typical") << HeaderList {{"Host", "example.com"}, {"Content-Type", "application/json"}} << true;
        QTest::newRow("duplicates and case")
            << HeaderList {{"set-cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"SET-COOKIE", "a=1"}} << true;
        QTest::newRow("empty value") << HeaderList {{"X-Empty", ""}, {"X-Next", "1"}} << true;
        QTest::newRow("leading and trailing spaces")
            << HeaderList {{"X-Lead", " one"}, {"X-Two", "  two"}, {"X-Trail", "t  "}} << true;
        QTest::newRow("colon in value") << HeaderList {{"X-Url", "http://a:b@c:80/d"}} << true;
        QTest::newRow("8-bit value") << HeaderList {{"X-Latin1", "caf\xe9\xff"}} << true;
        QTest::newRow("NUL in value") << HeaderList {{"X-Nul", QByteArray("a\0b", 3)}} << true;
        QTest::newRow("CRLF in value") << HeaderList {{"X-Split", "a\r\nInjected: yes"}} << false;
        QTest::newRow("bare LF in value") << HeaderList {{"X-Lf", "a\nb"}} << false;
        QTest::newRow("colon in name") << HeaderList {{"Weird:Name", "v"}} << false;
        QTest::newRow("empty name") << HeaderList {{"", "v"}} << false;
        QTest::newRow("NUL-led name") << HeaderList {{QByteArray("\0x", 2), "v"}} << false;
    }

    void roundTrip_keepsOrderCaseDuplicatesAndBytes()
    {
        QFETCH(HeaderList, headers);
        QFETCH(bool, readable);

        const QByteArray block = encodeHeaderBlock(headers);
        QCOMPARE(!block.startsWith('\0'), readable);
        if (readable && !headers.isEmpty())
            QVERIFY(block.startsWith(QByteArray(headers.first().name + ": ")));
        HeaderList decoded;
        QVERIFY(decodeHeaderBlock(block, &decoded));
        QCOMPARE(decoded.size(), headers.size());
        for (qsizetype i = 0; i < headers.size(); ++i) {
            QCOMPARE(decoded.at(i).name, headers.at(i).name);
            QCOMPARE(decoded.at(i).value, headers.at(i).value);
        }
    }

    void readableForm_isHttpHeaderLines()
    {
        const QByteArray block = encodeHeaderBlock({{"Host", "a"}, {"X-Two", "b c"}});
        QCOMPARE(block, QByteArray("Host: a\r\nX-Two: b c\r\n"));
    }

    void damagedBlocks_areRejected_data()
    {
        QTest::addColumn<QByteArray>("block");
        QTest::newRow("no line end") << QByteArray("Host: a");
        QTest::newRow("no colon") << QByteArray("Host a\r\n");
        QTest::newRow("truncated binary length") << QByteArray("\0HB1\0\0", 6);
        QTest::newRow("binary length beyond end") << QByteArray("\0HB1\0\0\0\x09name", 12);
    }

    void damagedBlocks_areRejected()
    {
        QFETCH(QByteArray, block);
        HeaderList decoded {{"Stale", "x"}};
        QVERIFY(!decodeHeaderBlock(block, &decoded));
        QVERIFY(decoded.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHeaderBlock)
#include "tst_headerblock.moc"
