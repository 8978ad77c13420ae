#include "rawhttpreceiver.h"

#include "replay/captureloader.h"
#include "replay/replaybatch.h"
#include "signing/schemeregistry.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

HttpRequest post(const QString &url, const QByteArray &body, HeaderList headers = {})
{
    HttpRequest request;
    request.url = QUrl(url);
    request.headers = std::move(headers);
    request.body = body;
    return request;
}

QList<HttpRequest> requests(const RawHttpReceiver &receiver, int count)
{
    QList<HttpRequest> list;
    for (int i = 0; i < count; ++i)
        list.append(post(receiver.url(QStringLiteral("/hook/%1").arg(i)), "{\"n\":" + QByteArray::number(i) + '}',
            {{"Content-Type", "application/json"}, {"Authorization", "stale"}}));
    return list;
}

// Collects what a batch reports.
struct Recorder
{
    QList<std::pair<qsizetype, Attempt>> attempts;
    QList<ReplayProgress> progress;
    std::optional<ReplaySummary> summary;

    explicit Recorder(ReplayBatch &batch)
    {
        QObject::connect(
            &batch, &ReplayBatch::attemptFinished, &batch, [this](qsizetype index, const Attempt &attempt) {
                attempts.append({index, attempt});
            });
        QObject::connect(
            &batch, &ReplayBatch::progress, &batch, [this](const ReplayProgress &p) { progress.append(p); });
        QObject::connect(&batch, &ReplayBatch::finished, &batch, [this](const ReplaySummary &s) {
            QVERIFY2(!summary, "finished twice");
            summary = s;
        });
    }
    bool waitForFinished()
    {
        return QTest::qWaitFor([this] { return summary.has_value(); }, 60000);
    }
};

} // namespace

class TestReplayBatch : public QObject
{
    Q_OBJECT

private slots:
    void everyRequest_isSentResignedAndReported()
    {
        RawHttpReceiver receiver;
        const int total = 25;
        std::shared_ptr<const SignatureScheme> dbt = createBuiltinScheme(u"dbt-cloud");
        ReplayBatch::Options options;
        options.resigner = std::make_shared<Resigner>(dbt, "batch-secret");
        QList<qsizetype> loaded;
        const QList<HttpRequest> list = requests(receiver, total);
        ReplayBatch batch(
            total,
            [&](qsizetype index) {
                loaded.append(index);
                return ReplayItem {1000 + index, list.at(index), {}};
            },
            options);
        Recorder recorder(batch);
        batch.start();
        QVERIFY(recorder.attempts.isEmpty()); // nothing inside start()
        QVERIFY(recorder.waitForFinished());

        QCOMPARE(recorder.attempts.size(), total);
        QCOMPARE(receiver.requests().size(), total);
        QCOMPARE(loaded.size(), total);
        QSet<qsizetype> indexes;
        for (const auto &[index, attempt] : std::as_const(recorder.attempts)) {
            indexes.insert(index);
            QVERIFY2(attempt.succeeded(), qPrintable(attempt.error));
            QCOMPARE(attempt.kind, Attempt::Kind::Replay);
            QCOMPARE(attempt.captureId, 1000 + index);
            QCOMPARE(attempt.request.body, list.at(index).body);
        }
        QCOMPARE(indexes.size(), total);

        // What arrived verifies with the signing engine: fresh signatures for the exact bytes,
        // in the place of the stale one.
        VerifyOptions verifyOptions;
        for (const ReceivedRequest &request : receiver.requests()) {
            const HeaderList headers = parsedHeaders(request);
            QCOMPARE(headers.at(2).name, QByteArray("Authorization"));
            const VerificationResult result = dbt->verify(headers, request.body, {"batch-secret"}, verifyOptions);
            QVERIFY2(result.isValid(), qPrintable(result.reason));
        }

        const ReplaySummary &summary = *recorder.summary;
        QCOMPARE(summary.total, total);
        QCOMPARE(summary.completed, total);
        QCOMPARE(summary.succeeded, total);
        QCOMPARE(summary.statusCounts, (QMap<int, qsizetype> {{200, total}}));
        QVERIFY(summary.failureCounts.isEmpty());
        QVERIFY(!summary.cancelled);
        QCOMPARE(summary.notStarted, 0);

        QCOMPARE(recorder.progress.size(), total);
        for (qsizetype i = 0; i < recorder.progress.size(); ++i) {
            QCOMPARE(recorder.progress.at(i).done, i + 1);
            QCOMPARE(recorder.progress.at(i).total, total);
            QVERIFY(recorder.progress.at(i).etaMs >= 0);
        }
        QCOMPARE(recorder.progress.last().etaMs, 0);
        QVERIFY(!batch.isRunning());
    }

