#include "replay/httpresponseparser.h"

#include <QTest>

using namespace hookbench;

namespace {

enum class Feeding { Whole, ByteByByte };

// Feeds `bytes` (whole or one byte at a time), then signals the close when `close` is set.
HttpResponseParser::Result parse(HttpResponseParser &parser, const QByteArray &bytes, Feeding feeding, bool close)
{
    HttpResponseParser::Result result = HttpResponseParser::Result::NeedMore;
    if (feeding == Feeding::Whole) {
        result = parser.feed(bytes);
    } else {
        for (qsizetype i = 0; i < bytes.size() && result == HttpResponseParser::Result::NeedMore; ++i)
            result = parser.feed(QByteArrayView(bytes).sliced(i, 1));
    }
    if (close && result == HttpResponseParser::Result::NeedMore)
        result = parser.finish();
    return result;
}

} // namespace

class TestHttpResponseParser : public QObject
{
    Q_OBJECT

private slots:
    void complete_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("close");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("reusable");

        QTest::newRow("content-length, headers kept in order and case")
            << QByteArray("HTTP/1.1 201 Created\r\nX-B: 2\r\nx-a:1\r\nX-B:  3 \r\nContent-Length: 5\r\n\r\nhello")
            << false << 201 << QByteArray("Created")
            << HeaderList {{"X-B", "2"}, {"x-a", "1"}, {"X-B", "3"}, {"Content-Length", "5"}} << QByteArray("hello")
            << true;
        QTest::newRow("chunked with extension and trailer")
            << QByteArray(
                   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\nA\r\npedia in\r\n\r\n5\r\n")
                + QByteArray(1, '\0') + QByteArray("abcd\r\n0\r\nX-Trailer: t\r\n\r\n")
            << false << 200 << QByteArray("OK") << HeaderList {{"Transfer-Encoding", "chunked"}, {"X-Trailer", "t"}}
            << QByteArray("Wikipedia in\r\n") + QByteArray(1, '\0') + QByteArray("abcd") << true;
        QTest::newRow("close-delimited") << QByteArray(
            "HTTP/1.1 500 Internal Server Error\r\nServer: x\r\n\r\nbody until close")
                                         << true << 500 << QByteArray("Internal Server Error")
                                         << HeaderList {{"Server", "x"}} << QByteArray("body until close") << false;
        QTest::newRow("interim 100 and 103 skipped")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                          "HTTP/1.1 204 No Content\r\nX: y\r\n\r\n")
            << false << 204 << QByteArray("No Content") << HeaderList {{"X", "y"}} << QByteArray() << true;
        QTest::newRow("bare LF, no reason phrase, folded header")
            << QByteArray("HTTP/1.1 404\nX-Long: a\n  b\nContent-Length: 0\n\n") << false << 404 << QByteArray()
            << HeaderList {{"X-Long", "a b"}, {"Content-Length", "0"}} << QByteArray() << true;
        QTest::newRow("HTTP/1.0 is not reused")
            << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx") << false << 200 << QByteArray("OK")
            << HeaderList {{"Content-Length", "1"}} << QByteArray("x") << false;
        QTest::newRow("Connection: close is not reused")
            << QByteArray("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 1\r\n\r\nx") << false << 200
            << QByteArray("OK") << HeaderList {{"Connection", "Close"}, {"Content-Length", "1"}} << QByteArray("x")
            << false;
        QTest::newRow("gzip body stays compressed")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00", 66)
            << false << 200 << QByteArray("OK") << HeaderList {{"Content-Encoding", "gzip"}, {"Content-Length", "4"}}
            << QByteArray("\x1f\x8b\x08\x00", 4) << true;
    }
    void complete()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, close);
        for (const Feeding feeding : {Feeding::Whole, Feeding::ByteByByte}) {
            HttpResponseParser parser;
            QCOMPARE(parse(parser, bytes, feeding, close), HttpResponseParser::Result::Complete);
            QTEST(parser.status(), "status");
            QTEST(parser.reasonPhrase(), "reason");
            QTEST(parser.headers(), "headers");
            QTEST(parser.body(), "body");
            QTEST(parser.canReuseConnection(), "reusable");
            QCOMPARE(parser.bytesReceived(), bytes.size());
        }
    }

    void headResponse_hasNoBodyDespiteLength()
    {
        HttpResponseParser parser({}, true);
        QCOMPARE(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"), HttpResponseParser::Result::Complete);
        QVERIFY(parser.body().isEmpty());
        QVERIFY(parser.canReuseConnection());
    }

    void bytesAfterTheResponse_preventReuse()
    {
        HttpResponseParser parser;
        QCOMPARE(
            parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA"), HttpResponseParser::Result::Complete);
        QCOMPARE(parser.body(), QByteArray("x"));
        QCOMPARE(parser.leftover(), QByteArray("EXTRA"));
        QVERIFY(!parser.canReuseConnection());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("close");
        QTest::addColumn<QString>("fragment");

        QTest::newRow("garbage") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << false << "HTTP/1.x status line";
        QTest::newRow("bad status") << QByteArray("HTTP/1.1 2x0 OK\r\n") << false << "invalid status code";
        QTest::newRow("bad header line") << QByteArray("HTTP/1.1 200 OK\r\nno colon here\r\n") << false
                                         << "malformed response header";
        QTest::newRow("conflicting lengths")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc") << false
            << "conflicting Content-Length";
        QTest::newRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") << false
                                         << "Content-Length";
        QTest::newRow("bad chunk size") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << false << "invalid chunk size";
        QTest::newRow("chunk longer than said")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n") << false
            << "longer than its size";
        QTest::newRow("closed before answering") << QByteArray() << true << "without answering";
        QTest::newRow("closed in headers") << QByteArray("HTTP/1.1 200 OK\r\nX: 1\r\n") << true << "response headers";
        QTest::newRow("closed in body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") << true
                                        << "after 3 of 10 body bytes";
        QTest::newRow("closed in chunks")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") << true << "chunked body";
    }
    void errors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, close);
        QFETCH(QString, fragment);
        for (const Feeding feeding : {Feeding::Whole, Feeding::ByteByByte}) {
            HttpResponseParser parser;
            QCOMPARE(parse(parser, bytes, feeding, close), HttpResponseParser::Result::Error);
            QVERIFY2(parser.error().contains(fragment), qPrintable(parser.error()));
            QVERIFY(!parser.error().contains(u'\n'));
        }
    }

    void limits_areErrorsNotTruncations()
    {
        ResponseLimits limits;
        limits.maxBodyBytes = 10;
        limits.maxHeaderBytes = 100;
        limits.maxHeaderCount = 3;

        HttpResponseParser declared(limits);
        QCOMPARE(declared.feed("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"), HttpResponseParser::Result::Error);
        QVERIFY2(declared.error().contains(u"exceeds the 10 bytes limit"), qPrintable(declared.error()));

        HttpResponseParser chunked(limits);
        QCOMPARE(chunked.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n"),
            HttpResponseParser::Result::Error);

        HttpResponseParser untilClose(limits);
        QCOMPARE(untilClose.feed("HTTP/1.1 200 OK\r\n\r\n0123456789"), HttpResponseParser::Result::NeedMore);
        QCOMPARE(untilClose.feed("x"), HttpResponseParser::Result::Error);

        HttpResponseParser longHeader(limits);
        QCOMPARE(longHeader.feed(QByteArray("HTTP/1.1 200 OK\r\nX: " + QByteArray(200, 'a'))),
            HttpResponseParser::Result::Error);
        QVERIFY2(longHeader.error().contains(u"headers exceed"), qPrintable(longHeader.error()));

        HttpResponseParser manyHeaders(limits);
        QCOMPARE(
            manyHeaders.feed("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"), HttpResponseParser::Result::Error);
        QVERIFY2(manyHeaders.error().contains(u"more than 3 header fields"), qPrintable(manyHeaders.error()));

        HttpResponseParser atLimit(limits);
        QCOMPARE(atLimit.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"),
            HttpResponseParser::Result::Complete);
    }
};

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
