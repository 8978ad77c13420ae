// End to end: the main window with a real store, a stored capture opened in the request editor,
// sent over loopback to a receiver that records the raw bytes, re-signed, sent again; the
// attempts land in the store and the history, and two of them compare side by side. Failures
// (refused, timeout, TLS) show their one line in place.
#include "editor/attemptcompareview.h"
#include "editor/attempthistorymodel.h"
#include "editor/bodyeditor.h"
#include "editor/headertablemodel.h"
#include "editor/requesteditor.h"
#include "editor/resignpanel.h"
#include "editor/responseview.h"
#include "models/capturelistmodel.h"
#include "models/jsontext.h"
#include "rawhttpreceiver.h"
#include "selfsignedcertificate.h"
#include "signing/schemeregistry.h"
#include "store/capturestore.h"
#include "widgets/bodyview.h"
#include "widgets/listenerbar.h"
#include "widgets/listenerpanel.h"
#include "widgets/secretlineedit.h"
#include "windows/mainwindow.h"
#include "workbenchwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray secret = "dbt-secret-for-the-editor-test";
const QByteArray body
    = "{\"accountId\":1,\"eventType\":\"job.run.completed\",\"data\":{\"runId\":\"12345\",\"runStatus\":"
      "\"Success\"}}";

Capture signedCapture(const QByteArray &payload = body)
{
    Capture capture;
    capture.receivedAtUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    capture.method = "POST";
    capture.target = "/hooks/dbt?x=%7e";
    capture.headers = {{"Host", "127.0.0.1:5123"}, {"User-Agent", "dbt-cloud/1"}, {"content-type", "application/json"},
        {"X-Dup", "one"}, {"x-dup", "two"}, {"Content-Length", QByteArray::number(payload.size())},
        {"Connection", "keep-alive"}};
    capture.headers += createBuiltinScheme(u"dbt-cloud")->sign(payload, secret);
    capture.body = payload;
    capture.remoteAddress = QStringLiteral("127.0.0.1");
    capture.listener = QStringLiteral("127.0.0.1:5123");
    capture.scheme = QStringLiteral("dbt-cloud");
    capture.verdict = Verdict::Valid;
    capture.responseStatus = 200;
    return capture;
}

// The header lines a receiver should get for `headers` sent to `port` with `length` body bytes.
QList<QByteArray> expectedLines(const HeaderList &headers, quint16 port, qsizetype length)
{
    QList<QByteArray> lines {"Host: 127.0.0.1:" + QByteArray::number(port)};
    for (const HttpHeader &header : headers)
        lines.append(header.name + ": " + header.value);
    lines.append("Content-Length: " + QByteArray::number(length));
    return lines;
}

HeaderList parseLines(const QList<QByteArray> &lines)
{
    HeaderList headers;
    for (const QByteArray &line : lines) {
        HttpHeader header;
        if (parseHeaderLine(line, &header))
            headers.append(header);
    }
    return headers;
}

} // namespace

