#include "rawhttpclient.h"
#include "rawhttpreceiver.h"
#include "selfsignedcertificate.h"

#include "listener/listener.h"
#include "replay/capturerequest.h"
#include "signing/hmac.h"
#include "signing/schemeregistry.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray listenSecret = QByteArrayLiteral("listen-secret-7d2e");
const QByteArray forwardSecret = QByteArrayLiteral("forward-secret-19ab");

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator random(seed);
    for (char &c : bytes)
        c = char(random.bounded(256));
    return bytes;
}

QByteArray dbtSignature(const QByteArray &body, const QByteArray &secret)
{
    return hmac(MacAlgorithm::Sha256, secret, {body}).toHex();
}

// The request's header lines, less those a hop (or our sender) derives again.
QList<QByteArray> endToEndLines(const QList<QByteArray> &lines)
{
    QList<QByteArray> kept;
    for (const QByteArray &line : lines) {
        HttpHeader header;
        if (!parseHeaderLine(line, &header))
            continue;
        if (headerNameEquals(header.name, "Host") || headerNameEquals(header.name, "Content-Length")
            || headerNameEquals(header.name, "Connection") || headerNameEquals(header.name, "Keep-Alive"))
            continue;
        kept.append(line);
    }
    return kept;
}

ListenerConfig forwardingConfig(const QString &target, ForwardConfig::Mode mode = ForwardConfig::Mode::Background)
{
    ListenerConfig config;
    config.port = 0;
    config.limits.idleTimeoutMs = 10000;
    config.limits.requestTimeoutMs = 10000;
    config.limits.lingerMs = 500;
    config.forward.target = QUrl(target);
    config.forward.mode = mode;
    config.forward.send.timeoutMs = 10000;
    return config;
}

// A port nothing listens on: bound, then released.
VerificationProfile dbtProfile(const QByteArray &secret)
{
    return VerificationProfile(std::shared_ptr<const SignatureScheme>(createBuiltinScheme(u"dbt-cloud")), {secret});
}

struct StoreFixture
{
    QTemporaryDir directory;
    StoreOptions options;
    std::unique_ptr<CaptureWriter> writer;

    StoreFixture()
    {
        options.path = directory.filePath(QStringLiteral("captures.sqlite"));
        writer = std::make_unique<CaptureWriter>(options);
    }
    bool open(QString *error) { return writer->open(error); }
    bool openReader(CaptureStore &store) const
    {
        QString error;
        if (!store.open(options, CaptureStore::Missing::Fail, &error))
            qWarning("store: %s", qPrintable(error));
        return error.isEmpty();
    }
};

} // namespace

