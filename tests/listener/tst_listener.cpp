#include "rawhttpclient.h"

#include "listener/listener.h"
#include "listener/tlsidentity.h"
#include "signing/schemeregistry.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator random(seed);
    random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    for (qsizetype i = size / 4 * 4; i < size; ++i)
        bytes[i] = char(random.bounded(256));
    return bytes;
}

QByteArray chunked(const QByteArray &body, qsizetype chunk)
{
    QByteArray out;
    for (qsizetype i = 0; i < body.size(); i += chunk) {
        const QByteArray piece = body.mid(i, chunk);
        out += QByteArray::number(piece.size(), 16) + (i == 0 ? ";ext=1" : "") + "\r\n" + piece + "\r\n";
    }
    return out + "0\r\n\r\n";
}

QByteArray digest(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// Holds every submission and completes them only when told, in the order asked: to test
// answers that become ready out of order, late, or after the client left.
class ManualSink : public CaptureSink
{
public:
    struct Submission
    {
        Capture capture;
        QPointer<QObject> context;
        Done done;
    };

    void submit(Capture capture, QObject *context, Done done) override
    {
        m_submissions.append({std::move(capture), context, std::move(done)});
    }

    qsizetype size() const { return m_submissions.size(); }
    const Capture &capture(qsizetype i) const { return m_submissions.at(i).capture; }
    void complete(qsizetype i, const QString &error = {})
    {
        Submission &submission = m_submissions[i];
        if (submission.context)
            submission.done(error.isEmpty() ? i + 1 : 0, error);
    }

private:
    QList<Submission> m_submissions;
};

// A memory sink that records how the listener handed its captures over.
class WaveRecordingSink : public MemoryCaptureSink
{
public:
    void submit(Capture capture, QObject *context, Done done) override
    {
        ++m_single;
        MemoryCaptureSink::submit(std::move(capture), context, std::move(done));
    }
    void submitBatch(QList<Submission> submissions) override
    {
        m_waves.append(int(submissions.size()));
        for (Submission &submission : submissions)
            MemoryCaptureSink::submit(std::move(submission.capture), submission.context, std::move(submission.done));
    }

    int single() const { return m_single; }
    const QList<int> &waves() const { return m_waves; }

private:
    int m_single = 0;
    QList<int> m_waves;
};

ListenerConfig quickConfig()
{
    ListenerConfig config;
    config.port = 0;
    config.limits.idleTimeoutMs = 5000;
    config.limits.requestTimeoutMs = 5000;
    config.limits.lingerMs = 500;
    return config;
}

} // namespace

class TestListener : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Listener> start(const ListenerConfig &config, CaptureSink *sink)
    {
        auto listener = std::make_unique<Listener>(config, sink);
        if (!listener->start())
            qWarning("listener did not start: %s", qPrintable(listener->lastError()));
        return listener;
    }

    std::unique_ptr<MemoryCaptureSink> m_memory;

