// The dbt runs view: the runs model over a real SQLite store (grouping, retries, out-of-order
// deliveries, paging, live updates), the Runs tab in the main window fed by real listeners over
// loopback through the New dbt event dialog, the deactivation note, selecting a run's captures,
// the timeline's geometry and clicks, and the dialog's "Open in editor" requests.
#include "dbt/dbtpayloadcheck.h"
#include "dbt/dbtsamplegenerator.h"
#include "dbt/dbtsummary.h"
#include "editor/requesteditor.h"
#include "models/capturelistmodel.h"
#include "runs/dbteventdialog.h"
#include "runs/dbtrunsmodel.h"
#include "runs/runsview.h"
#include "runs/runtimeline.h"
#include "signing/hmac.h"
#include "signing/schemeregistry.h"
#include "store/capturewriter.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"
#include "workbenchwindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <algorithm>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

constexpr int waitMs = 30000;
const QByteArray listenerSecret = "dbt-runs-test-secret";

Capture captureOf(const QByteArray &body, qint64 receivedAtUs, int status, const QString &listener)
{
    Capture capture;
    capture.method = "POST";
    capture.target = "/webhooks/dbt";
    capture.headers = {{"Content-Type", "application/json"}};
    capture.body = body;
    capture.receivedAtUs = receivedAtUs;
    capture.responseStatus = status;
    capture.listener = listener;
    applyDbtSummary(capture);
    return capture;
}

qint64 submit(CaptureWriter &writer, Capture capture)
{
    qint64 stored = 0;
    QString problem;
    QObject context;
    writer.submit(std::move(capture), &context, [&](qint64 id, const QString &error) {
        stored = id;
        problem = error;
    });
    writer.flush();
    if (!QTest::qWaitFor([&] { return stored != 0 || !problem.isEmpty(); }, waitMs))
        qWarning("a capture was not stored in time");
    if (!problem.isEmpty())
        qWarning("can't store a capture: %s", qPrintable(problem));
    return stored;
}

DbtSampleSettings runSettings(const QString &runId, const QString &jobId, const QString &jobName, qint64 startedAt)
{
    DbtSampleSettings settings;
    settings.runId = runId;
    settings.jobId = jobId;
    settings.jobName = jobName;
    settings.startedAt = QDateTime::fromSecsSinceEpoch(startedAt, Qt::UTC);
    return settings;
}

