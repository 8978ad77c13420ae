// End to end: the main window with a real store, a listener started from its bar, requests from
// a real HTTP client over loopback, and what the list and the detail pane then show.
#include "models/capturelistmodel.h"
#include "secrets/secretkeeper.h"
#include "signing/schemeregistry.h"
#include "widgets/bodyview.h"
#include "widgets/capturedetailview.h"
#include "widgets/filterbar.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/responsesettingsdialog.h"
#include "widgets/secretlineedit.h"
#include "widgets/signatureview.h"
#include "widgets/verdictbadge.h"
#include "widgets/verdictstyle.h"
#include "windows/mainwindow.h"
#include "workbenchwindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray secret = "dbt-secret-for-the-e2e-test";
const QByteArray body
    = "{\"accountId\":1,\"eventId\":\"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z\",\"timestamp\":\"2023-01-31T19:"
      "28:15.742843678Z\",\"eventType\":\"job.run.started\",\"webhookName\":\"test\",\"data\":{"
      "\"jobId\":\"123\",\"runId\":\"12345\",\"runStatus\":\"Running\",\"runStatusCode\":3}}";

int post(const QString &url, const QByteArray &payload, const HeaderList &headers)
{
    QNetworkAccessManager manager;
    QNetworkRequest request {QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const HttpHeader &header : headers)
        request.setRawHeader(header.name, header.value);
    QNetworkReply *reply = manager.post(request, payload);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(30000))
        return -1;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

