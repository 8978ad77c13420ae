// storewriterhelper: a second process for the store tests. Writes captures through its own
// CaptureWriter and prints "<id> <n>" for each one after its answer, the way a listener answers a
// sender only after the commit. Targets are "/<tag>/<n>" so a test can tell the writers apart.
//   storewriterhelper --store PATH --count N [--tag TAG] [--in-flight K] [--synchronous LEVEL]
#include "capture/capture.h"
#include "store/capturewriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>
#include <functional>

using namespace hookbench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("store"), QStringLiteral("store"), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("count"), QStringLiteral("N"), QStringLiteral("100")});
    parser.addOption({QStringLiteral("tag"), QStringLiteral("tag"), QStringLiteral("TAG"), QStringLiteral("w")});
    parser.addOption(
        {QStringLiteral("in-flight"), QStringLiteral("in flight"), QStringLiteral("K"), QStringLiteral("16")});
    parser.addOption(
        {QStringLiteral("synchronous"), QStringLiteral("level"), QStringLiteral("LEVEL"), QStringLiteral("normal")});
    parser.process(app);

    StoreOptions options;
    options.path = parser.value(QStringLiteral("store"));
    options.synchronous
        = synchronousFromName(parser.value(QStringLiteral("synchronous"))).value_or(Synchronous::Normal);
    options.busyTimeoutMs = 20000;
    const qint64 count = parser.value(QStringLiteral("count")).toLongLong();
    const int inFlight = parser.value(QStringLiteral("in-flight")).toInt();
    const QByteArray tag = parser.value(QStringLiteral("tag")).toUtf8();

    CaptureWriter writer(options);
    QString error;
    if (!writer.open(&error)) {
        std::fprintf(stderr, "storewriterhelper: %s\n", qPrintable(error));
        return 1;
    }
    qint64 next = 0;
    qint64 answered = 0;
    int failures = 0;
    std::function<void()> submitNext = [&] {
        const qint64 n = next++;
        Capture capture;
        capture.receivedAtUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        capture.method = "POST";
        capture.target = "/" + tag + "/" + QByteArray::number(n);
        capture.headers = {{"Content-Type", "application/json"}, {"X-Writer", tag}};
        capture.body = "{\"writer\":\"" + tag + "\",\"n\":" + QByteArray::number(n) + "}";
        capture.listener = QStringLiteral("helper");
        writer.submit(std::move(capture), &app, [&, n](qint64 id, const QString &problem) {
            ++answered;
            if (id > 0) {
                std::printf("%lld %lld\n", static_cast<long long>(id), static_cast<long long>(n));
                std::fflush(stdout);
            } else {
                ++failures;
                std::fprintf(stderr, "storewriterhelper: %s\n", qPrintable(problem));
            }
            if (next < count)
                submitNext();
            else if (answered == count)
                QCoreApplication::exit(failures ? 1 : 0);
        });
    };
    for (int i = 0; i < inFlight && next < count; ++i)
        submitNext();
    return count > 0 ? app.exec() : 0;
}
