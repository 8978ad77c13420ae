#include "diagnosis/jsonreencoder.h"
#include "models/headerlistmodel.h"
#include "replay/forwardattemptsview.h"
#include "secrets/secretkeeper.h"
#include "signing/schemeregistry.h"
#include "widgets/bodyview.h"
#include "widgets/capturedetailview.h"
#include "widgets/dbteventcard.h"
#include "widgets/diagnosischecklist.h"
#include "widgets/diagnosispanel.h"
#include "widgets/headersview.h"
#include "widgets/hexview.h"
#include "widgets/overviewview.h"
#include "widgets/rawtextview.h"
#include "widgets/secretlineedit.h"
#include "widgets/signatureview.h"
#include "widgets/verdictbadge.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace hookbench;

namespace {

const QByteArray dbtSecret = "dbt-secret-123";
const QByteArray dbtBody = "{\"accountId\":1,\"eventId\":\"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z\",\"eventType\":\"job.run."
                           "started\",\"data\":{\"runId\":\"12345\",\"runStatus\":\"Running\"}}";
const qint64 arrivalUs = 1764444495123456; // 2025-11-29T19:28:15.123456Z

Capture dbtCapture(bool signedCorrectly = true)
{
    Capture capture;
    capture.id = 42;
    capture.receivedAtUs = arrivalUs;
    capture.method = "POST";
    capture.target = "/webhooks/dbt?x=1";
    capture.body = dbtBody;
    const auto scheme = createBuiltinScheme(u"dbt-cloud");
    const HeaderList signature = scheme->sign(dbtBody, signedCorrectly ? dbtSecret : QByteArray("wrong"));
    capture.headers = {{"Host", "127.0.0.1:5000"}, {"Content-Type", "application/json"},
        {"Content-Length", QByteArray::number(dbtBody.size())}, signature.first()};
    capture.remoteAddress = QStringLiteral("127.0.0.1");
    capture.remotePort = 54321;
    capture.listener = QStringLiteral("127.0.0.1:5000");
    capture.scheme = QStringLiteral("dbt-cloud");
    capture.verdict = signedCorrectly ? Verdict::Valid : Verdict::Invalid;
    capture.verdictReason = signedCorrectly ? QStringLiteral("The dbt Cloud signature matches the body.")
                                            : QStringLiteral("The dbt Cloud signature does not match.");
    capture.responseStatus = 200;
    capture.dbtEventType = QStringLiteral("job.run.started");
    capture.dbtEventId = QStringLiteral("wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z");
    capture.dbtRunId = QStringLiteral("12345");
    capture.dbtCheck = QStringLiteral("ok");
    return capture;
}

Capture bodyCapture(const QByteArray &body, const QByteArray &contentType = "application/json")
{
    Capture capture;
    capture.receivedAtUs = arrivalUs;
    capture.method = "POST";
    capture.target = "/";
    capture.headers = {{"Content-Type", contentType}};
    capture.body = body;
    return capture;
}

// Records what the Signature tab hands to its diagnosis slot.
class RecordingPanel : public DiagnosisPanel
{
public:
    void showCheck(const SignatureCheck &check) override
    {
        ++shown;
        last = check.result.verdict;
        secrets = check.secrets.size();
    }
    void clearCheck() override { ++cleared; }
    int shown = 0;
    int cleared = 0;
    int secrets = 0;
    Verdict last = Verdict::NoSecret;
};

} // namespace

