// Micro-benchmark of summarizeDbtEvent(), which the listener runs on every request before it
// stores the capture. For each kind of body it prints the median ns per call over several rounds
// next to two baselines measured in the same rounds (interleaved, so machine noise hits all
// three alike): QJsonDocument::fromJson() of the same bytes, and the HMAC-SHA256 the listener
// computes anyway to check the signature.
// Usage: bench_dbt_summarize [rounds]   (bench/dbt/run.sh; results in docs/benchmarks.md, section "dbt")
//        bench_dbt_summarize --calls <body> <n>   only n summaries of one body (ok, findings,
//        invalid, eventgrid, github), no timing: for valgrind --tool=callgrind, whose instruction
//        counts don't depend on the machine's load

#include "dbt/dbtsamplegenerator.h"
#include "dbt/dbtsummary.h"
#include "signing/hmac.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QList>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

using namespace hookbench;

namespace {

// Keeps the optimiser from dropping the calls.
volatile qsizetype sink = 0;

double nanosecondsPerCall(const std::function<qsizetype()> &call, int iterations)
{
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < iterations; ++i)
        sink = sink + call();
    return double(timer.nsecsElapsed()) / iterations;
}

double median(QList<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return samples.at(samples.size() / 2);
}

void measure(const char *name, const QByteArray &body, int rounds)
{
    const QByteArray key = QByteArrayLiteral("bench-secret");
    const std::function<qsizetype()> calls[] = {
        [&] { return summarizeDbtEvent(body).check.size(); },
        [&] { return QJsonDocument::fromJson(body).isNull() ? 0 : 1; },
        [&] { return hmac(MacAlgorithm::Sha256, key, {body}).size(); },
    };
    // Aim for ~50 ms per round and call kind, whatever one call costs.
    int iterations[3];
    for (int kind = 0; kind < 3; ++kind) {
        const double estimate = std::max(1.0, nanosecondsPerCall(calls[kind], 200));
        iterations[kind] = std::clamp(int(5e7 / estimate), 100, 10000000);
    }
    QList<double> samples[3];
    for (int round = 0; round < rounds; ++round) {
        for (int kind = 0; kind < 3; ++kind)
            samples[kind].append(nanosecondsPerCall(calls[kind], iterations[kind]));
    }
    const double summarize = median(samples[0]);
    const double parse = median(samples[1]);
    const double mac = median(samples[2]);
    std::printf("| %s | %lld B | %.2f µs | %.2f µs | %.2f µs | %.2fx | %.0f |\n", name,
        static_cast<long long>(body.size()), summarize / 1000, parse / 1000, mac / 1000, summarize / mac,
        1e9 / summarize);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    const bool callsOnly = argc > 3 && qstrcmp(argv[1], "--calls") == 0;
    const int rounds = argc > 1 && !callsOnly ? std::max(1, std::atoi(argv[1])) : 15;

    DbtSampleSettings settings;
    settings.runId = QStringLiteral("123456789");
    const DbtSampleGenerator generator(settings);
    const QByteArray completed = generator.event(DbtEventType::RunCompleted).body;
    QByteArray faulty = completed;
    faulty.replace("\"runStatusCode\":10", "\"runStatusCode\":20");
    faulty.replace("\"webhookId\"", "\"webhooksID\"");
    faulty.replace("\"jobId\":", "\"extra\":1,\"jobId\":");
    const QByteArray github = QByteArrayLiteral(
        R"({"action":"opened","number":1347,"pull_request":{"url":"https://api.github.com/repos/octocat/Hello-World/pulls/1347","id":1,"state":"open","title":"Amazing new feature","user":{"login":"octocat","id":1}},"repository":{"id":1296269,"full_name":"octocat/Hello-World"}})");
    const QByteArray eventGrid = QByteArrayLiteral(
        R"({"id":"831e1650-001e-001b-66ab-eeb76e069631","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/c/blobs/b","eventTime":"2017-06-26T18:41:00.9584103Z","data":{"api":"PutBlockList","contentLength":524288},"dataVersion":"","metadataVersion":"1","topic":"/subscriptions/x"})");
    QByteArray binary(64 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    for (char &byte : binary)
        byte = char(random.bounded(256));
    QByteArray largeJson = QByteArrayLiteral("{\"items\":[");
    while (largeJson.size() < 48 * 1024)
        largeJson += github + ',';
    largeJson.chop(1);
    largeJson += "]}";

    if (callsOnly) {
        const QByteArray which = argv[2];
        const QByteArray body = which == "ok" ? completed
            : which == "findings"             ? faulty
            : which == "invalid"              ? completed.left(completed.size() / 2)
            : which == "eventgrid"            ? eventGrid
            : which == "github"               ? github
                                              : QByteArray();
        if (body.isEmpty()) {
            std::fprintf(stderr, "bench_dbt_summarize: unknown body %s\n", argv[2]);
            return 2;
        }
        const int calls = std::max(1, std::atoi(argv[3]));
        for (int i = 0; i < calls; ++i)
            sink = sink + summarizeDbtEvent(body).check.size();
        return sink < 0 ? 1 : 0;
    }

    std::printf("summarizeDbtEvent: median of %d interleaved rounds\n\n", rounds);
    std::printf("| body | size | summarize | fromJson | HMAC-SHA256 | summarize / HMAC | summaries/s |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    measure("dbt job.run.completed, check ok", completed, rounds);
    measure("dbt job.run.completed, 3 findings", faulty, rounds);
    measure("dbt event cut in half (invalid JSON)", completed.left(completed.size() / 2), rounds);
    measure("Event Grid JSON (has eventType)", eventGrid, rounds);
    measure("GitHub JSON (no eventType)", github, rounds);
    measure("48 KiB JSON (no eventType)", largeJson, rounds);
    measure("64 KiB random bytes", binary, rounds);
    return sink < 0 ? 1 : 0;
}
