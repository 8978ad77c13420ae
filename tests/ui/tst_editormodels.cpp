// The request editor's parts on their own: the editable header table and the attempt history
// (checked by QAbstractItemModelTester), the body editor's byte rules (never reformats on its
// own, keeps bodies text can't carry), JSON minifying, and the re-sign panel's badge and preview.
#include "editor/attempthistorymodel.h"
#include "editor/bodyeditor.h"
#include "editor/headertablemodel.h"
#include "editor/resignpanel.h"
#include "models/jsontext.h"
#include "signing/schemeregistry.h"
#include "widgets/secretlineedit.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace hookbench;

namespace {

Attempt attemptWithId(qint64 id, int status)
{
    Attempt attempt;
    attempt.id = id;
    attempt.status = status;
    attempt.request.url = QUrl(QStringLiteral("http://127.0.0.1:9000/hooks?x=%7e"));
    attempt.request.target = "/hooks?x=%7e";
    attempt.timeToFirstByteUs = 1500;
    attempt.totalUs = 2500;
    return attempt;
}

} // namespace

class TestEditorModels : public QObject
{
    Q_OBJECT

private slots:
    void headerTable_editsAddsRemovesAndReordersBytes()
    {
        HeaderTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy edited(&model, &HeaderTableModel::headersEdited);
        model.setHeaders({{"Content-Type", "application/json"}, {"x-dup", "one"}, {"X-Dup", "two"}});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.index(1, HeaderTableModel::NameColumn).data().toString(), QStringLiteral("x-dup"));

        QVERIFY(model.setData(model.index(2, HeaderTableModel::ValueColumn), QStringLiteral("zwei ü")));
        QCOMPARE(model.headers().at(2).value, QByteArray("zwei \xc3\xbc"));

        const int row = model.addHeader({"Authorization", "abc"});
        QCOMPARE(row, 3);
        QVERIFY(model.moveHeader(3, -1));
        QVERIFY(model.moveHeader(2, -1));
        QCOMPARE(model.headers().at(1).name, QByteArray("Authorization"));
        QVERIFY(!model.moveHeader(0, -1)); // already first
        QVERIFY(!model.moveHeader(3, +1)); // already last
        QVERIFY(model.moveHeader(0, +1));
        QCOMPARE(model.headers().at(0).name, QByteArray("Authorization"));
        QCOMPARE(model.headers().at(1).name, QByteArray("Content-Type"));