QImage iconImage(const QVariant &decoration)
{
    return decoration.value<QIcon>().pixmap(16).toImage();
}

} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;

    std::unique_ptr<MainWindow> makeWindow(bool autoStart = false)
    {
        return openWorkbench(workbenchOptions(*m_dir, m_settings.get(), autoStart));
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    }
    void cleanup()
    {
        m_settings.reset();
        m_dir.reset();
    }

    void listenerFromTheBar_signedAndUnsignedDeliveries_showTheirVerdicts()
    {
        auto window = makeWindow();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        ListenerBar *bar = window->listeners()->bars().first();
        QVERIFY(!bar->isRunning());

        // Configure and start from the bar, as a user would: any free port, dbt Cloud, a secret.
        bar->portBox()->setValue(0);
        bar->schemeBox()->setCurrentIndex(bar->schemeBox()->findData(QStringLiteral("dbt-cloud")));
        bar->secretEdit()->setFocus();
        QTest::keyClicks(bar->secretEdit(), QString::fromLatin1(secret));
        QCOMPARE(bar->secretEdit()->echoMode(), QLineEdit::Password);
        QTest::mouseClick(bar->startButton(), Qt::LeftButton);
        QTRY_VERIFY(bar->isRunning());
        QVERIFY2(bar->stateText().startsWith(QStringLiteral("listening on http://127.0.0.1:")),
            qPrintable(bar->stateText()));
        QVERIFY(bar->stateText().contains(QStringLiteral("0 captured")));
        QCOMPARE(bar->startButton()->text(), QStringLiteral("Stop"));
        const QString url = bar->url();

        // A real HTTP client: one delivery signed with the secret, one without a signature.
        const HeaderList signature = createBuiltinScheme(u"dbt-cloud")->sign(body, secret);
        QCOMPARE(post(url + QStringLiteral("/webhooks/dbt"), body, signature), 200);
        QCOMPARE(post(url + QStringLiteral("/webhooks/unsigned"), body, {}), 200);

        CaptureListModel *model = window->model();
        QTRY_COMPARE(model->rowCount(), 2);
        QTRY_VERIFY(bar->stateText().contains(QStringLiteral("2 captured")));
        // Newest first: the unsigned one on top.
        QCOMPARE(model->index(0, CaptureListModel::PathColumn).data().toString(), QStringLiteral("/webhooks/unsigned"));
        QCOMPARE(model->index(1, CaptureListModel::PathColumn).data().toString(), QStringLiteral("/webhooks/dbt"));
        QCOMPARE(model->index(0, CaptureListModel::VerdictColumn).data().toString(), QStringLiteral("Unsigned"));
        QCOMPARE(model->index(1, CaptureListModel::VerdictColumn).data().toString(), QStringLiteral("Valid"));
        QCOMPARE(iconImage(model->index(0, CaptureListModel::VerdictColumn).data(Qt::DecorationRole)),
            VerdictStyle::icon(Verdict::Unsigned).pixmap(16).toImage());
        QCOMPARE(iconImage(model->index(1, CaptureListModel::VerdictColumn).data(Qt::DecorationRole)),
            VerdictStyle::icon(Verdict::Valid).pixmap(16).toImage());
        QCOMPARE(model->index(1, CaptureListModel::StatusColumn).data().toString(), QStringLiteral("200"));

        // Following the tail, the newest capture is shown; the keyboard moves to the signed one.
        QTRY_VERIFY(window->details()->hasCapture());
        window->captureTable()->setFocus();
        window->selectRow(0);
        QTest::keyClick(window->captureTable(), Qt::Key_Down);
        QTRY_COMPARE(window->details()->capture().target, QByteArray("/webhooks/dbt"));

        // The Signature tab checks it live with the listener's profile.
        CaptureDetailView *details = window->details();
        details->tabs()->setCurrentIndex(CaptureDetailView::SignatureTab);
        SignatureView *check = details->signature();
        QCOMPARE(check->currentSource(), QStringLiteral("listener"));
        QVERIFY(check->hasResult());
        QCOMPARE(check->badge()->verdict(), Verdict::Valid);
        QCOMPARE(check->receivedText(), QString::fromLatin1(signature.first().value));
        QCOMPARE(check->computedText(), check->receivedText());
        QCOMPARE(check->comparisonText(), QStringLiteral("Identical."));

        // The unsigned one: the tab says which header is missing.
        QTest::keyClick(window->captureTable(), Qt::Key_Up);
        QTRY_COMPARE(window->details()->capture().target, QByteArray("/webhooks/unsigned"));
        QCOMPARE(check->badge()->verdict(), Verdict::Unsigned);
        QVERIFY(check->receivedText().contains(QStringLiteral("no Authorization header")));

        // Copy as curl: the captured request, never the secret.
        window->action(QStringLiteral("copyAsCurl"))->trigger();
        const QString command = QApplication::clipboard()->text();
        QVERIFY(command.startsWith(QStringLiteral("curl ")));
        QVERIFY(command.contains(QStringLiteral("/webhooks/unsigned")));
        QVERIFY(!command.contains(QString::fromLatin1(secret)));

        // The body arrived byte for byte.
        QCOMPARE(details->body()->body(), body);
    }

    void responseAndFaults_applyPerListener()
    {
        auto window = makeWindow();
        // The dialog turns its fields into the listener's configuration.
        ResponseSettingsDialog dialog {ResponseConfig(), FaultConfig()};
        dialog.findChild<QSpinBox *>(QStringLiteral("responseStatus"))->setValue(202);
        dialog.findChild<QSpinBox *>(QStringLiteral("failFirst"))->setValue(1);
        dialog.findChild<QSpinBox *>(QStringLiteral("failStatus"))->setValue(503);
        QCOMPARE(dialog.response().status, 202);
        QCOMPARE(dialog.faults().failFirst, 1);
        QCOMPARE(dialog.faults().failStatus, 503);

        ListenerBar *first = window->listeners()->bars().first();
        ListenerSettings settings = first->settings();
        settings.port = 0;
        settings.response = dialog.response();
        settings.response.body = "accepted";
        settings.faults = dialog.faults();
        first->setSettings(settings);
        QVERIFY(first->start());
        ListenerBar *second = window->listeners()->addListener();
        second->portBox()->setValue(0);
        QVERIFY(second->start());

        // First delivery of a body fails (dbt would retry), the retry is answered as configured.
        QCOMPARE(post(first->url() + QStringLiteral("/x"), "{\"n\":1}", {}), 503);
        QCOMPARE(post(first->url() + QStringLiteral("/x"), "{\"n\":1}", {}), 202);
        // The other listener keeps the defaults.
        QCOMPARE(post(second->url() + QStringLiteral("/y"), "{\"n\":1}", {}), 200);
        QTRY_COMPARE(window->model()->rowCount(), 3);
        QCOMPARE(window->model()->index(1, CaptureListModel::StatusColumn).data().toString(), QStringLiteral("202"));
        QCOMPARE(window->model()->index(2, CaptureListModel::StatusColumn).data().toString(), QStringLiteral("503"));
    }

    void secondListenerOnATakenPort_reportsTheErrorInPlace()
    {
        auto window = makeWindow();
        ListenerBar *first = window->listeners()->bars().first();
        first->portBox()->setValue(0);
        QVERIFY(first->start());
        const quint16 taken = first->port();
        window->action(QStringLiteral("addListener"))->trigger();
        QCOMPARE(window->listeners()->bars().size(), 2);
        ListenerBar *second = window->listeners()->bars().last();
        second->portBox()->setValue(taken);
        QTest::mouseClick(second->startButton(), Qt::LeftButton);
        QVERIFY(!second->isRunning());
        QVERIFY(second->hasError());
        QVERIFY2(!second->stateText().isEmpty() && !second->stateText().startsWith(QStringLiteral("listening")),
            qPrintable(second->stateText()));
        QVERIFY(second->stateText().contains(QString::number(taken))
            || second->stateText().contains(QStringLiteral("use")));
        QVERIFY(!QApplication::activeModalWidget()); // no dialog
        QCOMPARE(second->startButton()->text(), QStringLiteral("Start"));
        QVERIFY(first->isRunning());
    }

    void filterBar_narrowsTheList()
    {
        auto window = makeWindow();
        ListenerBar *bar = window->listeners()->bars().first();
        bar->portBox()->setValue(0);
        QVERIFY(bar->start());
        QCOMPARE(post(bar->url() + QStringLiteral("/a"), "{\"kind\":\"alpha\"}", {}), 200);
        QCOMPARE(post(bar->url() + QStringLiteral("/b"), "{\"kind\":\"beta\"}", {}), 200);
        QTRY_COMPARE(window->model()->rowCount(), 2);
        window->action(QStringLiteral("focusFilter"))->trigger();
        QTRY_VERIFY(window->filterBar()->textField()->hasFocus());
        QTest::keyClicks(window->filterBar()->textField(), QStringLiteral("BETA"));
        QTest::keyClick(window->filterBar()->textField(), Qt::Key_Return);
        QTRY_COMPARE(window->model()->rowCount(), 1);
        QCOMPARE(window->model()->index(0, CaptureListModel::PathColumn).data().toString(), QStringLiteral("/b"));
        QTest::keyClick(window->filterBar()->textField(), Qt::Key_Escape);
        QTRY_COMPARE(window->model()->rowCount(), 2);
    }

    void deleteClearAndSessions_changeTheList()
    {
        auto window = makeWindow();
        ListenerBar *bar = window->listeners()->bars().first();
        bar->portBox()->setValue(0);
        QVERIFY(bar->start());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(bar->url() + QStringLiteral("/n%1").arg(i), "{}", {}), 200);
        QTRY_COMPARE(window->model()->rowCount(), 3);
        window->selectRow(0);
        window->captureTable()->setFocus();
        QTest::keyClick(window->captureTable(), Qt::Key_Delete);
        QTRY_COMPARE(window->model()->rowCount(), 2);

        const qint64 before = window->currentSession();
        QSignalSpy applied(window->model(), &CaptureListModel::filterApplied);
        window->newSession(QStringLiteral("second session"));
        QTRY_VERIFY(window->currentSession() != before);
        QTRY_COMPARE(window->model()->rowCount(), 0);
        QCOMPARE(post(bar->url() + QStringLiteral("/in-second"), "{}", {}), 200);
        QTRY_COMPARE(window->model()->rowCount(), 1);
        window->switchSession(before);
        QTRY_COMPARE(window->model()->rowCount(), 2);
        window->clearSession(false);
        QTRY_COMPARE(window->model()->rowCount(), 0);
    }

    void settings_persistListenersAndWindowState_butNoSecret()
    {
        QString id;
        {
            auto window = makeWindow();
            ListenerBar *bar = window->listeners()->bars().first();
            bar->portBox()->setValue(5123);
            bar->schemeBox()->setCurrentIndex(bar->schemeBox()->findData(QStringLiteral("github")));
            bar->secretEdit()->setFocus();
            QTest::keyClicks(bar->secretEdit(), QStringLiteral("not-in-settings"));
            id = bar->settings().id;
            window->setFollowing(false);
            window->details()->tabs()->setCurrentIndex(CaptureDetailView::BodyTab);
            window->close();
        }
        m_settings->sync();
        QFile file(m_settings->fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll();
        QVERIFY(!stored.contains("not-in-settings"));
        QVERIFY(!stored.contains(QByteArray("not-in-settings").toBase64()));

        auto window = makeWindow();
        ListenerBar *bar = window->listeners()->bars().first();
        QCOMPARE(bar->settings().id, id);
        QCOMPARE(bar->portBox()->value(), 5123);
        QCOMPARE(bar->schemeBox()->currentData().toString(), QStringLiteral("github"));
        QVERIFY(bar->secretEdit()->text().isEmpty()); // session only: gone with the session
        QVERIFY(!window->isFollowing());
        QCOMPARE(window->details()->tabs()->currentIndex(), int(CaptureDetailView::BodyTab));
    }
};

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
