// Produces the README's screenshots from real captures: opens the main window on a fresh store,
// starts two listeners from their bars, sends real deliveries to them over loopback (dbt Cloud
// runs signed with the right secret, one with the wrong secret, one whose Authorization a gateway
// replaced, an unsigned one, a GitHub delivery, then a day of dbt runs for the Runs tab) and grabs
// the window. Run by scripts/screenshot
// on the offscreen platform.
#include "dbt/dbtsamplegenerator.h"
#include "diagnosis/jsonreencoder.h"
#include "editor/bodyeditor.h"
#include "editor/requesteditor.h"
#include "models/capturelistmodel.h"
#include "runs/dbtrunsmodel.h"
#include "runs/runsview.h"
#include "signing/schemeregistry.h"
#include "widgets/capturedetailview.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

using namespace hookbench;

namespace {

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

int post(QNetworkAccessManager &manager, const QString &url, const QByteArray &body, const HeaderList &headers)
{
    QNetworkRequest request {QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("dbt-cloud-webhooks"));
    for (const HttpHeader &header : headers)
        request.setRawHeader(header.name, header.value);
    QNetworkReply *reply = manager.post(request, body);
    waitFor([reply] { return reply->isFinished(); });
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

void configure(ListenerBar *bar, const QString &scheme, const QByteArray &secret)
{
    bar->portBox()->setValue(0);
    bar->schemeBox()->setCurrentIndex(bar->schemeBox()->findData(scheme));
    bar->secretEdit()->setSecret(secret);
    emit bar->secretEdit()->textEdited(bar->secretEdit()->text());
}

int rowWhere(CaptureListModel *model, const std::function<bool(const Capture &)> &match)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const std::optional<Capture> capture = model->capture(model->idAt(row));
        if (capture && match(*capture))
            return row;
    }
    return -1;
}

