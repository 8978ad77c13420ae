#include "listener/requestframer.h"

#include <QRandomGenerator>
#include <QTest>

using namespace hookbench;

namespace {

// Events as comparable text, consecutive Body events merged (their split depends on the input's).
QStringList summary(const QList<FramerEvent> &events)
{
    QStringList out;
    qint64 pendingBody = 0;
    auto flushBody = [&] {
        if (pendingBody) {
            out.append(QStringLiteral("body %1").arg(pendingBody));
            pendingBody = 0;
        }
    };
    for (const FramerEvent &event : events) {
        if (event.type == FramerEvent::Type::Body) {
            pendingBody += event.bytes;
            continue;
        }
        flushBody();
        switch (event.type) {
        case FramerEvent::Type::Begin:
            out.append(QStringLiteral("begin"));
            break;
        case FramerEvent::Type::Head:
            // Concatenated, not arg(): targets contain "%2F".
            out.append(QStringLiteral("head ") + QString::fromLatin1(event.head.method) + u' '
                + QString::fromLatin1(event.head.target) + u' ' + QString::fromLatin1(event.head.version)
                + QStringLiteral(" cl=%1 chunked=%2 keep=%3 expect=%4")
                      .arg(event.head.contentLength)
                      .arg(int(event.head.chunked))
                      .arg(int(event.head.keepAlive))
                      .arg(int(event.head.expectContinue)));
            break;
        case FramerEvent::Type::Complete:
            out.append(QStringLiteral("complete %1").arg(event.bytes));
            break;
        case FramerEvent::Type::Error:
            out.append(QStringLiteral("error %1").arg(event.status));
            break;
        case FramerEvent::Type::Body:
            break;
        }
    }
    flushBody();
    return out;
}

QStringList feedWhole(const QByteArray &input, FramerLimits limits = {})
{
    RequestFramer framer(limits);
    QList<FramerEvent> events;
    framer.feed(input, events);
    return summary(events);
}

QStringList feedSplit(const QByteArray &input, const QList<qsizetype> &cuts, FramerLimits limits = {})
{
    RequestFramer framer(limits);
    QList<FramerEvent> events;
    qsizetype from = 0;
    for (const qsizetype cut : cuts) {
        framer.feed(QByteArrayView(input).sliced(from, cut - from), events);
        from = cut;
    }
    framer.feed(QByteArrayView(input).sliced(from), events);
    return summary(events);
}

QStringList feedByteByByte(const QByteArray &input, FramerLimits limits = {})
{
    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < input.size(); ++i)
        cuts.append(i);
    return feedSplit(input, cuts, limits);
}

int errorStatus(const QByteArray &input, FramerLimits limits = {})
{
    RequestFramer framer(limits);
    QList<FramerEvent> events;
    framer.feed(input, events);
    for (const FramerEvent &event : events) {
        if (event.type == FramerEvent::Type::Error)
            return event.status;
    }
    return 0;
}

const QByteArray pipelined = QByteArrayLiteral("POST /a?x=%2F HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                                               "\r\n" // stray CRLF between requests, tolerated like Qt does
                                               "PUT /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                               "3;name=value\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"
                                               "PROPFIND /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                               "HEAD /d HTTP/1.1\r\nConnection: close\r\n\r\n");

const QStringList pipelinedEvents {
    QStringLiteral("begin"),
    QStringLiteral("head POST /a?x=%2F HTTP/1.1 cl=5 chunked=0 keep=1 expect=0"),
    QStringLiteral("body 5"),
    QStringLiteral("complete 5"),
    QStringLiteral("begin"),
    QStringLiteral("head PUT /b HTTP/1.1 cl=-1 chunked=1 keep=1 expect=0"),
    QStringLiteral("body 19"),
    QStringLiteral("complete 19"),
    QStringLiteral("begin"),
    QStringLiteral("head PROPFIND /c HTTP/1.0 cl=-1 chunked=0 keep=1 expect=0"),
    QStringLiteral("complete 0"),
    QStringLiteral("begin"),
    QStringLiteral("head HEAD /d HTTP/1.1 cl=-1 chunked=0 keep=0 expect=0"),
    QStringLiteral("complete 0"),
};

} // namespace

class TestRequestFramer : public QObject
{
    Q_OBJECT

private slots:
    void pipelinedRequests_framedInOrder() { QCOMPARE(feedWhole(pipelined), pipelinedEvents); }

    void byteByByte_givesTheSameEvents() { QCOMPARE(feedByteByByte(pipelined), pipelinedEvents); }

    void randomSplits_giveTheSameEvents()
    {
        QRandomGenerator random(20240501);
        for (int round = 0; round < 300; ++round) {
            QList<qsizetype> cuts;
            const int pieces = int(random.bounded(1, 12));
            for (int i = 0; i < pieces; ++i)
                cuts.append(qsizetype(random.bounded(1, int(pipelined.size()))));
            std::sort(cuts.begin(), cuts.end());
            cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
            QCOMPARE(feedSplit(pipelined, cuts), pipelinedEvents);
        }
    }

