// Verify throughput per scheme for 1 KiB and 1 MiB bodies, next to OpenSSL's one-shot HMAC()
// over the same bytes (the floor: what verification costs with zero overhead).
// Prints a Markdown table of medians; run through bench/signing/run.sh.
#include "signing/schemeregistry.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hookbench;

namespace {

QByteArray jsonishBody(qsizetype size)
{
    QByteArray body = "{\"accountId\":1,\"eventType\":\"job.run.completed\",\"data\":\"";
    QRandomGenerator random(42);
    while (body.size() < size - 2)
        body.append(char('a' + random.bounded(26)));
    body.append("\"}");
    return body;
}

// Median nanoseconds per call over `rounds` rounds of `iterations` calls.
template <typename F> double medianNs(int rounds, int iterations, F &&call)
{
    std::vector<double> perCall;
    for (int r = 0; r < rounds; ++r) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < iterations; ++i)
            call();
        perCall.push_back(double(timer.nsecsElapsed()) / iterations);
    }
    std::sort(perCall.begin(), perCall.end());
    return perCall[perCall.size() / 2];
}

volatile int sink = 0;

} // namespace

int main()
{
    const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    std::printf("| scheme | body | verify (median) | raw HMAC-SHA256 (median) | ratio | verifies/s |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const qsizetype size : {qsizetype(1024), qsizetype(1024 * 1024)}) {
        const QByteArray body = jsonishBody(size);
        const int iterations = size > 4096 ? 40 : 20000;
        const int rounds = 15;
        const double raw = medianNs(rounds, iterations, [&] {
            unsigned char out[EVP_MAX_MD_SIZE];
            unsigned int length = 0;
            HMAC(EVP_sha256(), secret.constData(), int(secret.size()),
                reinterpret_cast<const unsigned char *>(body.constData()), size_t(body.size()), out, &length);
            sink = sink + out[0];
        });
        for (const auto &scheme : createAllBuiltinSchemes()) {
            const qint64 now = 1700000000;
            const HeaderList headers = scheme->sign(body, secret, {now, "msg_bench"});
            VerifyOptions options;
            options.now = now;
            const QList<QByteArray> secrets {secret};
            if (!scheme->verify(headers, body, secrets, options).isValid()) {
                std::fprintf(stderr, "%s: signature did not verify\n", qPrintable(scheme->name()));
                return 1;
            }
            const double verify = medianNs(rounds, iterations,
                [&] { sink = sink + int(scheme->verify(headers, body, secrets, options).verdict); });
            std::printf("| %s | %s | %.1f µs | %.1f µs | %.2fx | %.0f |\n", qPrintable(scheme->name()),
                size > 4096 ? "1 MiB" : "1 KiB", verify / 1000.0, raw / 1000.0, verify / raw, 1e9 / verify);
        }
    }
    return 0;
}
