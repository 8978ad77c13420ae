#include "replay/capturerequest.h"
#include "replay/requestwire.h"

#include <QTest>

using namespace hookbench;

namespace {

HttpRequest request(const char *method, const char *url, HeaderList headers = {}, QByteArray body = {})
{
    HttpRequest r;
    r.method = method;
    r.url = QUrl(QString::fromLatin1(url));
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
}

QByteArray wire(const HttpRequest &r)
{
    QString error;
    const auto bytes = serializeRequest(r, &error);
    if (!bytes)
        qWarning("serializeRequest failed: %s", qPrintable(error));
    return bytes.value_or(QByteArray());
}

} // namespace

class TestRequestWire : public QObject
{
    Q_OBJECT

private slots:
    void serialize_data()
    {
        QTest::addColumn<HttpRequest>("request");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("post: Host first, headers as given, length derived")
            << request("POST", "http://127.0.0.1:8080/hook",
                   {{"Authorization", "abc"}, {"content-type", "application/json"}, {"X-Dup", "1"}, {"x-dup", "2"}},
                   "{\"a\":1}")
            << QByteArray(
                   "POST /hook HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAuthorization: abc\r\n"
                   "content-type: application/json\r\nX-Dup: 1\r\nx-dup: 2\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
        QTest::newRow("get: no body, no length, default port omitted") << request(
            "GET", "http://example.test:80/a?b=c") << QByteArray("GET /a?b=c HTTP/1.1\r\nHost: example.test\r\n\r\n");
        QTest::newRow("empty path becomes /")
            << request("GET", "https://example.test") << QByteArray("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");
        QTest::newRow("empty post still says its length")
            << request("POST", "http://h/") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
        QTest::newRow("custom verb with a body") << request(
            "PURGE", "http://h/x", {}, "z") << QByteArray("PURGE /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nz");
        QTest::newRow("user's Host and Content-Length are kept as given, in place")
            << request("POST", "http://127.0.0.1:9/", {{"content-length", "3"}, {"HOST", "other.test"}}, "abc")
            << QByteArray("POST / HTTP/1.1\r\ncontent-length: 3\r\nHOST: other.test\r\n\r\nabc");
        QTest::newRow("chunked: the body goes as one chunk")
            << request("POST", "http://h/", {{"Transfer-Encoding", "chunked"}}, "hello")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        QTest::newRow("ipv6 host") << request("GET", "http://[::1]:8080/")
                                   << QByteArray("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
        QTest::newRow("binary body, empty header value")
            << request("POST", "http://h/", {{"X-Empty", ""}}, QByteArray("\x00\xff\r\n", 4))
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nX-Empty: \r\nContent-Length: 4\r\n\r\n\x00\xff\r\n", 62);
    }
    void serialize()
    {
        QFETCH(HttpRequest, request);
        QFETCH(QByteArray, expected);
        QCOMPARE(wire(request), expected);
    }

    void serialize_neverAddsHeadersQtWould()
    {
        const QByteArray bytes = wire(request("POST", "https://example.test/x", {{"A", "b"}}, "body"));
        for (const char *name : {"User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection"})
            QVERIFY2(!bytes.contains(QByteArray(QByteArray(name) + ':')), name);
    }

    void problems_areReportedNotSent_data()
    {
        QTest::addColumn<HttpRequest>("request");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("ftp") << request("GET", "ftp://h/") << "http:// or https://";
        QTest::newRow("no host") << request("GET", "http:///x") << "no host";
        QTest::newRow("method with space") << request("GE T", "http://h/") << "method";
        QTest::newRow("CRLF in a value") << request("GET", "http://h/", {{"X", "a\r\nInjected: 1"}}) << "line break";
        QTest::newRow("bad name") << request("GET", "http://h/", {{"Bad Name", "1"}}) << "not a valid token";
        QTest::newRow("gzip transfer coding")
            << request("POST", "http://h/", {{"Transfer-Encoding", "gzip"}}) << "chunked";
    }
    void problems_areReportedNotSent()
    {
        QFETCH(HttpRequest, request);
        QFETCH(QString, fragment);
        QString error;
        QVERIFY(!serializeRequest(request, &error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
    }

    void target_verbatimWhileItMatchesTheUrl()
    {
        HttpRequest r = request("POST", "http://h/");
        r.target = "/a%7eb%2f?x=%7e&y";
        r.url = QUrl::fromEncoded("http://h" + r.target);
        QVERIFY(r.url.toEncoded().contains('~')); // QUrl normalised it...
        QCOMPARE(requestTarget(r), QByteArray("/a%7eb%2f?x=%7e&y")); // ...the wire does not

        r.url.setPath(QStringLiteral("/edited")); // someone changed the URL: it wins
        QCOMPARE(requestTarget(r), QByteArray("/edited?x=~&y"));
    }

    void captureRequest_keepsTargetAndHeadersMinusHopByHop()
    {
        Capture capture;
        capture.method = "POST";
        capture.target = "/hooks/dbt?run=%7e1";
        capture.headers = {{"Host", "old.test:5000"}, {"Authorization", "sig"}, {"Connection", "keep-alive, X-Hop"},
            {"X-Hop", "1"}, {"Content-Length", "2"}, {"Transfer-Encoding", "chunked"}, {"content-type", "json"},
            {"X-Dup", "a"}, {"X-Dup", "b"}};
        capture.body = "{}";

        const HttpRequest r = requestFromCapture(capture, QUrl(QStringLiteral("http://127.0.0.1:9000")));
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.body, QByteArray("{}"));
        const HeaderList expected {{"Authorization", "sig"}, {"content-type", "json"}, {"X-Dup", "a"}, {"X-Dup", "b"}};
        QCOMPARE(r.headers, expected);
        QCOMPARE(wire(r),
            QByteArray("POST /hooks/dbt?run=%7e1 HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nAuthorization: sig\r\n"
                       "content-type: json\r\nX-Dup: a\r\nX-Dup: b\r\nContent-Length: 2\r\n\r\n{}"));

        const HttpRequest slash = requestFromCapture(capture, QUrl(QStringLiteral("http://127.0.0.1:9000/")));
        QCOMPARE(requestTarget(slash), QByteArray("/hooks/dbt?run=%7e1"));

        const HttpRequest fixed = requestFromCapture(capture, QUrl(QStringLiteral("http://127.0.0.1:9000/in?k=1")));
        QCOMPARE(requestTarget(fixed), QByteArray("/in?k=1"));
    }
};

QTEST_GUILESS_MAIN(TestRequestWire)
#include "tst_requestwire.moc"