    void bodyBytes_countedNotKept()
    {
        QByteArray body(3 * 1024 * 1024, 'x');
        body[0] = '\0';
        body[1] = char(0xff);
        const QByteArray request
            = "POST /big HTTP/1.1\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        const QStringList events = feedWhole(request);
        QCOMPARE(events.last(), QStringLiteral("complete %1").arg(body.size()));
    }

    void keepAlive_followsVersionAndConnection_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n") << false;
        QTest::newRow("1.1 close in a list") << QByteArray("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n") << false;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
    }

    void keepAlive_followsVersionAndConnection()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, keepAlive);
        RequestFramer framer;
        QList<FramerEvent> events;
        framer.feed(request, events);
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(1).head.keepAlive, keepAlive);
    }

    void expectContinue_onlyWithABody()
    {
        QVERIFY(feedWhole("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
                    .contains(QStringLiteral("head POST / HTTP/1.1 cl=3 chunked=0 keep=1 expect=1")));
        QVERIFY(feedWhole("GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n")
                    .contains(QStringLiteral("head GET / HTTP/1.1 cl=-1 chunked=0 keep=1 expect=0")));
    }

    void lfOnlyHeadLines_acceptedLikeQt()
    {
        QCOMPARE(feedWhole("POST /x HTTP/1.1\nContent-Length: 2\n\nok"),
            (QStringList {QStringLiteral("begin"),
                QStringLiteral("head POST /x HTTP/1.1 cl=2 chunked=0 keep=1 expect=0"), QStringLiteral("body 2"),
                QStringLiteral("complete 2")}));
    }

    void malformedInput_rejectedWithStatus_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("garbage line") << QByteArray("\x16\x03\x01\x02\x05 hello\r\n\r\n") << 400;
        QTest::newRow("method not a token") << QByteArray("G@T / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("control in target") << QByteArray("GET /a\x01 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("HTTP/2.0") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
        QTest::newRow("not HTTP") << QByteArray("GET / FTP/1.1\r\n\r\n") << 400;
        QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << 400;
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nName : x\r\n\r\n") << 400;
        QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26) << 400;
        QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n") << 400;
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        QTest::newRow("gzip coding") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
                                     << 501;
        QTest::newRow("two codings") << QByteArray(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
                                     << 400;
        QTest::newRow("length not a number") << QByteArray("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n") << 400;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n") << 400;
        QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n")
                                     << 413;
        QTest::newRow("chunk size not hex")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::newRow("chunk size 0x") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\n")
                                       << 400;
        QTest::newRow("chunk line LF only")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n") << 400;
        QTest::newRow("chunk data too long")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n") << 400;
        QTest::newRow("trailers") << QByteArray(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n")
                                  << 400;
        QTest::newRow("websocket upgrade")
            << QByteArray("GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n") << 501;
    }

    void malformedInput_rejectedWithStatus()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        QCOMPARE(errorStatus(input), status);
        // The same verdict whatever the split.
        QCOMPARE(feedByteByByte(input).constLast(), QStringLiteral("error %1").arg(status));
    }

    void limits_rejectWithTheirStatus()
    {
        FramerLimits limits;
        limits.maxBodyBytes = 100;
        limits.maxHeaderCount = 3;
        limits.maxHeaderBytes = 200;
        QCOMPARE(errorStatus("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", limits), 413);
        QCOMPARE(errorStatus("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n", limits), 0);
        QCOMPARE(errorStatus(
                     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + QByteArray(64, 'a') + "\r\n40\r\n",
                     limits),
            413);
        QCOMPARE(errorStatus("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits), 0);
        QCOMPARE(errorStatus("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", limits), 431);
        QCOMPARE(errorStatus("GET / HTTP/1.1\r\nA: " + QByteArray(200, 'a') + "\r\n\r\n", limits), 431);
        QCOMPARE(errorStatus("GET /" + QByteArray(300, 'a') + " HTTP/1.1\r\n\r\n", limits), 414);
    }

    void afterAnError_inputIsIgnored()
    {
        RequestFramer framer;
        QList<FramerEvent> events;
        framer.feed("BAD\r\n", events);
        QVERIFY(framer.failed());
        const qsizetype count = events.size();
        framer.feed("GET / HTTP/1.1\r\n\r\n", events);
        QCOMPARE(events.size(), count);
    }

    void inRequest_tracksPartialRequests()
    {
        RequestFramer framer;
        QList<FramerEvent> events;
        QVERIFY(!framer.inRequest());
        framer.feed("\r\n", events);
        QVERIFY(!framer.inRequest());
        framer.feed("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\no", events);
        QVERIFY(framer.inRequest());
        framer.feed("k", events);
        QVERIFY(!framer.inRequest());
    }
};

QTEST_APPLESS_MAIN(TestRequestFramer)
#include "tst_requestframer.moc"
