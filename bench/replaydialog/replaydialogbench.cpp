// The batch replay dialog over a large store (results in docs/benchmarks.md, "Batch replay from
// the window"): COUNT dbt Cloud captures stored through the main window's writer, all selected,
// replayed from the dialog, re-signed, to URL (a bench_receiver that verifies each signature).
// Prints the batch's rate, the UI thread's timer lateness during the batch (what a user feels
// as stutter) and the process's memory before and after.
//   bench_replaydialog URL SECRET [COUNT] [CONCURRENCY]
// Runs on any Qt platform; run.sh uses QT_QPA_PLATFORM=offscreen.
#include "dbtbody.h"

#include "models/capturelistmodel.h"
#include "replay/batchreplaydialog.h"
#include "signing/schemeregistry.h"
#include "uiprobes.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace hookbench;

namespace {

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: bench_replaydialog URL SECRET [COUNT] [CONCURRENCY]\n");
        return 2;
    }
    const QString url = args.at(1);
    const QByteArray secret = args.at(2).toUtf8();
    const int count = args.size() > 3 ? args.at(3).toInt() : 10000;
    const int concurrency = args.size() > 4 ? args.at(4).toInt() : 16;

    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    MainWindowOptions options;
    options.store.path = dir.filePath(QStringLiteral("captures.sqlite"));
    options.settings = &settings;
    options.useKeychain = false;
    options.autoStart = false;
    MainWindow window(std::move(options));
    QString error;
    if (!window.open(&error)) {
        say(error);
        return 1;
    }
    window.resize(1400, 900);
    window.show();

    // The captures, as a listener would have stored them (stale signatures: re-signing is the point).
    const QByteArray body = bench::dbtBody();
    int pending = count;
    for (int n = 0; n < count; ++n) {
        Capture capture;
        capture.method = "POST";
        capture.target = "/dbt";
        capture.headers = {{"Host", "127.0.0.1:5000"}, {"Content-Type", "application/json"}, {"Authorization", "stale"},
            {"Content-Length", QByteArray::number(body.size())}};
        capture.body = body;
        capture.listener = QStringLiteral("127.0.0.1:5000");
        window.writer()->submit(capture, &window, [&pending](qint64, const QString &) { --pending; });
    }
    while (pending > 0 || window.model()->rowCount() < count)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    window.captureTable()->selectAll();

    window.action(QStringLiteral("replayCaptures"))->trigger();
    auto *dialog = window.findChild<BatchReplayDialog *>();
    dialog->targetEdit()->setText(url);
    dialog->resignBox()->setChecked(true);
    dialog->schemeBox()->setCurrentIndex(dialog->schemeBox()->findData(QStringLiteral("dbt-cloud")));
    dialog->secretEdit()->setSecret(secret);
    dialog->concurrencyBox()->setValue(concurrency);

    const qint64 rssBefore = rssKiB();
    LatenessProbe probe;
    bool done = false;
    QObject::connect(dialog, &BatchReplayDialog::batchDone, [&] { done = true; });
    QElapsedTimer clock;
    clock.start();
    probe.start();
    if (!dialog->start(&error)) {
        say(error);
        return 1;
    }
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    probe.stop();
    const qint64 elapsedMs = clock.elapsed();
    const ReplaySummary summary = *dialog->summary();
    say(QStringLiteral("%1 captures, concurrency %2, re-signed: %3 answered 2xx, %4 stored, %5 ms, %6 requests/s")
            .arg(count)
            .arg(concurrency)
            .arg(summary.succeeded)
            .arg(dialog->storedAttempts())
            .arg(elapsedMs)
            .arg(double(summary.completed) * 1000.0 / double(std::max<qint64>(1, elapsedMs)), 0, 'f', 0));
    say(QStringLiteral("UI thread timer lateness during the batch: p50 %1 ms, p99 %2 ms, max %3 ms")
            .arg(probe.percentile(50), 0, 'f', 1)
            .arg(probe.percentile(99), 0, 'f', 1)
            .arg(probe.percentile(100), 0, 'f', 1));
    say(QStringLiteral("RSS %1 MiB before the batch, %2 MiB after")
            .arg(double(rssBefore) / 1024.0, 0, 'f', 1)
            .arg(double(rssKiB()) / 1024.0, 0, 'f', 1));
    return summary.succeeded == count ? 0 : 1;
}
