// Batch replay benchmark helper.
//   bench_replay populate STORE COUNT
//     adds COUNT captures of a 624-byte dbt Cloud delivery (POST /dbt, stale Authorization) to
//     STORE, for `hookbench replay` to send; prints the first and last id.
//   bench_replay memory URL SECRET COUNT CONCURRENCY
//     the engine alone: COUNT in-memory copies of that request, each re-signed (dbt-cloud) and
//     sent by ReplayBatch; prints "concurrency=C count=N seconds=S rps=R ok=K" (K 2xx answers).
//   bench_replay store URL SECRET STORE CONCURRENCY
//     the engine fed from the store: every capture of STORE read in chunks (captureLoader over
//     CaptureStore::captures), re-signed and sent; no attempt stored. Same output.
#include "dbtbody.h"

#include "replay/captureloader.h"
#include "replay/replaybatch.h"
#include "signing/schemeregistry.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace hookbench;

namespace {

HeaderList deliveryHeaders(const QByteArray &body)
{
    return {{"Host", "hooks.example.test"}, {"User-Agent", "dbt-cloud-webhooks"}, {"Content-Type", "application/json"},
        {"Authorization", "stale"}, {"Content-Length", QByteArray::number(body.size())}};
}

int populate(const QString &path, int count)
{
    StoreOptions options;
    options.path = path;
    options.maxBatch = 4000;
    CaptureWriter writer(options);
    QString error;
    if (!writer.open(&error)) {
        std::fprintf(stderr, "bench_replay: %s\n", qPrintable(error));
        return 1;
    }
    const QByteArray body = bench::dbtBody();
    QObject context;
    int answered = 0;
    qint64 first = 0;
    qint64 last = 0;
    for (int i = 0; i < count; ++i) {
        Capture capture;
        capture.method = "POST";
        capture.target = "/dbt";
        capture.headers = deliveryHeaders(body);
        capture.body = body;
        capture.listener = QStringLiteral("127.0.0.1:5000");
        writer.submit(capture, &context, [&](qint64 id, const QString &problem) {
            ++answered;
            if (id <= 0) {
                std::fprintf(stderr, "bench_replay: %s\n", qPrintable(problem));
                return;
            }
            first = first == 0 ? id : std::min(first, id);
            last = std::max(last, id);
        });
    }
    while (answered < count)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    std::printf("%lld %lld\n", static_cast<long long>(first), static_cast<long long>(last));
    return last - first + 1 == count ? 0 : 1;
}

int run(int count, ReplayBatch::Loader loader, const QByteArray &secret, int concurrency)
{
    ReplayBatch::Options options;
    options.concurrency = concurrency;
    options.resigner = std::make_shared<Resigner>(createBuiltinScheme(u"dbt-cloud"), secret);
    ReplayBatch batch(count, std::move(loader), options);
    QElapsedTimer clock;
    int exitCode = 1;
    QObject::connect(&batch, &ReplayBatch::finished, qApp, [&](const ReplaySummary &summary) {
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        std::printf("concurrency=%d count=%d seconds=%.3f rps=%.0f ok=%lld\n", concurrency, count, seconds,
            double(summary.completed) / seconds, static_cast<long long>(summary.succeeded));
        if (!summary.failures.isEmpty())
            std::fprintf(stderr, "first failure: %s\n", qPrintable(summary.failures.first().reason));
        exitCode = summary.succeeded == count ? 0 : 1;
        qApp->quit();
    });
    clock.start();
    batch.start();
    QCoreApplication::exec();
    return exitCode;
}

int inMemory(const QUrl &url, const QByteArray &secret, int count, int concurrency)
{
    const QByteArray body = bench::dbtBody();
    QList<HttpRequest> requests;
    requests.reserve(count);
    for (int i = 0; i < count; ++i) {
        HttpRequest request;
        request.url = url;
        request.headers = {{"Content-Type", "application/json"}, {"Authorization", "stale"}};
        request.body = body;
        requests.append(request);
    }
    return run(count, ReplayBatch::requestListLoader(std::move(requests)), secret, concurrency);
}

int fromStore(const QUrl &url, const QByteArray &secret, const QString &path, int concurrency)
{
    StoreOptions options;
    options.path = path;
    CaptureStore store;
    QString error;
    if (!store.open(options, CaptureStore::Missing::Fail, &error)) {
        std::fprintf(stderr, "bench_replay: %s\n", qPrintable(error));
        return 1;
    }
    QList<qint64> ids = store.ids();
    std::reverse(ids.begin(), ids.end()); // oldest first, as `hookbench replay 1-N` sends them
    auto fetch = [&store](const QList<qint64> &chunk, QString *readError) { return store.captures(chunk, readError); };
    return run(int(ids.size()), captureLoader(ids, url, fetch), secret, concurrency);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QByteArray mode = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    if (mode == "populate" && argc == 4)
        return populate(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt());
    if (mode == "memory" && argc == 6)
        return inMemory(QUrl(QString::fromLocal8Bit(argv[2])), QByteArray(argv[3]), QByteArray(argv[4]).toInt(),
            QByteArray(argv[5]).toInt());
    if (mode == "store" && argc == 6)
        return fromStore(QUrl(QString::fromLocal8Bit(argv[2])), QByteArray(argv[3]), QString::fromLocal8Bit(argv[4]),
            QByteArray(argv[5]).toInt());
    std::fprintf(stderr,
        "usage: bench_replay populate STORE COUNT\n"
        "       bench_replay memory URL SECRET COUNT CONCURRENCY\n"
        "       bench_replay store URL SECRET STORE CONCURRENCY\n");
    return 2;
}
