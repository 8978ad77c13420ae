// Batch replay throughput: N in-memory requests carrying a 624-byte dbt Cloud body, each re-signed
// (dbt-cloud, fresh Authorization) and sent by ReplayBatch to a receiver; prints requests/s.
// Usage: bench_replay URL SECRET COUNT CONCURRENCY
// Output: one line "concurrency=C count=N seconds=S rps=R ok=K" (K = 2xx answers, must equal N).
#include "dbtbody.h"

#include "replay/replaybatch.h"
#include "signing/schemeregistry.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace hookbench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 5) {
        std::fprintf(stderr, "usage: bench_replay URL SECRET COUNT CONCURRENCY\n");
        return 2;
    }
    const QUrl url(QString::fromLocal8Bit(argv[1]));
    const QByteArray secret(argv[2]);
    const int count = QByteArray(argv[3]).toInt();
    const int concurrency = QByteArray(argv[4]).toInt();
    const QByteArray body = bench::dbtBody();
    Q_ASSERT(body.size() == 624);

    // Requests as a replay would load them: the stale signature is replaced for each one.
    QList<HttpRequest> requests;
    requests.reserve(count);
    for (int i = 0; i < count; ++i) {
        HttpRequest request;
        request.url = url;
        request.headers = {{"Content-Type", "application/json"}, {"Authorization", "stale"}};
        request.body = body;
        requests.append(request);
    }

    ReplayBatch::Options options;
    options.concurrency = concurrency;
    options.resigner = std::make_shared<Resigner>(createBuiltinScheme(u"dbt-cloud"), secret);
    ReplayBatch batch(count, ReplayBatch::requestListLoader(std::move(requests)), options);
    QElapsedTimer clock;
    QObject::connect(&batch, &ReplayBatch::finished, &app, [&](const ReplaySummary &summary) {
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        std::printf("concurrency=%d count=%d seconds=%.3f rps=%.0f ok=%lld\n", concurrency, count, seconds,
            double(summary.completed) / seconds, static_cast<long long>(summary.succeeded));
        if (!summary.failures.isEmpty())
            std::fprintf(stderr, "first failure: %s\n", qPrintable(summary.failures.first().reason));
        app.exit(summary.succeeded == count ? 0 : 1);
    });
    clock.start();
    batch.start();
    return app.exec();
}