QList<qint64> sorted(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

class TestRunsView : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;

    StoreOptions storeOptions() const
    {
        StoreOptions options;
        options.path = m_dir->filePath(QStringLiteral("captures.sqlite"));
        return options;
    }

    std::unique_ptr<MainWindow> makeWindow() { return openWorkbench(workbenchOptions(*m_dir, m_settings.get())); }

    // Starts the window's first listener on a free port with the dbt secret and `faults`.
    ListenerBar *startListener(MainWindow &window, const FaultConfig &faults = {})
    {
        ListenerBar *bar = window.listeners()->bars().first();
        ListenerSettings settings = bar->settings();
        settings.port = 0;
        settings.scheme = QStringLiteral("dbt-cloud");
        settings.faults = faults;
        bar->setSettings(settings);
        bar->secretEdit()->setSecret(listenerSecret);
        emit bar->secretEdit()->textEdited(bar->secretEdit()->text());
        if (!bar->start())
            qFatal("can't start the listener: %s", qPrintable(bar->stateText()));
        return bar;
    }

    // Sends a scenario through the dialog's "Send to listener" and waits for every answer.
    QString sendScenario(MainWindow &window, ListenerBar *bar, const QString &scenario)
    {
        DbtEventDialog *dialog = window.newDbtEvent();
        if (!dialog->setListenerTarget(bar->listenerName()))
            return {};
        dialog->setKind(QStringLiteral("scenario:") + scenario);
        const QString runId = dialog->runIdEdit()->text();
        QSignalSpy finished(dialog, &DbtEventDialog::sendFinished);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        if (!finished.wait(waitMs))
            return {};
        return runId;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    }
    void cleanup()
    {
        m_settings.reset();
        m_dir.reset();
    }

    void model_groupsRetriesDuplicatesAndOutOfOrderDeliveries_fromTheStore()
    {
        CaptureWriter writer(storeOptions());
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));
        const qint64 start = QDateTime::currentSecsSinceEpoch() - 3600;
        const QList<DbtSampleDelivery> retry = DbtSampleGenerator(
            runSettings(QStringLiteral("700001"), QStringLiteral("11"), QStringLiteral("Hourly"), start))
                                                   .scenario(DbtScenario::Retry);
        const QList<DbtSampleDelivery> failure = DbtSampleGenerator(
            runSettings(QStringLiteral("700002"), QStringLiteral("22"), QStringLiteral("Nightly"), start + 600))
                                                     .scenario(DbtScenario::Failure);
        const qint64 us = start * 1000000;
        // Stored out of order: the completed event is committed (and arrives) before the started one.
        submit(writer, captureOf(retry.at(1).body, us + 100'000'000, 200, QStringLiteral("127.0.0.1:1")));
        submit(writer, captureOf(retry.at(0).body, us + 101'000'000, 200, QStringLiteral("127.0.0.1:1")));
        submit(writer, captureOf(retry.at(2).body, us + 102'000'000, 500, QStringLiteral("127.0.0.1:1")));
        for (int i = 0; i < failure.size(); ++i)
            submit(writer, captureOf(failure.at(i).body, us + 700'000'000 + i, 200, QStringLiteral("127.0.0.1:1")));
        // Not a dbt event: never a run.
        submit(writer, captureOf("{\"hello\":1}", us + 800'000'000, 200, QStringLiteral("127.0.0.1:1")));

        DbtRunsModel model(storeOptions());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(0);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), waitMs);
        QCOMPARE(model.rowCount(), 2);

        const int retried = model.rowOfRun(QStringLiteral("700001"));
        QVERIFY(retried >= 0);
        const DbtRun &run = model.run(retried);
        QCOMPARE(run.deliveries, 3);
        QCOMPARE(run.duplicates, 1);
        QCOMPARE(run.failedDeliveries, 1);
        QCOMPARE(run.status, DbtRunStatus::Success);
        QVERIFY(run.sawStarted && run.sawCompleted);
        QCOMPARE(run.startedAt.secondsSinceEpoch(), start);
        QCOMPARE(model.index(retried, DbtRunsModel::JobColumn).data().toString(), QStringLiteral("Hourly · 11"));
        QCOMPARE(model.index(retried, DbtRunsModel::StatusColumn).data().toString(), QStringLiteral("Success"));
        QCOMPARE(model.index(retried, DbtRunsModel::DuplicatesColumn).data().toInt(), 1);
        QCOMPARE(model.index(retried, DbtRunsModel::FailedColumn).data().toInt(), 1);
        QCOMPARE(model.index(retried, DbtRunsModel::DurationColumn).data().toString(), QStringLiteral("1 min 25 s"));
        QCOMPARE(model.index(retried, DbtRunsModel::CheckColumn).data().toString(), QStringLiteral("OK"));
        QCOMPARE(model.index(retried, DbtRunsModel::StatusColumn).data(Qt::AccessibleTextRole).toString(),
            QStringLiteral("Run status: Success"));
        QCOMPARE(model.index(retried, DbtRunsModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(),
            DbtRunsModel::statusColor(DbtRunStatus::Success, false));
        // Arrival order: started (2nd capture) arrived after the completed one.
        const QList<DbtDelivery> &deliveries = model.deliveries(retried);
        QCOMPARE(deliveries.at(0).eventType, QStringLiteral("job.run.completed"));
        QCOMPARE(deliveries.at(1).eventType, QStringLiteral("job.run.started"));

        const int failed = model.rowOfRun(QStringLiteral("700002"));
        QCOMPARE(model.run(failed).status, DbtRunStatus::Errored);
        QCOMPARE(model.run(failed).deliveries, 3);
        QCOMPARE(model.run(failed).duplicates, 0);
        QVERIFY(model.run(failed).finishedAt.isValid() && model.run(failed).erroredAt.isValid());
        QCOMPARE(model.index(failed, DbtRunsModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(),
            DbtRunsModel::statusColor(DbtRunStatus::Errored, false));
        model.setDark(true);
        QCOMPARE(model.index(failed, DbtRunsModel::StatusColumn).data(Qt::ForegroundRole).value<QColor>(),
            DbtRunsModel::statusColor(DbtRunStatus::Errored, true));

        // Newest run first through the proxy, as the view sorts it.
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(DbtRunsModel::SortRole);
        proxy.sort(DbtRunsModel::StartedColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, DbtRunsModel::RunColumn).data().toString(), QStringLiteral("700002"));
        QCOMPARE(proxy.index(1, DbtRunsModel::RunColumn).data().toString(), QStringLiteral("700001"));

        // Live: a new run and a late delivery of an existing one, batched into the rows.
        const int updatesBefore = model.liveUpdateCount();
        model.attachWriter(&writer);
        const QList<DbtSampleDelivery> later = DbtSampleGenerator(
            runSettings(QStringLiteral("700003"), QStringLiteral("11"), QStringLiteral("Hourly"), start + 1200))
                                                   .scenario(DbtScenario::Success);
        submit(writer, captureOf(later.at(0).body, us + 1'300'000'000, 200, QStringLiteral("127.0.0.1:1")));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, waitMs);
        QCOMPARE(model.run(model.rowOfRun(QStringLiteral("700003"))).status, DbtRunStatus::Running);
        submit(writer, captureOf(later.at(1).body, us + 1'400'000'000, 200, QStringLiteral("127.0.0.1:1")));
        QTRY_COMPARE_WITH_TIMEOUT(
            model.run(model.rowOfRun(QStringLiteral("700003"))).status, DbtRunStatus::Success, waitMs);
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.liveUpdateCount() > updatesBefore);
        QCOMPARE(proxy.index(0, DbtRunsModel::RunColumn).data().toString(), QStringLiteral("700003"));

        // Deleting a delivery rebuilds its run.
        const qint64 duplicateId = model.run(retried).captureIds.last();
        writer.deleteCaptures({duplicateId}, nullptr, [](qint64, const QString &) {});
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowOfRun(QStringLiteral("700001")) >= 0
                && model.run(model.rowOfRun(QStringLiteral("700001"))).deliveries == 2,
            waitMs);
        QCOMPARE(model.run(model.rowOfRun(QStringLiteral("700001"))).duplicates, 0);
    }

    void model_manyRuns_loadInPagesWithTheTester()
    {
        CaptureWriter writer(storeOptions());
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));
        const int runs = 260; // 520 captures: three pages
        const qint64 start = QDateTime::currentSecsSinceEpoch() - 86400;
        for (int i = 0; i < runs; ++i) {
            const QList<DbtSampleDelivery> events
                = DbtSampleGenerator(runSettings(QString::number(800000 + i), QString::number(1 + i % 4),
                                         QStringLiteral("Job %1").arg(i % 4), start + i * 300))
                      .scenario(DbtScenario::Success);
            for (const DbtSampleDelivery &event : events) {
                Capture capture = captureOf(event.body, (start + i * 300) * 1000000LL, 200, QStringLiteral("l"));
                writer.submit(std::move(capture), nullptr, [](qint64, const QString &) {});
            }
        }
        writer.flush();
        DbtRunsModel model(storeOptions());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setSession(0);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), waitMs);
        QCOMPARE(model.rowCount(), runs);
        QVERIFY(inserted.count() >= 1);
        for (int row = 0; row < runs; ++row) {
            QCOMPARE(model.run(row).deliveries, 2);
            QCOMPARE(model.run(row).status, DbtRunStatus::Success);
        }
    }

    void window_scenarioSentFromTheDialog_appearsLiveWithoutADeactivationNote()
    {
        auto window = makeWindow();
        ListenerBar *bar = startListener(*window);
        RunsView *runs = window->runsView();
        QCOMPARE(window->workspace()->tabText(window->workspace()->indexOf(runs)), QStringLiteral("Runs"));
        QCOMPARE(
            window->action(QStringLiteral("newDbtEvent"))->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+D")));

        const QString runId = sendScenario(*window, bar, QStringLiteral("failure"));
        QVERIFY(!runId.isEmpty());
        DbtEventDialog *dialog = window->newDbtEvent();
        QCOMPARE(dialog->responseLines().size(), 3);
        QVERIFY2(
            dialog->responseLines().at(0).contains(QStringLiteral("→ 200")), qPrintable(dialog->responseLines().at(0)));
        // A fresh run id for the next one.
        QVERIFY(dialog->runIdEdit()->text() != runId);

        DbtRunsModel *model = window->runsModel();
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowOfRun(runId) >= 0 && model->run(model->rowOfRun(runId)).deliveries == 3, waitMs);
        const int row = model->rowOfRun(runId);
        QCOMPARE(model->run(row).status, DbtRunStatus::Errored);
        QCOMPARE(model->run(row).failedDeliveries, 0);
        // Signed with the listener's own secret: every capture verifies.
        QTRY_COMPARE_WITH_TIMEOUT(window->model()->rowCount(), 3, waitMs);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                window->model()->index(i, CaptureListModel::VerdictColumn).data().toString(), QStringLiteral("Valid"));

        // A URL and secret typed in: the right secret verifies, another one doesn't.
        dialog->setKind(QStringLiteral("event:job.run.started"));
        dialog->setUrlTarget(bar->url() + QStringLiteral("/typed"), listenerSecret);
        QSignalSpy finished(dialog, &DbtEventDialog::sendFinished);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(finished.wait(waitMs));
        dialog->setUrlTarget(bar->url() + QStringLiteral("/typed"), "not-the-secret");
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(finished.wait(waitMs));
        QTRY_COMPARE_WITH_TIMEOUT(window->model()->rowCount(), 5, waitMs);
        QCOMPARE(
            window->model()->index(0, CaptureListModel::VerdictColumn).data().toString(), QStringLiteral("Invalid"));
        QCOMPARE(window->model()->index(1, CaptureListModel::VerdictColumn).data().toString(), QStringLiteral("Valid"));
        QCOMPARE(window->model()->index(1, CaptureListModel::PathColumn).data().toString(), QStringLiteral("/typed"));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, waitMs);

        QVERIFY(runs->selectRun(runId));
        QVERIFY(runs->noteLabel()->isHidden());
        QVERIFY(runs->detailLabel()->text().contains(QStringLiteral("errored")));
        QCOMPARE(runs->detailLabel()->text().count(QStringLiteral("→")), 3);
    }

    void window_listenerFailingFirst5_explainsWhatDbtCloudWouldDo()
    {
        auto window = makeWindow();
        FaultConfig faults;
        faults.failFirst = 5;
        faults.failStatus = 500;
        ListenerBar *bar = startListener(*window, faults);
        RunsView *runs = window->runsView();
        DbtRunsModel *model = window->runsModel();

        const QString first = sendScenario(*window, bar, QStringLiteral("failure"));
        QVERIFY2(!first.isEmpty(), "the dialog's send did not finish");
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowOfRun(first) >= 0 && model->run(model->rowOfRun(first)).deliveries == 3, waitMs);
        QCOMPARE(model->run(model->rowOfRun(first)).failedDeliveries, 3);
        QVERIFY(runs->selectRun(first));
        QVERIFY(runs->noteLabel()->isVisibleTo(runs));
        QCOMPARE(runs->noteLabel()->text(),
            QStringLiteral("The last 3 deliveries failed: dbt Cloud retries each event up to 5 times and deactivates "
                           "the webhook after 5 failed deliveries in a row — caused by the listener's fault mode 'fail "
                           "first 5'."));

        const QString second = sendScenario(*window, bar, QStringLiteral("success"));
        QVERIFY2(!second.isEmpty(), "the dialog's send did not finish");
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowOfRun(second) >= 0 && model->run(model->rowOfRun(second)).deliveries == 2, waitMs);
        QVERIFY(runs->selectRun(second));
        QCOMPARE(runs->noteLabel()->text(),
            QStringLiteral("dbt Cloud retries each event up to 5 times and would have deactivated this webhook at "
                           "delivery 5 (5 failed deliveries in a row) — caused by the listener's fault mode 'fail "
                           "first 5'."));
        QCOMPARE(model->deactivation(bar->listenerName()).deactivatedAt, 4);
    }

    void deactivationNote_wordsForEachCase()
    {
        QVERIFY(RunsView::deactivationNote(dbtDeactivation({200, 200, 204}), QStringLiteral("fail first 5")).isEmpty());
        QCOMPARE(RunsView::deactivationNote(dbtDeactivation({500, 500, 500, 500, 500, 500, 200}), QString()),
            QStringLiteral("dbt Cloud retries each event up to 5 times and would have deactivated this webhook at "
                           "delivery 5 (5 failed deliveries in a row)."));
        ResponseConfig response;
        FaultConfig faults;
        QVERIFY(RunsView::faultModeText(response, faults).isEmpty());
        faults.failPercent = 30;
        faults.failStatus = 503;
        QCOMPARE(RunsView::faultModeText(response, faults), QStringLiteral("fail 30% with 503"));
        faults = FaultConfig();
        faults.closeWithoutAnswer = true;
        response.status = 404;
        QCOMPARE(RunsView::faultModeText(response, faults), QStringLiteral("close without answering, answer 404"));
    }

    void selectingARun_selectsExactlyItsCaptures()
    {
        auto window = makeWindow();
        ListenerBar *bar = startListener(*window);
        const QString success = sendScenario(*window, bar, QStringLiteral("success"));
        const QString retry = sendScenario(*window, bar, QStringLiteral("retry"));
        DbtRunsModel *model = window->runsModel();
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowOfRun(retry) >= 0 && model->run(model->rowOfRun(retry)).deliveries == 3, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(window->model()->rowCount(), 5, waitMs);
        QCOMPARE(model->run(model->rowOfRun(retry)).duplicates, 1);

        RunsView *runs = window->runsView();
        window->showRuns();
        QVERIFY(runs->selectRun(retry));
        QTest::mouseClick(runs->showCapturesButton(), Qt::LeftButton);
        QCOMPARE(window->workspace()->currentIndex(), 0);
        QCOMPARE(sorted(window->selectedIds()), sorted(model->run(model->rowOfRun(retry)).captureIds));
        QCOMPARE(window->selectedIds().size(), 3);

        // A double-click on the other run does the same.
        window->showRuns();
        QVERIFY(runs->selectRun(success));
        QTRY_VERIFY(runs->table()->isVisible() && runs->table()->viewport()->height() > 0);
        QCoreApplication::processEvents();
        const QModelIndex cell = runs->proxy()->mapFromSource(model->index(model->rowOfRun(success), 0));
        const QRect rect = runs->table()->visualRect(cell);
        // A real double-click: press, release, then the double-click event (QTest's sends only the last).
        QSignalSpy doubleClicked(runs->table(), &QTableView::doubleClicked);
        QTest::mousePress(runs->table()->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseRelease(runs->table()->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(runs->table()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(doubleClicked.count(), 1);
        QCOMPARE(window->workspace()->currentIndex(), 0);
        QCOMPARE(sorted(window->selectedIds()), sorted(model->run(model->rowOfRun(success)).captureIds));
        QCOMPARE(window->selectedIds().size(), 2);
    }

    void timeline_mapsClicksToRuns_andFollowsTheTable()
    {
        CaptureWriter writer(storeOptions());
        QString error;
        QVERIFY2(writer.open(&error), qPrintable(error));
        const qint64 start = QDateTime::currentSecsSinceEpoch() - 7200;
        // Two jobs; the second job's runs overlap the first's in time but sit in another lane.
        const QStringList ids {QStringLiteral("900001"), QStringLiteral("900002"), QStringLiteral("900003")};
        const QList<std::pair<QString, qint64>> jobs {
            {QStringLiteral("1"), start}, {QStringLiteral("2"), start + 30}, {QStringLiteral("1"), start + 1800}};
        for (int i = 0; i < ids.size(); ++i) {
            DbtSampleSettings settings = runSettings(
                ids.at(i), jobs.at(i).first, QStringLiteral("Job ") + jobs.at(i).first, jobs.at(i).second);
            settings.durationSeconds = 900;
            for (const DbtSampleDelivery &event : DbtSampleGenerator(settings).scenario(DbtScenario::Success))
                submit(writer, captureOf(event.body, (jobs.at(i).second + 5) * 1000000LL, 200, QStringLiteral("l")));
        }
        DbtRunsModel model(storeOptions());
        RunsView view(&model);
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.setSession(0);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowCount() == 3, waitMs);

        RunTimeline *timeline = view.timeline();
        QCOMPARE(timeline->laneCount(), 2);
        QCOMPARE(timeline->laneOf(model.rowOfRun(ids.at(0))), timeline->laneOf(model.rowOfRun(ids.at(2))));
        QVERIFY(timeline->laneOf(model.rowOfRun(ids.at(0))) != timeline->laneOf(model.rowOfRun(ids.at(1))));
        QCOMPARE(timeline->laneTitle(0), QStringLiteral("Job 1"));
        for (int row = 0; row < model.rowCount(); ++row) {
            const QRectF bar = timeline->barRect(row);
            QVERIFY(timeline->plotRect().contains(bar.center()));
            QCOMPARE(timeline->runAt(bar.center()), row);
        }
        // Bars follow time: the later run of job 1 starts to the right of the earlier one.
        QVERIFY(
            timeline->barRect(model.rowOfRun(ids.at(2))).left() > timeline->barRect(model.rowOfRun(ids.at(0))).right());
        QCOMPARE(timeline->runAt(QPointF(5, 5)), -1);

        // A click on a bar selects the run in the table.
        const int target = model.rowOfRun(ids.at(1));
        QSignalSpy clicked(timeline, &RunTimeline::runClicked);
        QTest::mouseClick(timeline, Qt::LeftButton, {}, timeline->barRect(target).center().toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().first().toInt(), target);
        QCOMPARE(view.selectedRow(), target);
        QCOMPARE(view.table()->currentIndex().data(DbtRunsModel::RunIdRole).toString(), ids.at(1));

        // And the other way round.
        view.selectRun(ids.at(2));
        QCOMPARE(timeline->selectedRow(), model.rowOfRun(ids.at(2)));

        // The keyboard: Right steps to the next run in time, Enter activates it.
        timeline->setFocus();
        view.selectRun(ids.at(0));
        QTest::keyClick(timeline, Qt::Key_Right);
        QCOMPARE(view.selectedRow(), model.rowOfRun(ids.at(1)));
        QTest::keyClick(timeline, Qt::Key_Right);
        QCOMPARE(view.selectedRow(), model.rowOfRun(ids.at(2)));
        QSignalSpy activated(timeline, &RunTimeline::runActivated);
        QTest::keyClick(timeline, Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toInt(), model.rowOfRun(ids.at(2)));

        // The wheel zooms in around the cursor: the time under it stays put.
        const qint64 spanBefore = timeline->viewEnd() - timeline->viewStart();
        const QPointF anchor = timeline->barRect(model.rowOfRun(ids.at(1))).center();
        const double anchorMs = timeline->viewStart()
            + (anchor.x() - timeline->plotRect().left()) / timeline->plotRect().width() * double(spanBefore);
        QWheelEvent wheel(anchor, timeline->mapToGlobal(anchor), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
            Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(timeline, &wheel);
        const qint64 spanAfter = timeline->viewEnd() - timeline->viewStart();
        QVERIFY(spanAfter < spanBefore);
        QVERIFY(!timeline->isFitting());
        const double anchorAfter = timeline->viewStart()
            + (anchor.x() - timeline->plotRect().left()) / timeline->plotRect().width() * double(spanAfter);
        QVERIFY(std::abs(anchorAfter - anchorMs) < 1000);

        // Zoom and pan leave "fit all"; the button brings every run back into view.
        timeline->setViewRange(start * 1000, start * 1000 + 60000);
        QVERIFY(!timeline->isFitting());
        QVERIFY(timeline->barRect(model.rowOfRun(ids.at(2))).left() > timeline->plotRect().right());
        QTest::mouseClick(view.findChild<QWidget *>(QStringLiteral("fitAll")), Qt::LeftButton);
        QVERIFY(timeline->isFitting());
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(timeline->plotRect().contains(timeline->barRect(row)));
    }

    void timeline_ticks_followTheZoom()
    {
        const qint64 base = QDateTime(QDate(2026, 3, 10), QTime(9, 0, 7)).toMSecsSinceEpoch();
        qint64 step = 0;
        const QList<qint64> seconds = RunTimeline::ticks(base, base + 60'000, 1000, &step);
        QCOMPARE(step, 10000);
        QVERIFY(!seconds.isEmpty());
        QCOMPARE(RunTimeline::tickLabel(seconds.first(), step), QStringLiteral("09:00:10"));
        const QList<qint64> hours = RunTimeline::ticks(base, base + 12 * 3600'000LL, 1000, &step);
        QCOMPARE(step, 2 * 3600'000);
        QCOMPARE(RunTimeline::tickLabel(hours.first(), step), QStringLiteral("10:00"));
        const QList<qint64> days = RunTimeline::ticks(base, base + 20 * 86400'000LL, 1000, &step);
        QCOMPARE(step, 2 * 86400'000LL);
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(days.first()).time(), QTime(0, 0));
        for (const QList<qint64> &list : {seconds, hours, days}) {
            QVERIFY(std::is_sorted(list.cbegin(), list.cend()));
            QVERIFY(list.first() >= base);
        }
    }

    void openInEditor_emitsTheGeneratorsSignedBytes()
    {
        DbtEventDialog dialog(nullptr, nullptr);
        const QByteArray secret = "editor-secret";
        dialog.setUrlTarget(QStringLiteral("http://127.0.0.1:9/hooks/dbt"), secret);
        QVERIFY(dialog.setKind(QStringLiteral("scenario:retry")));
        dialog.runIdEdit()->setText(QStringLiteral("424242"));
        QSignalSpy opened(&dialog, &DbtEventDialog::openInEditorRequested);
        QTest::mouseClick(dialog.editorButton(), Qt::LeftButton);
        QCOMPARE(opened.count(), 3);
        const QList<DbtSampleDelivery> &generated = dialog.lastDeliveries();
        QCOMPARE(generated.size(), 3);
        const auto scheme = createBuiltinScheme(u"dbt-cloud");
        for (int i = 0; i < 3; ++i) {
            const auto request = opened.at(i).first().value<HttpRequest>();
            QCOMPARE(request.method, QByteArray("POST"));
            QCOMPARE(request.url, QUrl(QStringLiteral("http://127.0.0.1:9/hooks/dbt")));
            QCOMPARE(request.body, generated.at(i).body);
            // The generator's compact JSON in dbt's key order, unchanged.
            QVERIFY(request.body.startsWith("{\"accountId\":70403,\"webhookId\":\""));
            const DbtPayloadCheck check = checkDbtPayload(request.body);
            QCOMPARE(check.summary(), QStringLiteral("ok"));
            QCOMPARE(check.event.runId, QStringLiteral("424242"));
            QCOMPARE(headerValue(request.headers, "Authorization"),
                hmac(MacAlgorithm::Sha256, secret, {request.body}).toHex());
            VerifyOptions options;
            QCOMPARE(scheme->verify(request.headers, request.body, {secret}, options).verdict, Verdict::Valid);
        }
        // The retry is the same delivery again, byte for byte.
        QCOMPARE(opened.at(2).first().value<HttpRequest>().body, opened.at(1).first().value<HttpRequest>().body);
        QVERIFY(generated.at(2).redelivery);
        // The next use gets a fresh run.
        QVERIFY(dialog.runIdEdit()->text() != QStringLiteral("424242"));

        // A bad id is refused with one line, and nothing is emitted.
        dialog.runIdEdit()->setText(QStringLiteral("12a"));
        QTest::mouseClick(dialog.editorButton(), Qt::LeftButton);
        QCOMPARE(opened.count(), 3);
        QVERIFY(dialog.errorLabel()->text().contains(QStringLiteral("run id")));
    }

    void openInEditor_inTheWindow_opensAnEditorPerEvent_withTheExactBytes()
    {
        auto window = makeWindow();
        DbtEventDialog *dialog = window->newDbtEvent();
        const QByteArray secret = "window-editor-secret";
        dialog->setUrlTarget(QStringLiteral("http://127.0.0.1:9/hooks/dbt"), secret);
        QVERIFY(dialog->setKind(QStringLiteral("scenario:success")));
        const int tabsBefore = window->workspace()->count();
        QTest::mouseClick(dialog->editorButton(), Qt::LeftButton);
        const QList<DbtSampleDelivery> &generated = dialog->lastDeliveries();
        QCOMPARE(generated.size(), 2);
        const QList<RequestEditor *> editors = window->editors();
        QCOMPARE(editors.size(), 2);
        QCOMPARE(window->workspace()->count(), tabsBefore + 2);
        QCOMPARE(window->workspace()->currentWidget(), editors.last());
        for (int i = 0; i < 2; ++i) {
            QString error;
            const std::optional<HttpRequest> request = editors.at(i)->request(&error);
            QVERIFY2(request, qPrintable(error));
            QCOMPARE(request->body, generated.at(i).body);
            QCOMPARE(headerValue(request->headers, "Authorization"),
                hmac(MacAlgorithm::Sha256, secret, {generated.at(i).body}).toHex());
            QCOMPARE(editors.at(i)->sourceCaptureId(), qint64(0));
        }
    }

    void runs_pickUpAnotherProcesssWrites()
    {
        auto window = makeWindow();
        DbtRunsModel *model = window->runsModel();
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), waitMs);
        // Another writer on the same file, as `hookbench listen --store` would be.
        CaptureWriter other(storeOptions());
        QString error;
        QVERIFY2(other.open(&error), qPrintable(error));
        const QList<DbtSampleDelivery> events
            = DbtSampleGenerator(runSettings(QStringLiteral("600001"), QStringLiteral("5"), QStringLiteral("Elsewhere"),
                                     QDateTime::currentSecsSinceEpoch() - 600))
                  .scenario(DbtScenario::Success);
        for (const DbtSampleDelivery &event : events) {
            Capture capture
                = captureOf(event.body, QDateTime::currentMSecsSinceEpoch() * 1000, 200, QStringLiteral("l"));
            capture.sessionId = window->currentSession();
            submit(other, capture);
        }
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfRun(QStringLiteral("600001")) >= 0
                && model->run(model->rowOfRun(QStringLiteral("600001"))).deliveries == 2,
            waitMs);
        QCOMPARE(model->rowCount(), 1);
    }

    void runs_followTheSession()
    {
        auto window = makeWindow();
        ListenerBar *bar = startListener(*window);
        const QString runId = sendScenario(*window, bar, QStringLiteral("success"));
        DbtRunsModel *model = window->runsModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfRun(runId) >= 0, waitMs);
        const qint64 before = window->currentSession();
        window->newSession(QStringLiteral("fresh"));
        QTRY_VERIFY_WITH_TIMEOUT(window->currentSession() != before, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(model->session() == window->currentSession() && !model->isLoading(), waitMs);
        QCOMPARE(model->rowCount(), 0);
        const QString next = sendScenario(*window, bar, QStringLiteral("success"));
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfRun(next) >= 0, waitMs);
        QCOMPARE(model->rowCount(), 1);
    }
};

QTEST_MAIN(TestRunsView)
#include "tst_runsview.moc"
