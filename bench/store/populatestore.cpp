// populatestore: fills a capture store with N realistic captures as fast as the store takes
// them (the setup for the large-store benchmarks, CLI and GUI).
//   populatestore --store PATH [--count 1000000] [--sessions K]
#include "storesamples.h"

#include "store/capturewriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace hookbench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fills a capture store with realistic captures."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("store"), QStringLiteral("The store file (created when missing)."), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("How many captures to add."), QStringLiteral("N"),
        QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("sessions"), QStringLiteral("Spread them over K named sessions (0: default)."),
        QStringLiteral("K"), QStringLiteral("0")});
    parser.process(app);
    const QString path = parser.value(QStringLiteral("store"));
    const qint64 count = parser.value(QStringLiteral("count")).toLongLong();
    const int sessionCount = parser.value(QStringLiteral("sessions")).toInt();
    if (path.isEmpty() || count < 1) {
        std::fprintf(stderr, "populatestore: give --store PATH and a positive --count\n");
        return 2;
    }

    StoreOptions options;
    options.path = path;
    options.synchronous = Synchronous::Normal; // setup data: a crash would only mean running it again
    options.commitIntervalUs = 0;
    options.maxBatch = 4000;
    CaptureWriter writer(options);
    QString error;
    if (!writer.open(&error)) {
        std::fprintf(stderr, "populatestore: %s\n", qPrintable(error));
        return 1;
    }

    QObject context;
    QList<qint64> sessions;
    for (int i = 0; i < sessionCount; ++i) {
        bool answered = false;
        const QString name
            = QStringLiteral("bench %1 #%2").arg(QDateTime::currentDateTime().toString(Qt::ISODate)).arg(i + 1);
        writer.createSession(name, &context, [&](qint64 id, const QString &problem) {
            answered = true;
            if (id > 0)
                sessions.append(id);
            else
                error = problem;
        });
        while (!answered)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "populatestore: %s\n", qPrintable(error));
            return 1;
        }
    }

    const qint64 startUs = QDateTime::currentMSecsSinceEpoch() * 1000 - count * 250000;
    constexpr qint64 window = 20000;
    qint64 submitted = 0;
    qint64 answered = 0;
    qint64 failed = 0;
    QElapsedTimer timer;
    timer.start();
    while (answered < count) {
        while (submitted < count && submitted - answered < window) {
            Capture capture = bench::realisticCapture(quint64(submitted), startUs);
            if (!sessions.isEmpty())
                capture.sessionId = sessions.at(int(submitted * sessions.size() / count));
            writer.submit(std::move(capture), &context, [&](qint64, const QString &problem) {
                ++answered;
                if (!problem.isEmpty() && failed++ == 0)
                    std::fprintf(stderr, "populatestore: %s\n", qPrintable(problem));
            });
            ++submitted;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const WriterStats stats = writer.stats();
    std::printf("added %lld captures in %.2f s (%.0f captures/s, %lld transactions), %lld failed; store %.1f MB\n",
        static_cast<long long>(stats.captures), seconds, double(stats.captures) / seconds,
        static_cast<long long>(stats.transactions), static_cast<long long>(failed),
        double(QFileInfo(path).size()) / 1e6);
    return failed ? 1 : 0;
}
