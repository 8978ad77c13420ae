#include "capture/capture.h"
#include "dbt/dbtdeactivation.h"
#include "dbt/dbtrunindex.h"
#include "dbt/dbtsamplegenerator.h"
#include "dbt/dbtsummary.h"
#include "dbt/stringpool.h"

#include <QTest>

#include <tuple>

using namespace hookbench;

namespace {

constexpr qint64 second = 1000000; // microseconds

// A capture of `body` as the listener would store it.
Capture captured(qint64 id, const QByteArray &body, qint64 receivedAtUs, int status = 200)
{
    Capture capture;
    capture.id = id;
    capture.receivedAtUs = receivedAtUs;
    capture.method = QByteArrayLiteral("POST");
    capture.body = body;
    capture.responseStatus = status;
    applyDbtSummary(capture);
    return capture;
}

DbtSampleSettings runSettings(const char *runId, int startHour = 6)
{
    DbtSampleSettings settings;
    settings.runId = QString::fromLatin1(runId);
    settings.jobName = QStringLiteral("Hourly");
    settings.environmentName = QStringLiteral("Staging");
    settings.projectName = QStringLiteral("Finance");
    settings.startedAt = QDateTime(QDate(2025, 3, 1), QTime(startHour, 0), Qt::UTC);
    settings.durationSeconds = 100;
    return settings;
}

// Deliveries of a scenario, received when dbt emitted them (plus 50 ms), ids from `firstId`.
QList<DbtDelivery> delivered(const QList<DbtSampleDelivery> &samples, qint64 firstId, int status = 200)
{
    QList<DbtDelivery> deliveries;
    for (const DbtSampleDelivery &sample : samples) {
        const qint64 at = sample.event.timestamp.msecsSinceEpoch() * 1000 + 50000 + deliveries.size();
        deliveries.append(DbtDelivery::fromCapture(captured(firstId++, sample.body, at, status)));
    }
    return deliveries;
}

} // namespace

class TestDbtRuns : public QObject
{
    Q_OBJECT

private slots:
    void successfulRun_oneRowWithTimesAndDuration()
    {
        const QList<DbtRun> runs
            = groupDbtRuns(delivered(DbtSampleGenerator(runSettings("501")).scenario(DbtScenario::Success), 1));
        QCOMPARE(runs.size(), 1);
        const DbtRun &run = runs.first();
        QCOMPARE(run.runId, QStringLiteral("501"));
        QCOMPARE(run.jobId, QStringLiteral("418230"));
        QCOMPARE(run.jobName, QStringLiteral("Hourly"));
        QCOMPARE(run.environmentName, QStringLiteral("Staging"));
        QCOMPARE(run.projectName, QStringLiteral("Finance"));
        QCOMPARE(run.status, DbtRunStatus::Success);
        QCOMPARE(run.startedAt.utc(), QDateTime(QDate(2025, 3, 1), QTime(6, 0), Qt::UTC));
        QCOMPARE(run.finishedAt.utc(), QDateTime(QDate(2025, 3, 1), QTime(6, 1, 40), Qt::UTC));
        QVERIFY(run.erroredAt.isNull());
        QCOMPARE(run.durationMs(), std::optional<qint64>(100000));
        QVERIFY(run.hasEnded());
        QCOMPARE(run.deliveries, 2);
        QCOMPARE(run.duplicates, 0);
        QCOMPARE(run.failedDeliveries, 0);
        QCOMPARE(run.captureIds, (QList<qint64> {1, 2}));
        QCOMPARE(run.worstCheck, QStringLiteral("ok"));
        QCOMPARE(run.timelineStart(), run.startedAt.utc());
        QCOMPARE(run.timelineEnd(), run.finishedAt.utc());
    }

