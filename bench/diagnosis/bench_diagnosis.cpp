// Diagnosis of a 1 MiB JSON body per scheme, in the worst case: the signature was made with an
// unknown secret, so nothing matches and every variation (secret whitespace and encodings,
// other schemes, line endings, every re-encoding of the JSON) is tried. Prints a Markdown table
// of the median, fastest and slowest of `runs` diagnoses, plus verify alone for scale. Wall time
// is what a user waits; the thread's CPU time is reported beside it because on a shared machine
// wall time also counts the time other processes had the core.
//
//   bench_diagnosis [runs=21] [size-in-KiB=1024] [threads=0]   (threads: 0 = the default, one per core)
#include "diagnosis/jsonreencoder.h"
#include "diagnosis/signaturediagnosis.h"
#include "signing/schemeregistry.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace hookbench;

namespace {

// A pretty-printed (2 spaces, LF) array of dbt-like events with non-ASCII text and keys out of
// order: every JSON style and the LF→CRLF variant produce distinct bytes, none are skipped.
QByteArray makeBody(qsizetype size)
{
    QByteArray body = "[\n";
    for (int i = 0; body.size() < size; ++i) {
        body += "  {\n    \"eventType\": \"job.run.completed\",\n    \"accountId\": " + QByteArray::number(i)
            + ",\n    \"data\": {\n      \"runId\": \"" + QByteArray::number(100000 + i)
            + "\",\n      \"jobName\": \"Nightly caf\xc3\xa9 build \xf0\x9f\x9a\x80\",\n      \"ratio\": 1.50,\n"
              "      \"steps\": [1, 2, 3],\n      \"ok\": true\n    }\n  },\n";
    }
    body.chop(2);
    body += "\n]\n";
    return body;
}

double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 21;
    const qsizetype size = (argc > 2 ? std::max(1, atoi(argv[2])) : 1024) * qsizetype(1024);
    const int threads = argc > 3 ? std::max(0, atoi(argv[3])) : 0;
    const QByteArray body = makeBody(size);
    const qint64 now = 1700000000;

    std::printf("Body: %lld bytes of pretty-printed JSON; %d runs per scheme; JSON variant threads: %s.\n\n",
        qlonglong(body.size()), runs, threads == 0 ? "default" : qPrintable(QString::number(threads)));
    std::printf("| scheme | diagnosis median (wall) | fastest | slowest | median CPU time (this thread) | verify alone "
                "| findings |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    for (const auto &scheme : createAllBuiltinSchemes()) {
        const bool sw = scheme->name() == u"standard-webhooks";
        const QByteArray senders = sw ? QByteArray("whsec_c2VuZGVyLXNlY3JldC1ieXRlcw==") : "sender-secret";
        const QByteArray ours = sw ? QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") : "receiver-secret";
        const HeaderList headers = scheme->sign(body, senders, {now, "msg_bench"});
        VerifyOptions options;
        options.now = now;
        SignatureDiagnosis diagnosis(*scheme);
        DiagnosisLimits limits;
        limits.threads = threads;
        diagnosis.setLimits(limits);
        diagnosis.setOtherSecrets({{QStringLiteral("$OTHER"), QByteArray("whsec_b3RoZXItc2VjcmV0")}});
        const QList<NamedSecret> secrets {{QStringLiteral("$WEBHOOK_KEY"), ours}};

        std::vector<double> verifyTimes;
        std::vector<double> diagnoseTimes;
        std::vector<double> cpuTimes;
        QList<DiagnosisFinding> findings;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            const VerificationResult result = scheme->verify(headers, body, {ours}, options);
            verifyTimes.push_back(double(timer.nsecsElapsed()) / 1e6);
            timer.restart();
            const double cpuStart = threadCpuMs();
            findings = diagnosis.diagnose(result, headers, body, secrets, options);
            cpuTimes.push_back(threadCpuMs() - cpuStart);
            diagnoseTimes.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        QStringList codes;
        for (const DiagnosisFinding &finding : findings)
            codes << findingCodeName(finding.code);
        std::printf("| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |\n", qPrintable(scheme->name()),
            median(diagnoseTimes), *std::min_element(diagnoseTimes.begin(), diagnoseTimes.end()),
            *std::max_element(diagnoseTimes.begin(), diagnoseTimes.end()), median(cpuTimes), median(verifyTimes),
            qPrintable(codes.join(QStringLiteral(", "))));
    }

    // What one variant costs, to read the totals above: the worst case makes about 20 passes
    // over the body (MACs) and a dozen re-encodings.
    std::vector<double> macTimes;
    std::vector<double> parseTimes;
    std::vector<double> encodeTimes;
    for (int i = 0; i < runs; ++i) {
        double start = threadCpuMs();
        hmac(MacAlgorithm::Sha256, "key", {body});
        macTimes.push_back(threadCpuMs() - start);
        start = threadCpuMs();
        JsonReencoder document;
        document.parse(body);
        parseTimes.push_back(threadCpuMs() - start);
        start = threadCpuMs();
        qsizetype written = 0;
        document.encode(
            {JsonStyle::Layout::Spaced, 0, true, true}, [&](QByteArrayView piece) { written += piece.size(); });
        encodeTimes.push_back(threadCpuMs() - start);
    }
    std::printf("\nOne pass, median CPU time: HMAC-SHA256 of the body %.2f ms; JSON parse %.2f ms; one re-encoding "
                "(sorted keys, ASCII escapes) %.2f ms.\n",
        median(macTimes), median(parseTimes), median(encodeTimes));
    return 0;
}