private slots:
    void init() { m_memory = std::make_unique<MemoryCaptureSink>(); }

    void start_onPortZero_reportsTheBoundLoopbackPort()
    {
        Listener listener(quickConfig(), m_memory.get());
        QSignalSpy urls(&listener, &Listener::listening);
        QSignalSpy exposed(&listener, &Listener::exposed);
        QVERIFY(listener.start());
        QVERIFY(listener.port() != 0);
        QCOMPARE(listener.state(), Listener::State::Listening);
        QCOMPARE(listener.url(), QStringLiteral("http://127.0.0.1:%1").arg(listener.port()));
        QCOMPARE(listener.name(), QStringLiteral("127.0.0.1:%1").arg(listener.port()));
        QCOMPARE(urls.size(), 1);
        QCOMPARE(exposed.size(), 0);
        QVERIFY(listener.exposureWarning().isEmpty());
    }

    void body_capturedByteExact_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("NUL and 0xFF") << QByteArray("a\0b\xff\xfe\0", 6);
        QTest::newRow("CRLF inside") << QByteArray("line1\r\nline2\r\n\r\nPOST / HTTP/1.1\r\n\r\n");
        QTest::newRow("json with odd numbers") << QByteArray(R"({"b":1.10,"a":"\u00e9","a":2})");
        QTest::newRow("2 MB random") << randomBytes(2 * 1024 * 1024 + 3, 7);
    }

    void body_capturedByteExact()
    {
        QFETCH(QByteArray, body);
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/hook", body, "Content-Type: application/octet-stream\r\n"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->body, QByteArray(R"({"status":"ok"})"));
        QCOMPARE(reply->header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(m_memory->captures().size(), 1);
        const Capture &capture = m_memory->captures().first();
        QCOMPARE(capture.body.size(), body.size());
        QCOMPARE(digest(capture.body), digest(body));
        QCOMPARE(capture.responseStatus, 200);
    }

    void realStore_answersOnlyWhatItCommitted()
    {
        QTemporaryDir directory;
        StoreOptions options;
        options.path = directory.filePath(QStringLiteral("captures.sqlite"));
        options.session = QStringLiteral("listener test");
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));
        auto listener = start(quickConfig(), &writer);
        const QByteArray body = randomBytes(70000, 5);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/stored?x=%2F", body, "X-Dup: 1\r\nx-dup: 2\r\n"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);

        // Answered means committed: a separate connection sees it at once.
        CaptureStore store;
        QVERIFY2(store.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        const auto stored = store.capture(store.newestId(), &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(stored->target, QByteArray("/stored?x=%2F"));
        QCOMPARE(digest(stored->body), digest(body));
        QCOMPARE(headerValues(stored->headers, "X-Dup"), (QList<QByteArray> {"1", "2"}));
        QCOMPARE(stored->remotePort, client.localPort());
        QCOMPARE(stored->responseStatus, 200);
        QCOMPARE(store.sessionNames().value(stored->sessionId), QStringLiteral("listener test"));
    }

    void requestsArrivingTogether_shareTransactionsAndAnswerAfterCommit()
    {
        QTemporaryDir directory;
        StoreOptions options;
        options.path = directory.filePath(QStringLiteral("captures.sqlite"));
        options.commitIntervalUs = 0; // no timer: only the listener's waves can group them
        CaptureWriter writer(options);
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));
        auto listener = start(quickConfig(), &writer);
        constexpr int count = 24;
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < count; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(listener->port()));
            QVERIFY(clients.back()->waitConnected());
        }
        QTRY_COMPARE_WITH_TIMEOUT(listener->stats().connections, count, 10000);
        const qint64 before = writer.stats().transactions;
        // Every request is in the kernel before the listener's thread polls again.
        for (int i = 0; i < count; ++i)
            clients[size_t(i)]->send(post("/wave/" + QByteArray::number(i) + "/", "body " + QByteArray::number(i)));

        CaptureStore store;
        QVERIFY2(store.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        for (int i = 0; i < count; ++i) {
            const auto reply = clients[size_t(i)]->nextReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
            // Answered means committed: another connection sees this request's capture.
            CaptureFilter filter;
            filter.targetPrefix = "/wave/" + QByteArray::number(i) + "/";
            QVERIFY2(store.count(filter, &error) == 1,
                qPrintable(QStringLiteral("request %1 answered before it was stored %2").arg(i).arg(error)));
        }
        const qint64 transactions = writer.stats().transactions - before;
        QCOMPARE(writer.stats().captures, qint64(count));
        QVERIFY2(transactions < count,
            qPrintable(QStringLiteral("%1 transactions for %2 requests").arg(transactions).arg(count)));
    }

    void requestsArrivingTogether_handedOverAsOneWave()
    {
        WaveRecordingSink sink;
        auto listener = start(quickConfig(), &sink);
        constexpr int count = 12;
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < count; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(listener->port()));
            QVERIFY(clients.back()->waitConnected());
        }
        QTRY_COMPARE_WITH_TIMEOUT(listener->stats().connections, count, 10000);
        for (int i = 0; i < count; ++i)
            clients[size_t(i)]->send(post("/together", QByteArray::number(i)));
        for (int i = 0; i < count; ++i) {
            const auto reply = clients[size_t(i)]->nextReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
        }
        QCOMPARE(sink.single(), 0);
        QCOMPARE(sink.captures().size(), count);
        int handed = 0;
        for (int size : sink.waves())
            handed += size;
        QCOMPARE(handed, count);
        QVERIFY2(sink.waves().size() < count, qPrintable(QStringLiteral("%1 waves").arg(sink.waves().size())));
    }

    void stopWithAWavePending_storesAndAnswersIt()
    {
        WaveRecordingSink sink;
        auto listener = start(quickConfig(), &sink);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        QTRY_COMPARE_WITH_TIMEOUT(listener->stats().connections, 1, 10000);
        // stop() runs while the request is being handled, before its wave is handed over.
        Listener *raw = listener.get();
        raw->setCaptureDecorator([raw](Capture &) { raw->stop(); });
        QSignalSpy stopped(raw, &Listener::stopped);
        client.send(post("/last", "last words"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QVERIFY(stopped.size() == 1 || stopped.wait(10000));
        QCOMPARE(sink.waves(), QList<int> {1});
        QCOMPARE(sink.captures().size(), 1);
        QCOMPARE(sink.captures().first().body, QByteArray("last words"));
    }

    void chunkedBody_capturedDechunked()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        const QByteArray body = randomBytes(100000, 11);
        const QByteArray request = "POST /chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, 4093);
        client.sendSlowly(request, 7919, 1);
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(m_memory->captures().size(), 1);
        QCOMPARE(digest(m_memory->captures().first().body), digest(body));
        QCOMPARE(headerValue(m_memory->captures().first().headers, "Transfer-Encoding"), QByteArray("chunked"));
    }

    void everyMethod_capturedWithItsVerb_data()
    {
        QTest::addColumn<QByteArray>("method");
        for (const char *method : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND",
                 "PURGE", "MKCOL", "X-CUSTOM_VERB"})
            QTest::newRow(method) << QByteArray(method);
    }

    void everyMethod_capturedWithItsVerb()
    {
        QFETCH(QByteArray, method);
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        const bool head = method == "HEAD";
        client.send(method + " /m HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody");
        const auto reply = client.nextReply(head);
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        if (head) {
            // A HEAD answer says how long the body would be but carries none.
            QCOMPARE(reply->header("Content-Length"), QByteArray("15"));
            QVERIFY(reply->body.isEmpty());
            QVERIFY(!QTest::qWaitFor([&] { return !client.unread().isEmpty(); }, 200));
        }
        QCOMPARE(m_memory->captures().size(), 1);
        QCOMPARE(m_memory->captures().first().method, method);
        QCOMPARE(m_memory->captures().first().body, QByteArray("body"));
    }

    void target_keptExactlyAsReceived()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        const QByteArray target = "/a%2Fb/%7e/c;p?q=%2F%20x&x=1&x=2&empty=";
        client.send("GET " + target + " HTTP/1.1\r\n\r\n");
        QVERIFY(client.nextReply());
        QCOMPARE(m_memory->captures().first().target, target);
    }

    void headers_keepOrderCaseAndDuplicates()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /h HTTP/1.1\r\nx-lower: 1\r\nX-UPPER: 2\r\nX-Dup: first\r\nAuthorization: abc\r\n"
                    "x-dup: second\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n");
        QVERIFY(client.nextReply());
        const HeaderList expected {{"x-lower", "1"}, {"X-UPPER", "2"}, {"X-Dup", "first"}, {"Authorization", "abc"},
            {"x-dup", "second"}, {"X-Empty", ""}, {"Content-Length", "0"}};
        QCOMPARE(m_memory->captures().first().headers, expected);
    }

    void connectionDetails_recorded()
    {
        ListenerConfig config = quickConfig();
        config.name = QStringLiteral("dbt-prod");
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        const qint64 before = QDateTime::currentMSecsSinceEpoch() * 1000;
        client.send(post("/x", "{}"));
        QVERIFY(client.nextReply());
        const Capture &capture = m_memory->captures().first();
        QCOMPARE(capture.remoteAddress, QStringLiteral("127.0.0.1"));
        QCOMPARE(capture.remotePort, client.localPort());
        QVERIFY(!capture.tls);
        QCOMPARE(capture.listener, QStringLiteral("dbt-prod"));
        QVERIFY(capture.receivedAtUs >= before - 1000);
        QVERIFY(capture.receivedAtUs <= QDateTime::currentMSecsSinceEpoch() * 1000 + 1000);
    }

    void verdict_perScheme_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("signWith"); // empty: unsigned
        QTest::addColumn<QString>("verdict");
        const QString secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        QTest::newRow("dbt valid") << "dbt-cloud" << secret << "valid";
        QTest::newRow("dbt wrong secret") << "dbt-cloud"
                                          << "other-secret"
                                          << "invalid";
        QTest::newRow("dbt unsigned") << "dbt-cloud" << QString() << "unsigned";
        QTest::newRow("github valid") << "github" << secret << "valid";
        QTest::newRow("stripe valid") << "stripe" << secret << "valid";
        QTest::newRow("standard-webhooks valid") << "standard-webhooks" << secret << "valid";
        QTest::newRow("slack valid") << "slack" << secret << "valid";
        QTest::newRow("shopify valid") << "shopify" << secret << "valid";
        QTest::newRow("no profile") << QString() << secret << "no-secret";
    }

    void verdict_perScheme()
    {
        QFETCH(QString, scheme);
        QFETCH(QString, signWith);
        QFETCH(QString, verdict);
        const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const QByteArray body = R"({"accountId":1,"eventType":"job.run.completed"})";
        auto listener = start(quickConfig(), m_memory.get());
        QSignalSpy handled(listener.get(), &Listener::requestHandled);
        std::shared_ptr<SignatureScheme> signer
            = createBuiltinScheme(scheme.isEmpty() ? QStringLiteral("dbt-cloud") : scheme);
        if (!scheme.isEmpty())
            listener->setVerificationProfile(VerificationProfile(signer, {secret}));

        QByteArray headers;
        if (!signWith.isEmpty()) {
            SignOptions options;
            options.timestamp = QDateTime::currentSecsSinceEpoch();
            options.id = "msg_2Lh9KRb0pzN4LePd3XiA";
            for (const HttpHeader &header : signer->sign(body, signWith.toUtf8(), options))
                headers += header.name + ": " + header.value + "\r\n";
        }
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/hook", body, headers));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200); // the verdict never changes the answer
        const Capture &capture = m_memory->captures().first();
        QCOMPARE(verdictName(capture.verdict), verdict);
        QVERIFY(!capture.verdictReason.isEmpty());
        QCOMPARE(capture.scheme, scheme);
        QCOMPARE(handled.size(), 1);
        const auto event = handled.first().first().value<ListenerEvent>();
        QCOMPARE(verdictName(event.verification.verdict), verdict);
        if (verdict == u"valid")
            QCOMPARE(event.verification.expected, event.verification.received);
        // The secret is nowhere in what the listener hands on.
        QVERIFY(!capture.verdictReason.toUtf8().contains(secret));
        QVERIFY(!event.verification.expected.contains(secret));
    }

    void oversizeBody_gets413_connectionClosed_listenerKeepsWorking()
    {
        ListenerConfig config = quickConfig();
        config.limits.maxBodyBytes = 1024 * 1024;
        auto listener = start(config, m_memory.get());
        QSignalSpy rejected(listener.get(), &Listener::requestRejected);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /big HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n" + QByteArray(300000, 'x'));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
        QCOMPARE(reply->header("Connection"), QByteArray("close"));
        QVERIFY(reply->body.contains("exceeds the limit of 1048576 bytes"));
        client.send(QByteArray(300000, 'y')); // the rest is read and thrown away
        QVERIFY(client.waitClosed());
        QCOMPARE(m_memory->captures().size(), 0);
        QCOMPARE(rejected.size(), 1);
        const auto request = rejected.first().first().value<RejectedRequest>();
        QCOMPARE(request.status, 413);
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.target, QByteArray("/big"));
        QCOMPARE(listener->stats().rejected, 1);
        QCOMPARE(listener->stats().bufferedBytes, 0);

        RawHttpClient next(listener->port());
        QVERIFY(next.waitConnected());
        next.send(post("/after", "ok"));
        const auto after = next.nextReply();
        QVERIFY(after);
        QCOMPARE(after->status, 200);
        QCOMPARE(m_memory->captures().size(), 1);
    }

    void oversizeChunkedBody_gets413()
    {
        ListenerConfig config = quickConfig();
        config.limits.maxBodyBytes = 100000;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(
            "POST /big HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(randomBytes(150000, 3), 10000));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
        QVERIFY(client.waitClosed());
        QCOMPARE(m_memory->captures().size(), 0);
        QCOMPARE(listener->stats().bufferedBytes, 0);
    }

    void malformedRequests_get4xxAndClose_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("bad header") << QByteArray("GET / HTTP/1.1\r\nNo colon here\r\n\r\n") << 400;
        QByteArray manyHeaders = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 101; ++i)
            manyHeaders += "X-H" + QByteArray::number(i) + ": v\r\n";
        manyHeaders += "\r\n";
        QTest::newRow("too many headers") << manyHeaders << 431;
        QTest::newRow("huge header") << "GET / HTTP/1.1\r\nX-Big: " + QByteArray(70000, 'a') + "\r\n\r\n" << 431;
        QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
        QTest::newRow("smuggling") << QByteArray(
            "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n")
                                   << 400;
    }

    void malformedRequests_get4xxAndClose()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(request);
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, status);
        QVERIFY(client.waitClosed());
        QCOMPARE(m_memory->captures().size(), 0);
    }

    void goodRequestBeforeABadOne_onOneConnection_stillCaptured()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/good", "first") + "BROKEN LINE\r\n\r\n");
        const auto first = client.nextReply();
        QVERIFY(first);
        QCOMPARE(first->status, 200);
        const auto second = client.nextReply();
        QVERIFY(second);
        QCOMPARE(second->status, 400);
        QVERIFY(client.waitClosed());
        QCOMPARE(m_memory->captures().size(), 1);
        QCOMPARE(m_memory->captures().first().body, QByteArray("first"));
    }

    void idleConnection_closedAfterIdleTimeout()
    {
        ListenerConfig config = quickConfig();
        config.limits.idleTimeoutMs = 200;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/one", "1"));
        QVERIFY(client.nextReply());
        QVERIFY(client.waitClosed(5000)); // keep-alive, then nothing: closed quietly
        QVERIFY(client.unread().isEmpty());
    }

    void slowRequest_gets408()
    {
        ListenerConfig config = quickConfig();
        config.limits.requestTimeoutMs = 300;
        auto listener = start(config, m_memory.get());
        QSignalSpy rejected(listener.get(), &Listener::requestRejected);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        // Slowloris: a header line now and then, never the end of the head.
        client.send("POST /slow HTTP/1.1\r\n");
        std::optional<HttpReply> reply;
        for (int i = 0; i < 40 && !reply; ++i) {
            client.send("X-Drip-" + QByteArray::number(i) + ": 1\r\n");
            reply = client.nextReply(false, 100);
        }
        QVERIFY(reply);
        QCOMPARE(reply->status, 408);
        QVERIFY(client.waitClosed());
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(m_memory->captures().size(), 0);
    }

    void stalledBody_gets408()
    {
        ListenerConfig config = quickConfig();
        config.limits.idleTimeoutMs = 200;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /stall HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 408);
        QVERIFY(client.waitClosed());
    }

    void expectContinue_answeredBeforeTheBody()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /expect HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        const auto interim = client.nextReply();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        QVERIFY(m_memory->captures().isEmpty());
        client.send("hello");
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(m_memory->captures().first().body, QByteArray("hello"));
    }

    void expectContinue_tooLarge_gets413WithoutContinue()
    {
        ListenerConfig config = quickConfig();
        config.limits.maxBodyBytes = 1000;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /expect HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
    }

    void pipelinedRequests_answeredInOrder_evenWhenStoredOutOfOrder()
    {
        ManualSink sink;
        auto listener = start(quickConfig(), &sink);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/1", "one") + post("/2", "two") + "GET /3 HTTP/1.1\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return sink.size() == 3; }, 10000));
        QCOMPARE(sink.capture(0).target, QByteArray("/1"));
        QCOMPARE(sink.capture(1).target, QByteArray("/2"));
        QCOMPARE(sink.capture(2).target, QByteArray("/3"));
        sink.complete(2);
        sink.complete(1);
        QTest::qWait(50);
        QVERIFY(client.unread().isEmpty()); // nothing may overtake the first answer
        sink.complete(0);
        for (const char *expected : {"one", "two", "3"}) {
            Q_UNUSED(expected);
            const auto reply = client.nextReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
        }
        QVERIFY(client.unread().isEmpty());
    }

    void fragmentedPipelinedTraffic_everyRequestCapturedExactly()
    {
        // Twenty requests of every shape, cut into segments of odd sizes: the guard and Qt must
        // agree on every boundary.
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        QByteArray stream;
        QList<QByteArray> bodies;
        for (int i = 0; i < 20; ++i) {
            const QByteArray body = randomBytes(i * 397 % 5000, quint32(100 + i));
            bodies.append(body);
            if (i % 3 == 0)
                stream += "PUT /c" + QByteArray::number(i) + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunked(body, 1 + i * 37);
            else if (i % 5 == 0)
                stream += "GET /g" + QByteArray::number(i) + " HTTP/1.1\r\n\r\n";
            else
                stream += post("/p" + QByteArray::number(i), body);
            if (i % 5 == 0 && i % 3 != 0)
                bodies.last().clear();
        }
        client.sendSlowly(stream, 1531, 1);
        for (int i = 0; i < 20; ++i) {
            const auto reply = client.nextReply();
            QVERIFY2(reply, qPrintable(QStringLiteral("answer %1").arg(i)));
            QCOMPARE(reply->status, 200);
        }
        QCOMPARE(m_memory->captures().size(), 20);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(digest(m_memory->captures().at(i).body), digest(bodies.at(i)));
    }

    void byteByByteRequest_capturedExactly()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        const QByteArray request = "PATCH /slow?x=%2F HTTP/1.1\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked("chunked, byte by byte", 5) + post("/next", "second");
        client.sendSlowly(request, 1, 1);
        QVERIFY(client.nextReply());
        QVERIFY(client.nextReply());
        QCOMPARE(m_memory->captures().size(), 2);
        QCOMPARE(m_memory->captures().at(0).method, QByteArray("PATCH"));
        QCOMPARE(m_memory->captures().at(0).target, QByteArray("/slow?x=%2F"));
        QCOMPARE(m_memory->captures().at(0).body, QByteArray("chunked, byte by byte"));
        QCOMPARE(m_memory->captures().at(1).body, QByteArray("second"));
    }

    void clientGoneBeforeDelayedAnswer_noCrash_captureKept()
    {
        ListenerConfig config = quickConfig();
        config.response.delayMs = 150;
        auto listener = start(config, m_memory.get());
        QSignalSpy handled(listener.get(), &Listener::requestHandled);
        {
            RawHttpClient client(listener->port());
            QVERIFY(client.waitConnected());
            client.send(post("/gone", "bye"));
            QVERIFY(handled.wait(5000));
            client.socket()->abort();
        }
        QTest::qWait(400); // the delayed answer fires for a connection that is gone
        RawHttpClient again(listener->port());
        QVERIFY(again.waitConnected());
        again.send(post("/again", "hi"));
        const auto reply = again.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(m_memory->captures().size(), 2);
    }

    void clientGoneBeforeCommit_noCrash()
    {
        ManualSink sink;
        auto listener = start(quickConfig(), &sink);
        {
            RawHttpClient client(listener->port());
            QVERIFY(client.waitConnected());
            client.send(post("/a", "1") + post("/b", "2"));
            QVERIFY(QTest::qWaitFor([&] { return sink.size() == 2; }, 5000));
        }
        QTRY_COMPARE_WITH_TIMEOUT(listener->stats().connections, 0, 10000); // the socket is gone
        sink.complete(0);
        sink.complete(1, QStringLiteral("disk full"));
        QCOMPARE(listener->stats().captured, 1);
        QCOMPARE(listener->stats().storeErrors, 1);
        QCOMPARE(listener->stats().bufferedBytes, 0);
    }

    void failFirst_failsEachDistinctBodyNTimes()
    {
        ListenerConfig config = quickConfig();
        config.faults.failFirst = 2;
        config.faults.failStatus = 503;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        QList<int> statuses;
        for (const QByteArray &body : {QByteArray("A"), QByteArray("A"), QByteArray("A"), QByteArray("B")}) {
            client.send(post("/retry", body));
            const auto reply = client.nextReply();
            QVERIFY(reply);
            statuses.append(reply->status);
        }
        QCOMPARE(statuses, (QList<int> {503, 503, 200, 503}));
        QCOMPARE(m_memory->captures().size(), 4);
        QCOMPARE(m_memory->captures().at(1).responseStatus, 503);
        QCOMPARE(m_memory->captures().at(2).responseStatus, 200);
    }

    void failPercent_hundred_failsEveryRequest()
    {
        ListenerConfig config = quickConfig();
        config.faults.failPercent = 100;
        config.faults.failStatus = 502;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        for (int i = 0; i < 3; ++i) {
            client.send(post("/p", QByteArray::number(i)));
            const auto reply = client.nextReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 502);
            QVERIFY(reply->body.contains("fault"));
        }
    }

    void closeWithoutAnswer_storesThenCloses()
    {
        ListenerConfig config = quickConfig();
        config.faults.closeWithoutAnswer = true;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/silent", "data"));
        QVERIFY(client.waitClosed());
        QVERIFY(client.unread().isEmpty());
        QCOMPARE(m_memory->captures().size(), 1);
        QCOMPARE(m_memory->captures().first().responseStatus, 0);
    }

    void storeFailure_answers503AndSaysSo()
    {
        m_memory->setFailure(QStringLiteral("disk full"));
        auto listener = start(quickConfig(), m_memory.get());
        QSignalSpy errors(listener.get(), &Listener::errorOccurred);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "lost?"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 503);
        QVERIFY(reply->body.contains("capture not stored: disk full"));
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first().first().toString().contains(QStringLiteral("disk full")));
    }

    void customResponse_statusHeadersBody()
    {
        ListenerConfig config = quickConfig();
        config.response.status = 299;
        config.response.headers = {{"Content-Type", "text/plain"}, {"X-Hookbench", "yes"}, {"Content-Length", "999"}};
        config.response.body = "accepted\n";
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "1"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 299);
        QCOMPARE(reply->header("X-Hookbench"), QByteArray("yes"));
        QCOMPARE(reply->header("Content-Length"), QByteArray("9")); // ours, not the configured one
        QCOMPARE(reply->body, QByteArray("accepted\n"));
    }

    void largeAnswersToAStalledReader_arriveWholeAndInOrder()
    {
        // Answers are handed to the kernel directly while Qt's write buffer is empty; what the
        // kernel can't take must follow through Qt, before anything written after it.
        ListenerConfig config = quickConfig();
        config.response.headers = {{"Content-Type", "application/octet-stream"}};
        config.response.body = randomBytes(12 * 1024 * 1024 + 5, 11);
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.pauseReading();
        client.send(post("/1", "one") + post("/2", "two") + post("/3", "three"));
        QVERIFY(QTest::qWaitFor([&] { return m_memory->captures().size() == 3; }, 10000));
        QTest::qWait(200); // the answers meet a full receive buffer
        client.resumeReading();
        for (int i = 0; i < 3; ++i) {
            const auto reply = client.nextReply();
            QVERIFY2(reply, qPrintable(QStringLiteral("answer %1 incomplete").arg(i + 1)));
            QCOMPARE(reply->status, 200);
            QVERIFY(reply->body == config.response.body);
        }
        QVERIFY(client.unread().isEmpty());
        client.send(post("/4", "four"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QVERIFY(reply->body == config.response.body);
    }

    void connectionClose_honoured()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/x", "1", "Connection: close\r\n"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->header("Connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
    }

    void decoratorAndStats_seeEveryCapture()
    {
        auto listener = start(quickConfig(), m_memory.get());
        listener->setCaptureDecorator([](Capture &capture) {
            if (capture.body.contains("job.run"))
                capture.dbtEventType = QStringLiteral("job.run.completed");
        });
        QSignalSpy stats(listener.get(), &Listener::statsChanged);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/a", R"({"eventType":"job.run.completed"})") + post("/b", "other"));
        QVERIFY(client.nextReply());
        QVERIFY(client.nextReply());
        QCOMPARE(m_memory->captures().at(0).dbtEventType, QStringLiteral("job.run.completed"));
        QVERIFY(m_memory->captures().at(1).dbtEventType.isEmpty());
        QVERIFY(stats.wait(2000));
        const auto last = stats.last().first().value<ListenerStats>();
        QCOMPARE(last.captured, 2);
        QCOMPARE(last.connections, 1);
        QCOMPARE(last.bufferedBytes, 0);
        QCOMPARE(listener->stats().captured, 2);
    }

    void http10KeepAlive_toldSoAndKept()
    {
        auto listener = start(quickConfig(), m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /old HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\na");
        const auto first = client.nextReply();
        QVERIFY(first);
        QCOMPARE(first->header("Connection"), QByteArray("keep-alive"));
        client.send("POST /old HTTP/1.0\r\nContent-Length: 1\r\n\r\nb");
        const auto second = client.nextReply();
        QVERIFY(second);
        QCOMPARE(second->header("Connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_memory->captures().size(), 2);
    }

    void tls_withGeneratedCertificate()
    {
        ListenerConfig config = quickConfig();
        config.tls.enabled = true;
        auto listener = start(config, m_memory.get());
        QVERIFY(listener->url().startsWith(u"https://"));
        QCOMPARE(listener->certificateFingerprint().size(), 32 * 3 - 1);
        RawHttpClient client(listener->port(), true);
        QVERIFY(client.waitConnected());
        QCOMPARE(sha256Fingerprint(client.sslSocket()->peerCertificate()), listener->certificateFingerprint());
        client.send(post("/tls", "secret stuff"));
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(m_memory->captures().size(), 1);
        QVERIFY(m_memory->captures().first().tls);
        QCOMPARE(m_memory->captures().first().body, QByteArray("secret stuff"));
        QCOMPARE(m_memory->captures().first().remotePort, client.localPort());
    }

    void tls_withUserCertificate()
    {
        QString error;
        const auto generated = TlsIdentity::generateSelfSigned({QStringLiteral("hooks.test")}, &error);
        QVERIFY2(generated, qPrintable(error));
        const auto loaded = TlsIdentity::fromPem(generated->certificate.toPem(), generated->privateKey.toPem(), &error);
        QVERIFY2(loaded, qPrintable(error));
        const auto other = TlsIdentity::generateSelfSigned({}, &error);
        QVERIFY(!TlsIdentity::fromPem(generated->certificate.toPem(), other->privateKey.toPem(), &error));
        QVERIFY(error.contains(QStringLiteral("does not belong")));

        ListenerConfig config = quickConfig();
        config.tls.enabled = true;
        config.tls.certificate = loaded->certificate;
        config.tls.privateKey = loaded->privateKey;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port(), true);
        QVERIFY(client.waitConnected());
        QCOMPARE(client.sslSocket()->peerCertificate(), generated->certificate);
        client.send(post("/tls", "x"));
        QVERIFY(client.nextReply());
        QCOMPARE(m_memory->captures().size(), 1);
    }

    void portInUse_reportsTheReason()
    {
        auto first = start(quickConfig(), m_memory.get());
        ListenerConfig config = quickConfig();
        config.port = first->port();
        Listener second(config, m_memory.get());
        QSignalSpy errors(&second, &Listener::errorOccurred);
        QVERIFY(!second.start());
        QCOMPARE(second.state(), Listener::State::Failed);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(second.lastError().contains(QStringLiteral("already in use")), qPrintable(second.lastError()));
    }

    void anyAddress_warnsAboutExposure()
    {
        ListenerConfig config = quickConfig();
        config.address = QHostAddress(QHostAddress::AnyIPv4);
        Listener listener(config, m_memory.get());
        QSignalSpy exposed(&listener, &Listener::exposed);
        QVERIFY(listener.start());
        QCOMPARE(exposed.size(), 1);
        QVERIFY(exposed.first().first().toString().contains(QStringLiteral("0.0.0.0:%1").arg(listener.port())));
    }

    void stop_finishesPendingAnswersThenStops()
    {
        ListenerConfig config = quickConfig();
        config.response.delayMs = 300;
        auto listener = start(config, m_memory.get());
        QSignalSpy handled(listener.get(), &Listener::requestHandled);
        QSignalSpy stopped(listener.get(), &Listener::stopped);
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send(post("/late", "x"));
        QVERIFY(handled.wait(5000));
        listener->stop();
        QCOMPARE(listener->state(), Listener::State::Stopping);
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->header("Connection"), QByteArray("close"));
        QVERIFY(stopped.wait(5000) || stopped.size() == 1);
        QCOMPARE(listener->state(), Listener::State::Stopped);
        RawHttpClient refused(listener->port());
        QVERIFY(!refused.waitConnected(300));
    }

    void bufferBudget_exceeded_gets503()
    {
        ListenerConfig config = quickConfig();
        config.limits.maxBufferedBytes = 1000;
        auto listener = start(config, m_memory.get());
        RawHttpClient client(listener->port());
        QVERIFY(client.waitConnected());
        client.send("POST /x HTTP/1.1\r\nContent-Length: 2000\r\n\r\n");
        const auto reply = client.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 503);
        QCOMPARE(reply->header("Retry-After"), QByteArray("1"));
    }

    void tooManyConnections_gets503()
    {
        ListenerConfig config = quickConfig();
        config.limits.maxConnections = 1;
        auto listener = start(config, m_memory.get());
        RawHttpClient first(listener->port());
        QVERIFY(first.waitConnected());
        QVERIFY(QTest::qWaitFor([&] { return listener->stats().connections == 1; }, 5000));
        RawHttpClient second(listener->port());
        const auto reply = second.nextReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 503);
        first.send(post("/x", "1"));
        QVERIFY(first.nextReply());
    }
};

QTEST_GUILESS_MAIN(TestListener)
#include "tst_listener.moc"