    void failedRun_outOfOrder_endsErrored()
    {
        QList<DbtDelivery> deliveries
            = delivered(DbtSampleGenerator(runSettings("502")).scenario(DbtScenario::Failure), 10);
        // Arrival order: completed, errored, started (dbt's queue and retries reorder them).
        std::swap(deliveries[0].receivedAtUs, deliveries[2].receivedAtUs);
        DbtRunIndex index;
        for (const DbtDelivery &delivery : {deliveries[2], deliveries[1], deliveries[0]})
            index.add(delivery);
        QCOMPARE(index.size(), 1);
        const DbtRun &run = index.at(0);
        QCOMPARE(run.status, DbtRunStatus::Errored);
        QVERIFY(run.sawStarted && run.sawErrored && run.sawCompleted);
        QCOMPARE(run.erroredAt.utc(), QDateTime(QDate(2025, 3, 1), QTime(6, 1, 40), Qt::UTC));
        QCOMPARE(run.finishedAt.utc(), QDateTime(QDate(2025, 3, 1), QTime(6, 1, 44), Qt::UTC));
        QCOMPARE(run.durationMs(), std::optional<qint64>(104000));
        QCOMPARE(run.statusMessage, QStringLiteral("dbt command failed"));
        // Captures in arrival order: the completed one (id 12) came first.
        QCOMPARE(index.deliveries(0).first().captureId, 12);
        QCOMPARE(run.captureIds, (QList<qint64> {12, 11, 10}));
        QCOMPARE(run.startedAt.utc(), QDateTime(QDate(2025, 3, 1), QTime(6, 0), Qt::UTC));
    }

    void statusIsDecidedByEventsNotByArrival_data()
    {
        QTest::addColumn<QList<int>>("order");
        QTest::newRow("in order") << QList<int> {0, 1, 2};
        QTest::newRow("completed first") << QList<int> {2, 0, 1};
        QTest::newRow("started last") << QList<int> {1, 2, 0};
        QTest::newRow("reversed") << QList<int> {2, 1, 0};
    }

    void statusIsDecidedByEventsNotByArrival()
    {
        QFETCH(QList<int>, order);
        const QList<DbtDelivery> deliveries
            = delivered(DbtSampleGenerator(runSettings("503")).scenario(DbtScenario::Failure), 1);
        DbtRunIndex index;
        for (int i : order) {
            DbtDelivery delivery = deliveries.at(i);
            delivery.receivedAtUs = 1000 * second + order.indexOf(i) * second; // arrival = add order
            index.add(delivery);
        }
        const DbtRun &run = index.at(0);
        QCOMPARE(run.status, DbtRunStatus::Errored);
        QCOMPARE(run.durationMs(), std::optional<qint64>(104000));
        QCOMPARE(run.jobName, QStringLiteral("Hourly"));
        QCOMPARE(run.deliveries, 3);
    }

    void retriedDelivery_countsAsDuplicate()
    {
        const QList<DbtDelivery> deliveries
            = delivered(DbtSampleGenerator(runSettings("504")).scenario(DbtScenario::Retry), 20);
        DbtRunIndex index;
        QList<DbtRunIndex::Change> changes;
        for (const DbtDelivery &delivery : deliveries)
            changes.append(index.add(delivery));
        QVERIFY(changes.at(0).inserted && !changes.at(0).duplicate);
        QVERIFY(!changes.at(1).inserted && !changes.at(1).duplicate);
        QVERIFY(!changes.at(2).inserted && changes.at(2).duplicate);
        QCOMPARE(changes.at(2).row, 0);
        const DbtRun &run = index.at(0);
        QCOMPARE(run.deliveries, 3);
        QCOMPARE(run.duplicates, 1);
        QCOMPARE(run.status, DbtRunStatus::Success);
        QCOMPARE(run.captureIds, (QList<qint64> {20, 21, 22}));
    }