class TestCaptureDetailView : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_settingsDir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(
            m_settingsDir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        m_keeper = std::make_unique<SecretKeeper>(nullptr, m_settings.get());
    }
    void cleanup()
    {
        m_keeper.reset();
        m_settings.reset();
        m_settingsDir.reset();
    }

    void empty_showsAHint_untilACaptureIsSet()
    {
        CaptureDetailView view(m_keeper.get());
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.tabs()->isVisible());
        view.setCapture(dbtCapture());
        QVERIFY(view.tabs()->isVisible());
        // Overview, Headers, Body, Signature, and Forward, hidden without forward attempts.
        QCOMPARE(view.tabs()->count(), 5);
        QVERIFY(!view.isForwardTabVisible());
        view.clear();
        QVERIFY(!view.tabs()->isVisible());
    }

    void forwardTab_listsForwardAttemptsOnly_andComesBackForTheNextForwardedCapture()
    {
        CaptureDetailView view(m_keeper.get());
        view.show();
        Capture capture = dbtCapture();
        capture.id = 7;
        view.setCapture(capture);
        QVERIFY(!view.isForwardTabVisible());

        Attempt replay;
        replay.id = 1;
        replay.captureId = 7;
        replay.kind = Attempt::Kind::Replay;
        replay.status = 200;
        Attempt refused;
        refused.id = 2;
        refused.captureId = 7;
        refused.kind = Attempt::Kind::Forward;
        refused.startedAtUs = 1'000;
        refused.request.url = QUrl(QStringLiteral("http://127.0.0.1:9/hook"));
        refused.failure = Attempt::Failure::Refused;
        refused.error = QStringLiteral("connection refused by 127.0.0.1:9");
        Attempt answered = refused;
        answered.id = 3;
        answered.startedAtUs = 2'000;
        answered.failure = Attempt::Failure::None;
        answered.error.clear();
        answered.status = 201;
        answered.reasonPhrase = "Created";
        answered.responseHeaders = {{"Content-Type", "application/json"}};
        answered.responseBody = "{\"id\":1}";
        view.setAttempts({replay, refused, answered});
        QVERIFY(view.isForwardTabVisible());
        ForwardAttemptsView *forward = view.forwardAttempts();
        QCOMPARE(forward->attempts().size(), 2); // the replay is not a forward
        // Newest first, and selected.
        QCOMPARE(forward->attempts().first().id, 3);
        QCOMPARE(forward->currentIndex(), 0);
        QCOMPARE(forward->body()->body(), QByteArrayLiteral("{\"id\":1}"));
        QVERIFY(forward->statusLabel()->text().contains(QStringLiteral("201 Created")));
        QCOMPARE(forward->table()->item(1, ForwardAttemptsView::StatusColumn)->text(), QStringLiteral("—"));
        QVERIFY(
            forward->table()->item(1, ForwardAttemptsView::ReasonColumn)->text().contains(QStringLiteral("refused")));
        forward->setCurrentIndex(1);
        QVERIFY(forward->statusLabel()->text().contains(QStringLiteral("connection refused")));
        QVERIFY(forward->body()->body().isEmpty());

        // On the Forward tab, a capture without forwards shows the Overview; the next one with
        // forwards goes back to the Forward tab.
        view.tabs()->setCurrentIndex(CaptureDetailView::ForwardTab);
        capture.id = 8;
        view.setCapture(capture);
        QVERIFY(!view.isForwardTabVisible());
        QCOMPARE(view.tabs()->currentIndex(), int(CaptureDetailView::OverviewTab));
        capture.id = 9;
        view.setCapture(capture);
        view.setAttempts({answered});
        QCOMPARE(view.tabs()->currentIndex(), int(CaptureDetailView::ForwardTab));
    }

    void overview_summarisesTheCapture_withTheDbtCard()
    {
        CaptureDetailView view(m_keeper.get());
        view.show();
        view.setCapture(dbtCapture());
        OverviewView *overview = view.overview();
        QVERIFY(overview->field(QStringLiteral("Received")).contains(QStringLiteral("2025-11-29T19:28:15.123456Z")));
        QCOMPARE(overview->field(QStringLiteral("From")), QStringLiteral("127.0.0.1:54321 · plain HTTP"));
        QCOMPARE(overview->field(QStringLiteral("Listener")), QStringLiteral("127.0.0.1:5000"));
        QVERIFY(overview->field(QStringLiteral("Body")).contains(QStringLiteral("application/json")));
        QVERIFY(overview->field(QStringLiteral("Response")).contains(QStringLiteral("200")));
        QCOMPARE(overview->badge()->verdict(), Verdict::Valid);
        QVERIFY(overview->dbtCard()->isVisible());
        QVERIFY(overview->dbtCard()->shownLines().first().contains(QStringLiteral("job.run.started")));
        QVERIFY(overview->dbtCard()->shownLines().contains(QStringLiteral("Run: 12345")));

        // A provider with the parsed event and its payload check fills the card.
        overview->setDbtCardProvider([](const Capture &capture) -> std::optional<DbtCardInfo> {
            if (capture.dbtEventType.isEmpty())
                return std::nullopt;
            DbtCardInfo card;
            card.eventType = capture.dbtEventType;
            card.jobName = QStringLiteral("Daily Job");
            card.jobId = QStringLiteral("123");
            card.runStatus = QStringLiteral("Running");
            card.tone = DbtCardInfo::Tone::Running;
            card.findings.append({DbtCardFinding::Severity::Warning, QStringLiteral("old-webhook-id"),
                QStringLiteral("webhooksID is the old spelling")});
            card.detailed = true;
            return card;
        });
        const QStringList lines = overview->dbtCard()->shownLines();
        QVERIFY(lines.contains(QStringLiteral("Job: Daily Job (123)")));
        QVERIFY(lines.contains(QStringLiteral("Status: Running")));
        QVERIFY(lines.last().contains(QStringLiteral("old-webhook-id")));

        Capture plain = dbtCapture();
        plain.dbtEventType.clear();
        view.setCapture(plain);
        QVERIFY(!overview->dbtCard()->isVisible());
    }

    void headers_areListedInOrder_andCopyExactLines()
    {
        CaptureDetailView view(m_keeper.get());
        view.show();
        const Capture capture = dbtCapture();
        view.setCapture(capture);
        HeadersView *headers = view.headers();
        QCOMPARE(headers->model()->rowCount(), capture.headers.size());
        QCOMPARE(
            headers->model()->index(3, HeaderListModel::NameColumn).data().toString(), QStringLiteral("Authorization"));
        headers->table()->selectRow(3);
        headers->copySelection();
        QCOMPARE(QApplication::clipboard()->text(),
            QString::fromLatin1("Authorization: " + headerValue(capture.headers, "Authorization")));
        // Keyboard: Ctrl+C on the table copies too.
        headers->table()->setFocus();
        headers->table()->selectRow(0);
        QTest::keyClick(headers->table(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("Host: 127.0.0.1:5000"));
    }

    void body_prettyJson_isHighlighted_andTheBytesStayUntouched()
    {
        CaptureDetailView view(m_keeper.get());
        view.show();
        view.setCapture(dbtCapture());
        BodyView *body = view.body();
        QCOMPARE(body->mode(), BodyView::Mode::Pretty);
        QVERIFY(body->isPrettyReady());
        const QString pretty = body->prettyEdit()->toPlainText();
        QVERIFY(pretty.startsWith(QStringLiteral("{\n  \"accountId\": 1,\n  \"eventId\"")));
        QVERIFY(body->summary().contains(QStringLiteral("valid JSON")));
        // The key on line 2 is coloured.
        const QTextBlock line = body->prettyEdit()->document()->findBlockByNumber(1);
        QTRY_VERIFY(!line.layout()->formats().isEmpty()); // highlighting runs on the next event-loop turn
        body->setMode(BodyView::Mode::Raw);
        QCOMPARE(body->rawEdit()->originalText().toUtf8(), dbtBody);
        QCOMPARE(body->body(), dbtBody);
    }

    void body_invalidJson_pointsAtTheError()
    {
        BodyView body;
        body.show();
        const QByteArray broken = "{\n  \"a\" 1\n}";
        body.setBody(broken, "application/json");
        QVERIFY(body.jsonError());
        QCOMPARE(body.jsonError()->offset, qsizetype(8));
        QCOMPARE(body.mode(), BodyView::Mode::Raw);
        QVERIFY(!body.isModeAvailable(BodyView::Mode::Pretty));
        QVERIFY2(body.summary().contains(QStringLiteral("line 2, column 7 (byte 8)")), qPrintable(body.summary()));
        body.showJsonError();
        QCOMPARE(body.rawEdit()->textCursor().selectionStart(), 8);
        QCOMPARE(body.rawEdit()->textCursor().selectedText(), QStringLiteral("1"));
        QCOMPARE(body.hexView()->data(), broken);
    }

    void body_longLines_areWrappedForDisplay_butCopiedExactly()
    {
        BodyView body;
        body.show();
        QByteArray line;
        for (int i = 0; i < 500; ++i)
            line += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ',';
        const QByteArray text = "{" + line + "\"end\":0}\nsecond line\n";
        body.setBody(text, "text/plain");
        QCOMPARE(body.mode(), BodyView::Mode::Raw);
        RawTextView *raw = body.rawEdit();
        QVERIFY(raw->softBreakCount() >= 5);
        QVERIFY(raw->document()->blockCount() > 7);
        QCOMPARE(raw->document()->firstBlock().text().size(), RawTextView::maxLineLength);
        QVERIFY(body.notice().contains(QStringLiteral("shown wrapped")));
        QCOMPARE(raw->originalText().toUtf8(), text);
        raw->selectAll();
        raw->copy();
        QCOMPARE(QApplication::clipboard()->text().toUtf8(), text);
        // A selection across a soft break loses only the break.
        QTextCursor cursor(raw->document());
        cursor.setPosition(RawTextView::maxLineLength - 3);
        cursor.setPosition(RawTextView::maxLineLength + 4, QTextCursor::KeepAnchor);
        raw->setTextCursor(cursor);
        raw->copy();
        QCOMPARE(QApplication::clipboard()->text().toUtf8(), text.mid(RawTextView::maxLineLength - 3, 6));
    }

    void body_binary_opensInHex()
    {
        BodyView body;
        body.show();
        const QByteArray binary("\x00\x01\xff\xfeGIF89a\r\n", 12);
        body.setBody(binary, "application/octet-stream");
        QCOMPARE(body.mode(), BodyView::Mode::Hex);
        QVERIFY(body.isBinary());
        QVERIFY(body.summary().contains(QStringLiteral("binary")));
        QCOMPARE(body.hexView()->dumpLines(0, 1),
            QStringLiteral("00000000  00 01 ff fe 47 49 46 38  39 61 0d 0a              ....GIF89a..\n"));
        body.setMode(BodyView::Mode::Raw);
        QVERIFY(body.notice().contains(QStringLiteral("not UTF-8")));
    }

    void body_formFields_areListedOnePerLine()
    {
        BodyView body;
        body.setBody("token=xyz&text=hello+world&url=https%3A%2F%2Fx", "application/x-www-form-urlencoded");
        QCOMPARE(body.mode(), BodyView::Mode::Pretty);
        QCOMPARE(body.prettyEdit()->toPlainText(), QStringLiteral("token = xyz\ntext = hello world\nurl = https://x"));
    }

    void body_largeJson_isFormattedOffTheUiThread()
    {
        QByteArray big = "[";
        while (big.size() < 6 * 1024 * 1024)
            big += "{\"eventType\":\"job.run.completed\",\"n\":12345678901234567890},";
        big += "{}]";
        const QByteArray original = big;
        BodyView body;
        body.show();
        QSignalSpy ready(&body, &BodyView::prettyReady);
        body.setBody(big, "application/json");
        QVERIFY(!body.isPrettyReady()); // not formatted inside setBody
        QVERIFY(body.summary().contains(QStringLiteral("checking JSON")));
        QVERIFY(ready.wait(60000));
        QVERIFY(body.isPrettyReady());
        QVERIFY(!body.jsonError());
        QVERIFY(body.notice().contains(QStringLiteral("first 4.0 MiB")));
        QCOMPARE(body.body(), original); // the number 12345678901234567890 was not rewritten
        QVERIFY(body.prettyEdit()->toPlainText().contains(QStringLiteral("\"n\": 12345678901234567890")));
        // A new body while formatting: the late result of the old one must not land.
        body.setBody(big, "application/json");
        body.setBody("{\"small\":true}", "application/json");
        QTest::qWait(50);
        QTRY_VERIFY(body.isPrettyReady());
        QCOMPARE(body.prettyEdit()->toPlainText(), QStringLiteral("{\n  \"small\": true\n}"));
        QTest::qWait(1500);
        QCOMPARE(body.prettyEdit()->toPlainText(), QStringLiteral("{\n  \"small\": true\n}"));
    }

    void signature_listenerProfile_validWithTheRightSecret()
    {
        CaptureDetailView view(m_keeper.get());
        view.show();
        SignatureView *signature = view.signature();
        signature->setProfileLookup([](const Capture &capture) -> std::optional<CheckProfile> {
            if (capture.listener != u"127.0.0.1:5000")
                return std::nullopt;
            return CheckProfile {QStringLiteral("listener 127.0.0.1:5000 · dbt Cloud · 1 secret"),
                std::shared_ptr<const SignatureScheme>(createBuiltinScheme(u"dbt-cloud")), {dbtSecret}};
        });
        signature->useListenerProfile();
        const Capture capture = dbtCapture();
        view.setCapture(capture);
        QVERIFY(signature->hasResult());
        QCOMPARE(signature->badge()->verdict(), Verdict::Valid);
        QCOMPARE(signature->receivedText(), QString::fromLatin1(headerValue(capture.headers, "Authorization")));
        QCOMPARE(signature->computedText(), signature->receivedText());
        QCOMPARE(signature->comparisonText(), QStringLiteral("Identical."));

        Capture elsewhere = capture;
        elsewhere.listener = QStringLiteral("127.0.0.1:6000");
        view.setCapture(elsewhere);
        QVERIFY(!signature->hasResult());
        QVERIFY(!signature->badge()->hasVerdict());
    }

    void signature_pickedSchemeAndSecret_showsTheDifference()
    {
        SignatureView signature(m_keeper.get());
        signature.show();
        auto *panel = new RecordingPanel;
        signature.setDiagnosisPanel(panel);
        signature.useScheme(QStringLiteral("dbt-cloud"));
        signature.setCapture(dbtCapture(false));
        QCOMPARE(signature.badge()->verdict(), Verdict::NoSecret);
        QVERIFY(signature.computedText().contains(QStringLiteral("enter a secret")));

        signature.secretEdit()->setFocus();
        QTest::keyClicks(signature.secretEdit(), QString::fromLatin1(dbtSecret));
        QVERIFY(signature.hasResult());
        QCOMPARE(signature.badge()->verdict(), Verdict::Invalid);
        QVERIFY(signature.comparisonText().startsWith(QStringLiteral("They differ from character")));
        const QByteArray expected = createBuiltinScheme(u"dbt-cloud")->sign(dbtBody, dbtSecret).first().value;
        QCOMPARE(signature.computedText(), QString::fromLatin1(expected));
        QCOMPARE(panel->last, Verdict::Invalid);
        QCOMPARE(panel->secrets, 1);
        QVERIFY(panel->shown >= 2);
        // The secret is kept for the session under the scheme, never shown unless asked.
        QCOMPARE(m_keeper->secret(QStringLiteral("check/dbt-cloud")), dbtSecret);
        QVERIFY(!signature.secretEdit()->isRevealed());
        QCOMPARE(signature.secretEdit()->echoMode(), QLineEdit::Password);
        signature.secretEdit()->revealAction()->trigger();
        QCOMPARE(signature.secretEdit()->echoMode(), QLineEdit::Normal);

        signature.useScheme(QStringLiteral("github"));
        QVERIFY(signature.secretEdit()->text().isEmpty());
        QCOMPARE(signature.badge()->verdict(), Verdict::NoSecret);
        signature.useScheme(QStringLiteral("dbt-cloud"));
        QCOMPARE(signature.secretEdit()->secret(), dbtSecret);
        QCOMPARE(signature.badge()->verdict(), Verdict::Invalid);
    }

    void signature_unsignedRequest_saysWhichHeaderIsMissing()
    {
        SignatureView signature(m_keeper.get());
        signature.useScheme(QStringLiteral("dbt-cloud"));
        signature.setSecret(dbtSecret);
        Capture capture = dbtCapture();
        removeHeader(capture.headers, "Authorization");
        signature.setCapture(capture);
        QCOMPARE(signature.badge()->verdict(), Verdict::Unsigned);
        QVERIFY(signature.receivedText().contains(QStringLiteral("no Authorization header")));
        QVERIFY(signature.reasonText().contains(QStringLiteral("Authorization")));
    }

    void signature_timestamps_areJudgedAsOfArrival_unlessAsked()
    {
        const auto stripe = createBuiltinScheme(u"stripe");
        const QByteArray secret = "whsec_test_secret";
        Capture capture = bodyCapture("{\"id\":\"evt_1\"}");
        const qint64 signedAt = arrivalUs / 1000000 - 10;
        SignOptions options;
        options.timestamp = signedAt;
        capture.headers += stripe->sign(capture.body, secret, options);

        SignatureView signature(m_keeper.get());
        signature.useScheme(QStringLiteral("stripe"));
        signature.setSecret(secret);
        signature.setCapture(capture);
        QCOMPARE(signature.badge()->verdict(), Verdict::Valid);
        QCOMPARE(signature.lastCheck().result.skew.value(), qint64(10));

        signature.setCheckAsOfNow(true);
        QCOMPARE(signature.badge()->verdict(), Verdict::Invalid);
        QVERIFY(signature.reasonText().contains(QStringLiteral("outside the")));
    }

    void signature_genericScheme_checksGitHubsPublishedVector()
    {
        SignatureView signature(m_keeper.get());
        signature.show();
        Capture capture = bodyCapture("Hello, World!", "text/plain");
        capture.headers += HttpHeader {
            "X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"};
        signature.setCapture(capture);
        signature.useScheme(QStringLiteral("generic"));
        QCOMPARE(signature.currentSource(), QStringLiteral("generic"));
        QVERIFY(!signature.hasResult()); // no header named yet
        auto *header = signature.findChildren<QLineEdit *>().at(1);
        auto *prefix = signature.findChildren<QLineEdit *>().at(2);
        QCOMPARE(header->placeholderText(), QStringLiteral("X-Signature"));
        QTest::keyClicks(header, QStringLiteral("X-Hub-Signature-256"));
        QTest::keyClicks(prefix, QStringLiteral("sha256="));
        signature.setSecret("It's a Secret to Everybody");
        QCOMPARE(signature.badge()->verdict(), Verdict::Valid);
    }

    void diagnosis_reserializedBody_showsBothBodiesSideBySide()
    {
        CaptureDetailView view(m_keeper.get());
        view.show();
        auto *checklist = qobject_cast<DiagnosisChecklist *>(view.signature()->diagnosisPanel());
        QVERIFY(checklist); // the detail pane comes with the diagnosis
        Capture capture = dbtCapture();
        // Signed over Python's json.dumps rendering of the body, sent compact.
        JsonReencoder reencoder;
        QVERIFY(reencoder.parse(capture.body));
        JsonStyle python;
        python.layout = JsonStyle::Layout::Spaced;
        const QByteArray signedBody = reencoder.encode(python);
        QVERIFY(signedBody != capture.body);
        setHeader(capture.headers, "Authorization",
            createBuiltinScheme(u"dbt-cloud")->sign(signedBody, dbtSecret).first().value);
        view.signature()->useScheme(QStringLiteral("dbt-cloud"));
        view.signature()->setSecret(dbtSecret);
        view.setCapture(capture);
        view.tabs()->setCurrentIndex(CaptureDetailView::SignatureTab);
        QCOMPARE(view.signature()->badge()->verdict(), Verdict::Invalid);
        QVERIFY(checklist->isVisible());
        QVERIFY(!checklist->findings().isEmpty());
        QCOMPARE(checklist->findings().first().code, FindingCode::BodyReserialized);
        QVERIFY(checklist->findings().first().confirmed);
        QCOMPARE(checklist->findings().first().variantBody, signedBody);
        const QString text = checklist->text();
        QVERIFY2(text.contains(QStringLiteral("body-reserialized")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Received body")));
        QVERIFY(text.contains(QStringLiteral("Body that matches")));
        QVERIFY(!text.contains(QString::fromLatin1(dbtSecret))); // names and fingerprints only

        // The right body and secret: nothing to explain, and the panel goes away.
        view.setCapture(dbtCapture());
        QCOMPARE(view.signature()->badge()->verdict(), Verdict::Valid);
        QVERIFY(checklist->findings().isEmpty());
        QVERIFY(!checklist->isVisible());
    }

    void diagnosis_bigBody_runsOnAWorker()
    {
        SignatureView signature(m_keeper.get());
        auto *checklist = new DiagnosisChecklist;
        signature.setDiagnosisPanel(checklist);
        signature.show();
        QByteArray big = "[";
        while (big.size() < 300 * 1024)
            big += "{\"n\":1},";
        big += "{}]";
        Capture capture = bodyCapture(big);
        capture.headers += createBuiltinScheme(u"dbt-cloud")->sign(big, "the-other-secret");
        signature.useScheme(QStringLiteral("dbt-cloud"));
        QSignalSpy diagnosed(checklist, &DiagnosisChecklist::diagnosed);
        signature.setSecret(dbtSecret);
        signature.setCapture(capture);
        QVERIFY(checklist->isRunning()); // not computed inside setCapture
        QTRY_VERIFY_WITH_TIMEOUT(!checklist->isRunning(), 60000);
        QVERIFY(!diagnosed.isEmpty());
        QCOMPARE(checklist->findings().last().code, FindingCode::WrongSecret);
    }

    void overview_dbtCard_comesFromThePayloadCheck()
    {
        OverviewView overview;
        overview.show();
        Capture capture = dbtCapture();
        capture.body
            = "{\"accountId\":1,\"webhookId\":\"wsu_12345abcde\",\"eventId\":\"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z\","
              "\"timestamp\":\"2023-01-31T19:28:15.742843678Z\",\"eventType\":\"job.run.started\",\"webhookName\":"
              "\"test\",\"data\":{\"jobId\":\"123\",\"jobName\":\"Daily Job (dbt build)\",\"runId\":\"12345\","
              "\"environmentId\":\"1234\",\"environmentName\":\"Production\",\"dbtVersion\":\"1.0.0\","
              "\"projectName\":\"Snowflake Github Demo\",\"projectId\":\"167194\",\"runStatus\":\"Running\","
              "\"runStatusCode\":3,\"runStatusMessage\":\"None\",\"runReason\":\"Kicked off from the UI by "
              "test@test.com\",\"runStartedAt\":\"2023-01-31T19:28:07Z\"}}";
        overview.setCapture(capture);
        QStringList lines = overview.dbtCard()->shownLines();
        QVERIFY2(lines.contains(QStringLiteral("Job: Daily Job (dbt build) (123)")), qPrintable(lines.join(u'|')));
        QVERIFY(lines.contains(QStringLiteral("Status: Running")));
        QVERIFY(lines.contains(QStringLiteral("Environment: Production (1234)")));
        QVERIFY(lines.contains(QStringLiteral("Started: 2023-01-31T19:28:07Z")));
        QVERIFY(lines.last().contains(QStringLiteral("no findings")));

        capture.body.replace("wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z", "wev_short");
        overview.setCapture(capture);
        lines = overview.dbtCard()->shownLines();
        QVERIFY2(lines.last().contains(QStringLiteral("bad-event-id")), qPrintable(lines.last()));
    }

private:
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<SecretKeeper> m_keeper;
};

QTEST_MAIN(TestCaptureDetailView)
#include "tst_capturedetailview.moc"
