// Micro-benchmark of summarizeDbtEvent(), which the listener runs on every request before it
// stores the capture. Prints one line per body kind: median ns per call over several rounds.
// Usage: bench_dbt_summarize [rounds]   (bench/dbt/run.sh; results in docs/benchmarks.md, section "dbt")

#include "dbt/dbtsamplegenerator.h"
#include "dbt/dbtsummary.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace hookbench;

namespace {

// Keeps the optimiser from dropping the call.
volatile qsizetype sink = 0;

double nanosecondsPerCall(const QByteArray &body, int iterations)
{
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < iterations; ++i) {
        const DbtSummary summary = summarizeDbtEvent(body);
        sink = sink + summary.check.size();
    }
    return double(timer.nsecsElapsed()) / iterations;
}

void measure(const char *name, const QByteArray &body, int rounds)
{
    // Aim for ~100 ms per round whatever the cost of one call.
    const double estimate = std::max(1.0, nanosecondsPerCall(body, 200));
    const int iterations = std::clamp(int(1e8 / estimate), 100, 10000000);
    QList<double> samples;
    for (int round = 0; round < rounds; ++round)
        samples.append(nanosecondsPerCall(body, iterations));
    std::sort(samples.begin(), samples.end());
    const double median = samples.at(samples.size() / 2);
    std::printf("%-34s %8lld bytes  %10.0f ns/call  %12.0f calls/s  (min %.0f, max %.0f, %d x %d)\n", name,
        static_cast<long long>(body.size()), median, 1e9 / median, samples.first(), samples.last(), rounds, iterations);
}

} // namespace

int main(int argc, char **argv)
{
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;

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
    while (largeJson.size() < 256 * 1024)
        largeJson += github + ',';
    largeJson.chop(1);
    largeJson += "]}";

    std::printf("summarizeDbtEvent, median of %d rounds\n", rounds);
    measure("dbt job.run.completed (ok)", completed, rounds);
    measure("dbt job.run.completed (3 findings)", faulty, rounds);
    measure("dbt truncated (invalid JSON)", completed.left(completed.size() / 2), rounds);
    measure("GitHub JSON (no eventType)", github, rounds);
    measure("Event Grid JSON (eventType)", eventGrid, rounds);
    measure("256 KiB JSON (no eventType)", largeJson, rounds);
    measure("64 KiB random bytes", binary, rounds);
    return sink < 0 ? 1 : 0;
}
