// storebench: measures the capture store.
//   storebench insert [--dir DIR] [--captures N] [--quick]
//       group-commit throughput and submit-to-commit latency, synchronous NORMAL vs FULL,
//       over concurrency (writes in flight, like listener connections) and batch limits; CPU per
//       capture of the whole process (writer, checkpointer and the submitting thread).
//   storebench read --store PATH
//       what a list view does on a large store (see populatestore): open, count, ids, paging to
//       the end, addressing row N, filters.
#include "storesamples.h"

#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace hookbench;

namespace {

struct InsertResult
{
    double capturesPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    double meanBatch = 0;
    double busyUsPerCapture = 0;
    double cpuUsPerCapture = 0; // every thread of the process, user and system
    qint64 failed = 0;
};

// CPU time (user + system) of every thread of this process so far, in microseconds.
double processCpuUs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

double percentile(std::vector<qint64> &values, double p)
{
    if (values.empty())
        return 0;
    const size_t index = std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5));
    std::nth_element(values.begin(), values.begin() + qsizetype(index), values.end());
    return double(values[index]) / 1e6;
}

InsertResult runInsert(const QString &path, Synchronous synchronous, int maxBatch, int intervalUs, int inFlight,
    qint64 total, const std::vector<Capture> &samples)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    StoreOptions options;
    options.path = path;
    options.synchronous = synchronous;
    options.maxBatch = maxBatch;
    options.commitIntervalUs = intervalUs;
    CaptureWriter writer(options);
    QString error;
    if (!writer.open(&error)) {
        std::fprintf(stderr, "storebench: %s\n", qPrintable(error));
        std::exit(1);
    }
    QObject context;
    std::vector<qint64> latencies;
    latencies.reserve(size_t(total));
    qint64 submitted = 0;
    qint64 answered = 0;
    qint64 failed = 0;
    QElapsedTimer clock;
    clock.start();
    const double cpuBefore = processCpuUs();
    std::function<void()> submitOne = [&] {
        Capture capture = samples[size_t(submitted) % samples.size()];
        const qint64 started = clock.nsecsElapsed();
        ++submitted;
        writer.submit(std::move(capture), &context, [&, started](qint64, const QString &problem) {
            latencies.push_back(clock.nsecsElapsed() - started);
            ++answered;
            if (!problem.isEmpty())
                ++failed;
            if (submitted < total)
                submitOne();
        });
    };
    for (int i = 0; i < inFlight && submitted < total; ++i)
        submitOne();
    while (answered < total)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    const double cpuUs = processCpuUs() - cpuBefore;

    InsertResult result;
    const WriterStats stats = writer.stats();
    result.capturesPerSecond = double(total) / seconds;
    result.meanBatch = stats.transactions ? double(stats.captures) / double(stats.transactions) : 0;
    result.failed = failed;
    result.busyUsPerCapture = double(stats.busyNs) / 1e3 / double(total);
    result.cpuUsPerCapture = cpuUs / double(total);
    result.maxMs = double(*std::max_element(latencies.begin(), latencies.end())) / 1e6;
    result.p50Ms = percentile(latencies, 0.50);
    result.p99Ms = percentile(latencies, 0.99);
    return result;
}

