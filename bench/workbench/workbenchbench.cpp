// Workbench benchmarks (results in docs/benchmarks.md, section "Workbench"):
//   bench_workbench store --store PATH      a large store in the capture list: open, jump to the
//                                           end, filters (and the UI thread's lateness meanwhile)
//   bench_workbench live [--rate 5000] [--seconds 20] [--connections 16]
//                                           the main window with a listener under a steady load of
//                                           real HTTP deliveries: event-loop lateness, updates/s
//   bench_workbench body                    the Body tab with 1 and 16 MiB bodies
// Runs on any Qt platform; scripts use QT_QPA_PLATFORM=offscreen.
#include "models/capturelistmodel.h"
#include "signing/schemeregistry.h"
#include "uiprobes.h"
#include "widgets/bodyview.h"
#include "widgets/hexview.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <limits>
#include <vector>

using namespace hookbench;

namespace {

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// CPU time (user + system, ms) used so far by the calling thread.
qint64 threadCpuMs()
{
    timespec time {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
    return qint64(time.tv_sec) * 1000 + time.tv_nsec / 1000000;
}

// Runs the event loop (sleeping between events, never spinning: a busy wait would steal the CPU
// being measured) until `condition` holds or the time is up.
void waitUntil(const std::function<bool()> &condition, int timeoutMs = 600000)
{
    if (condition())
        return;
    QEventLoop loop;
    QTimer check;
    check.setInterval(2);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (condition())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
}

int storeBench(const QString &path)
{
    StoreOptions options;
    options.path = path;
    say(QStringLiteral("store %1 (%2 MB), RSS before %3 MiB")
            .arg(path)
            .arg(QFileInfo(path).size() / 1000000)
            .arg(rssKiB() / 1024));
    QTableView view;
    view.resize(1000, 700);
    view.verticalHeader()->setDefaultSectionSize(22);
    view.show();
    LatenessProbe probe;

    QElapsedTimer timer;
    timer.start();
    CaptureListModel model(options);
    QString error;
    if (!model.open(&error)) {
        say(QStringLiteral("can't open: ") + error);
        return 1;
    }
    view.setModel(&model);
    probe.start();
    waitUntil([&] { return !model.isLoading(); });
    view.viewport()->repaint();
    const qint64 openMs = timer.elapsed();
    probe.stop();
    say(QStringLiteral("open: %1 rows listed and the first screen painted in %2 ms; %3 summaries read; RSS %4 MiB; %5")
            .arg(model.rowCount())
            .arg(openMs)
            .arg(model.summariesRead())
            .arg(rssKiB() / 1024)
            .arg(probe.summary()));

    timer.restart();
    view.scrollToBottom();
    view.viewport()->repaint();
    say(QStringLiteral("jump to the end: %1 ms (row %2 is id %3); %4 summaries read in all")
            .arg(timer.elapsed())
            .arg(model.rowCount() - 1)
            .arg(model.idAt(model.rowCount() - 1))
            .arg(model.summariesRead()));
    timer.restart();
    view.scrollTo(model.index(model.rowCount() / 2, 0));
    view.viewport()->repaint();
    say(QStringLiteral("jump to the middle: %1 ms").arg(timer.elapsed()));

    struct Case
    {
        QString name;
        CaptureFilter filter;
    };
    QList<Case> cases;
    CaptureFilter invalid;
    invalid.verdict = Verdict::Invalid;
    cases.append({QStringLiteral("verdict invalid"), invalid});
    CaptureFilter errored;
    errored.dbtEventType = QStringLiteral("job.run.errored");
    cases.append({QStringLiteral("event type job.run.errored"), errored});
    CaptureFilter get;
    get.method = "GET";
    cases.append({QStringLiteral("method GET"), get});
    CaptureFilter text;
    text.text = QStringLiteral("wev_notthere");
    cases.append({QStringLiteral("text not found (scans targets, headers, bodies)"), text});
    CaptureFilter target;
    target.text = QStringLiteral("/health");
    cases.append({QStringLiteral("text \"/health\" (found early in each row)"), target});
    CaptureFilter combined;
    combined.verdict = Verdict::Valid;
    combined.dbtEventType = QStringLiteral("job.run.completed");
    combined.sessionId = 2;
    cases.append({QStringLiteral("session 2 + valid + job.run.completed"), combined});
    cases.append({QStringLiteral("no filter again"), CaptureFilter()});
    for (const Case &c : std::as_const(cases)) {
        timer.restart();
        probe.start();
        model.setFilter(c.filter);
        waitUntil([&] { return !model.isLoading(); });
        view.viewport()->repaint();
        probe.stop();
        say(QStringLiteral("filter %1: %2 matches in %3 ms; UI %4")
                .arg(c.name)
                .arg(model.rowCount())
                .arg(timer.elapsed())
                .arg(probe.summary()));
    }
    say(QStringLiteral("RSS after: %1 MiB").arg(rssKiB() / 1024));
    return 0;
}

// Sends dbt-sized signed deliveries at a steady rate over keep-alive connections, from its own
// thread, and counts the 200 answers.
class LoadGenerator : public QObject
{
public:
    LoadGenerator(quint16 port, int rate, int connections, QByteArray request)
        : m_port(port)
        , m_rate(rate)
        , m_connectionCount(connections)
        , m_request(std::move(request))
        , m_timer(new QTimer(this)) // a child, so it moves to the generator's thread with it
    { }
    std::atomic<qint64> sent {0};
    std::atomic<qint64> answered {0};

    void start()
    {
        for (int i = 0; i < m_connectionCount; ++i) {
            auto *socket = new QTcpSocket(this);
            socket->connectToHost(QHostAddress::LocalHost, m_port);
            socket->waitForConnected(5000);
            auto tail = std::make_shared<QByteArray>();
            const int index = i;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, tail, index] {
                const QByteArray data = *tail + socket->readAll();
                const qint64 got = data.count("HTTP/1.1 200") - tail->count("HTTP/1.1 200");
                answered += got;
                m_inFlight[size_t(index)] -= got;
                *tail = data.right(16);
            });
            m_sockets.append(socket);
        }
        m_inFlight.assign(size_t(m_connectionCount), 0);
        m_clock.start();
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(1);
        connect(m_timer, &QTimer::timeout, this, [this] {
            const qint64 due = m_clock.elapsed() * m_rate / 1000;
            // Like real senders: a few requests in flight per connection at most (dbt sends one
            // at a time); when every connection is full the generator falls behind, visibly.
            for (int tries = 0; sent < due && tries < m_connectionCount; ++tries) {
                const size_t index = size_t(m_next++ % m_sockets.size());
                if (m_inFlight[index] >= maxInFlight)
                    continue;
                m_sockets.at(int(index))->write(m_request);
                ++m_inFlight[index];
                ++sent;
                tries = -1;
            }
        });
        m_timer->start();
    }
    void stop() { m_timer->stop(); }

private:
    quint16 m_port;
    int m_rate;
    int m_connectionCount;
    QByteArray m_request;
    static constexpr qint64 maxInFlight = 4;
    QList<QTcpSocket *> m_sockets;
    std::vector<qint64> m_inFlight;
    qint64 m_next = 0;
    QTimer *m_timer;
    QElapsedTimer m_clock;
};