    void duplicatesAcrossManyRetries_andInterleavedRuns()
    {
        const QList<DbtSampleDelivery> a = DbtSampleGenerator(runSettings("601", 6)).scenario(DbtScenario::Success);
        const QList<DbtSampleDelivery> b = DbtSampleGenerator(runSettings("602", 5)).scenario(DbtScenario::Failure);
        QList<DbtDelivery> all;
        qint64 id = 1;
        auto deliver = [&](const DbtSampleDelivery &sample, int status) {
            all.append(DbtDelivery::fromCapture(captured(id, sample.body, id * second, status)));
            ++id;
        };
        deliver(a[0], 200);
        deliver(b[0], 200);
        // dbt retries a's completed event while the listener answers 500, then it gets through.
        for (int attempt = 0; attempt < 4; ++attempt)
            deliver(a[1], 500);
        deliver(a[1], 200);
        deliver(b[1], 200);
        deliver(b[2], 200);

        const QList<DbtRun> runs = groupDbtRuns(all);
        QCOMPARE(runs.size(), 2);
        // Ordered by start time: b started at 05:00, a at 06:00.
        QCOMPARE(runs.at(0).runId, QStringLiteral("602"));
        QCOMPARE(runs.at(1).runId, QStringLiteral("601"));
        QCOMPARE(runs.at(1).deliveries, 6);
        QCOMPARE(runs.at(1).duplicates, 4);
        QCOMPARE(runs.at(1).failedDeliveries, 4);
        QCOMPARE(runs.at(1).status, DbtRunStatus::Success);
        QCOMPARE(runs.at(0).deliveries, 3);
        QCOMPARE(runs.at(0).duplicates, 0);
        QCOMPARE(runs.at(0).status, DbtRunStatus::Errored);

        // The index keeps first-seen order: a's row 0, b's row 1.
        DbtRunIndex index;
        for (const DbtDelivery &delivery : all)
            index.add(delivery);
        QCOMPARE(index.rowOf(QStringLiteral("601")), 0);
        QCOMPARE(index.rowOf(QStringLiteral("602")), 1);
        QCOMPARE(index.rowOf(QStringLiteral("999")), -1);
        QCOMPARE(index.at(0).duplicates, 4);

        // Across the endpoint, the listener's four 500s in a row were one short of deactivation.
        QList<int> statuses;
        for (const DbtDelivery &delivery : all)
            statuses.append(delivery.responseStatus);
        const DbtDeactivation deactivation = dbtDeactivation(statuses);
        QVERIFY(!deactivation.deactivated);
        QCOMPARE(deactivation.longestFailureStreak, 4);
        QCOMPARE(deactivation.trailingFailures, 0);
    }

    void runningRun_hasNoDurationAndTimelineUpToLastDelivery()
    {
        const DbtSampleDelivery started = DbtSampleGenerator(runSettings("505")).event(DbtEventType::RunStarted);
        const qint64 receivedAt = started.event.timestamp.msecsSinceEpoch() * 1000 + 20000;
        DbtRunIndex index;
        index.add(DbtDelivery::fromCapture(captured(1, started.body, receivedAt)));
        const DbtRun &run = index.at(0);
        QCOMPARE(run.status, DbtRunStatus::Running);
        QVERIFY(!run.hasEnded());
        QVERIFY(!run.durationMs());
        QCOMPARE(run.timelineStart(), run.startedAt.utc());
        QCOMPARE(run.timelineEnd(), QDateTime::fromMSecsSinceEpoch(receivedAt / 1000, Qt::UTC));
        QVERIFY(run.timelineStart() <= run.timelineEnd());
    }

    void erroredBeforeItsCompletedEvent_isErroredWithDuration()
    {
        const DbtSampleDelivery errored = DbtSampleGenerator(runSettings("506")).event(DbtEventType::RunErrored);
        const DbtRun run = buildDbtRun(QStringLiteral("506"), {DbtDelivery::fromCapture(captured(1, errored.body, 0))});
        QCOMPARE(run.status, DbtRunStatus::Errored);
        QVERIFY(run.hasEnded());
        QCOMPARE(run.durationMs(), std::optional<qint64>(100000));
        QCOMPARE(run.endedAt(), run.erroredAt);
    }

    void cancelledRun()
    {
        const DbtSampleDelivery cancelled
            = DbtSampleGenerator(runSettings("507")).event(DbtEventType::RunCompleted, DbtRunStatus::Cancelled);
        const DbtRun run
            = buildDbtRun(QStringLiteral("507"), {DbtDelivery::fromCapture(captured(1, cancelled.body, 0))});
        QCOMPARE(run.status, DbtRunStatus::Cancelled);
        QVERIFY(!run.sawStarted);
    }

