// Forward mode from the listener bar, end to end: the main window over a real store, a listener
// started from its bar with forward settings, a real HTTP client posting to it, a plain TCP
// receiver as the forward target, and what the bar and the capture details then show.
#include "rawhttpreceiver.h"

#include "models/capturelistmodel.h"
#include "models/headerlistmodel.h"
#include "replay/forwardattemptsview.h"
#include "replay/forwardsettingsdialog.h"
#include "secrets/secretkeeper.h"
#include "secrets/secretvault.h"
#include "signing/schemeregistry.h"
#include "widgets/bodyview.h"
#include "widgets/capturedetailview.h"
#include "widgets/headersview.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"
#include "workbenchwindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray forwardSecret = "forward-secret-never-in-settings";
const QByteArray body = "{\"eventType\": \"job.run.completed\",  \"n\":1}\n";

// Posts `payload` and returns the status, and the body in `answer`.
int post(const QString &url, const QByteArray &payload, QByteArray *answer = nullptr)
{
    QNetworkAccessManager manager;
    QNetworkRequest request {QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = manager.post(request, payload);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(30000))
        return -1;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (answer)
        *answer = reply->readAll();
    reply->deleteLater();
    return status;
}

// A keychain for two windows in a row: each window owns its vault, both keep the same secrets.
class SharedVault final : public SecretVault
{
public:
    explicit SharedVault(std::shared_ptr<MemorySecretVault> store) : m_store(std::move(store)) { }
    QString description() const override { return QStringLiteral("the test's keychain"); }
    bool isPersistent() const override { return true; }
    void read(const QString &key, QObject *context, ReadDone done) override
    {
        m_store->read(key, context, std::move(done));
    }
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override
    {
        m_store->write(key, secret, context, std::move(done));
    }
    void remove(const QString &key, QObject *context, Done done) override
    {
        m_store->remove(key, context, std::move(done));
    }

private:
    std::shared_ptr<MemorySecretVault> m_store;
};

} // namespace

