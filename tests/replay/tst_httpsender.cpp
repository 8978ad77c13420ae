#include "rawhttpreceiver.h"
#include "selfsignedcertificate.h"

#include "replay/httpsender.h"
#include "replay/requestwire.h"

#include <QTest>

#include <optional>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

HttpRequest post(const QString &url, HeaderList headers = {}, QByteArray body = {})
{
    HttpRequest request;
    request.url = QUrl(url);
    request.headers = std::move(headers);
    request.body = std::move(body);
    return request;
}

std::optional<Attempt> sendAndWait(HttpSender &sender, const HttpRequest &request, const SendOptions &options = {})
{
    std::optional<Attempt> result;
    sender.send(request, options, &sender, [&result](const Attempt &attempt) { result = attempt; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 60000))
        qWarning("no attempt within 60 s");
    return result;
}

std::optional<Attempt> sendAndWait(const HttpRequest &request, const SendOptions &options = {})
{
    HttpSender sender;
    return sendAndWait(sender, request, options);
}

QByteArray describe(const Attempt &attempt)
{
    return attemptFailureName(attempt.failure).toUtf8() + ": " + attempt.error.toUtf8() + " (status "
        + QByteArray::number(attempt.status) + ')';
}

} // namespace

class TestHttpSender : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend on this machine");
        QString error;
        m_tls = selfSignedServerConfiguration(&error);
        QVERIFY2(!m_tls.isNull(), qPrintable(error));
    }

    void request_arrivesByteExact()
    {
        RawHttpReceiver receiver;
        QByteArray body("{\"eventType\":\"job.run.completed\",\"x\":\"caf\xc3\xa9\"}\n");
        body.append('\0').append("\xff\r\n", 3);
        const HeaderList headers {{"authorization", "5d3c"}, {"Content-Type", "application/json"}, {"X-Dup", "first"},
            {"x-dup", "second"}, {"X-Spaces", "  kept  "}, {"X-Empty", ""}};
        const auto attempt = sendAndWait(post(receiver.url(QStringLiteral("/hooks/dbt?a=1&b=%20")), headers, body));
        QVERIFY(attempt);
        QVERIFY2(attempt->succeeded(), describe(*attempt));
        QCOMPARE(receiver.requests().size(), 1);

        const QByteArray expectedHead
            = "POST /hooks/dbt?a=1&b=%20 HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(receiver.port())
            + "\r\nauthorization: 5d3c\r\nContent-Type: application/json\r\nX-Dup: first\r\nx-dup: second\r\n"
              "X-Spaces:   kept  \r\nX-Empty: \r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n";
        QCOMPARE(receiver.requests().first().raw, expectedHead + body);
        QCOMPARE(attempt->request.headers, headers);
        QCOMPARE(attempt->request.body, body);
        QCOMPARE(attempt->status, 200);
        QCOMPARE(attempt->reasonPhrase, QByteArray("OK"));
        QCOMPARE(attempt->responseBody, QByteArray("ok"));
        QCOMPARE(headerValue(attempt->responseHeaders, "content-type"), QByteArray("text/plain"));
        QVERIFY(attempt->timeToFirstByteUs >= 0);
        QVERIFY(attempt->totalUs >= attempt->timeToFirstByteUs);
        QVERIFY(attempt->startedAtUs > 0);
        QCOMPARE(attempt->kind, Attempt::Kind::Send);
    }

    void noHeaderIsAddedUnlessListed()
    {
        RawHttpReceiver receiver;
        const auto attempt = sendAndWait(post(receiver.url(), {{"X-Only", "1"}}, "b"));
        QVERIFY(attempt && attempt->succeeded());
        const QList<QByteArray> lines = receiver.requests().first().headerLines;
        QCOMPARE(lines,
            (QList<QByteArray> {
                "Host: 127.0.0.1:" + QByteArray::number(receiver.port()), "X-Only: 1", "Content-Length: 1"}));

        // ...and the user's own spelling of those headers goes instead of ours.
        const auto own = sendAndWait(post(receiver.url(),
            {{"user-agent", "dbt-cloud"}, {"host", "example.test"}, {"Connection", "close"}, {"Accept-Encoding", "br"}},
            "b"));
        QVERIFY(own && own->succeeded());
        QCOMPARE(receiver.requests().last().headerLines,
            (QList<QByteArray> {"user-agent: dbt-cloud", "host: example.test", "Connection: close",
                "Accept-Encoding: br", "Content-Length: 1"}));
    }

    void customAndBodylessMethods()
    {
        RawHttpReceiver receiver;
        HttpRequest propfind = post(receiver.url(QStringLiteral("/dav")), {{"Depth", "1"}}, "<x/>");
        propfind.method = "PROPFIND";
        QVERIFY(sendAndWait(propfind)->succeeded());
        QCOMPARE(receiver.requests().last().requestLine, QByteArray("PROPFIND /dav HTTP/1.1"));
        QCOMPARE(receiver.requests().last().body, QByteArray("<x/>"));

        HttpRequest head = post(receiver.url());
        head.method = "HEAD";
        receiver.answerWith("HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n"); // no body after a HEAD
        const auto attempt = sendAndWait(head);
        QVERIFY2(attempt->succeeded(), describe(*attempt));
        QVERIFY(attempt->responseBody.isEmpty());
        QVERIFY(!receiver.requests().last().raw.contains("Content-Length"));
    }

    void responseFraming_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<bool>("close");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("chunked") << QByteArray("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"
                                               "2\r\nde\r\n0\r\n\r\n")
                                 << false << 202 << QByteArray("abcde");
        QTest::newRow("close-delimited") << QByteArray("HTTP/1.1 500 Oops\r\nX: 1\r\n\r\nuntil the end") << true << 500
                                         << QByteArray("until the end");
        QTest::newRow("gzip kept raw") << QByteArray(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n"
            "\r\n\x1f\x8b\x08") << false
                                       << 200 << QByteArray("\x1f\x8b\x08");
    }
    void responseFraming()
    {
        QFETCH(QByteArray, response);
        QFETCH(bool, close);
        RawHttpReceiver receiver;
        receiver.answerWith(response, close);
        const auto attempt = sendAndWait(post(receiver.url(), {}, "x"));
        QVERIFY(attempt);
        QCOMPARE(attempt->failure, Attempt::Failure::None);
        QTEST(attempt->status, "status");
        QTEST(attempt->responseBody, "body");
    }

    void slowResponse_withinTimeout_completes()
    {
        RawHttpReceiver receiver;
        const QByteArray response = RawHttpReceiver::okResponse("slowly, byte by byte");
        receiver.setHandler([response](QTcpSocket *socket, const ReceivedRequest &) {
            auto *timer = new QTimer(socket);
            auto at = std::make_shared<qsizetype>(0);
            QObject::connect(timer, &QTimer::timeout, socket, [socket, timer, response, at] {
                socket->write(response.mid((*at)++, 1));
                if (*at >= response.size())
                    timer->stop();
            });
            timer->start(2);
        });
        const auto attempt = sendAndWait(post(receiver.url(), {}, "x"));
        QVERIFY2(attempt->succeeded(), describe(*attempt));
        QCOMPARE(attempt->responseBody, QByteArray("slowly, byte by byte"));
        QVERIFY(attempt->totalUs > attempt->timeToFirstByteUs);
    }

    void failures_areClassified_data()
    {
        QTest::addColumn<QString>("behaviour");
        QTest::addColumn<Attempt::Failure>("failure");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("never answers") << "never" << Attempt::Failure::Timeout
                                       << "waiting for a response from 127.0.0.1";
        QTest::newRow("stalls mid-body") << "stall" << Attempt::Failure::Timeout << "reading the response";
        QTest::newRow("garbage") << "garbage" << Attempt::Failure::Other << "HTTP/1.x status line";
        QTest::newRow("closes without answering") << "hangup" << Attempt::Failure::Other << "without answering";
        QTest::newRow("closes mid-body") << "truncate" << Attempt::Failure::Other << "after 2 of 10 body bytes";
        QTest::newRow("too big") << "big" << Attempt::Failure::Other << "exceeds the 1 KiB limit";
    }
    void failures_areClassified()
    {
        QFETCH(QString, behaviour);
        RawHttpReceiver receiver;
        if (behaviour == u"never")
            receiver.holdRequests();
        else if (behaviour == u"stall")
            receiver.answerWith("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
        else if (behaviour == u"garbage")
            receiver.answerWith("SSH-2.0-OpenSSH_9.2p1\r\n", true);
        else if (behaviour == u"hangup")
            receiver.answerWith({}, true);
        else if (behaviour == u"truncate")
            receiver.answerWith("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", true);
        else if (behaviour == u"big")
            receiver.answerWith(RawHttpReceiver::okResponse(QByteArray(2000, 'x')));

        SendOptions options;
        options.timeoutMs = 1000; // long enough that a loaded machine still sees the connect first
        options.limits.maxBodyBytes = 1024;
        const auto attempt = sendAndWait(post(receiver.url(), {}, "x"), options);
        QVERIFY(attempt);
        QTEST(attempt->failure, "failure");
        QFETCH(QString, fragment);
        QVERIFY2(attempt->error.contains(fragment), qPrintable(attempt->error));
        QVERIFY(!attempt->error.contains(u'\n'));
        QVERIFY(!attempt->succeeded());
        QCOMPARE(receiver.requests().size(), 1); // the request did arrive
    }

    void refusedConnection()
    {
        const quint16 port = closedPort();
        const auto attempt = sendAndWait(post(QStringLiteral("http://127.0.0.1:%1/").arg(port), {}, "x"));
        QVERIFY(attempt);
        QCOMPARE(attempt->failure, Attempt::Failure::Refused);
        QCOMPARE(attempt->error, QStringLiteral("connection refused by 127.0.0.1:%1").arg(port));
        QCOMPARE(attempt->status, 0);
    }

    void malformedRequest_failsWithoutConnecting()
    {
        HttpSender sender;
        bool called = false;
        std::optional<Attempt> result;
        sender.send(post(QStringLiteral("ftp://127.0.0.1/")), {}, &sender, [&](const Attempt &attempt) {
            called = true;
            result = attempt;
        });
        QVERIFY(!called); // never inside send()
        QVERIFY(QTest::qWaitFor([&] { return called; }, 10000));
        QCOMPARE(result->failure, Attempt::Failure::Other);
        QVERIFY2(result->error.contains(u"http:// or https://"), qPrintable(result->error));
    }

    void tls_certificateErrorsFailUnlessIgnored()
    {
        RawHttpReceiver receiver(m_tls);
        QVERIFY(receiver.url().startsWith(u"https://"));

        const auto strict = sendAndWait(post(receiver.url(QStringLiteral("/secure")), {}, "x"));
        QVERIFY(strict);
        QCOMPARE(strict->failure, Attempt::Failure::Tls);
        QVERIFY2(
            strict->error.startsWith(QStringLiteral("TLS certificate of 127.0.0.1:%1 rejected: ").arg(receiver.port())),
            qPrintable(strict->error));
        QVERIFY2(strict->error.contains(u"self-signed", Qt::CaseInsensitive), qPrintable(strict->error));
        QCOMPARE(receiver.requests().size(), 0);

        SendOptions insecure;
        insecure.ignoreTlsErrors = true;
        const auto ignored = sendAndWait(post(receiver.url(QStringLiteral("/secure")), {{"A", "1"}}, "x"), insecure);
        QVERIFY2(ignored->succeeded(), describe(*ignored));
        QCOMPARE(receiver.requests().size(), 1);
        QCOMPARE(receiver.requests().first().raw,
            "POST /secure HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(receiver.port())
                + "\r\nA: 1\r\nContent-Length: 1\r\n\r\nx");

        // Keep-alive over TLS too, but never across the strict/insecure line.
        HttpSender sender;
        for (int i = 0; i < 3; ++i)
            QVERIFY(sendAndWait(sender, post(receiver.url(), {}, "x"), insecure)->succeeded());
        QCOMPARE(receiver.connectionsAccepted(), 2);
        QCOMPARE(sendAndWait(sender, post(receiver.url(), {}, "x"))->failure, Attempt::Failure::Tls);
    }

    void keepAlive_reusesOneConnection()
    {
        RawHttpReceiver receiver;
        HttpSender sender;
        for (int i = 0; i < 5; ++i)
            QVERIFY(sendAndWait(sender, post(receiver.url(), {}, QByteArray::number(i)))->succeeded());
        QCOMPARE(receiver.requests().size(), 5);
        QCOMPARE(receiver.connectionsAccepted(), 1);
        QCOMPARE(sender.idleConnections(), 1);

        SendOptions fresh;
        fresh.reuseConnections = false;
        for (int i = 0; i < 3; ++i)
            QVERIFY(sendAndWait(sender, post(receiver.url(), {}, "x"), fresh)->succeeded());
        QCOMPARE(receiver.connectionsAccepted(), 4);
    }

    void keepAlive_notReusedWhenEitherSideSaysClose()
    {
        RawHttpReceiver receiver;
        HttpSender sender;
        QVERIFY(sendAndWait(sender, post(receiver.url(), {{"Connection", "close"}}, "x"))->succeeded());
        QVERIFY(sendAndWait(sender, post(receiver.url(), {}, "x"))->succeeded());
        QCOMPARE(receiver.connectionsAccepted(), 2);

        // The second connection is idle in the pool: the next request reuses it, and the answer's
        // "Connection: close" retires it, so each request after that needs a new one.
        receiver.answerWith("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        for (int i = 0; i < 3; ++i)
            QVERIFY(sendAndWait(sender, post(receiver.url(), {}, "x"))->succeeded());
        QCOMPARE(receiver.connectionsAccepted(), 4);
        QCOMPARE(sender.idleConnections(), 0);
    }

    void keepAlive_staleConnectionIsRetriedOnce()
    {
        RawHttpReceiver receiver;
        HttpSender sender;
        QVERIFY(sendAndWait(sender, post(receiver.url(), {}, "1"))->succeeded());
        // The server drops the reused connection on the next request without a byte of answer,
        // as one that timed the idle connection out at that very moment would.
        receiver.setHandler([](QTcpSocket *socket, const ReceivedRequest &request) {
            if (request.connection == 1)
                socket->abort();
            else
                socket->write(RawHttpReceiver::okResponse("second connection"));
        });
        const auto attempt = sendAndWait(sender, post(receiver.url(), {}, "2"));
        QVERIFY2(attempt->succeeded(), describe(*attempt));
        QCOMPARE(attempt->responseBody, QByteArray("second connection"));
        QCOMPARE(receiver.connectionsAccepted(), 2);
    }

    void redirects_notFollowedUnlessAsked()
    {
        RawHttpReceiver receiver;
        receiver.setHandler([&receiver](QTcpSocket *socket, const ReceivedRequest &request) {
            if (request.target == "/old")
                socket->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n");
            else if (request.target == "/see-other")
                socket->write("HTTP/1.1 303 See Other\r\nLocation: " + receiver.origin()
                    + "/result\r\nContent-Length: 0\r\n\r\n");
            else if (request.target == "/loop")
                socket->write("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
            else
                socket->write(RawHttpReceiver::okResponse(request.method + ' ' + request.target + ' ' + request.body));
        });

        const auto unfollowed = sendAndWait(post(receiver.url(QStringLiteral("/old")), {}, "payload"));
        QCOMPARE(unfollowed->status, 307);
        QCOMPARE(headerValue(unfollowed->responseHeaders, "Location"), QByteArray("/new"));
        QCOMPARE(receiver.requests().size(), 1);

        SendOptions follow;
        follow.maxRedirects = 3;
        const auto followed = sendAndWait(post(receiver.url(QStringLiteral("/old")), {{"X", "1"}}, "payload"), follow);
        QVERIFY2(followed->succeeded(), describe(*followed));
        QCOMPARE(followed->responseBody, QByteArray("POST /new payload"));
        QCOMPARE(followed->request.url, QUrl(receiver.url(QStringLiteral("/new"))));
        QCOMPARE(receiver.requests().last().headerLines.at(1), QByteArray("X: 1"));

        const auto seeOther = sendAndWait(post(receiver.url(QStringLiteral("/see-other")), {}, "payload"), follow);
        QCOMPARE(seeOther->responseBody, QByteArray("GET /result "));
        QCOMPARE(seeOther->request.method, QByteArray("GET"));

        const qsizetype before = receiver.requests().size();
        const auto loop = sendAndWait(post(receiver.url(QStringLiteral("/loop")), {}, "x"), follow);
        QCOMPARE(loop->status, 302); // gave up after 3 hops, with the last answer
        QCOMPARE(loop->failure, Attempt::Failure::None);
        QCOMPARE(receiver.requests().size() - before, 4);
    }

    void abort_finishesLaterWithReason()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        HttpSender sender;
        std::optional<Attempt> result;
        const quint64 ticket = sender.send(
            post(receiver.url(), {}, "x"), {}, &sender, [&](const Attempt &attempt) { result = attempt; });
        QTRY_COMPARE(receiver.heldCount(), 1);
        QCOMPARE(sender.inFlight(), 1);
        QVERIFY(sender.abort(ticket, QStringLiteral("stopped by the test")));
        QVERIFY(!result); // never inside abort()
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->failure, Attempt::Failure::Other);
        QCOMPARE(result->error, QStringLiteral("stopped by the test"));
        QCOMPARE(sender.inFlight(), 0);
        QVERIFY(!sender.abort(ticket));
    }

    void destroyedContext_dropsTheCallback()
    {
        RawHttpReceiver receiver;
        HttpSender sender;
        bool called = false;
        int signalled = 0;
        connect(&sender, &HttpSender::attemptFinished, this, [&signalled] { ++signalled; });
        {
            QObject context;
            sender.send(post(receiver.url(), {}, "x"), {}, &context, [&called](const Attempt &) { called = true; });
        }
        QTRY_COMPARE(signalled, 1);
        QVERIFY(!called);
    }

private:
    QSslConfiguration m_tls;
};

QTEST_GUILESS_MAIN(TestHttpSender)
#include "tst_httpsender.moc"
