#include "capture/httpheaders.h"
#include "capture/verdict.h"

#include <QTest>

using namespace hookbench;

class TestHttpHeaders : public QObject
{
    Q_OBJECT

private slots:
    void lookup_isCaseInsensitive_andReturnsFirst()
    {
        const HeaderList headers {{"Content-Type", "a"}, {"X-Dup", "1"}, {"x-dup", "2"}};
        QCOMPARE(headerValue(headers, "content-type"), QByteArray("a"));
        QCOMPARE(headerValue(headers, "X-DUP"), QByteArray("1"));
        QCOMPARE(headerValues(headers, "x-Dup"), (QList<QByteArray> {"1", "2"}));
        QVERIFY(headerValue(headers, "missing").isNull());
        QCOMPARE(findHeader(headers, "X-Dup-Longer"), -1);
    }

    void setHeader_replacesInPlace_andDropsDuplicates()
    {
        HeaderList headers {{"A", "1"}, {"authorization", "old"}, {"B", "2"}, {"Authorization", "old2"}};
        setHeader(headers, "Authorization", "new");
        const HeaderList expected {{"A", "1"}, {"authorization", "new"}, {"B", "2"}};
        QCOMPARE(headers, expected);
        setHeader(headers, "C", "3");
        QCOMPARE(headers.last(), (HttpHeader {"C", "3"}));
    }

    void removeHeader_removesAllSpellings()
    {
        HeaderList headers {{"A", "1"}, {"a", "2"}, {"B", "3"}};
        QCOMPARE(removeHeader(headers, "A"), 2);
        QCOMPARE(headers, (HeaderList {{"B", "3"}}));
    }

    void parseHeaderLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("plain") << QByteArray("Authorization: abc") << true << QByteArray("Authorization")
                               << QByteArray("abc");
        QTest::newRow("no space") << QByteArray("X-A:b") << true << QByteArray("X-A") << QByteArray("b");
        QTest::newRow("keeps trailing space")
            << QByteArray("X-A:  b ") << true << QByteArray("X-A") << QByteArray("b ");
        QTest::newRow("empty value") << QByteArray("X-A:") << true << QByteArray("X-A") << QByteArray("");
        QTest::newRow("colon in value") << QByteArray("Stripe-Signature: t=1,v1=a:b") << true
                                        << QByteArray("Stripe-Signature") << QByteArray("t=1,v1=a:b");
        QTest::newRow("no colon") << QByteArray("Authorization abc") << false << QByteArray() << QByteArray();
        QTest::newRow("empty name") << QByteArray(": abc") << false << QByteArray() << QByteArray();
        QTest::newRow("space in name") << QByteArray("Bad Name: abc") << false << QByteArray() << QByteArray();
        QTest::newRow("newline in value") << QByteArray("X: a\nb") << false << QByteArray() << QByteArray();
    }

    void parseHeaderLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, ok);
        HttpHeader header;
        QCOMPARE(hookbench::parseHeaderLine(line, &header), ok);
        if (ok) {
            QFETCH(QByteArray, name);
            QFETCH(QByteArray, value);
            QCOMPARE(header.name, name);
            QCOMPARE(header.value, value);
        }
    }

    void verdictNames_roundTrip()
    {
        for (const Verdict verdict : {Verdict::Valid, Verdict::Invalid, Verdict::Unsigned, Verdict::NoSecret})
            QCOMPARE(verdictFromName(verdictName(verdict)), verdict);
        QCOMPARE(verdictName(Verdict::NoSecret), QStringLiteral("no-secret"));
        QVERIFY(!verdictFromName(u"VALID"));
    }
};

QTEST_GUILESS_MAIN(TestHttpHeaders)
#include "tst_httpheaders.moc"