        QVERIFY(model.removeHeaderAt(0));
        QVERIFY(!model.removeHeaderAt(7));
        const HeaderList expected {{"Content-Type", "application/json"}, {"x-dup", "one"}, {"X-Dup", "zwei \xc3\xbc"}};
        QCOMPARE(model.headers(), expected);
        QVERIFY(edited.count() >= 6);
    }

    void headerTable_bytesThatAreNotTextCanBeMovedButNotRetyped()
    {
        HeaderTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setHeaders({{"X-Latin1", "caf\xe9"}, {"bad name", "v"}});
        const QModelIndex latin1 = model.index(0, HeaderTableModel::ValueColumn);
        QCOMPARE(latin1.data().toString(), QStringLiteral("caf\\xe9"));
        QVERIFY(!(model.flags(latin1) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(latin1, QStringLiteral("caf\\xe9")));
        QCOMPARE(model.headers().at(0).value, QByteArray("caf\xe9"));
        QVERIFY(model.flags(model.index(0, HeaderTableModel::NameColumn)) & Qt::ItemIsEditable);
        // An invalid name is pointed at.
        QVERIFY(model.index(1, HeaderTableModel::NameColumn).data(Qt::ToolTipRole).toString().contains(u"valid"));
        QVERIFY(model.moveHeader(0, +1));
        QCOMPARE(model.headers().at(1).value, QByteArray("caf\xe9"));
    }

    void history_newestFirstAndGrowsWithoutReset()
    {
        AttemptHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAttempts({attemptWithId(1, 200), attemptWithId(2, 500)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, AttemptHistoryModel::StatusColumn).data().toString(), QStringLiteral("500"));
        QCOMPARE(model.index(0, AttemptHistoryModel::TargetColumn).data().toString(),
            QStringLiteral("http://127.0.0.1:9000/hooks?x=%7e"));
        QCOMPARE(model.index(0, AttemptHistoryModel::FirstByteColumn).data().toString(), QStringLiteral("1.5 ms"));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        Attempt refused = attemptWithId(3, 0);
        refused.failure = Attempt::Failure::Refused;
        refused.error = QStringLiteral("connection refused by 127.0.0.1:9");
        model.setAttempts({attemptWithId(1, 200), attemptWithId(2, 500), refused});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.index(0, AttemptHistoryModel::StatusColumn).data().toString(), QStringLiteral("refused"));
        QCOMPARE(model.index(0, 0).data(Qt::ToolTipRole).toString(), refused.error);
        QCOMPARE(model.rowOf(1), 2);

        model.setAttempts({attemptWithId(7, 204)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.attemptAt(0).id, 7);
    }

    void minifyJson_removesOnlyWhitespaceBetweenTokens()
    {
        const QByteArray json = "{ \"a b\" : [ 1.10 , 1e3, \"x \\\" y\" ],\n  \"c\":\t\"\\u00e9\" }";
        QCOMPARE(*minifyJson(json), QByteArray("{\"a b\":[1.10,1e3,\"x \\\" y\"],\"c\":\"\\u00e9\"}"));
        QVERIFY(!minifyJson("{\"a\": }"));
    }

    void bodyEditor_neverReformatsUntilAsked()
    {
        BodyEditor editor;
        const QByteArray compact = "{\"b\":1.50,\"a\":[true,null],\"t\":\"caf\xc3\xa9\xc2\xa0x\"}";
        editor.setBody(compact, "application/json");
        QVERIFY(!editor.isReadOnlyBinary());
        QCOMPARE(editor.body(), compact); // the non-breaking space survives the text document
        QTest::qWait(BodyEditor::validateDelayMs * 2); // past the debounce: still untouched
        QCOMPARE(editor.body(), compact);
        QVERIFY(editor.jsonStatus().contains(u"valid JSON"));
        QVERIFY(editor.prettyButton()->toolTip().contains(u"signature"));
        QVERIFY(editor.minifyButton()->toolTip().contains(u"signature"));

        QSignalSpy messages(&editor, &BodyEditor::message);
        editor.prettyButton()->click();
        const QByteArray pretty = JsonText::pretty(compact).text.toUtf8();
        QCOMPARE(editor.body(), pretty);
        QVERIFY(messages.last().first().toString().contains(u"re-sign"));
        editor.minifyButton()->click();
        QCOMPARE(editor.body(), compact);
        editor.textEdit()->undo();
        QCOMPARE(editor.body(), pretty);
    }

    void bodyEditor_jsonErrorIsPointedAtAndClickMovesTheCursor()
    {
        BodyEditor editor;
        editor.setBody("{\n  \"a\": 1,\n  \"b\" 2\n}", "application/json");
        QVERIFY(editor.jsonError().has_value());
        QCOMPARE(editor.jsonError()->line, 3);
        QVERIFY2(editor.jsonStatus().contains(u"line 3, column 7"), qPrintable(editor.jsonStatus()));
        QVERIFY(editor.jsonStatus().contains(u"byte"));
        emit editor.jsonLabel()->linkActivated(QStringLiteral("#error"));
        QCOMPARE(editor.textEdit()->textCursor().position(), int(editor.jsonError()->offset));
        QVERIFY(!editor.makePretty());

        // Typing fixes it (the cursor is where the colon is missing); the check follows.
        QTextCursor cursor = editor.textEdit()->textCursor();
        cursor.insertText(QStringLiteral(":"));
        QTRY_VERIFY(!editor.jsonError().has_value());
        QCOMPARE(editor.body(), QByteArray("{\n  \"a\": 1,\n  \"b\" :2\n}"));
    }

    void bodyEditor_bodiesTextCantCarryAreReadOnlyHexAndKept()
    {
        const QByteArray binary("\x00\xff\xfe{\"a\":1}\x80", 11);
        const QByteArray crlf = "a=1\r\nb=2\r\n";
        for (const QByteArray &body : {binary, crlf}) {
            BodyEditor editor;
            editor.setBody(body, "application/octet-stream");
            QVERIFY(editor.isReadOnlyBinary());
            QCOMPARE(editor.body(), body);
            QVERIFY(editor.note().contains(u"read-only as hex"));
            QVERIFY(!editor.makePretty());
            QVERIFY(!editor.prettyButton()->isEnabled());
        }
    }

    void resignPanel_badgeComparesTheOriginalSignatureWithTheCurrentBytes()
    {
        const QByteArray secret = "s3cret";
        const QByteArray body = "{\"eventType\":\"job.run.completed\"}";
        const HeaderList signedHeaders = createBuiltinScheme(u"dbt-cloud")->sign(body, secret);

        ResignPanel panel;
        panel.setOriginal(signedHeaders, body, true);
        panel.setCurrent(signedHeaders, body);
        panel.setSchemeName(QStringLiteral("dbt-cloud"));
        panel.updateNow();
        QCOMPARE(panel.badge(), ResignPanel::Badge::NeedSecret);
        QCOMPARE(panel.previewText(), QStringLiteral("(enter a secret to see the signature)"));

        panel.secretEdit()->setText(QString::fromLatin1(secret));
        // The debounce brings the update without being asked.
        QTRY_COMPARE(panel.badge(), ResignPanel::Badge::Unchanged);
        QCOMPARE(panel.badgeText(), QStringLiteral("✔ unchanged — original signature valid"));
        QCOMPARE(
            panel.previewText(), QStringLiteral("Authorization: ") + QString::fromLatin1(signedHeaders.first().value));

        panel.setCurrent(signedHeaders, body + ' ');
        QTRY_COMPARE(panel.badge(), ResignPanel::Badge::Changed);
        QVERIFY(panel.badgeText().contains(u"body changed — original signature no longer valid"));
        QVERIFY(panel.previewText()
            != QStringLiteral("Authorization: ") + QString::fromLatin1(signedHeaders.first().value));

        panel.secretEdit()->setText(QStringLiteral("wrong"));
        panel.updateNow();
        QCOMPARE(panel.badge(), ResignPanel::Badge::OriginalInvalid);
        QVERIFY(panel.badgeText().contains(u"original signature did not verify"));

        panel.setOriginal({{"Content-Type", "application/json"}}, body, true);
        panel.updateNow();
        QCOMPARE(panel.badge(), ResignPanel::Badge::OriginalUnsigned);
        QCOMPARE(panel.badgeText(), QStringLiteral("original was not signed"));

        panel.setOriginal({}, {}, false);
        panel.updateNow();
        QCOMPARE(panel.badge(), ResignPanel::Badge::None);
    }

    void resignPanel_writesFreshHeadersThatVerify()
    {
        ResignPanel panel;
        panel.setSchemeName(QStringLiteral("standard-webhooks"));
        const QByteArray secret = "whsec_" + QByteArray("0123456789abcdef0123456789abcdef").toBase64();
        HeaderList headers {{"Content-Type", "application/json"}, {"webhook-signature", "v1,stale"}};
        QString error;
        QVERIFY(!panel.writeSignature(headers, "{}", &error));
        QVERIFY(error.contains(u"secret"));
        panel.setSecret(secret);
        QVERIFY2(panel.writeSignature(headers, "{}", &error), qPrintable(error));
        QCOMPARE(headers.first().name, QByteArray("Content-Type"));
        QCOMPARE(headers.at(1).name, QByteArray("webhook-signature")); // replaced where it was
        QVERIFY(hasHeader(headers, "webhook-id"));
        QVERIFY(hasHeader(headers, "webhook-timestamp"));
        VerifyOptions now;
        now.now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(createBuiltinScheme(u"standard-webhooks")->verify(headers, "{}", {secret}, now).isValid());

        // An unusable secret says why without quoting it.
        panel.setSecret("not-base64-!!");
        panel.updateNow();
        QVERIFY(!panel.writeSignature(headers, "{}", &error));
        QVERIFY(!error.contains(u"not-base64-!!"));
        QVERIFY(!panel.previewText().contains(u"not-base64-!!"));
    }

    void offeredSecrets_fillTheSecretAndScheme()
    {
        ResignPanel panel;
        panel.offerSecrets(QStringLiteral("github"), {"first", "second"});
        QCOMPARE(panel.schemeName(), QStringLiteral("github"));
        QCOMPARE(panel.secret(), QByteArray("first"));
        panel.setSecret("typed");
        panel.offerSecrets(QStringLiteral("github"), {"other"});
        QCOMPARE(panel.secret(), QByteArray("typed")); // never overwrites what the user typed
    }
};

QTEST_MAIN(TestEditorModels)
#include "tst_editormodels.moc"