    // Lists may hold only the summary columns; the runs view still counts and colours by type.
    void withoutBodies_statusFromEventTypes_data()
    {
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<int>("status");
        QTest::newRow("started") << QStringList {QStringLiteral("job.run.started")} << int(DbtRunStatus::Running);
        QTest::newRow("errored") << QStringList {QStringLiteral("job.run.started"), QStringLiteral("job.run.errored")}
                                 << int(DbtRunStatus::Errored);
        QTest::newRow("errored then completed") << QStringList {QStringLiteral("job.run.completed"),
            QStringLiteral("job.run.errored")} << int(DbtRunStatus::Errored);
        QTest::newRow("completed only") << QStringList {QStringLiteral("job.run.completed")}
                                        << int(DbtRunStatus::Unknown);
    }

    void withoutBodies_statusFromEventTypes()
    {
        QFETCH(QStringList, types);
        QFETCH(int, status);
        QList<DbtDelivery> deliveries;
        for (qsizetype i = 0; i < types.size(); ++i) {
            DbtDelivery delivery;
            delivery.captureId = i + 1;
            delivery.receivedAtUs = (i + 1) * second;
            delivery.responseStatus = 204;
            delivery.runId = QStringLiteral("77");
            delivery.eventType = types.at(i);
            delivery.eventId = QStringLiteral("wev_%1").arg(i);
            delivery.check = i == 0 ? QStringLiteral("warnings") : QStringLiteral("notes");
            deliveries.append(delivery);
        }
        const QList<DbtRun> runs = groupDbtRuns(deliveries);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(int(runs.first().status), status);
        QCOMPARE(runs.first().deliveries, types.size());
        QCOMPARE(runs.first().worstCheck, QStringLiteral("warnings"));
        QVERIFY(runs.first().jobName.isEmpty());
        QVERIFY(!runs.first().durationMs());
        QCOMPARE(runs.first().timelineStart(), QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC));
    }

    void deliveriesWithoutRunId_areIgnored()
    {
        DbtRunIndex index;
        const Capture notDbt = captured(1, QByteArrayLiteral(R"({"action":"opened"})"), 0);
        QCOMPARE(index.add(DbtDelivery::fromCapture(notDbt)).row, -1);
        QByteArray truncated = DbtSampleGenerator(runSettings("508")).event(DbtEventType::RunStarted).body;
        truncated.chop(10);
        const Capture broken = captured(2, truncated, 0);
        QCOMPARE(broken.dbtCheck, QStringLiteral("errors"));
        QCOMPARE(index.add(DbtDelivery::fromCapture(broken)).row, -1);
        QCOMPARE(index.size(), 0);
        QVERIFY(groupDbtRuns({DbtDelivery::fromCapture(notDbt)}).isEmpty());
    }

    // Memory: the index keeps a compact record per delivery whose repeated values are shared, not
    // copied (a year of deliveries is hundreds of thousands of them).
    void index_sharesRepeatedValuesAcrossDeliveriesAndRuns()
    {
        // Two runs of the same job; the second is retried (its completed event delivered twice).
        QList<DbtDelivery> all = delivered(DbtSampleGenerator(runSettings("701", 6)).scenario(DbtScenario::Success), 1);
        all += delivered(DbtSampleGenerator(runSettings("702", 7)).scenario(DbtScenario::Retry), 10);
        DbtRunIndex index;
        for (const DbtDelivery &delivery : std::as_const(all))
            index.add(delivery);
        QCOMPARE(index.size(), 2);
        const QList<DbtDelivery> &first = index.deliveries(0);
        const QList<DbtDelivery> &second = index.deliveries(1);
        QCOMPARE(first.size(), 2);
        QCOMPARE(second.size(), 3);
        for (const DbtDelivery &delivery : first + second)
            QVERIFY(delivery.record && delivery.record->context);

        // Each body was parsed on its own, yet one context (job, environment, project) serves all.
        const DbtRunContext *context = first.at(0).record->context.get();
        QCOMPARE(context->jobName, QStringLiteral("Hourly"));
        for (const DbtDelivery &delivery : first + second)
            QCOMPARE(delivery.record->context.get(), context);
        // The runs' names are that context's strings, not copies of them.
        QCOMPARE(index.at(0).jobName.constData(), context->jobName.constData());
        QCOMPARE(index.at(1).jobName.constData(), context->jobName.constData());
        QCOMPARE(index.at(1).projectName.constData(), context->projectName.constData());
        // Event types, checks and status messages are shared across runs.
        QCOMPARE(first.at(0).eventType, QStringLiteral("job.run.started"));
        QCOMPARE(second.at(0).eventType.constData(), first.at(0).eventType.constData());
        QCOMPARE(second.at(2).check.constData(), first.at(0).check.constData());
        QCOMPARE(second.at(1).record->runStatusMessage.constData(), first.at(1).record->runStatusMessage.constData());
        // A run's id is held once by the run, and the retry shares the eventId it repeats.
        for (const DbtDelivery &delivery : second)
            QCOMPARE(delivery.runId.constData(), index.at(1).runId.constData());
        QCOMPARE(second.at(2).eventId, second.at(1).eventId);
        QCOMPARE(second.at(2).eventId.constData(), second.at(1).eventId.constData());
        QCOMPARE(
            second.at(2).record->runStartedAt.text().constData(), second.at(0).record->runStartedAt.text().constData());
        // Sharing changed nothing the view shows.
        QCOMPARE(index.at(1).duplicates, 1);
        QCOMPARE(index.at(1).status, DbtRunStatus::Success);
        QCOMPARE(index.at(0).durationMs(), std::optional<qint64>(100000));
    }

    // The worker parses with a pool of its own: its deliveries share from the start, and the index
    // takes their contexts as they are.
    void pooledDeliveries_shareFromTheStart_andBuildTheSameRuns()
    {
        const QList<DbtSampleDelivery> samples = DbtSampleGenerator(runSettings("703")).scenario(DbtScenario::Failure)
            + DbtSampleGenerator(runSettings("704", 8)).scenario(DbtScenario::Success);
        DbtRecordPool pool;
        QList<DbtDelivery> pooled;
        QList<DbtDelivery> plain;
        for (qsizetype i = 0; i < samples.size(); ++i) {
            const Capture capture = captured(i + 1, samples.at(i).body, (i + 1) * second);
            pooled.append(DbtDelivery::fromCapture(capture, true, &pool));
            plain.append(DbtDelivery::fromCapture(capture));
        }
        QCOMPARE(pool.contextCount(), 1);
        QCOMPARE(pooled.at(4).record->context.get(), pooled.at(0).record->context.get());
        QVERIFY(plain.at(4).record->context.get() != plain.at(0).record->context.get());
        QCOMPARE(pooled.at(3).eventType.constData(), pooled.at(0).eventType.constData());

        DbtRunIndex index;
        for (const DbtDelivery &delivery : std::as_const(pooled))
            index.add(delivery);
        QCOMPARE(index.deliveries(1).at(0).record->context.get(), pooled.at(0).record->context.get());

        const QList<DbtRun> fromPooled = groupDbtRuns(pooled);
        const QList<DbtRun> fromPlain = groupDbtRuns(plain);
        QCOMPARE(fromPooled.size(), 2);
        QCOMPARE(fromPlain.size(), 2);
        auto shown = [](const DbtRun &run) {
            return std::tie(static_cast<const DbtRunContext &>(run), run.runId, run.statusMessage, run.status,
                run.startedAt, run.finishedAt, run.erroredAt, run.captureIds, run.deliveries, run.duplicates);
        };
        for (qsizetype i = 0; i < fromPooled.size(); ++i) {
            QCOMPARE(fromPooled.at(i).jobName, QStringLiteral("Hourly"));
            QVERIFY(shown(fromPooled.at(i)) == shown(fromPlain.at(i)));
        }
        QCOMPARE(fromPooled.at(0).status, DbtRunStatus::Errored);
        QCOMPARE(fromPooled.at(1).status, DbtRunStatus::Success);

        // Clearing the index drops its pool with its rows; the next deliveries are shared anew.
        index.clear();
        QCOMPARE(index.size(), 0);
        index.add(plain.at(0));
        index.add(plain.at(1));
        QCOMPARE(index.deliveries(0).at(1).record->context.get(), index.deliveries(0).at(0).record->context.get());
    }

    // The pools are bounded: past the limit a value comes back equal but unshared, so a stream of
    // unique strings can't grow them for ever. Null stays null ("absent" differs from "empty").
    void stringPool_isBoundedAndKeepsNull()
    {
        StringPool pool(2);
        const QString a = pool.intern(QStringLiteral("Job 1"));
        QCOMPARE(pool.intern(QString(QStringLiteral("Job 1"))).constData(), a.constData());
        pool.intern(QStringLiteral("Job 2"));
        QCOMPARE(pool.size(), 2);
        const QString third = QString::number(3);
        QCOMPARE(pool.intern(third), QStringLiteral("3"));
        QCOMPARE(pool.size(), 2);
        QVERIFY(pool.intern(QString()).isNull());
        QVERIFY(!pool.intern(QStringLiteral("")).isNull());
        QCOMPARE(pool.size(), 2);
        pool.clear();
        QCOMPARE(pool.size(), 0);
    }

    void deactivation_data()
    {
        QTest::addColumn<QList<int>>("statuses");
        QTest::addColumn<bool>("deactivated");
        QTest::addColumn<int>("at");
        QTest::addColumn<int>("deactivations");
        QTest::addColumn<int>("longest");
        QTest::addColumn<int>("trailing");
        QTest::newRow("nothing") << QList<int> {} << false << -1 << 0 << 0 << 0;
        QTest::newRow("all 2xx") << QList<int> {200, 201, 204, 299} << false << -1 << 0 << 0 << 0;
        QTest::newRow("four failures") << QList<int> {200, 500, 500, 500, 500} << false << -1 << 0 << 4 << 4;
        QTest::newRow("five failures") << QList<int> {500, 502, 503, 504, 500} << true << 4 << 1 << 5 << 5;
        QTest::newRow("a success resets the count")
            << QList<int> {500, 500, 500, 500, 200, 500, 500, 500, 500, 500} << true << 9 << 1 << 5 << 5;
        QTest::newRow("every non-2xx fails") << QList<int> {0, 301, 404, 100, 429, 200} << true << 4 << 1 << 5 << 0;
        QTest::newRow("no answer five times") << QList<int> {0, 0, 0, 0, 0, 200} << true << 4 << 1 << 5 << 0;
        QTest::newRow("ten in a row: twice") << QList<int>(10, 500) << true << 4 << 2 << 10 << 10;
    }

    void deactivation()
    {
        QFETCH(QList<int>, statuses);
        QFETCH(bool, deactivated);
        QFETCH(int, at);
        QFETCH(int, deactivations);
        QFETCH(int, longest);
        QFETCH(int, trailing);
        const DbtDeactivation result = dbtDeactivation(statuses);
        QCOMPARE(result.deactivated, deactivated);
        QCOMPARE(result.deactivatedAt, at);
        QCOMPARE(result.deactivations, deactivations);
        QCOMPARE(result.longestFailureStreak, longest);
        QCOMPARE(result.trailingFailures, trailing);
        if (deactivated)
            QVERIFY(result.explanation().contains(QStringLiteral("delivery %1").arg(at + 1)));
        else if (trailing > 0)
            QVERIFY(result.explanation().contains(QStringLiteral("last %1").arg(trailing)));
        else
            QVERIFY(result.explanation().isEmpty());
    }

    void deliveryFailed_includesTheTenSecondTimeout()
    {
        QVERIFY(!dbtDeliveryFailed(200));
        QVERIFY(!dbtDeliveryFailed(204, 10000));
        QVERIFY(dbtDeliveryFailed(200, 10001));
        QVERIFY(dbtDeliveryFailed(0));
        QVERIFY(dbtDeliveryFailed(300));
        QVERIFY(dbtDeliveryFailed(199));
    }
};

QTEST_GUILESS_MAIN(TestDbtRuns)
#include "tst_dbtruns.moc"