bool grab(MainWindow &window, const QString &path)
{
    QCoreApplication::processEvents();
    const bool saved = window.grab().save(path, "PNG");
    std::printf("%s %s\n", saved ? "wrote" : "could not write", qPrintable(path));
    return saved;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hookbench"));
    const QString directory = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/images");
    QDir().mkpath(directory);

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
        std::fprintf(stderr, "screenshot: %s\n", qPrintable(error));
        return 1;
    }
    window.resize(1560, 940);
    window.show();

    const QByteArray dbtSecret = "dbt-demo-secret";
    const QByteArray gitHubSecret = "github-demo-secret";
    ListenerBar *dbt = window.listeners()->bars().first();
    configure(dbt, QStringLiteral("dbt-cloud"), dbtSecret);
    ListenerBar *gitHub = window.listeners()->addListener();
    configure(gitHub, QStringLiteral("github"), gitHubSecret);
    if (!dbt->start() || !gitHub->start()) {
        std::fprintf(stderr, "screenshot: can't start the listeners: %s %s\n", qPrintable(dbt->stateText()),
            qPrintable(gitHub->stateText()));
        return 1;
    }

    QNetworkAccessManager manager;
    const auto dbtScheme = createBuiltinScheme(u"dbt-cloud");
    const QString dbtUrl = dbt->url() + QStringLiteral("/webhooks/dbt");
    int sent = 0;
    auto send = [&](const QString &url, const QByteArray &body, const HeaderList &headers) {
        if (post(manager, url, body, headers) > 0)
            ++sent;
        // A few deliveries a second, so the rate sparklines have a shape.
        QElapsedTimer pause;
        pause.start();
        while (pause.elapsed() < 350)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    };

    DbtSampleSettings nightly;
    nightly.jobId = QStringLiteral("418231");
    nightly.jobName = QStringLiteral("Nightly build");
    nightly.durationSeconds = 412;
    const DbtSampleGenerator failing(nightly);
    for (const DbtSampleDelivery &delivery : failing.scenario(DbtScenario::Failure))
        send(dbtUrl, delivery.body, dbtScheme->sign(delivery.body, dbtSecret));

    const DbtSampleGenerator hourly;
    const QByteArray started = hourly.event(DbtEventType::RunStarted).body;
    send(dbtUrl, started,
        {{"Authorization", "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJnYXRld2F5In0.c2ln"}});
    send(dbtUrl, started, dbtScheme->sign(started, "an-old-rotated-secret"));
    send(dbtUrl, started, {});

    // A sender (or a proxy) that signed the body as Python's json.dumps writes it, not as sent.
    const QByteArray hourlyCompleted = hourly.event(DbtEventType::RunCompleted).body;
    JsonReencoder reencoder;
    reencoder.parse(hourlyCompleted);
    JsonStyle python;
    python.layout = JsonStyle::Layout::Spaced;
    send(
        dbtUrl + QStringLiteral("?via=gateway"), hourlyCompleted, dbtScheme->sign(reencoder.encode(python), dbtSecret));

    const QByteArray push
        = R"({"ref":"refs/heads/main","repository":{"full_name":"acme/analytics"},"pusher":{"name":"ci"}})";
    send(gitHub->url() + QStringLiteral("/github"), push,
        createBuiltinScheme(u"github")->sign(push, gitHubSecret) + HeaderList {{"X-GitHub-Event", "push"}});

    const DbtSampleGenerator daily;
    for (const DbtSampleDelivery &delivery : daily.scenario(DbtScenario::Success))
        send(dbtUrl, delivery.body, dbtScheme->sign(delivery.body, dbtSecret));

    CaptureListModel *model = window.model();
    if (!waitFor([&] { return model->rowCount() == sent; })) {
        std::fprintf(stderr, "screenshot: %d of %d captures arrived\n", model->rowCount(), sent);
        return 1;
    }

    // Let the listeners' state and rate sparklines catch up (they sample once a second).
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    // 1. The list with a successful dbt run selected: the Overview and its dbt card.
    const int completed = rowWhere(model, [](const Capture &c) {
        return c.dbtEventType == u"job.run.completed" && c.verdict == Verdict::Valid && c.body.contains("\"Success\"");
    });
    window.selectRow(completed);
    window.details()->tabs()->setCurrentIndex(CaptureDetailView::OverviewTab);
    bool ok = grab(window, QDir(directory).filePath(QStringLiteral("workbench.png")));

    // 2. The delivery signed over a re-encoded body: the Signature tab and its diagnosis.
    const int invalid = rowWhere(model, [](const Capture &c) { return c.target.endsWith("?via=gateway"); });
    window.selectRow(invalid);
    window.details()->tabs()->setCurrentIndex(CaptureDetailView::SignatureTab);
    ok = grab(window, QDir(directory).filePath(QStringLiteral("signature.png"))) && ok;

    // 3. The same window in the dark palette, with the body of the errored event.
    window.action(QStringLiteral("follow"))->setChecked(false);
    const auto appearance = window.findChildren<QAction *>();
    for (QAction *action : appearance) {
        if (action->isCheckable() && action->text() == QStringLiteral("&Dark"))
            action->trigger();
    }
    const int errored = rowWhere(model, [](const Capture &c) { return c.dbtEventType == u"job.run.errored"; });
    window.selectRow(errored);
    window.details()->tabs()->setCurrentIndex(CaptureDetailView::BodyTab);
    ok = grab(window, QDir(directory).filePath(QStringLiteral("workbench-dark.png"))) && ok;

    // 4. The Runs tab: a day of runs of four jobs (successes, a failure, a retried delivery and
    // one still running), sent as dbt Cloud would, in the light palette.
    for (QAction *action : appearance) {
        if (action->isCheckable() && action->text() == QStringLiteral("&Light"))
            action->trigger();
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    struct PastRun
    {
        QString jobId;
        QString jobName;
        qint64 startedAgo; // seconds
        int duration;
        DbtScenario scenario;
        bool running = false;
    };
    const QList<PastRun> past {
        {QStringLiteral("418230"), QStringLiteral("Daily Job (dbt build)"), 6 * 3600, 780, DbtScenario::Success},
        {QStringLiteral("418230"), QStringLiteral("Daily Job (dbt build)"), 3 * 3600, 840, DbtScenario::Success},
        {QStringLiteral("418231"), QStringLiteral("Nightly build"), 5 * 3600 + 1200, 1500, DbtScenario::Failure},
        {QStringLiteral("418232"), QStringLiteral("Hourly incremental"), 4 * 3600, 300, DbtScenario::Success},
        {QStringLiteral("418232"), QStringLiteral("Hourly incremental"), 3 * 3600 - 600, 420, DbtScenario::Retry},
        {QStringLiteral("418232"), QStringLiteral("Hourly incremental"), 2 * 3600, 360, DbtScenario::Success},
        {QStringLiteral("418232"), QStringLiteral("Hourly incremental"), 3600, 330, DbtScenario::Failure},
        {QStringLiteral("418233"), QStringLiteral("Weekly full refresh"), 2 * 3600 + 900, 3600, DbtScenario::Success,
            true},
    };
    QString failedRun;
    for (const PastRun &run : past) {
        DbtSampleSettings settings;
        settings.jobId = run.jobId;
        settings.jobName = run.jobName;
        settings.startedAt = QDateTime::fromSecsSinceEpoch(now - run.startedAgo, Qt::UTC);
        settings.durationSeconds = run.duration;
        const DbtSampleGenerator generator(settings);
        QList<DbtSampleDelivery> deliveries = generator.scenario(run.scenario);
        if (run.running)
            deliveries = {generator.event(DbtEventType::RunStarted)};
        if (run.scenario == DbtScenario::Failure && run.jobName == u"Nightly build")
            failedRun = generator.runId();
        for (const DbtSampleDelivery &delivery : std::as_const(deliveries))
            send(dbtUrl, delivery.body, dbtScheme->sign(delivery.body, dbtSecret));
    }
    DbtRunsModel *runs = window.runsModel();
    if (!waitFor([&] { return model->rowCount() == sent && runs->rowOfRun(failedRun) >= 0 && !runs->isLoading(); })) {
        std::fprintf(stderr, "screenshot: the runs did not arrive\n");
        return 1;
    }
    settle.restart();
    while (settle.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    window.showRuns();
    window.runsView()->selectRun(failedRun);
    ok = grab(window, QDir(directory).filePath(QStringLiteral("runs.png"))) && ok;

    // 5. The request editor: the completed event with its run reason edited (the badge says the
    // original signature no longer holds), signed again and sent to the dbt listener.
    const int replayed = rowWhere(model, [](const Capture &c) {
        return c.dbtEventType == u"job.run.completed" && c.verdict == Verdict::Valid && c.body.contains("\"Success\"");
    });
    window.selectRow(replayed);
    window.editSelectedCapture();
    RequestEditor *editor = window.editors().isEmpty() ? nullptr : window.editors().last();
    if (!editor) {
        std::fprintf(stderr, "screenshot: no request editor opened\n");
        return 1;
    }
    editor->urlEdit()->setText(dbtUrl);
    QByteArray edited = editor->bodyEditor()->body();
    edited.replace("\"runReason\":\"", "\"runReason\":\"Replayed: ");
    editor->bodyEditor()->textEdit()->setPlainText(QString::fromUtf8(edited));
    editor->writeSignatureHeaders();
    bool answered = false;
    QObject::connect(editor, &RequestEditor::attemptFinished, editor, [&answered] { answered = true; });
    editor->send();
    if (!waitFor([&] { return answered; })) {
        std::fprintf(stderr, "screenshot: the edited request was not answered\n");
        return 1;
    }
    settle.restart();
    while (settle.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    ok = grab(window, QDir(directory).filePath(QStringLiteral("editor.png"))) && ok;

    dbt->stop();
    gitHub->stop();
    return ok ? 0 : 1;
}