    void concurrencyCap_isRespected()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        const int total = 10;
        ReplayBatch::Options options;
        options.concurrency = 3;
        int loads = 0;
        const QList<HttpRequest> list = requests(receiver, total);
        ReplayBatch batch(
            total,
            [&](qsizetype index) {
                ++loads;
                return ReplayItem {0, list.at(index), {}};
            },
            options);
        Recorder recorder(batch);
        batch.start();

        // The server answers only when the batch has filled its slots: if the cap were exceeded it
        // would see more than 3 waiting; if the batch used fewer, this would never complete.
        int answered = 0;
        while (answered < total) {
            const int expected = std::min(3, total - answered);
            QTRY_COMPARE(receiver.heldCount(), expected);
            QTest::qWait(50); // room for a request beyond the cap to show up
            QCOMPARE(receiver.heldCount(), expected);
            QCOMPARE(loads, answered + expected); // pulled from the loader only when a slot is free
            receiver.releaseHeld();
            answered += expected;
        }
        QVERIFY(recorder.waitForFinished());
        QCOMPARE(receiver.peakHeld(), 3);
        QCOMPARE(batch.peakInFlight(), 3);
        QCOMPARE(recorder.summary->succeeded, total);
        QVERIFY(receiver.connectionsAccepted() <= 3); // keep-alive: the slots reuse their connections
    }

    void cancel_stopsInFlightAndUnstarted()
    {
        RawHttpReceiver receiver;
        receiver.holdRequests();
        const int total = 20;
        ReplayBatch::Options options; // default concurrency: 4
        ReplayBatch batch(total, ReplayBatch::requestListLoader(requests(receiver, total)), options);
        Recorder recorder(batch);
        batch.start();
        QTRY_COMPARE(receiver.heldCount(), 4);
        batch.cancel();
        QVERIFY(recorder.waitForFinished());

        const ReplaySummary &summary = *recorder.summary;
        QVERIFY(summary.cancelled);
        QCOMPARE(summary.completed, 4);
        QCOMPARE(summary.notStarted, 16);
        QCOMPARE(summary.succeeded, 0);
        QCOMPARE(summary.failureCounts.value(Attempt::Failure::Other), 4);
        QCOMPARE(summary.failures.size(), 4);
        for (const ReplayFailure &failure : summary.failures)
            QCOMPARE(failure.reason, QStringLiteral("cancelled before a response arrived"));
        QTest::qWait(100);
        QCOMPARE(receiver.requests().size(), 4); // nothing more was sent
        QCOMPARE(recorder.attempts.size(), 4);
    }

    void rateLimit_spacesTheStarts()
    {
        RawHttpReceiver receiver;
        const int total = 6;
        ReplayBatch::Options options;
        options.concurrency = 6;
        options.rateLimit = 20; // one start every 50 ms
        ReplayBatch batch(total, ReplayBatch::requestListLoader(requests(receiver, total)), options);
        Recorder recorder(batch);
        QElapsedTimer clock;
        clock.start();
        batch.start();
        QVERIFY(recorder.waitForFinished());
        // A lower bound only: the limiter guarantees it however slow the machine is. Without the
        // limit, 6 loopback requests take a few milliseconds.
        QVERIFY2(clock.elapsed() >= 5 * 50, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(recorder.summary->elapsedMs >= 5 * 50, qPrintable(QString::number(recorder.summary->elapsedMs)));
        QCOMPARE(recorder.summary->succeeded, total);
    }

    void summary_countsStatusesAndFailures()
    {
        RawHttpReceiver receiver;
        receiver.setHandler([](QTcpSocket *socket, const ReceivedRequest &request) {
            const int status = request.body.toInt();
            socket->write(RawHttpReceiver::okResponse({}, status, "Status"));
        });
        const QString refusedUrl = QStringLiteral("http://127.0.0.1:%1/").arg(closedPort());
        const QList<ReplayItem> items {
            {11, post(receiver.url(), "200"), {}},
            {12, post(receiver.url(), "500"), {}},
            {13, post(refusedUrl, "200"), {}},
            {14, {}, QStringLiteral("capture 14 no longer exists")},
            {15, post(receiver.url(), "404"), {}},
            {16, post(receiver.url(), "500"), {}},
            {17, post(receiver.url(), "201"), {}},
        };
        ReplayBatch batch(items.size(), [&items](qsizetype index) { return items.at(index); }, {});
        Recorder recorder(batch);
        batch.start();
        QVERIFY(recorder.waitForFinished());

        const ReplaySummary &summary = *recorder.summary;
        QCOMPARE(summary.completed, 7);
        QCOMPARE(summary.succeeded, 2);
        QCOMPARE(summary.statusCounts, (QMap<int, qsizetype> {{200, 1}, {201, 1}, {404, 1}, {500, 2}}));
        QCOMPARE(summary.failureCounts,
            (QMap<Attempt::Failure, qsizetype> {{Attempt::Failure::Refused, 1}, {Attempt::Failure::Other, 1}}));
        QCOMPARE(summary.failures.size(), 2);
        QSet<qint64> failedIds;
        for (const ReplayFailure &failure : summary.failures) {
            failedIds.insert(failure.captureId);
            if (failure.captureId == 14) {
                QCOMPARE(failure.index, 3);
                QCOMPARE(failure.reason, QStringLiteral("capture 14 no longer exists"));
            } else {
                QCOMPARE(failure.failure, Attempt::Failure::Refused);
                QVERIFY2(failure.reason.startsWith(u"connection refused by 127.0.0.1:"), qPrintable(failure.reason));
            }
        }
        QCOMPARE(failedIds, (QSet<qint64> {13, 14}));
        QCOMPARE(receiver.requests().size(), 5);
    }

    void captureLoader_fetchesInChunksAndKeepsOrder()
    {
        QList<QList<qint64>> fetches;
        auto fetch = [&fetches](const QList<qint64> &ids, QString *) {
            fetches.append(ids);
            QList<Capture> found;
            for (const qint64 id : ids) {
                if (id == 4)
                    continue; // capture 4 was deleted meanwhile
                Capture capture;
                capture.id = id;
                capture.method = "POST";
                capture.target = "/t/" + QByteArray::number(id);
                capture.headers = {{"Host", "old"}, {"X-Id", QByteArray::number(id)}};
                capture.body = QByteArray::number(id);
                found.append(capture);
            }
            return found;
        };
        const QList<qint64> ids {1, 2, 3, 4, 5, 2, 7};
        ReplayBatch::Loader load = captureLoader(ids, QUrl(QStringLiteral("http://127.0.0.1:9")), fetch, 3);
        QList<ReplayItem> items;
        for (qsizetype i = 0; i < ids.size(); ++i)
            items.append(load(i));
        QCOMPARE(fetches, (QList<QList<qint64>> {{1, 2, 3}, {4, 5, 2}, {7}}));
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QCOMPARE(items.at(i).captureId, ids.at(i));
            if (ids.at(i) == 4) {
                QCOMPARE(items.at(i).error, QStringLiteral("capture 4 no longer exists"));
                continue;
            }
            QVERIFY(items.at(i).error.isEmpty());
            QCOMPARE(items.at(i).request.body, QByteArray::number(ids.at(i)));
            QCOMPARE(items.at(i).request.target, "/t/" + QByteArray::number(ids.at(i)));
            QCOMPARE(items.at(i).request.headers, (HeaderList {{"X-Id", QByteArray::number(ids.at(i))}}));
        }

        // A failing fetch turns its chunk into failed items with the store's message.
        ReplayBatch::Loader broken = captureLoader(
            {8, 9}, QUrl(QStringLiteral("http://127.0.0.1:9")), [](const QList<qint64> &, QString *error) {
                *error = QStringLiteral("the capture store is locked");
                return QList<Capture> {};
            });
        QCOMPARE(broken(0).error, QStringLiteral("the capture store is locked"));
        QCOMPARE(broken(1).error, QStringLiteral("the capture store is locked"));
    }

    void emptyBatch_finishesAtOnce()
    {
        ReplayBatch batch(0, [](qsizetype) { return ReplayItem {}; }, {});
        Recorder recorder(batch);
        batch.start();
        QVERIFY(recorder.waitForFinished());
        QCOMPARE(recorder.summary->total, 0);
        QCOMPARE(recorder.summary->completed, 0);
    }
};

QTEST_GUILESS_MAIN(TestReplayBatch)
#include "tst_replaybatch.moc"
