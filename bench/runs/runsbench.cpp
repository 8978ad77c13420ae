// bench_runs [--runs N] [--noise N] [--store PATH]: a store with N dbt runs (success, failure and
// retry scenarios: 2-3 captures each) among `noise` non-dbt captures, then the Runs tab over it:
// how long the runs model takes to load (ids through the event type index, bodies parsed a page
// at a time on the worker), the UI thread's lateness meanwhile, the process's memory, how long the
// timeline takes to paint every run, and a sort of the table.
#include "dbt/dbtsamplegenerator.h"
#include "dbt/dbtsummary.h"
#include "runs/dbtrunsmodel.h"
#include "runs/runsview.h"
#include "runs/runtimeline.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"
#include "uiprobes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hookbench;

namespace {

void waitUntil(const std::function<bool()> &condition)
{
    while (!condition()) {
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

bool populate(const QString &path, int runs, int noise)
{
    StoreOptions options;
    options.path = path;
    CaptureWriter writer(options);
    QString error;
    if (!writer.open(&error)) {
        std::fprintf(stderr, "bench_runs: %s\n", qPrintable(error));
        return false;
    }
    const qint64 start = QDateTime::currentSecsSinceEpoch() - qint64(runs) * 600;
    const DbtScenario scenarios[]
        = {DbtScenario::Success, DbtScenario::Success, DbtScenario::Failure, DbtScenario::Retry};
    const int noisePerRun = runs > 0 ? noise / runs : 0;
    for (int i = 0; i < runs; ++i) {
        DbtSampleSettings settings;
        settings.runId = QString::number(100000000 + i);
        settings.jobId = QString::number(1000 + i % 12);
        settings.jobName = QStringLiteral("Job %1").arg(i % 12);
        settings.startedAt = QDateTime::fromSecsSinceEpoch(start + qint64(i) * 600, Qt::UTC);
        settings.durationSeconds = 60 + (i * 37) % 3000;
        const QList<DbtSampleDelivery> events = DbtSampleGenerator(settings).scenario(scenarios[i % 4]);
        for (int e = 0; e < events.size(); ++e) {
            Capture capture;
            capture.method = "POST";
            capture.target = "/webhooks/dbt";
            capture.body = events.at(e).body;
            capture.receivedAtUs = (start + qint64(i) * 600 + e * 30) * 1000000;
            capture.responseStatus = 200;
            capture.listener = QStringLiteral("127.0.0.1:5000");
            applyDbtSummary(capture);
            writer.submit(std::move(capture), nullptr, {});
        }
        for (int n = 0; n < noisePerRun; ++n) {
            Capture capture;
            capture.method = "POST";
            capture.target = "/github";
            capture.body
                = R"({"ref":"refs/heads/main","repository":{"full_name":"acme/analytics"},"pusher":{"name":"ci"}})";
            capture.receivedAtUs = (start + qint64(i) * 600 + 60 + n) * 1000000;
            capture.responseStatus = 200;
            capture.listener = QStringLiteral("127.0.0.1:5001");
            writer.submit(std::move(capture), nullptr, {});
        }
    }
    writer.flush();
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("runs"), QStringLiteral("dbt runs in the store"), QStringLiteral("N"),
        QStringLiteral("20000")});
    parser.addOption(
        {QStringLiteral("noise"), QStringLiteral("non-dbt captures"), QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("store"), QStringLiteral("the store (created when missing)"),
        QStringLiteral("PATH"), QStringLiteral("/tmp/hookbench-runs-bench.sqlite")});
    parser.process(app);
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const int noise = parser.value(QStringLiteral("noise")).toInt();
    const QString path = parser.value(QStringLiteral("store"));
    if (!QFileInfo::exists(path)) {
        QElapsedTimer timer;
        timer.start();
        if (!populate(path, runs, noise))
            return 1;
        std::printf("populated %s in %lld ms\n", qPrintable(path), timer.elapsed());
    }
    StoreOptions options;
    options.path = path;
    {
        CaptureStore store;
        QString error;
        if (!store.open(options, CaptureStore::Missing::Fail, &error)) {
            std::fprintf(stderr, "bench_runs: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("store: %lld captures, %.0f MiB\n", store.count(), double(QFileInfo(path).size()) / 1048576.0);
    }

    const qint64 rssBefore = rssKiB();
    DbtRunsModel model(options);
    RunsView view(&model);
    view.resize(1400, 900);
    view.show();
    QCoreApplication::processEvents();

    LatenessProbe probe;
    probe.start();
    QElapsedTimer timer;
    timer.start();
    model.setSession(0);
    waitUntil([&] { return !model.isLoading(); });
    const qint64 loadMs = timer.elapsed();
    QCoreApplication::processEvents();
    probe.stop();
    std::printf("load: %d runs in %lld ms; UI lateness p50 %.1f ms, p99 %.1f ms, max %.1f ms; RSS %lld -> %lld MiB\n",
        model.rowCount(), loadMs, probe.percentile(50), probe.percentile(99), probe.percentile(100), rssBefore / 1024,
        rssKiB() / 1024);

    // The timeline with every run in view, then zoomed to the last day.
    std::vector<double> paints;
    for (int i = 0; i < 5; ++i) {
        timer.restart();
        const QPixmap pixmap = view.timeline()->grab();
        paints.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(paints.begin(), paints.end());
    std::printf("timeline paint, all %d runs in view: median %.1f ms\n", model.rowCount(), paints[2]);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    view.timeline()->setViewRange(now - 86400000, now);
    paints.clear();
    for (int i = 0; i < 5; ++i) {
        timer.restart();
        const QPixmap pixmap = view.timeline()->grab();
        paints.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(paints.begin(), paints.end());
    std::printf("timeline paint, last day in view: median %.1f ms\n", paints[2]);
    timer.restart();
    int hits = 0;
    for (int x = 200; x < 1380; x += 10)
        hits += view.timeline()->runAt(QPointF(x, 50)) >= 0 ? 1 : 0;
    std::printf("hit test (runAt): %.3f ms each\n", double(timer.nsecsElapsed()) / 1e6 / 118);
    Q_UNUSED(hits);

    timer.restart();
    view.table()->sortByColumn(DbtRunsModel::DurationColumn, Qt::AscendingOrder);
    QCoreApplication::processEvents();
    std::printf("sort by duration: %lld ms\n", timer.elapsed());
    return 0;
}