class TestRequestEditor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    QSslConfiguration m_tls;

    std::unique_ptr<MainWindow> makeWindow() { return openWorkbench(workbenchOptions(*m_dir, m_settings.get())); }

    // Stores `capture` through the window's writer; returns its id once the list shows it.
    qint64 store(MainWindow *window, const Capture &capture)
    {
        qint64 id = 0;
        const int rows = window->model()->rowCount();
        window->writer()->submit(capture, window, [&id](qint64 newId, const QString &) { id = newId; });
        if (!QTest::qWaitFor([&] { return id != 0 && window->model()->rowCount() == rows + 1; }, 30000))
            return 0;
        return id;
    }

    // Opens capture `id` through the "Edit & replay" action, as a user would.
    RequestEditor *editCapture(MainWindow *window, qint64 id)
    {
        const int row = window->model()->rowOf(id);
        window->selectRow(row);
        window->action(QStringLiteral("editCapture"))->trigger();
        return qobject_cast<RequestEditor *>(window->workspace()->currentWidget());
    }

    static std::optional<Attempt> sendAndWait(RequestEditor *editor)
    {
        QSignalSpy finished(editor, &RequestEditor::attemptFinished);
        QTest::mouseClick(editor->sendButton(), Qt::LeftButton);
        if (!finished.wait(30000))
            return std::nullopt;
        return finished.first().first().value<Attempt>();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<Attempt>("hookbench::Attempt");
        QString error;
        m_tls = selfSignedServerConfiguration(&error);
        QVERIFY2(!m_tls.isNull(), qPrintable(error));
    }
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

    void capture_sentByteExact_storedInHistory_reSignedVerifies_compared()
    {
        auto window = makeWindow();
        const Capture capture = signedCapture();
        const qint64 id = store(window.get(), capture);
        QVERIFY(id);
        RequestEditor *editor = editCapture(window.get(), id);
        QVERIFY(editor);
        QCOMPARE(editor->sourceCaptureId(), id);
        QCOMPARE(window->editors().size(), 1);
        QCOMPARE(window->workspace()->tabText(window->workspace()->currentIndex()), QStringLiteral("POST /hooks/dbt"));

        // Opened byte-exact, to the listener's own address by default; the original
        // connection's Host, Content-Length and Connection are derived again.
        QCOMPARE(editor->urlEdit()->text(), QStringLiteral("http://127.0.0.1:5123/hooks/dbt?x=%7e"));
        QCOMPARE(editor->methodBox()->currentText(), QStringLiteral("POST"));
        QCOMPARE(editor->bodyEditor()->body(), body);
        const HeaderList sent = editor->headerModel()->headers();
        QCOMPARE(sent.size(), capture.headers.size() - 3);
        QCOMPARE(sent.first(), (HttpHeader {"User-Agent", "dbt-cloud/1"}));
        QVERIFY(!hasHeader(sent, "Host") && !hasHeader(sent, "Content-Length") && !hasHeader(sent, "Connection"));

        RawHttpReceiver receiver;
        editor->urlEdit()->setText(receiver.url(QStringLiteral("/hooks/dbt?x=%7e")));
        const std::optional<Attempt> first = sendAndWait(editor);
        QVERIFY(first);
        QVERIFY2(first->succeeded(), qPrintable(first->error));
        QCOMPARE(receiver.requests().size(), 1);
        const ReceivedRequest &received = receiver.requests().first();
        QCOMPARE(received.requestLine, QByteArray("POST /hooks/dbt?x=%7e HTTP/1.1"));
        QCOMPARE(received.headerLines, expectedLines(sent, receiver.port(), body.size()));
        QCOMPARE(received.body, body);
        QCOMPARE(editor->responseView()->statusText(), QStringLiteral("200 OK"));
        QVERIFY(editor->responseView()->timingText().contains(u"first byte"));
        QCOMPARE(editor->responseView()->body()->body(), QByteArray("ok"));

        // Stored, linked to the capture, and in the history.
        QTRY_COMPARE(editor->historyModel()->rowCount(), 1);
        CaptureStore reader;
        QString error;
        QVERIFY2(reader.open(window->writer()->options(), CaptureStore::Missing::Fail, &error), qPrintable(error));
        QList<Attempt> stored = reader.attempts(id, &error);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().kind, Attempt::Kind::Replay);
        QCOMPARE(stored.first().status, 200);
        QCOMPARE(stored.first().request.body, body);
        // The target as it went on the wire, not QUrl's decoding of it (%7e stays %7e).
        QCOMPARE(stored.first().request.target, QByteArray("/hooks/dbt?x=%7e"));
        QVERIFY2(editor->historyModel()
                     ->index(0, AttemptHistoryModel::TargetColumn)
                     .data()
                     .toString()
                     .endsWith(u"/hooks/dbt?x=%7e"),
            qPrintable(editor->historyModel()->index(0, AttemptHistoryModel::TargetColumn).data().toString()));

        // The badge: the original signature against the current bytes.
        ResignPanel *resign = editor->resignPanel();
        QCOMPARE(resign->schemeName(), QStringLiteral("dbt-cloud"));
        resign->secretEdit()->setText(QString::fromLatin1(secret));
        QTRY_COMPARE(resign->badge(), ResignPanel::Badge::Unchanged);
        QPlainTextEdit *text = editor->bodyEditor()->textEdit();
        QTextCursor cursor = text->textCursor();
        cursor.movePosition(QTextCursor::End);
        cursor.movePosition(QTextCursor::Left, QTextCursor::MoveAnchor, 2);
        cursor.insertText(QStringLiteral(",\"note\":\"edited\""));
        text->setTextCursor(cursor);
        const QByteArray edited = editor->bodyEditor()->body();
        QVERIFY(edited.contains("\"note\":\"edited\""));
        QTRY_COMPARE(resign->badge(), ResignPanel::Badge::Changed);
        QVERIFY(resign->badgeText().contains(u"body changed"));

        // Write signature headers, send again: it verifies with the signing engine.
        QTest::mouseClick(resign->writeButton(), Qt::LeftButton);
        QVERIFY(headerValue(editor->headerModel()->headers(), "Authorization")
            != headerValue(capture.headers, "Authorization"));
        QCOMPARE(editor->headerModel()->rowCount(), int(sent.size())); // replaced in place, not added
        const std::optional<Attempt> second = sendAndWait(editor);
        QVERIFY(second && second->succeeded());
        QCOMPARE(receiver.requests().size(), 2);
        const ReceivedRequest &resigned = receiver.requests().at(1);
        QCOMPARE(resigned.body, edited);
        VerifyOptions now;
        now.now = QDateTime::currentSecsSinceEpoch();
        const VerificationResult check
            = createBuiltinScheme(u"dbt-cloud")->verify(parseLines(resigned.headerLines), resigned.body, {secret}, now);
        QVERIFY2(check.isValid(), qPrintable(check.reason));
        QTRY_COMPARE(editor->historyModel()->rowCount(), 2);
        QCOMPARE(reader.attempts(id, &error).size(), 2);

        // Selecting an attempt shows it; two compare side by side.
        editor->historyTable()->selectRow(1);
        QCOMPARE(editor->responseView()->attempt().id, editor->historyModel()->attemptAt(1).id);
        QVERIFY(!editor->compareButton()->isEnabled());
        editor->historyTable()->selectionModel()->select(
            editor->historyModel()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(editor->compareButton()->isEnabled());
        QTest::mouseClick(editor->compareButton(), Qt::LeftButton);
        AttemptCompareView *compare = editor->compareView();
        QVERIFY(compare && compare->isVisible());
        QVERIFY(compare->leftText().contains(QString::fromUtf8(body)));
        QVERIFY(!compare->leftText().contains(u"edited"));
        QVERIFY(compare->rightText().contains(QString::fromUtf8(edited)));
        QVERIFY(compare->summary().contains(u"request bodies differ"));
        QVERIFY(compare->summary().contains(u"same status"));
        QVERIFY(compare->markedRanges() > 0);
        compare->close();

        // The last target and timeout persist; the next capture opens there.
        QCOMPARE(m_settings->value(QStringLiteral("editor/lastUrl")).toString(),
            receiver.url(QStringLiteral("/hooks/dbt?x=%7e")));
        QCOMPARE(
            RequestEditor::defaultUrlFor(capture, m_settings.get()), receiver.url(QStringLiteral("/hooks/dbt?x=%7e")));
        QCOMPARE(m_settings->value(QStringLiteral("editor/timeoutSeconds")).toInt(), 10);
        for (const QString &key : m_settings->allKeys())
            QVERIFY2(!m_settings->value(key).toString().contains(QString::fromLatin1(secret)), qPrintable(key));
    }

    void pretty_changesBytesOnlyWhenClicked_listenerSecretOffered()
    {
        auto window = makeWindow();
        // The listener that received the capture knows the secret: the editor offers it.
        ListenerBar *bar = window->listeners()->bars().first();
        bar->schemeBox()->setCurrentIndex(bar->schemeBox()->findData(QStringLiteral("github")));
        bar->secretEdit()->setText(QString::fromLatin1(secret));
        Capture capture = signedCapture();
        capture.listener = bar->listenerName();
        capture.scheme.clear();
        const qint64 id = store(window.get(), capture);
        RequestEditor *editor = editCapture(window.get(), id);
        QVERIFY(editor);
        QCOMPARE(editor->resignPanel()->secret(), secret);
        QCOMPARE(editor->resignPanel()->schemeName(), QStringLiteral("github"));
        QTRY_COMPARE(editor->resignPanel()->badge(), ResignPanel::Badge::OriginalUnsigned);
        editor->resignPanel()->setSchemeName(QStringLiteral("dbt-cloud"));
        QTRY_COMPARE(editor->resignPanel()->badge(), ResignPanel::Badge::Unchanged);
        QTest::qWait(BodyEditor::validateDelayMs * 2); // past the debounce: still untouched
        QCOMPARE(editor->bodyEditor()->body(), body);

        QTest::mouseClick(editor->bodyEditor()->prettyButton(), Qt::LeftButton);
        QCOMPARE(editor->bodyEditor()->body(), JsonText::pretty(body).text.toUtf8());
        QTRY_COMPARE(editor->resignPanel()->badge(), ResignPanel::Badge::Changed);
        QVERIFY(editor->lastMessage().contains(u"bytes changed"));

        // Ctrl+Return sends, from anywhere in the editor.
        RawHttpReceiver receiver;
        editor->urlEdit()->setText(receiver.url(QStringLiteral("/p")));
        QApplication::setActiveWindow(window.get());
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        editor->bodyEditor()->textEdit()->setFocus();
        QSignalSpy finished(editor, &RequestEditor::attemptFinished);
        QTest::keyClick(editor->bodyEditor()->textEdit(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(30000));
        QCOMPARE(receiver.requests().first().body, JsonText::pretty(body).text.toUtf8());
        QCOMPARE(editor->bodyEditor()->body(), JsonText::pretty(body).text.toUtf8()); // no line typed
    }

    void binaryBody_isSentUnchanged()
    {
        auto window = makeWindow();
        Capture capture = signedCapture();
        capture.body = QByteArray("\x1f\x8b\x08\x00\xff\xfe\r\n\x00tail", 13);
        capture.headers = {{"Content-Type", "application/octet-stream"}, {"Content-Encoding", "gzip"}};
        const qint64 id = store(window.get(), capture);
        RequestEditor *editor = editCapture(window.get(), id);
        QVERIFY(editor);
        QVERIFY(editor->bodyEditor()->isReadOnlyBinary());
        QVERIFY(editor->bodyEditor()->note().contains(u"sent unchanged"));
        RawHttpReceiver receiver;
        editor->urlEdit()->setText(receiver.url(QStringLiteral("/bin")));
        QVERIFY(sendAndWait(editor));
        QCOMPARE(receiver.requests().size(), 1);
        QCOMPARE(receiver.requests().first().body, capture.body);
        QCOMPARE(receiver.requests().first().headerLines,
            expectedLines(capture.headers, receiver.port(), capture.body.size()));
    }

    void failures_showOneLineInPlace()
    {
        auto window = makeWindow();
        window->openRequestInEditor(HttpRequest {"POST", QUrl(QStringLiteral("http://127.0.0.1:1/x")), {}, {}, "{}"});
        RequestEditor *editor = window->editors().last();
        QCOMPARE(editor->sourceCaptureId(), 0);

        // Refused: a port nobody listens on any more.
        quint16 closedPort = 0;
        {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost, 0));
            closedPort = server.serverPort();
        }
        editor->urlEdit()->setText(QStringLiteral("http://127.0.0.1:%1/x").arg(closedPort));
        std::optional<Attempt> refused = sendAndWait(editor);
        QVERIFY(refused);
        QCOMPARE(refused->failure, Attempt::Failure::Refused);
        QVERIFY(editor->responseView()->statusText().contains(u"refused"));
        const QString refusedLine = editor->responseView()->failureText();
        QVERIFY2(refusedLine.contains(u"refused", Qt::CaseInsensitive), qPrintable(refusedLine));
        QVERIFY(!refusedLine.contains(u'\n'));

        // Timeout: a receiver that never answers, with the shortest timeout.
        RawHttpReceiver silent;
        silent.holdRequests();
        editor->timeoutBox()->setValue(1);
        editor->urlEdit()->setText(silent.url(QStringLiteral("/slow")));
        std::optional<Attempt> timedOut = sendAndWait(editor);
        QVERIFY(timedOut);
        QCOMPARE(timedOut->failure, Attempt::Failure::Timeout);
        QVERIFY(editor->responseView()->statusText().contains(u"timeout"));
        QVERIFY(!editor->responseView()->failureText().isEmpty());

        // What can't be sent at all says why, in place, and sends nothing.
        const int received = silent.requests().size();
        editor->headerModel()->addHeader({"Bad Name", "x"});
        QTest::mouseClick(editor->sendButton(), Qt::LeftButton);
        QVERIFY(!editor->isSending());
        QCOMPARE(editor->responseView()->statusText(), QStringLiteral("Not sent"));
        QVERIFY2(editor->responseView()->failureText().contains(u"Bad Name"),
            qPrintable(editor->responseView()->failureText()));
        editor->headerModel()->removeHeaderAt(editor->headerModel()->rowCount() - 1);
        editor->urlEdit()->setText(QStringLiteral("not a url"));
        QTest::mouseClick(editor->sendButton(), Qt::LeftButton);
        QVERIFY(editor->responseView()->failureText().contains(u"http://host:port/path"));
        editor->urlEdit()->setText(silent.url(QStringLiteral("/slow")));
        QCOMPARE(silent.requests().size(), received);

        // Cancel aborts a send in flight.
        editor->timeoutBox()->setValue(60);
        QSignalSpy finished(editor, &RequestEditor::attemptFinished);
        QTest::mouseClick(editor->sendButton(), Qt::LeftButton);
        QVERIFY(editor->isSending());
        QVERIFY(editor->cancelButton()->isEnabled());
        QTRY_COMPARE(silent.heldCount(), 2);
        QTest::mouseClick(editor->cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QVERIFY(!editor->isSending());
        QVERIFY(editor->responseView()->failureText().contains(u"cancelled"));

        // Every attempt is stored, without a capture: the blank editor's history shows them.
        QTRY_COMPARE(editor->historyModel()->rowCount(), 3);
        QCOMPARE(editor->historyModel()->attemptAt(0).kind, Attempt::Kind::Send);
    }

    void tls_errorShows_ignoringMakesItSucceedForOneSend()
    {
        auto window = makeWindow();
        RawHttpReceiver secure(m_tls);
        window->openRequestInEditor(HttpRequest {"POST", QUrl(secure.url(QStringLiteral("/tls"))), {}, {}, "{}"});
        RequestEditor *editor = window->editors().last();
        QCOMPARE(editor->urlEdit()->text(), secure.url(QStringLiteral("/tls")));
        QVERIFY(!editor->ignoreTlsBox()->isChecked());

        std::optional<Attempt> strict = sendAndWait(editor);
        QVERIFY(strict);
        QCOMPARE(strict->failure, Attempt::Failure::Tls);
        const QString line = editor->responseView()->failureText();
        QVERIFY2(line.contains(u"certificate", Qt::CaseInsensitive), qPrintable(line));
        QVERIFY2(line.contains(u"self-signed", Qt::CaseInsensitive), qPrintable(line));
        QCOMPARE(secure.requests().size(), 0);

        editor->ignoreTlsBox()->setChecked(true);
        std::optional<Attempt> insecure = sendAndWait(editor);
        QVERIFY(insecure);
        QVERIFY2(insecure->succeeded(), qPrintable(insecure->error));
        QCOMPARE(secure.requests().size(), 1);
        QCOMPARE(editor->responseView()->statusText(), QStringLiteral("200 OK"));
        // The choice was for that send only.
        QVERIFY(!editor->ignoreTlsBox()->isChecked());
        QCOMPARE(sendAndWait(editor)->failure, Attempt::Failure::Tls);
    }

    void editors_openFromCodeAndBlank_areClosableTabs()
    {
        auto window = makeWindow();
        const int before = window->workspace()->count();
        HttpRequest request;
        request.method = "PUT";
        request.url = QUrl(QStringLiteral("http://127.0.0.1:9/runs/42?full=1"));
        request.headers = {{"X-Custom", "1"}};
        request.body = "hello";
        window->openRequestInEditor(request);
        window->action(QStringLiteral("newRequest"))->trigger();
        QCOMPARE(window->editors().size(), 2);
        QCOMPARE(window->workspace()->count(), before + 2);
        QCOMPARE(window->workspace()->tabText(before), QStringLiteral("PUT /runs/42"));
        RequestEditor *fromCode = window->editors().first();
        QCOMPARE(fromCode->headerModel()->headers(), request.headers);
        QCOMPARE(fromCode->bodyEditor()->body(), QByteArray("hello"));
        QCOMPARE(window->editors().last()->methodBox()->currentText(), QStringLiteral("POST"));

        // The title follows the method and path.
        fromCode->methodBox()->setEditText(QStringLiteral("PATCH"));
        QCOMPARE(window->workspace()->tabText(before), QStringLiteral("PATCH /runs/42"));

        // Alt+Down moves the current header.
        fromCode->headerModel()->addHeader({"X-Second", "2"});
        window->workspace()->setCurrentWidget(fromCode);
        QApplication::setActiveWindow(window.get());
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        fromCode->headerTable()->setCurrentIndex(fromCode->headerModel()->index(0, 0));
        fromCode->headerTable()->setFocus();
        QTest::keyClick(fromCode->headerTable(), Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(fromCode->headerModel()->headers().at(1).name, QByteArray("X-Custom"));

        // Delete in the editor removes the header, never the captures out of sight.
        const qint64 id = store(window.get(), signedCapture());
        window->selectRow(window->model()->rowOf(id));
        window->workspace()->setCurrentWidget(fromCode);
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        fromCode->headerTable()->setFocus();
        fromCode->headerTable()->setCurrentIndex(fromCode->headerModel()->index(0, 0));
        QTest::keyClick(fromCode->headerTable(), Qt::Key_Delete);
        QCOMPARE(fromCode->headerModel()->rowCount(), 1);
        QCOMPARE(fromCode->headerModel()->headers().first().name, QByteArray("X-Custom"));
        QTest::qWait(200);
        QCOMPARE(window->model()->rowCount(), 1);
        window->workspace()->setCurrentIndex(0);
        QVERIFY(window->action(QStringLiteral("deleteCaptures"))->isEnabled());

        emit window->workspace()->tabCloseRequested(before);
        QTRY_COMPARE(window->editors().size(), 1);
        // The captures tab is not closable.
        emit window->workspace()->tabCloseRequested(0);
        QCOMPARE(window->workspace()->count(), before + 1);
    }
};

QTEST_MAIN(TestRequestEditor)
#include "tst_requesteditor.moc"