class TestForwardUi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;

    std::unique_ptr<MainWindow> makeWindow(std::shared_ptr<MemorySecretVault> keychain = {}, bool autoStart = false)
    {
        MainWindowOptions options = workbenchOptions(*m_dir, m_settings.get(), autoStart);
        options.useKeychain = keychain != nullptr;
        if (keychain)
            options.keychain = std::make_unique<SharedVault>(keychain);
        return openWorkbench(std::move(options));
    }

    static ListenerBar *startedBar(MainWindow *window)
    {
        ListenerBar *bar = window->listeners()->bars().first();
        bar->portBox()->setValue(0);
        bar->schemeBox()->setCurrentIndex(bar->schemeBox()->findData(QString()));
        return bar;
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

    void background_forwardArrivesAndTheDetailsShowIt()
    {
        auto window = makeWindow();
        RawHttpReceiver target;
        target.answerWith(RawHttpReceiver::okResponse("{\"accepted\":true}", 202, "Accepted"));
        ListenerBar *bar = startedBar(window.get());
        ForwardSettings forward;
        forward.target = target.url(QStringLiteral("/"));
        bar->setForwardSettings(forward, {});
        QVERIFY(bar->start());
        QVERIFY2(bar->stateText().contains(QStringLiteral("→ ") + target.url(QStringLiteral("/"))),
            qPrintable(bar->stateText()));

        QSignalSpy forwarded(bar, &ListenerBar::forwarded);
        QByteArray answer;
        // Background: the sender gets the listener's configured answer.
        QCOMPARE(post(bar->url() + QStringLiteral("/hooks/dbt?x=1"), body, &answer), 200);
        QCOMPARE(answer, QByteArrayLiteral("{\"status\":\"ok\"}"));
        QTRY_COMPARE_WITH_TIMEOUT(target.requests().size(), 1, 30000);
        const ReceivedRequest &request = target.requests().first();
        QCOMPARE(request.method, QByteArrayLiteral("POST"));
        QCOMPARE(request.target, QByteArrayLiteral("/hooks/dbt?x=1"));
        QCOMPARE(request.body, body);
        QCOMPARE(headerValue(parsedHeaders(request), "Content-Type"), QByteArrayLiteral("application/json"));

        QTRY_COMPARE_WITH_TIMEOUT(forwarded.count(), 1, 30000);
        QTRY_VERIFY2(bar->stateText().contains(QStringLiteral("1 forwarded")), qPrintable(bar->stateText()));
        QVERIFY(!bar->stateText().contains(QStringLiteral("failed")));
        QCOMPARE(bar->forwardedCount(), 1);

        // The capture's details get a Forward tab with the target's answer.
        QTRY_COMPARE_WITH_TIMEOUT(window->model()->rowCount(), 1, 30000);
        window->selectRow(0);
        CaptureDetailView *details = window->details();
        QTRY_VERIFY_WITH_TIMEOUT(details->isForwardTabVisible(), 30000);
        ForwardAttemptsView *view = details->forwardAttempts();
        QCOMPARE(view->attempts().size(), 1);
        const Attempt &attempt = view->attempts().first();
        QCOMPARE(attempt.kind, Attempt::Kind::Forward);
        QCOMPARE(attempt.status, 202);
        QCOMPARE(attempt.captureId, details->capture().id);
        QCOMPARE(view->table()->rowCount(), 1);
        QCOMPARE(view->table()->item(0, ForwardAttemptsView::StatusColumn)->text(), QStringLiteral("202"));
        QCOMPARE(view->table()->item(0, ForwardAttemptsView::TargetColumn)->text(),
            target.url(QStringLiteral("/hooks/dbt?x=1")));
        QVERIFY2(view->statusLabel()->text().contains(QStringLiteral("202 Accepted")),
            qPrintable(view->statusLabel()->text()));
        QCOMPARE(view->body()->body(), QByteArrayLiteral("{\"accepted\":true}"));
        QCOMPARE(headerValue(view->headers()->model()->headers(), "Content-Type"), QByteArrayLiteral("text/plain"));

        // A capture without forwards hides the tab again.
        forward.target.clear();
        bar->setForwardSettings(forward, {});
        QTRY_VERIFY_WITH_TIMEOUT(bar->isRunning(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!bar->stateText().contains(QStringLiteral("→")), 30000);
        QCOMPARE(post(bar->url() + QStringLiteral("/plain"), body), 200);
        QTRY_COMPARE_WITH_TIMEOUT(window->model()->rowCount(), 2, 30000);
        window->selectRow(0);
        QTRY_COMPARE(details->capture().target, QByteArrayLiteral("/plain"));
        QVERIFY(!details->isForwardTabVisible());
        QCOMPARE(target.requests().size(), 1);
        bar->stop();
        QTRY_VERIFY(!bar->isRunning());
    }

    void selectedCapture_updatesWhenItsForwardCompletes()
    {
        auto window = makeWindow();
        RawHttpReceiver target;
        target.holdRequests(); // the forward waits until released
        ListenerBar *bar = startedBar(window.get());
        ForwardSettings forward;
        forward.target = target.url(QStringLiteral("/in"));
        bar->setForwardSettings(forward, {});
        QVERIFY(bar->start());
        QCOMPARE(post(bar->url() + QStringLiteral("/x"), body), 200);
        QTRY_COMPARE_WITH_TIMEOUT(target.heldCount(), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(window->model()->rowCount(), 1, 30000);
        window->selectRow(0);
        QTRY_VERIFY(window->details()->hasCapture());
        QVERIFY(!window->details()->isForwardTabVisible());

        target.releaseHeld(RawHttpReceiver::okResponse("late", 500, "Internal Server Error"));
        QTRY_VERIFY_WITH_TIMEOUT(window->details()->isForwardTabVisible(), 30000);
        QCOMPARE(window->details()->forwardAttempts()->attempts().first().status, 500);
        QTRY_VERIFY2(bar->stateText().contains(QStringLiteral("1 forwarded, 1 failed")), qPrintable(bar->stateText()));
        bar->stop();
        QTRY_VERIFY(!bar->isRunning());
    }

    void proxy_senderGetsTheTargetsStatus()
    {
        auto window = makeWindow();
        RawHttpReceiver target;
        target.answerWith(RawHttpReceiver::okResponse("short and stout", 418, "I'm a teapot"));
        ListenerBar *bar = startedBar(window.get());
        ForwardSettings forward;
        forward.target = target.url(QStringLiteral("/"));
        forward.mode = ForwardConfig::Mode::Proxy;
        bar->setForwardSettings(forward, {});
        QVERIFY(bar->start());
        QByteArray answer;
        QCOMPARE(post(bar->url() + QStringLiteral("/tea"), body, &answer), 418);
        QCOMPARE(answer, QByteArrayLiteral("short and stout"));
        QCOMPARE(target.requests().size(), 1);
        bar->stop();
        QTRY_VERIFY(!bar->isRunning());
    }

    void dialog_resignsWithItsSecret_settingsPersistWithoutTheSecret()
    {
        RawHttpReceiver target;
        QString barId;
        {
            auto window = makeWindow();
            ListenerBar *bar = startedBar(window.get());
            QVERIFY(bar->start());
            barId = bar->settings().id;
            // Through the dialog, as a user would; applying it restarts the running listener.
            QTimer::singleShot(0, this, [&] {
                auto *dialog = qobject_cast<ForwardSettingsDialog *>(QApplication::activeModalWidget());
                QVERIFY(dialog);
                dialog->targetEdit()->setText(target.url(QStringLiteral("/signed")));
                dialog->schemeBox()->setCurrentIndex(dialog->schemeBox()->findData(QStringLiteral("dbt-cloud")));
                // OK is refused without a secret.
                dialog->accept();
                QVERIFY(dialog->isVisible());
                QVERIFY(!dialog->problem().isEmpty());
                dialog->secretEdit()->setText(QString::fromLatin1(forwardSecret));
                dialog->timeoutBox()->setValue(4);
                dialog->accept();
            });
            bar->editForward();
            QCOMPARE(bar->settings().forward.target, target.url(QStringLiteral("/signed")));
            QTRY_VERIFY_WITH_TIMEOUT(bar->isRunning() && bar->stateText().contains(QStringLiteral("→")), 30000);

            QCOMPARE(post(bar->url() + QStringLiteral("/orig"), body), 200);
            QTRY_COMPARE_WITH_TIMEOUT(target.requests().size(), 1, 30000);
            const ReceivedRequest &request = target.requests().first();
            QCOMPARE(request.target, QByteArrayLiteral("/signed"));
            const VerificationResult result
                = createBuiltinScheme(u"dbt-cloud")->verify(parsedHeaders(request), request.body, {forwardSecret}, {});
            QVERIFY2(result.isValid(), qPrintable(result.reason));
            window->close();
        }
        // The settings file has the forward settings, never the secret.
        m_settings->sync();
        QFile file(m_dir->filePath(QStringLiteral("settings.ini")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(!saved.contains(forwardSecret));
        QVERIFY(saved.contains("forwardTarget"));

        auto window = makeWindow();
        ListenerBar *bar = window->listeners()->bars().first();
        QCOMPARE(bar->settings().id, barId);
        QCOMPARE(bar->settings().forward.target, target.url(QStringLiteral("/signed")));
        QCOMPARE(bar->settings().forward.resignScheme, QStringLiteral("dbt-cloud"));
        QCOMPARE(bar->settings().forward.timeoutMs, 4000);
        QCOMPARE(bar->settings().forward.mode, ForwardConfig::Mode::Background);
        // Session-only secrets (no keychain here) are gone: forwarding says why it is off.
        bar->portBox()->setValue(0);
        QVERIFY(bar->start());
        QVERIFY2(bar->stateText().contains(QStringLiteral("Not forwarding: the re-sign secret")),
            qPrintable(bar->stateText()));
        bar->stop();
        QTRY_VERIFY(!bar->isRunning());
    }

    void advanced_dialogValuesReachTheListener_andSurviveAReopen()
    {
        RawHttpReceiver target;
        {
            auto window = makeWindow();
            ListenerBar *bar = startedBar(window.get());
            QVERIFY(bar->start());
            QTimer::singleShot(0, this, [&] {
                auto *dialog = qobject_cast<ForwardSettingsDialog *>(QApplication::activeModalWidget());
                QVERIFY(dialog);
                // A new listener's dialog shows ForwardConfig's own defaults.
                const ForwardConfig defaults;
                QCOMPARE(dialog->inFlightBox()->value(), defaults.maxInFlight);
                QCOMPARE(dialog->queueBox()->value(), defaults.maxQueued);
                QVERIFY(!dialog->followRedirectsBox()->isChecked());
                QVERIFY(!dialog->redirectHopsBox()->isEnabled());
                QVERIFY(!dialog->inFlightBox()->toolTip().isEmpty());
                QVERIFY(!dialog->queueBox()->toolTip().isEmpty());
                QVERIFY(!dialog->followRedirectsBox()->toolTip().isEmpty());
                QCOMPARE(dialog->inFlightBox()->maximum(), 64);
                QCOMPARE(dialog->queueBox()->maximum(), 100000);
                QCOMPARE(dialog->redirectHopsBox()->maximum(), 10);

                dialog->targetEdit()->setText(target.url(QStringLiteral("/")));
                dialog->inFlightBox()->setValue(3);
                dialog->queueBox()->setValue(40);
                dialog->followRedirectsBox()->setChecked(true);
                QVERIFY(dialog->redirectHopsBox()->isEnabled());
                dialog->redirectHopsBox()->setValue(2);
                dialog->accept();
            });
            bar->editForward();
            QCOMPARE(bar->settings().forward.maxInFlight, 3);
            QCOMPARE(bar->settings().forward.maxQueued, 40);
            QCOMPARE(bar->settings().forward.maxRedirects, 2);
            // Applying restarts the listener; the new one runs with the values.
            QTRY_VERIFY_WITH_TIMEOUT(bar->isRunning() && bar->stateText().contains(QStringLiteral("→")), 30000);
            const ForwardConfig running = bar->forwardConfig();
            QCOMPARE(running.target, QUrl(target.url(QStringLiteral("/"))));
            QCOMPARE(running.maxInFlight, 3);
            QCOMPARE(running.maxQueued, 40);
            QCOMPARE(running.send.maxRedirects, 2);
            bar->stop();
            QTRY_VERIFY(!bar->isRunning());
            window->close();
        }

        // A new window reads them back from the settings, and its dialog shows them.
        {
            auto window = makeWindow();
            ListenerBar *bar = window->listeners()->bars().first();
            QCOMPARE(bar->settings().forward.maxInFlight, 3);
            QCOMPARE(bar->settings().forward.maxQueued, 40);
            QCOMPARE(bar->settings().forward.maxRedirects, 2);
            ForwardSettingsDialog dialog(bar->settings().forward, {});
            QCOMPARE(dialog.inFlightBox()->value(), 3);
            QCOMPARE(dialog.queueBox()->value(), 40);
            QVERIFY(dialog.followRedirectsBox()->isChecked());
            QCOMPARE(dialog.redirectHopsBox()->value(), 2);
            // Unchecked means no redirects, whatever the hop count says.
            dialog.followRedirectsBox()->setChecked(false);
            QCOMPARE(dialog.settings().maxRedirects, 0);
            window->close();
        }

        // Settings saved before these options existed load with the defaults.
        m_settings->sync();
        for (const char *key : {"forwardInFlight", "forwardQueue", "forwardMaxRedirects"}) {
            const QString name = QStringLiteral("listeners/0/") + QLatin1String(key);
            QVERIFY2(m_settings->contains(name), qPrintable(name));
            m_settings->remove(name);
        }
        auto window = makeWindow();
        const ForwardSettings loaded = window->listeners()->bars().first()->settings().forward;
        QCOMPARE(loaded.target, target.url(QStringLiteral("/")));
        QCOMPARE(loaded.maxInFlight, ForwardConfig().maxInFlight);
        QCOMPARE(loaded.maxQueued, ForwardConfig().maxQueued);
        QCOMPARE(loaded.maxRedirects, 0);
    }

    void followRedirects_onReachesTheNewPlace_offRecordsThe302()
    {
        RawHttpReceiver moved;
        moved.answerWith(RawHttpReceiver::okResponse("moved here", 201, "Created"));
        RawHttpReceiver first;
        first.answerWith(
            "HTTP/1.1 302 Found\r\nLocation: " + moved.origin() + "/new-home\r\nContent-Length: 0\r\n\r\n");
        auto window = makeWindow();
        ListenerBar *bar = startedBar(window.get());
        QList<Attempt> attempts;
        connect(bar, &ListenerBar::forwarded, this, [&](const ForwardEvent &event) { attempts.append(event.attempt); });
        QVERIFY(bar->start());

        auto setFollow = [&](bool follow) {
            QTimer::singleShot(0, this, [&, follow] {
                auto *dialog = qobject_cast<ForwardSettingsDialog *>(QApplication::activeModalWidget());
                QVERIFY(dialog);
                dialog->targetEdit()->setText(first.url(QStringLiteral("/")));
                dialog->followRedirectsBox()->setChecked(follow);
                dialog->redirectHopsBox()->setValue(3);
                dialog->accept();
            });
            bar->editForward();
            QTRY_VERIFY_WITH_TIMEOUT(
                bar->isRunning() && bar->forwardConfig().send.maxRedirects == (follow ? 3 : 0), 30000);
        };

        // On: the forward follows Location to the second receiver, and that answer is recorded.
        setFollow(true);
        QCOMPARE(post(bar->url() + QStringLiteral("/hooks/a"), body), 200);
        QTRY_COMPARE_WITH_TIMEOUT(attempts.size(), 1, 30000);
        QCOMPARE(first.requests().size(), 1);
        QCOMPARE(first.requests().first().target, QByteArrayLiteral("/hooks/a"));
        QCOMPARE(moved.requests().size(), 1);
        const ReceivedRequest &arrived = moved.requests().first();
        QCOMPARE(arrived.method, QByteArrayLiteral("POST")); // a webhook that moved still wants its POST
        QCOMPARE(arrived.target, QByteArrayLiteral("/new-home"));
        QCOMPARE(arrived.body, body);
        QCOMPARE(attempts.first().status, 201);
        QCOMPARE(attempts.first().responseBody, QByteArrayLiteral("moved here"));

        // Off: the 302 is the target's answer; nothing reaches the second receiver.
        setFollow(false);
        QCOMPARE(post(bar->url() + QStringLiteral("/hooks/b"), body), 200);
        QTRY_COMPARE_WITH_TIMEOUT(attempts.size(), 2, 30000);
        QCOMPARE(first.requests().size(), 2);
        QCOMPARE(first.requests().last().target, QByteArrayLiteral("/hooks/b"));
        QCOMPARE(attempts.last().status, 302);
        QCOMPARE(headerValue(attempts.last().responseHeaders, "Location"), moved.origin() + "/new-home");
        QCOMPARE(moved.requests().size(), 1);
        bar->stop();
        QTRY_VERIFY(!bar->isRunning());
    }

    void keychainSecret_forwardingStartsOnceItLoads()
    {
        RawHttpReceiver target;
        auto keychain = std::make_shared<MemorySecretVault>();
        {
            auto window = makeWindow(keychain);
            ListenerBar *bar = startedBar(window.get());
            ForwardSettings forward;
            forward.target = target.url(QStringLiteral("/k"));
            forward.resignScheme = QStringLiteral("github");
            bar->setForwardSettings(forward, forwardSecret);
            QCOMPARE(window->secrets()->persistence(bar->forwardSecretKey()), SecretKeeper::Persistence::Keychain);
            QVERIFY(bar->start());
            QTRY_VERIFY_WITH_TIMEOUT(bar->isRunning() && bar->stateText().contains(QStringLiteral("→")), 30000);
            window->close();
        }
        // The next run starts the listener at once; the keychain answers later, and then
        // forwarding comes on (a restart), re-signing with the secret it kept.
        auto window = makeWindow(keychain, true);
        ListenerBar *bar = window->listeners()->bars().first();
        QVERIFY(bar->isRunning());
        QVERIFY2(bar->stateText().contains(QStringLiteral("Not forwarding: the re-sign secret is not available")),
            qPrintable(bar->stateText()));
        QTRY_VERIFY_WITH_TIMEOUT(bar->isRunning() && bar->stateText().contains(QStringLiteral("→ ")), 30000);
        QVERIFY(!bar->stateText().contains(QStringLiteral("Not forwarding")));
        QCOMPARE(post(bar->url() + QStringLiteral("/from-github"), body), 200);
        QTRY_COMPARE_WITH_TIMEOUT(target.requests().size(), 1, 30000);
        const ReceivedRequest &request = target.requests().first();
        const VerificationResult result
            = createBuiltinScheme(u"github")->verify(parsedHeaders(request), request.body, {forwardSecret}, {});
        QVERIFY2(result.isValid(), qPrintable(result.reason));
        m_settings->sync();
        QFile file(m_dir->filePath(QStringLiteral("settings.ini")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(forwardSecret));
        bar->stop();
        QTRY_VERIFY(!bar->isRunning());
    }
};

QTEST_MAIN(TestForwardUi)
#include "tst_forwardui.moc"
