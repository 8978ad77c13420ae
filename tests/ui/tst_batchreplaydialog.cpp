// The batch replay dialog end to end: the main window over a real store, captures stored through
// its writer, the dialog opened from the Replay action, and a plain TCP receiver on loopback that
// records the raw bytes of every request.
#include "rawhttpreceiver.h"

#include "models/capturelistmodel.h"
#include "replay/batchreplaydialog.h"
#include "signing/schemeregistry.h"
#include "store/capturestore.h"
#include "widgets/filterbar.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"
#include "workbenchwindow.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray secret = "replay-secret-for-the-dialog-test";

Capture makeCapture(int n)
{
    Capture capture;
    capture.method = n % 5 == 0 ? QByteArrayLiteral("PUT") : QByteArrayLiteral("POST");
    capture.target = "/hooks/" + QByteArray::number(n) + "?attempt=" + QByteArray::number(n % 3);
    // Odd spellings, a duplicate and a stale signature: all must travel as they are.
    capture.headers = {{"Host", "original.example:5000"}, {"content-type", "application/json"}, {"X-Trace", "a"},
        {"X-Trace", "b  spaced "}, {"Authorization", "stale-" + QByteArray::number(n)}, {"Content-Length", "999"}};
    capture.body = "{\"n\": " + QByteArray::number(n) + ", \"pad\":\"" + QByteArray(n * 7, 'x') + "\"}\n";
    capture.listener = QStringLiteral("127.0.0.1:5000");
    capture.receivedAtUs = 1'700'000'000'000'000 + n;
    capture.remoteAddress = QStringLiteral("127.0.0.1");
    capture.responseStatus = 200;
    return capture;
}

HeaderList withoutDerived(HeaderList headers)
{
    removeHeader(headers, "Host");
    removeHeader(headers, "Content-Length");
    return headers;
}

} // namespace

class TestBatchReplayDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    QList<Capture> m_stored; // with their ids

    QString storePath() const { return m_dir->filePath(QStringLiteral("captures.sqlite")); }

    void openWindow(int captures)
    {
        m_window = openWorkbench(workbenchOptions(*m_dir, m_settings.get()), QSize(1200, 800));
        m_stored.clear();
        int pending = captures;
        for (int n = 1; n <= captures; ++n) {
            Capture capture = makeCapture(n);
            m_window->writer()->submit(capture, m_window.get(), [this, capture, &pending](qint64 id, const QString &) {
                Capture stored = capture;
                stored.id = id;
                m_stored.append(stored);
                --pending;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(pending, 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->rowCount(), captures, 30000);
        std::sort(m_stored.begin(), m_stored.end(), [](const Capture &a, const Capture &b) { return a.id < b.id; });
    }

    BatchReplayDialog *openDialog()
    {
        QAction *replay = m_window->action(QStringLiteral("replayCaptures"));
        if (!replay)
            return nullptr;
        replay->trigger();
        return m_window->findChild<BatchReplayDialog *>();
    }

    const Capture *storedWithBody(const QByteArray &body) const
    {
        for (const Capture &capture : m_stored) {
            if (capture.body == body)
                return &capture;
        }
        return nullptr;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    }
    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
        m_dir.reset();
    }

    void replayAction_isInTheReplayMenuAndTheTableMenu()
    {
        openWindow(1);
        QAction *replay = m_window->action(QStringLiteral("replayCaptures"));
        QVERIFY(replay);
        QCOMPARE(replay->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        QVERIFY(m_window->captureTable()->actions().contains(replay));
        bool inMenu = false;
        for (QAction *menu : m_window->menuBar()->actions()) {
            if (menu->text() == QStringLiteral("&Replay") && menu->menu() && menu->menu()->actions().contains(replay))
                inMenu = true;
        }
        QVERIFY(inMenu);
    }

    void fiftySelected_concurrency4_arriveByteExactAndAreStoredLinked()
    {
        openWindow(50);
        RawHttpReceiver receiver;
        m_window->captureTable()->selectAll();
        BatchReplayDialog *dialog = openDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());
        QVERIFY2(dialog->selectionChoice()->text().contains(QStringLiteral("(50)")),
            qPrintable(dialog->selectionChoice()->text()));
        QVERIFY(dialog->selectionChoice()->isChecked());
        QCOMPARE(dialog->concurrencyBox()->value(), 4);

        // No path: each capture keeps its own request-target on the receiver's origin.
        dialog->targetEdit()->setText(QString::fromLatin1(receiver.origin()));
        QSignalSpy done(dialog, &BatchReplayDialog::batchDone);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QVERIFY2(dialog->isRunning() || done.count() == 1,
            qPrintable(dialog->findChild<QLabel *>(QStringLiteral("replayMessage"))->text()));
        QVERIFY(done.wait(60000));

        QCOMPARE(receiver.requests().size(), 50);
        // Concurrency 4 with keep-alive: never more than 4 connections at once.
        QVERIFY2(receiver.peakOpenConnections() <= 4, qPrintable(QString::number(receiver.peakOpenConnections())));
        for (const ReceivedRequest &request : receiver.requests()) {
            const Capture *capture = storedWithBody(request.body);
            QVERIFY2(capture, request.raw.constData());
            QCOMPARE(request.method, capture->method);
            QCOMPARE(request.target, capture->target);
            // Every header as stored (order, case, duplicates, stale signature), Host and
            // Content-Length derived again for the new connection, and nothing else.
            QCOMPARE(withoutDerived(parsedHeaders(request)), withoutDerived(capture->headers));
            QCOMPARE(headerValue(parsedHeaders(request), "Host"), receiver.origin().mid(7));
            QCOMPARE(headerValue(parsedHeaders(request), "Content-Length"), QByteArray::number(capture->body.size()));
            QCOMPARE(parsedHeaders(request).size(), capture->headers.size());
            QVERIFY(request.raw.endsWith(QByteArray("\r\n\r\n" + capture->body)));
        }

        const ReplaySummary summary = *dialog->summary();
        QCOMPARE(summary.total, 50);
        QCOMPARE(summary.completed, 50);
        QCOMPARE(summary.succeeded, 50);
        QVERIFY(!summary.cancelled);
        QCOMPARE(dialog->statusCounts().value(200), 50);
        QCOMPARE(dialog->statusCounts().size(), 1);
        QVERIFY(dialog->failures().isEmpty());
        QCOMPARE(dialog->progressBar()->value(), 50);
        QCOMPARE(dialog->progressBar()->maximum(), 50);
        QVERIFY2(
            dialog->summaryText().contains(QStringLiteral("50 of 50 answered 2xx")), qPrintable(dialog->summaryText()));
        QVERIFY2(dialog->summaryText().contains(QStringLiteral("2xx — 200: 50")), qPrintable(dialog->summaryText()));
        QVERIFY(dialog->progressText().startsWith(QStringLiteral("50 of 50 done")));
        QVERIFY(!dialog->failureTable()->isVisible());
        QCOMPARE(dialog->storedAttempts(), 50);

        // Stored, one per capture, linked to it, as sent.
        CaptureStore store;
        QString error;
        QVERIFY2(store.open({storePath()}, CaptureStore::Missing::Fail, &error), qPrintable(error));
        for (const Capture &capture : std::as_const(m_stored)) {
            const QList<Attempt> attempts = store.attempts(capture.id, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(attempts.size(), 1);
            QCOMPARE(attempts.first().kind, Attempt::Kind::Replay);
            QCOMPARE(attempts.first().captureId, capture.id);
            QCOMPARE(attempts.first().status, 200);
            QCOMPARE(attempts.first().request.body, capture.body);
            QCOMPARE(attempts.first().responseBody, QByteArrayLiteral("ok"));
        }
        // The target is remembered for next time.
        QCOMPARE(m_settings->value(QStringLiteral("replay/target")).toString(), QString::fromLatin1(receiver.origin()));
    }

    void resign_everyRequestVerifiesWithTheSigningEngine()
    {
        openWindow(10);
        RawHttpReceiver receiver;
        m_window->captureTable()->selectAll();
        BatchReplayDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->targetEdit()->setText(receiver.url(QStringLiteral("/fixed/endpoint")));
        dialog->resignBox()->setChecked(true);
        dialog->schemeBox()->setCurrentIndex(dialog->schemeBox()->findData(QStringLiteral("dbt-cloud")));
        QVERIFY(dialog->secretEdit()->isEnabled());
        QTest::keyClicks(dialog->secretEdit(), QString::fromLatin1(secret));
        dialog->concurrencyBox()->setValue(3);
        QSignalSpy done(dialog, &BatchReplayDialog::batchDone);
        QString error;
        QVERIFY2(dialog->start(&error), qPrintable(error));
        QVERIFY(done.wait(60000));

        QCOMPARE(receiver.requests().size(), 10);
        const auto scheme = createBuiltinScheme(u"dbt-cloud");
        for (const ReceivedRequest &request : receiver.requests()) {
            QCOMPARE(request.target, QByteArrayLiteral("/fixed/endpoint")); // a path: exactly there
            const HeaderList headers = parsedHeaders(request);
            const VerificationResult result = scheme->verify(headers, request.body, {secret}, {});
            QVERIFY2(result.isValid(), qPrintable(result.reason));
            QVERIFY(!headerValue(headers, "Authorization").startsWith("stale"));
            // The signature header keeps its place: only its value changed.
            const Capture *capture = storedWithBody(request.body);
            QVERIFY(capture);
            QList<QByteArray> sentNames;
            for (const HttpHeader &header : withoutDerived(headers))
                sentNames.append(header.name);
            QList<QByteArray> storedNames;
            for (const HttpHeader &header : withoutDerived(capture->headers))
                storedNames.append(header.name);
            QCOMPARE(sentNames, storedNames);
        }
        // The secret never reaches the settings file.
        m_settings->sync();
        QFile file(m_dir->filePath(QStringLiteral("settings.ini")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(secret));
        QCOMPARE(m_settings->value(QStringLiteral("replay/scheme")).toString(), QStringLiteral("dbt-cloud"));
    }

    void cancelMidway_summarySaysWhatWasNotSent()
    {
        openWindow(50);
        RawHttpReceiver receiver;
        receiver.holdRequests(); // answers are delayed until released: the batch stalls at 4
        m_window->captureTable()->selectAll();
        BatchReplayDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->targetEdit()->setText(QString::fromLatin1(receiver.origin()));
        QSignalSpy done(dialog, &BatchReplayDialog::batchDone);
        QVERIFY(dialog->start());
        QTRY_COMPARE_WITH_TIMEOUT(receiver.heldCount(), 4, 30000);
        QVERIFY(dialog->isRunning());
        QVERIFY(dialog->cancelButton()->isEnabled());
        QVERIFY(!dialog->startButton()->isEnabled());
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QVERIFY(done.wait(60000));

        const ReplaySummary summary = *dialog->summary();
        QVERIFY(summary.cancelled);
        QCOMPARE(summary.notStarted, 46);
        QCOMPARE(dialog->abortedCount(), 4);
        QCOMPARE(summary.succeeded, 0);
        QVERIFY2(dialog->summaryText().contains(QStringLiteral("Cancelled: 46 not sent, 4 aborted in flight.")),
            qPrintable(dialog->summaryText()));
        QCOMPARE(dialog->failureTable()->rowCount(), 4);
        QVERIFY(!dialog->isRunning());
        QVERIFY(dialog->startButton()->isEnabled());
        // The four that went out are stored (they may have reached the server); nothing else.
        QCOMPARE(dialog->storedAttempts(), 4);
        receiver.releaseHeld(); // late answers to aborted connections change nothing
        QTest::qWait(0);

        // The dialog is ready for the next batch.
        receiver.answerWith(RawHttpReceiver::okResponse());
        QSignalSpy again(dialog, &BatchReplayDialog::batchDone);
        QVERIFY(dialog->start());
        QVERIFY(again.wait(60000));
        QCOMPARE(dialog->summary()->succeeded, 50);
    }

    void refusedPort_failuresListedWithReasons()
    {
        openWindow(5);
        m_window->captureTable()->selectAll();
        BatchReplayDialog *dialog = openDialog();
        QVERIFY(dialog);
        const QString target = QStringLiteral("http://127.0.0.1:%1/gone").arg(closedPort());
        dialog->targetEdit()->setText(target);
        QSignalSpy done(dialog, &BatchReplayDialog::batchDone);
        QVERIFY(dialog->start());
        QVERIFY(done.wait(60000));

        QCOMPARE(dialog->summary()->succeeded, 0);
        QCOMPARE(dialog->summary()->failureCounts.value(Attempt::Failure::Refused), 5);
        QTableWidget *table = dialog->failureTable();
        QVERIFY(table->isVisible());
        QCOMPARE(table->rowCount(), 5);
        QList<qint64> ids;
        for (int row = 0; row < 5; ++row) {
            ids.append(table->item(row, 0)->data(Qt::DisplayRole).toLongLong());
            QCOMPARE(table->item(row, 1)->text(), target);
            QCOMPARE(table->item(row, 2)->text(), attemptFailureName(Attempt::Failure::Refused));
            QVERIFY(!table->item(row, 3)->text().isEmpty());
            QVERIFY(!table->item(row, 3)->text().contains(u'\n'));
        }
        std::sort(ids.begin(), ids.end());
        QList<qint64> expected;
        for (const Capture &capture : std::as_const(m_stored))
            expected.append(capture.id);
        QCOMPARE(ids, expected);
        QVERIFY2(dialog->summaryText().contains(QStringLiteral("No answer — refused: 5")),
            qPrintable(dialog->summaryText()));
    }

    void filterChoice_replaysEveryMatch_andBadInputIsRefused()
    {
        openWindow(20);
        RawHttpReceiver receiver;
        // Only the PUTs (every fifth capture).
        CaptureFilter filter = m_window->model()->filter();
        filter.method = "PUT";
        m_window->model()->setFilter(filter);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->rowCount(), 4, 30000);
        m_window->captureTable()->clearSelection();
        m_window->captureTable()->setCurrentIndex({});
        BatchReplayDialog *dialog = openDialog();
        QVERIFY(dialog);
        QVERIFY2(
            dialog->filterChoice()->text().contains(QStringLiteral("(4)")), qPrintable(dialog->filterChoice()->text()));
        // While the dialog is open, its choices follow the selection.
        m_window->captureTable()->selectAll();
        QTRY_VERIFY2(dialog->selectionChoice()->text().contains(QStringLiteral("(4)")),
            qPrintable(dialog->selectionChoice()->text()));
        m_window->captureTable()->selectRow(0);
        QTRY_VERIFY2(dialog->selectionChoice()->text().contains(QStringLiteral("(1)")),
            qPrintable(dialog->selectionChoice()->text()));
        dialog->setSource(BatchReplayDialog::Source::Filter);

        // Refused before anything is sent: not http(s), credentials in the URL.
        QString error;
        dialog->targetEdit()->setText(QStringLiteral("ftp://127.0.0.1/"));
        QVERIFY(!dialog->start(&error));
        QVERIFY(error.contains(QStringLiteral("http")));
        dialog->targetEdit()->setText(QStringLiteral("http://user:pw@127.0.0.1/"));
        QVERIFY(!dialog->start(&error));
        QVERIFY(error.contains(QStringLiteral("password")));
        dialog->resignBox()->setChecked(true);
        dialog->secretEdit()->clear();
        dialog->targetEdit()->setText(QString::fromLatin1(receiver.origin()));
        QVERIFY(!dialog->start(&error));
        QVERIFY(error.contains(QStringLiteral("secret")));
        dialog->resignBox()->setChecked(false);
        QCOMPARE(receiver.requests().size(), 0);

        dialog->concurrencyBox()->setValue(1); // one at a time: they arrive in the order sent
        QSignalSpy done(dialog, &BatchReplayDialog::batchDone);
        QVERIFY2(dialog->start(&error), qPrintable(error));
        QVERIFY(done.wait(60000));
        QCOMPARE(receiver.requests().size(), 4);
        for (const ReceivedRequest &request : receiver.requests())
            QCOMPARE(request.method, QByteArrayLiteral("PUT"));
        // Oldest first, as they arrived.
        QCOMPARE(receiver.requests().first().target, QByteArrayLiteral("/hooks/5?attempt=2"));

        // A new match while the dialog is open counts at once.
        m_window->writer()->submit(makeCapture(25), m_window.get(), [](qint64, const QString &) {});
        QTRY_VERIFY2_WITH_TIMEOUT(dialog->filterChoice()->text().contains(QStringLiteral("(5)")),
            qPrintable(dialog->filterChoice()->text()), 30000);
    }
};

QTEST_MAIN(TestBatchReplayDialog)
#include "tst_batchreplaydialog.moc"