int insertBenchmark(const QString &dir, qint64 total, bool quick)
{
    std::vector<Capture> samples;
    const qint64 startUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    for (quint64 n = 0; n < 1000; ++n) {
        Capture capture = bench::realisticCapture(n * 50 + 1, startUs); // never the bodiless probe
        samples.push_back(std::move(capture));
    }
    std::printf("body %lld bytes, %lld captures per run, store in %s\n",
        static_cast<long long>(samples.front().body.size()), static_cast<long long>(total), qPrintable(dir));
    std::printf("%-11s %9s %10s %9s %12s %10s %9s %9s %9s %10s %8s\n", "synchronous", "in-flight", "max-batch",
        "interval", "captures/s", "mean-batch", "p50-ms", "p99-ms", "max-ms", "writer-us", "cpu-us");
    const QString path = QDir(dir).filePath(QStringLiteral("storebench-insert.sqlite"));
    auto row = [&](Synchronous synchronous, int inFlight, int maxBatch, int intervalUs) {
        const InsertResult result = runInsert(path, synchronous, maxBatch, intervalUs, inFlight, total, samples);
        std::printf("%-11s %9d %10d %7dus %12.0f %10.1f %9.2f %9.2f %9.2f %10.1f %8.1f%s\n",
            qPrintable(synchronousName(synchronous)), inFlight, maxBatch, intervalUs, result.capturesPerSecond,
            result.meanBatch, result.p50Ms, result.p99Ms, result.maxMs, result.busyUsPerCapture, result.cpuUsPerCapture,
            result.failed ? " FAILURES" : "");
        std::fflush(stdout);
    };
    const StoreOptions defaults;
    if (quick) {
        for (int i = 0; i < 3; ++i) {
            row(Synchronous::Normal, 16, defaults.maxBatch, 0);
            row(Synchronous::Normal, 16, defaults.maxBatch, defaults.commitIntervalUs);
            row(Synchronous::Normal, 64, defaults.maxBatch, 0);
        }
        return 0;
    }
    for (const Synchronous synchronous : {Synchronous::Normal, Synchronous::Full}) {
        for (const int inFlight : {1, 16, 64, 256}) {
            for (const int intervalUs : {0, 1000})
                row(synchronous, inFlight, defaults.maxBatch, intervalUs);
        }
    }
    for (const Synchronous synchronous : {Synchronous::Normal, Synchronous::Full}) {
        for (const int maxBatch : {1, 16, 64, 256, 1024})
            row(synchronous, 256, maxBatch, defaults.commitIntervalUs);
    }
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    return 0;
}

// Runs `step` `repeat` times and prints the first and the best time.
template <typename Step> void timed(const char *what, int repeat, Step step)
{
    double first = 0;
    double best = 1e300;
    QString note;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer timer;
        timer.start();
        note = step();
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        if (i == 0)
            first = ms;
        best = std::min(best, ms);
    }
    std::printf("%-52s %10.2f ms %10.2f ms   %s\n", what, first, best, qPrintable(note));
    std::fflush(stdout);
}