class TestForward : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<ForwardEvent>(); }

    void background_sendsTheCaptureExactly_andAnswersTheConfiguredResponse()
    {
        RawHttpReceiver receiver;
        MemoryCaptureSink sink;
        Listener listener(forwardingConfig(receiver.url()), &sink); // no path: the capture's target is kept
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY2(listener.start(), qPrintable(listener.lastError()));

        const QByteArray body = randomBytes(70001, 3) + QByteArray("\0\r\n", 3);
        const QByteArray headers = "X-Dup: 1\r\nx-dup: two \r\nContent-Type: application/octet-stream\r\n"
                                   "Connection: keep-alive, X-Hop\r\nX-Hop: per-connection\r\nUser-Agent: dbt\r\n";
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/hooks/dbt?x=%2F&y=%7e", body, headers));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->body, QByteArray(R"({"status":"ok"})"));

        QTRY_COMPARE(forwarded.size(), 1);
        QCOMPARE(receiver.requests().size(), 1);
        const ReceivedRequest &sent = receiver.requests().first();
        QCOMPARE(sent.requestLine, QByteArray("POST /hooks/dbt?x=%2F&y=%7e HTTP/1.1"));
        QCOMPARE(sent.body, body);
        // Same header lines in the same order and case, less hop-by-hop ones (Connection and the
        // header it names), Host and Content-Length, which are derived again for the new hop.
        QCOMPARE(endToEndLines(sent.headerLines),
            (QList<QByteArray> {
                "X-Dup: 1", "x-dup: two", "Content-Type: application/octet-stream", "User-Agent: dbt"}));
        QVERIFY(!sent.raw.contains("X-Hop"));
        QCOMPARE(headerValue(parsedHeaders(sent), "Host"), "127.0.0.1:" + QByteArray::number(receiver.port()));
        QCOMPARE(headerValue(parsedHeaders(sent), "Content-Length"), QByteArray::number(body.size()));

        const ForwardEvent event = forwarded.first().first().value<ForwardEvent>();
        QCOMPARE(event.captureId, 1);
        QCOMPARE(event.attempt.kind, Attempt::Kind::Forward);
        QCOMPARE(event.attempt.captureId, 1);
        QCOMPARE(event.attempt.status, 200);
        QCOMPARE(event.attempt.responseBody, QByteArray("ok"));
        QCOMPARE(event.answeredStatus, 0); // background: the sender got the configured answer
        QCOMPARE(sink.attempts().size(), 1);
        QCOMPARE(event.attemptId, 1);
        QCOMPARE(sink.attempts().first().request.body, body);
        QCOMPARE(sink.captures().first().responseStatus, 200);
    }

    void targetWithPath_receivesEveryCapture()
    {
        RawHttpReceiver receiver;
        MemoryCaptureSink sink;
        Listener listener(forwardingConfig(receiver.url(QStringLiteral("/in/dbt?via=hookbench"))), &sink);
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/elsewhere?x=1", "{}"));
        QVERIFY(client.nextReply());
        client.send("PURGE /other HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        QVERIFY(client.nextReply());
        QTRY_COMPARE(forwarded.size(), 2);
        QCOMPARE(receiver.requests().at(0).requestLine, QByteArray("POST /in/dbt?via=hookbench HTTP/1.1"));
        QCOMPARE(receiver.requests().at(1).requestLine, QByteArray("PURGE /in/dbt?via=hookbench HTTP/1.1"));
        QCOMPARE(receiver.requests().at(1).body, QByteArray("abc"));
    }

    void resign_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("dbt-cloud, another secret") << QStringLiteral("dbt-cloud") << forwardSecret;
        QTest::newRow("standard-webhooks")
            << QStringLiteral("standard-webhooks") << QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        QTest::newRow("stripe") << QStringLiteral("stripe") << QByteArray("whsec_test_forward");
        QTest::newRow("github") << QStringLiteral("github") << forwardSecret;
    }

    void resign()
    {
        QFETCH(QString, scheme);
        QFETCH(QByteArray, secret);
        std::shared_ptr<const SignatureScheme> signing(createBuiltinScheme(scheme));
        QVERIFY(signing);
        RawHttpReceiver receiver;
        MemoryCaptureSink sink;
        ListenerConfig config = forwardingConfig(receiver.url());
        config.forward.resigner = std::make_shared<Resigner>(signing, secret);
        QVERIFY(config.forward.resigner->problem().isEmpty());
        Listener listener(config, &sink);
        listener.setVerificationProfile(dbtProfile(listenSecret));
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());

        const QByteArray body = R"({"eventType":"job.run.completed","data":{"runId":"1","note":"caf\u00e9"}})";
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/hook", body, "Authorization: " + dbtSignature(body, listenSecret) + "\r\n"));
        QVERIFY(client.nextReply());
        QTRY_COMPARE(forwarded.size(), 1);
        QCOMPARE(sink.captures().first().verdict, Verdict::Valid);

        const ReceivedRequest &sent = receiver.requests().first();
        QCOMPARE(sent.body, body);
        VerifyOptions now;
        now.now = QDateTime::currentSecsSinceEpoch();
        const VerificationResult result = signing->verify(parsedHeaders(sent), sent.body, {secret}, now);
        QVERIFY2(result.isValid(), qPrintable(result.reason));
        // The forward secret never leaves the re-signing: not on the wire, not in the attempt.
        QVERIFY(!sent.raw.contains(secret));
        QVERIFY(!sink.attempts().first().request.body.contains(secret));
        for (const HttpHeader &header : sink.attempts().first().request.headers)
            QVERIFY(!header.value.contains(secret));
        if (scheme == u"dbt-cloud") {
            // Replaced in place: one Authorization header, now for the forward secret.
            QCOMPARE(
                headerValues(parsedHeaders(sent), "Authorization"), QList<QByteArray> {dbtSignature(body, secret)});
        }
    }

    void attempts_storedWithTheirCapture_inARealStore()
    {
        RawHttpReceiver receiver;
        receiver.answerWith(RawHttpReceiver::okResponse("accepted by target", 202, "Accepted"));
        StoreFixture store;
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        Listener listener(forwardingConfig(receiver.url()), store.writer.get());
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/a", "first"));
        QVERIFY(client.nextReply());
        client.send(post("/b", "second"));
        QVERIFY(client.nextReply());
        QTRY_COMPARE(forwarded.size(), 2);

        CaptureStore reader;
        QVERIFY(store.openReader(reader));
        for (int i = 0; i < 2; ++i) {
            const ForwardEvent event = forwarded.at(i).first().value<ForwardEvent>();
            QVERIFY(event.storeError.isEmpty());
            QVERIFY(event.attemptId > 0);
            const QList<Attempt> attempts = reader.attempts(event.captureId, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(attempts.size(), 1);
            const Attempt &attempt = attempts.first();
            QCOMPARE(attempt.id, event.attemptId);
            QCOMPARE(attempt.kind, Attempt::Kind::Forward);
            QCOMPARE(attempt.captureId, event.captureId);
            QCOMPARE(attempt.status, 202);
            QCOMPARE(attempt.responseBody, QByteArray("accepted by target"));
            const auto capture = reader.capture(event.captureId, &error);
            QVERIFY(capture);
            QCOMPARE(attempt.request.body, capture->body);
            QCOMPARE(capture->responseStatus, 200); // background mode: the listener's own answer
        }
    }

    void proxy_answersWithTheTargetsResponse_andStoresItsStatus()
    {
        RawHttpReceiver receiver;
        receiver.answerWith("HTTP/1.1 201 Created\r\nX-Target: yes\r\nKeep-Alive: timeout=5\r\nConnection: keep-alive"
                            "\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\ncreated");
        StoreFixture store;
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        Listener listener(forwardingConfig(receiver.url(), ForwardConfig::Mode::Proxy), store.writer.get());
        QSignalSpy handled(&listener, &Listener::requestHandled);
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/proxied", "payload"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 201);
        QCOMPARE(reply->body, QByteArray("created"));
        QCOMPARE(reply->header("X-Target"), QByteArray("yes"));
        QCOMPARE(reply->header("Content-Type"), QByteArray("text/plain"));
        QVERIFY(!hasHeader(reply->headers, "Keep-Alive"));
        QCOMPARE(headerValues(reply->headers, "Content-Length"), QList<QByteArray> {"7"});

        // Answered means recorded: the capture's status is the target's, the attempt is there.
        CaptureStore reader;
        QVERIFY(store.openReader(reader));
        const auto capture = reader.capture(reader.newestId(), &error);
        QVERIFY2(capture, qPrintable(error));
        QCOMPARE(capture->responseStatus, 201);
        const QList<Attempt> attempts = reader.attempts(capture->id, &error);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().status, 201);
        QCOMPARE(handled.size(), 1);
        QCOMPARE(handled.first().first().value<ListenerEvent>().answeredStatus, 201);
        QCOMPARE(forwarded.size(), 1);
        QCOMPARE(forwarded.first().first().value<ForwardEvent>().answeredStatus, 201);
        QCOMPARE(receiver.requests().first().body, QByteArray("payload"));
    }

    void proxy_targetFailure_data()
    {
        QTest::addColumn<bool>("slow");
        QTest::addColumn<int>("status");
        QTest::addColumn<Attempt::Failure>("failure");
        QTest::newRow("refused: 502") << false << 502 << Attempt::Failure::Refused;
        QTest::newRow("no answer in time: 504") << true << 504 << Attempt::Failure::Timeout;
    }

    void proxy_targetFailure()
    {
        QFETCH(bool, slow);
        QFETCH(int, status);
        QFETCH(Attempt::Failure, failure);
        RawHttpReceiver receiver;
        receiver.holdRequests();
        const QString target = slow ? receiver.url() : QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        StoreFixture store;
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        ListenerConfig config = forwardingConfig(target, ForwardConfig::Mode::Proxy);
        config.forward.send.timeoutMs = 300;
        Listener listener(config, store.writer.get());
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "body"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, status);
        QVERIFY(!reply->body.contains('\n'));
        const QJsonObject answer = QJsonDocument::fromJson(reply->body).object();
        QCOMPARE(answer.value(u"status").toString(), QStringLiteral("error"));
        QVERIFY2(answer.value(u"error").toString().startsWith(u"forwarding failed: "), reply->body.constData());
        CaptureStore reader;
        QVERIFY(store.openReader(reader));
        const auto capture = reader.capture(reader.newestId(), &error);
        QVERIFY(capture);
        QCOMPARE(capture->responseStatus, status);
        const QList<Attempt> attempts = reader.attempts(capture->id, &error);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().failure, failure);
        QCOMPARE(attempts.first().status, 0);
        receiver.releaseHeld();
    }

    void proxy_tlsTarget_untrustedIs502_unlessInsecure()
    {
        QString error;
        const QSslConfiguration tls = selfSignedServerConfiguration(&error);
        QVERIFY2(!tls.isNull(), qPrintable(error));
        RawHttpReceiver receiver(tls);
        receiver.answerWith(RawHttpReceiver::okResponse("over tls", 200));
        for (const bool insecure : {false, true}) {
            MemoryCaptureSink sink;
            ListenerConfig config = forwardingConfig(receiver.url(), ForwardConfig::Mode::Proxy);
            config.forward.send.ignoreTlsErrors = insecure;
            Listener listener(config, &sink);
            QVERIFY(listener.start());
            RawHttpClient client(listener.port());
            QVERIFY(client.waitConnected());
            client.send(post("/tls", "secret-free body"));
            const auto reply = client.nextReply();
            QVERIFY(reply);
            QCOMPARE(sink.attempts().size(), 1);
            if (insecure) {
                QCOMPARE(reply->status, 200);
                QCOMPARE(reply->body, QByteArray("over tls"));
                QCOMPARE(receiver.requests().last().body, QByteArray("secret-free body"));
            } else {
                QCOMPARE(reply->status, 502);
                QCOMPARE(sink.attempts().first().failure, Attempt::Failure::Tls);
                QCOMPARE(sink.captures().first().responseStatus, 502);
            }
        }
    }

    void background_targetDown_recordsAFailedAttempt()
    {
        MemoryCaptureSink sink;
        Listener listener(forwardingConfig(QStringLiteral("http://127.0.0.1:%1").arg(closedPort())), &sink);
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "body"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QTRY_COMPARE(forwarded.size(), 1);
        const ForwardEvent event = forwarded.first().first().value<ForwardEvent>();
        QCOMPARE(event.attempt.failure, Attempt::Failure::Refused);
        QVERIFY(!event.attempt.error.isEmpty());
        QCOMPARE(sink.attempts().size(), 1);
        QCOMPARE(sink.attempts().first().failure, Attempt::Failure::Refused);
        QCOMPARE(sink.captures().first().responseStatus, 200);
    }

    void queueBound_holds_andOverflowIsAFailedAttempt()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        MemoryCaptureSink sink;
        ListenerConfig config = forwardingConfig(receiver.url());
        config.forward.maxInFlight = 1;
        config.forward.maxQueued = 2;
        Listener listener(config, &sink);
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        constexpr int total = 7;
        for (int i = 0; i < total; ++i) {
            client.send(post("/q", "body " + QByteArray::number(i)));
            const auto reply = client.nextReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 200); // the sender never waits for the forwards
        }
        // One in flight (held by the target), two queued, four refused as failed attempts.
        QTRY_COMPARE(forwarded.size(), total - 3);
        QCOMPARE(receiver.heldCount(), 1);
        QCOMPARE(listener.forwarder()->queued(), 2);
        for (const QList<QVariant> &arguments : std::as_const(forwarded)) {
            const ForwardEvent event = arguments.first().value<ForwardEvent>();
            QVERIFY(event.queueFull);
            QCOMPARE(event.attempt.failure, Attempt::Failure::Other);
            QVERIFY2(event.attempt.error.contains(u"queue is full"), qPrintable(event.attempt.error));
            QVERIFY(event.attempt.request.body.isEmpty()); // never sent: the bytes stay the capture's
            QVERIFY(event.attemptId > 0);
        }
        while (receiver.requests().size() < 3 || receiver.heldCount() > 0) {
            receiver.releaseHeld();
            QVERIFY(QTest::qWaitFor([&] { return receiver.heldCount() > 0 || forwarded.size() == total; }, 10000));
        }
        QTRY_COMPARE(forwarded.size(), total);
        QCOMPARE(receiver.requests().size(), 3);
        QCOMPARE(receiver.peakHeld(), 1);
        QCOMPARE(listener.forwarder()->peakQueued(), 2);
        QCOMPARE(sink.attempts().size(), total);
        QCOMPARE(listener.forwarder()->pending(), 0);
        // The ones that went are the first three, in order.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(receiver.requests().at(i).body, "body " + QByteArray::number(i));
    }

    void queueBytes_bound_refusesWhatWouldExceedIt()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        MemoryCaptureSink sink;
        ListenerConfig config = forwardingConfig(receiver.url());
        config.forward.maxInFlight = 1;
        config.forward.maxQueued = 100;
        config.forward.maxQueuedBytes = 250000;
        Listener listener(config, &sink);
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        for (int i = 0; i < 5; ++i) {
            client.send(post("/big", randomBytes(100000, quint32(i))));
            QVERIFY(client.nextReply());
        }
        // 1 in flight, 2 queued (200000 bytes), the next two would pass 250000.
        QTRY_COMPARE(forwarded.size(), 2);
        QCOMPARE(listener.forwarder()->queued(), 2);
        QCOMPARE(listener.forwarder()->queuedBytes(), 200000);
        receiver.answerWith(RawHttpReceiver::okResponse());
        receiver.releaseHeld();
        QTRY_COMPARE(forwarded.size(), 5);
        QCOMPARE(receiver.requests().size(), 3);
        QCOMPARE(listener.forwarder()->queuedBytes(), 0);
    }

    void toAnotherListener_reSignedAndVerifiedThere_proxyAnswersWithItsResponse()
    {
        MemoryCaptureSink targetSink;
        ListenerConfig targetConfig;
        targetConfig.port = 0;
        targetConfig.response.status = 202;
        targetConfig.response.body = "{\"target\":true}";
        Listener target(targetConfig, &targetSink);
        target.setVerificationProfile(dbtProfile(forwardSecret));
        QVERIFY(target.start());

        MemoryCaptureSink sink;
        ListenerConfig config = forwardingConfig(target.url(), ForwardConfig::Mode::Proxy);
        config.forward.resigner = std::make_shared<Resigner>(
            std::shared_ptr<const SignatureScheme>(createBuiltinScheme(u"dbt-cloud")), forwardSecret);
        Listener listener(config, &sink);
        listener.setVerificationProfile(dbtProfile(listenSecret));
        QVERIFY(listener.start());

        const QByteArray body = randomBytes(300000, 42);
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(
            post("/dbt?a=1", body, "Authorization: " + dbtSignature(body, listenSecret) + "\r\nX-Order: 1\r\n"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 202);
        QCOMPARE(reply->body, QByteArray("{\"target\":true}"));

        QCOMPARE(targetSink.captures().size(), 1);
        const Capture &there = targetSink.captures().first();
        QCOMPARE(there.body, body);
        QCOMPARE(there.target, QByteArray("/dbt?a=1"));
        QCOMPARE(there.verdict, Verdict::Valid);
        QCOMPARE(headerValue(there.headers, "X-Order"), QByteArray("1"));
        QCOMPARE(sink.captures().first().verdict, Verdict::Valid);
        QCOMPARE(sink.captures().first().responseStatus, 202);
    }

    void forwardingToItself_isRefusedAtStart()
    {
        const quint16 port = closedPort();
        MemoryCaptureSink sink;
        for (const QString &host : {QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}) {
            ListenerConfig config = forwardingConfig(QStringLiteral("http://%1:%2/hook").arg(host).arg(port));
            config.port = port;
            Listener listener(config, &sink);
            QVERIFY(!listener.start());
            QVERIFY2(listener.lastError().contains(u"own address"), qPrintable(listener.lastError()));
            QCOMPARE(listener.state(), Listener::State::Failed);
        }
        // Another port on the same host is fine.
        ListenerConfig config = forwardingConfig(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
        config.port = 0;
        Listener listener(config, &sink);
        QVERIFY(listener.start());
    }

    void badTarget_isRefusedAtStart()
    {
        MemoryCaptureSink sink;
        Listener listener(forwardingConfig(QStringLiteral("ftp://127.0.0.1/x")), &sink);
        QVERIFY(!listener.start());
        QVERIFY2(listener.lastError().contains(u"http:// or https://"), qPrintable(listener.lastError()));
    }

    void stop_waitsForForwardsInFlight()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        MemoryCaptureSink sink;
        Listener listener(forwardingConfig(receiver.url()), &sink);
        QSignalSpy stopped(&listener, &Listener::stopped);
        QSignalSpy forwarded(&listener, &Listener::forwarded);
        QVERIFY(listener.start());
        {
            RawHttpClient client(listener.port());
            QVERIFY(client.waitConnected());
            client.send(post("/x", "held"));
            QVERIFY(client.nextReply());
        }
        QTRY_COMPARE(receiver.heldCount(), 1);
        listener.stop();
        QTest::qWait(100); // the forward can't finish while the target holds it
        QCOMPARE(stopped.size(), 0);
        QCOMPARE(listener.state(), Listener::State::Stopping);
        receiver.releaseHeld();
        QTRY_COMPARE(stopped.size(), 1);
        QCOMPARE(forwarded.size(), 1);
        QCOMPARE(sink.attempts().size(), 1);
        QCOMPARE(sink.attempts().first().status, 200);
    }

    void forceStop_recordsTheForwardsItCutShort()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        MemoryCaptureSink sink;
        ListenerConfig config = forwardingConfig(receiver.url());
        config.limits.stopTimeoutMs = 200;
        config.forward.maxInFlight = 1;
        Listener listener(config, &sink);
        QSignalSpy stopped(&listener, &Listener::stopped);
        QVERIFY(listener.start());
        RawHttpClient client(listener.port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "one"));
        QVERIFY(client.nextReply());
        client.send(post("/x", "two"));
        QVERIFY(client.nextReply());
        QTRY_COMPARE(receiver.heldCount(), 1);
        listener.stop();
        QTRY_COMPARE(stopped.size(), 1);
        QCOMPARE(sink.attempts().size(), 2);
        for (const Attempt &attempt : sink.attempts()) {
            QCOMPARE(attempt.failure, Attempt::Failure::Other);
            QVERIFY2(attempt.error.contains(u"listener stopped"), qPrintable(attempt.error));
        }
    }

    void proxyResponse_forEachOutcome()
    {
        ForwardEvent event;
        event.attempt.status = 418;
        event.attempt.responseHeaders = {{"Transfer-Encoding", "chunked"}, {"X-A", "1"}, {"Connection", "X-B"},
            {"X-B", "gone"}, {"Content-Length", "2"}};
        event.attempt.responseBody = "hi";
        HttpResponse response = proxyResponse(event);
        QCOMPARE(response.status, 418);
        QCOMPARE(response.headers, (HeaderList {{"X-A", "1"}, {"Content-Length", "2"}}));
        QCOMPARE(response.body, QByteArray("hi"));

        event.attempt.failure = Attempt::Failure::Tls;
        event.attempt.error = QStringLiteral("certificate rejected");
        QCOMPARE(proxyResponse(event).status, 502);
        event.attempt.failure = Attempt::Failure::Timeout;
        QCOMPARE(proxyResponse(event).status, 504);
        event.attempt.failure = Attempt::Failure::Other;
        event.queueFull = true;
        response = proxyResponse(event);
        QCOMPARE(response.status, 503);
        QCOMPARE(headerValue(response.headers, "Retry-After"), QByteArray("1"));
    }
};

QTEST_GUILESS_MAIN(TestForward)
#include "tst_forward.moc"