int liveBench(int rate, int seconds, int connections)
{
    QTemporaryDir scratch;
    QSettings settings(scratch.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    MainWindowOptions options;
    options.store.path = scratch.filePath(QStringLiteral("captures.sqlite"));
    options.settings = &settings;
    options.useKeychain = false;
    options.autoStart = false;
    options.exportDirectory = scratch.filePath(QStringLiteral("exports"));
    MainWindow window(std::move(options));
    QString error;
    if (!window.open(&error)) {
        say(QStringLiteral("can't open the window: ") + error);
        return 1;
    }
    window.resize(1400, 900);
    window.show();
    const QByteArray secret = "bench-secret";
    ListenerBar *bar = window.listeners()->bars().first();
    bar->portBox()->setValue(0);
    bar->schemeBox()->setCurrentIndex(bar->schemeBox()->findData(QStringLiteral("dbt-cloud")));
    bar->secretEdit()->setSecret(secret);
    emit bar->secretEdit()->textEdited(bar->secretEdit()->text());
    if (!bar->start()) {
        say(QStringLiteral("can't start the listener: ") + bar->stateText());
        return 1;
    }
    const QByteArray body
        = "{\"accountId\":70403,\"webhookId\":\"wsu_2Lh8ZcVq0XyTbN3kR7sJmW1pQdF\",\"eventId\":\"wev_"
          "3MnO0Zl3Lw2CsPwY5WCx5482y\",\"timestamp\":\"2026-11-29T20:04:02.937651069Z\",\"eventType\":"
          "\"job.run.completed\",\"webhookName\":\"Hookbench\",\"data\":{\"jobId\":\"418230\","
          "\"jobName\":\"Daily Job (dbt build)\",\"runId\":\"950477344\",\"environmentId\":\"225961\","
          "\"environmentName\":\"Production\",\"dbtVersion\":\"1.9.4\",\"projectName\":\"Analytics\","
          "\"projectId\":\"167194\",\"runStatus\":\"Success\",\"runStatusCode\":10,\"runStatusMessage\":"
          "\"None\",\"runReason\":\"Kicked off from the UI by analyst@example.com\",\"runStartedAt\":"
          "\"2026-11-29T20:02:34Z\",\"runFinishedAt\":\"2026-11-29T20:03:59Z\"}}";
    const QByteArray authorization = createBuiltinScheme(u"dbt-cloud")->sign(body, secret).first().value;
    const QByteArray request = "POST /webhooks/dbt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                               "Authorization: "
        + authorization + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;

    QThread thread;
    LoadGenerator generator(bar->port(), rate, connections, request);
    generator.moveToThread(&thread);
    thread.start();
    LatenessProbe probe;
    const int updatesBefore = window.model()->liveUpdateCount();
    const qint64 cpuBefore = threadCpuMs();
    probe.start();
    QMetaObject::invokeMethod(&generator, [&generator] { generator.start(); });
    QElapsedTimer timer;
    timer.start();
    qint64 lastAnswered = 0;
    QTimer progress;
    progress.setInterval(1000);
    QObject::connect(&progress, &QTimer::timeout, [&] {
        const qint64 answered = generator.answered;
        say(QStringLiteral("  t=%1 s: %2 answered (%3/s), %4 rows listed")
                .arg(qRound(timer.elapsed() / 1000.0))
                .arg(answered)
                .arg(answered - lastAnswered)
                .arg(window.model()->rowCount()));
        lastAnswered = answered;
    });
    progress.start();
    waitUntil([] { return false; }, seconds * 1000);
    progress.stop();
    QMetaObject::invokeMethod(
        &generator, [&generator] { generator.stop(); }, Qt::BlockingQueuedConnection);
    probe.stop();
    const double elapsed = timer.elapsed() / 1000.0;
    const qint64 uiCpuMs = threadCpuMs() - cpuBefore;
    const int updates = window.model()->liveUpdateCount() - updatesBefore;
    say(QStringLiteral("UI thread CPU: %1 ms in %2 s (%3% of one core)")
            .arg(uiCpuMs)
            .arg(elapsed, 0, 'f', 1)
            .arg(100.0 * uiCpuMs / (elapsed * 1000), 0, 'f', 0));
    const QList<qint64> &times = window.model()->liveUpdateTimesMs();
    qint64 minimumGap = std::numeric_limits<qint64>::max();
    for (qsizetype i = 1; i < times.size(); ++i)
        minimumGap = qMin(minimumGap, times.at(i) - times.at(i - 1));
    say(QStringLiteral("list updates: %1, closest two %2 ms apart").arg(times.size()).arg(minimumGap));
    say(QStringLiteral("live: %1 sent, %2 answered 200 in %3 s (%4/s); %5 rows listed; %6 list updates (%7/s); %8")
            .arg(generator.sent.load())
            .arg(generator.answered.load())
            .arg(elapsed, 0, 'f', 1)
            .arg(generator.answered.load() / elapsed, 0, 'f', 0)
            .arg(window.model()->rowCount())
            .arg(updates)
            .arg(updates / elapsed, 0, 'f', 1)
            .arg(probe.summary()));
    waitUntil([&] { return window.model()->rowCount() >= generator.answered.load(); }, 30000);
    say(QStringLiteral("after the load: %1 rows listed; RSS %2 MiB")
            .arg(window.model()->rowCount())
            .arg(rssKiB() / 1024));
    thread.quit();
    thread.wait();
    bar->stop();
    return 0;
}

int bodyBench()
{
    BodyView view;
    view.resize(900, 700);
    view.show();
    LatenessProbe probe;
    for (const qsizetype size : {qsizetype(1024 * 1024), qsizetype(16 * 1024 * 1024)}) {
        QByteArray json = "[";
        while (json.size() < size)
            json += "{\"eventType\":\"job.run.completed\",\"runId\":\"950477344\",\"n\":12345},";
        json += "{}]";
        QByteArray binary(size, Qt::Uninitialized);
        for (qsizetype i = 0; i < size; ++i)
            binary[i] = char((i * 7919) & 0xff);
        for (const auto &[name, bytes, type] :
            {std::tuple {QStringLiteral("JSON"), json, QByteArray("application/json")},
                std::tuple {QStringLiteral("binary"), binary, QByteArray("application/octet-stream")}}) {
            probe.start();
            QElapsedTimer timer;
            timer.start();
            view.setBody(bytes, type);
            const qint64 setMs = timer.elapsed();
            view.repaint();
            const qint64 shownMs = timer.elapsed();
            waitUntil([&] { return !view.isJson() || view.isPrettyReady(); });
            view.repaint();
            const qint64 readyMs = timer.elapsed();
            timer.restart();
            view.setMode(BodyView::Mode::Raw);
            view.repaint();
            const qint64 rawMs = timer.elapsed();
            timer.restart();
            view.setMode(BodyView::Mode::Hex);
            view.hexView()->verticalScrollBar()->setValue(view.hexView()->verticalScrollBar()->maximum());
            view.repaint();
            const qint64 hexMs = timer.elapsed();
            probe.stop();
            say(QStringLiteral("body %1 %2 MiB: setBody %3 ms, first paint %4 ms, formatted %5 ms, raw view %6 ms, "
                               "hex at the end %7 ms; UI %8")
                    .arg(name)
                    .arg(size / (1024 * 1024))
                    .arg(setMs)
                    .arg(shownMs)
                    .arg(readyMs)
                    .arg(rawMs)
                    .arg(hexMs)
                    .arg(probe.summary()));
        }
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("store | live | body"));
    parser.addOption(
        {QStringLiteral("store"), QStringLiteral("A populated store (store mode)."), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("Deliveries per second (live)."), QStringLiteral("N"),
        QStringLiteral("5000")});
    parser.addOption(
        {QStringLiteral("seconds"), QStringLiteral("How long (live)."), QStringLiteral("S"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("connections"), QStringLiteral("Keep-alive connections (live)."),
        QStringLiteral("N"), QStringLiteral("16")});
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);
    if (mode == u"store")
        return storeBench(parser.value(QStringLiteral("store")));
    if (mode == u"live")
        return liveBench(parser.value(QStringLiteral("rate")).toInt(), parser.value(QStringLiteral("seconds")).toInt(),
            parser.value(QStringLiteral("connections")).toInt());
    if (mode == u"body")
        return bodyBench();
    std::fprintf(stderr, "bench_workbench: give a mode: store --store PATH | live | body\n");
    return 2;
}