int readBenchmark(const QString &path)
{
    StoreOptions options;
    options.path = path;
    std::printf("%-52s %13s %13s   %s\n", "operation", "first", "best of 3", "result");
    timed("open (connect, check schema)", 3, [&] {
        CaptureStore store;
        QString error;
        return store.open(options, CaptureStore::Missing::Fail, &error) ? QStringLiteral("ok") : error;
    });
    CaptureStore store;
    QString error;
    if (!store.open(options, CaptureStore::Missing::Fail, &error)) {
        std::fprintf(stderr, "storebench: %s\n", qPrintable(error));
        return 1;
    }
    QList<qint64> all;
    timed("count(), no filter", 3, [&] { return QString::number(store.count()); });
    timed("ids(), no filter (every id, newest first)", 3, [&] {
        all = store.ids();
        return QStringLiteral("%1 ids").arg(all.size());
    });
    timed("first page: summaries(limit 100)", 3,
        [&] { return QStringLiteral("%1 rows").arg(store.summaries({}, 0, 100).size()); });
    timed("page to the end: summaries(beforeId, 100) x all", 1, [&] {
        qint64 cursor = 0;
        qint64 rows = 0;
        qint64 pages = 0;
        for (;;) {
            const QList<CaptureSummary> page = store.summaries({}, cursor, 100);
            if (page.isEmpty())
                break;
            rows += page.size();
            ++pages;
            cursor = page.last().id;
        }
        return QStringLiteral("%1 rows in %2 pages").arg(rows).arg(pages);
    });
    if (!all.isEmpty()) {
        const qsizetype middle = all.size() / 2;
        timed("row N of ids(): summariesFor(100 ids at the middle)", 3,
            [&] { return QStringLiteral("%1 rows").arg(store.summariesFor(all.mid(middle, 100)).size()); });
        timed("row N of ids(): summariesFor(100 ids at the end)", 3,
            [&] { return QStringLiteral("%1 rows").arg(store.summariesFor(all.mid(all.size() - 100, 100)).size()); });
        timed("capture(id), full (headers, body)", 3,
            [&] { return QStringLiteral("%1 bytes").arg(store.capture(all.at(middle + 1))->bodySize()); });
    }
    CaptureFilter invalid;
    invalid.verdict = Verdict::Invalid;
    timed("count(verdict = invalid)", 3, [&] { return QString::number(store.count(invalid)); });
    timed("ids(verdict = invalid)", 3, [&] { return QStringLiteral("%1 ids").arg(store.ids(invalid).size()); });
    timed("summaries(verdict = invalid, limit 100)", 3,
        [&] { return QStringLiteral("%1 rows").arg(store.summaries(invalid, 0, 100).size()); });
    // The common values, which v3's partial indexes leave out: a page comes from walking
    // captures newest first, count and ids read the whole table.
    CaptureFilter valid;
    valid.verdict = Verdict::Valid;
    timed("count(verdict = valid): no index", 3, [&] { return QString::number(store.count(valid)); });
    timed("ids(verdict = valid): no index", 3, [&] { return QStringLiteral("%1 ids").arg(store.ids(valid).size()); });
    timed("summaries(verdict = valid, limit 100)", 3,
        [&] { return QStringLiteral("%1 rows").arg(store.summaries(valid, 0, 100).size()); });
    CaptureFilter post;
    post.method = "POST";
    timed("count(method = POST): no index", 3, [&] { return QString::number(store.count(post)); });
    CaptureFilter get;
    get.method = "GET";
    timed("count(method = GET)", 3, [&] { return QString::number(store.count(get)); });
    timed("summaries(method = GET, limit 100)", 3,
        [&] { return QStringLiteral("%1 rows").arg(store.summaries(get, 0, 100).size()); });
    CaptureFilter errored;
    errored.dbtEventType = QStringLiteral("job.run.errored");
    timed("count(dbt event = job.run.errored)", 3, [&] { return QString::number(store.count(errored)); });
    CaptureFilter run;
    run.dbtRunId = QStringLiteral("1000000");
    timed("ids(dbt run id = 1000000)", 3, [&] { return QStringLiteral("%1 ids").arg(store.ids(run).size()); });
    CaptureFilter listener;
    listener.listener = QStringLiteral("127.0.0.1:5001");
    timed("count(listener = 127.0.0.1:5001)", 3, [&] { return QString::number(store.count(listener)); });
    CaptureFilter prefix;
    prefix.targetPrefix = "/health";
    timed("count(path prefix /health)", 3, [&] { return QString::number(store.count(prefix)); });
    CaptureFilter rare;
    rare.text = QStringLiteral("wev_") + QString::number(123456, 36).rightJustified(27, u'0');
    timed("summaries(text = one event id, limit 100): full scan", 1,
        [&] { return QStringLiteral("%1 rows").arg(store.summaries(rare, 0, 100).size()); });
    CaptureFilter common;
    common.text = QStringLiteral("Nightly");
    timed("summaries(text = common word, limit 100)", 3,
        [&] { return QStringLiteral("%1 rows").arg(store.summaries(common, 0, 100).size()); });
    timed("count(text = one event id): full scan", 1, [&] { return QString::number(store.count(rare)); });
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("insert or read"));
    parser.addOption({QStringLiteral("dir"), QStringLiteral("insert: where the scratch store goes."),
        QStringLiteral("DIR"), QDir::tempPath()});
    parser.addOption({QStringLiteral("captures"), QStringLiteral("insert: captures per run."), QStringLiteral("N"),
        QStringLiteral("20000")});
    parser.addOption({QStringLiteral("store"), QStringLiteral("read: the store to read."), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("quick"), QStringLiteral("insert: only the listener-like rows, three times.")});
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);
    if (mode == u"insert")
        return insertBenchmark(parser.value(QStringLiteral("dir")),
            parser.value(QStringLiteral("captures")).toLongLong(), parser.isSet(QStringLiteral("quick")));
    if (mode == u"read" && parser.isSet(QStringLiteral("store")))
        return readBenchmark(parser.value(QStringLiteral("store")));
    std::fprintf(
        stderr, "usage: storebench insert [--dir DIR] [--captures N] [--quick] | storebench read --store PATH\n");
    return 2;
}
