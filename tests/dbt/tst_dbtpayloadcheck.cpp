#include "documentedsamples.h"

#include "capture/capture.h"
#include "dbt/dbteventwriter.h"
#include "dbt/dbtpayloadcheck.h"
#include "dbt/dbtsummary.h"

#include <QRandomGenerator>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

QByteArray replaced(QByteArray body, const QByteArray &from, const QByteArray &to)
{
    Q_ASSERT_X(body.count(from) == 1, "replaced", from.constData());
    return body.replace(from, to);
}

QString describe(const DbtPayloadCheck &check)
{
    QStringList lines;
    for (const DbtFinding &finding : check.findings)
        lines << finding.codeName() + QLatin1Char(' ') + finding.field + QStringLiteral(": ") + finding.message;
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestDbtPayloadCheck : public QObject
{
    Q_OBJECT

private slots:
    void documentedSamples_parseAndPass_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("status");
        QTest::newRow("started") << documentedStarted() << "job.run.started"
                                 << "Running";
        QTest::newRow("completed") << documentedCompleted() << "job.run.completed"
                                   << "Success";
        QTest::newRow("errored") << documentedErrored() << "job.run.errored"
                                 << "Errored";
        QTest::newRow("2025 completed, errored") << realCompletedErrored2025() << "job.run.completed"
                                                 << "Errored";
    }

    void documentedSamples_parseAndPass()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QString, status);
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.outcome, DbtPayloadCheck::Outcome::Event);
        QVERIFY2(check.findings.isEmpty(), qPrintable(describe(check)));
        QCOMPARE(check.summary(), QStringLiteral("ok"));
        QCOMPARE(check.event.eventTypeName, type);
        QCOMPARE(dbtEventTypeName(check.event.eventType), type);
        QCOMPARE(dbtRunStatusName(check.event.runStatus()), status);
        QCOMPARE(check.event.accountId, std::optional<qint64>(1));
        QCOMPARE(check.event.webhookId, QStringLiteral("wsu_12345abcde"));
        QVERIFY(!check.event.webhookIdOldSpelling);
        QCOMPARE(check.event.jobId, QStringLiteral("123"));
        QCOMPARE(check.event.projectId, QStringLiteral("167194"));
        QVERIFY(check.event.timestamp.isValid());
        QVERIFY(check.event.runStartedAt.isValid());
    }

    void documentedStarted_fieldsAndTimes()
    {
        const DbtEvent event = checkDbtPayload(documentedStarted()).event;
        QCOMPARE(event.eventId, QStringLiteral("wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z"));
        QCOMPARE(event.webhookName, QStringLiteral("test"));
        QCOMPARE(event.jobName, QStringLiteral("Daily Job (dbt build)"));
        QCOMPARE(event.runId, QStringLiteral("12345"));
        QCOMPARE(event.environmentId, QStringLiteral("1234"));
        QCOMPARE(event.environmentName, QStringLiteral("Production"));
        QCOMPARE(event.dbtVersion, QStringLiteral("1.0.0"));
        QCOMPARE(event.projectName, QStringLiteral("Snowflake Github Demo"));
        QCOMPARE(event.runStatusCode, std::optional<qint64>(3));
        QCOMPARE(event.runStatusMessage, QStringLiteral("None"));
        QCOMPARE(event.runReason, QStringLiteral("Kicked off from the UI by test@test.com"));
        QVERIFY(event.runFinishedAt.isNull());
        QVERIFY(event.runErroredAt.isNull());

        // Nanoseconds are kept beside the millisecond QDateTime, and the text is untouched.
        QCOMPARE(event.timestamp.text(), QStringLiteral("2023-01-31T19:28:15.742843678Z"));
        QCOMPARE(event.timestamp.nanosecond(), 742843678);
        QCOMPARE(event.timestamp.utc(), QDateTime(QDate(2023, 1, 31), QTime(19, 28, 15, 742), Qt::UTC));
        QCOMPARE(event.timestamp.utc().timeSpec(), Qt::UTC);
        QCOMPARE(event.runStartedAt.utc(), QDateTime(QDate(2023, 1, 31), QTime(19, 28, 7), Qt::UTC));
        QCOMPARE(event.runStartedAt.nanosecondsTo(event.timestamp), 8742843678LL);
    }

    void documentedSamples_rewriteByteForByte_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("started") << documentedStarted();
        QTest::newRow("completed") << documentedCompleted();
        QTest::newRow("errored") << documentedErrored();
        QTest::newRow("2025") << realCompletedErrored2025();
    }

    // Our serializer writes dbt's key order and dbt's compact form: parsing a documented body
    // and writing the event again gives the same bytes.
    void documentedSamples_rewriteByteForByte()
    {
        QFETCH(QByteArray, body);
        QCOMPARE(writeDbtEvent(checkDbtPayload(body).event), body);
    }

    void oldPayloads_areWarningsNotErrors()
    {
        // Early 2023: no webhookId, projectId or runStatusCode.
        QByteArray body = replaced(documentedStarted(), R"("webhookId":"wsu_12345abcde",)", "");
        body = replaced(body, R"("projectId":"167194",)", "");
        body = replaced(body, R"("runStatusCode":3,)", "");
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.findings.size(), 3);
        for (const DbtFinding &finding : check.findings) {
            QCOMPARE(finding.code, DbtFindingCode::MissingOptionalField);
            QCOMPARE(finding.severity(), DbtSeverity::Warning);
        }
        QCOMPARE(check.summary(), QStringLiteral("warnings"));
        QCOMPARE(check.event.runStatus(), DbtRunStatus::Running);
        QVERIFY(check.event.webhookId.isNull());
        // An old payload is still written back as it came.
        QCOMPARE(writeDbtEvent(check.event), body);
    }

    void malformedVariant_yieldsItsFindingOnly_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code"); // empty: no finding at all
        QTest::addColumn<QString>("field");

        const QByteArray started = documentedStarted();
        const QByteArray completed = documentedCompleted();
        const QByteArray errored = documentedErrored();
        auto row = [](const char *name, const QByteArray &body, const char *code, const char *field) {
            QTest::newRow(name) << body << QString::fromLatin1(code) << QString::fromLatin1(field);
        };

        // Missing and mistyped fields.
        row("runId missing", replaced(started, R"("runId":"12345",)", ""), "missing-field", "data.runId");
        row("eventId missing", replaced(started, R"("eventId":"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z",)", ""),
            "missing-field", "eventId");
        row("webhookName missing", replaced(started, R"("webhookName":"test",)", ""), "missing-field", "webhookName");
        row("data missing", started.left(started.indexOf(R"(,"data":)")) + '}', "missing-field", "data");
        row("runFinishedAt missing on completed", replaced(completed, R"(,"runFinishedAt":"2023-01-31T19:29:32Z")", ""),
            "missing-field", "data.runFinishedAt");
        row("runErroredAt missing on errored", replaced(errored, R"(,"runErroredAt":"2023-01-31T21:15:20Z")", ""),
            "missing-field", "data.runErroredAt");
        row("accountId a string", replaced(started, R"("accountId":1,)", R"("accountId":"1",)"), "wrong-type",
            "accountId");
        row("accountId not an integer", replaced(started, R"("accountId":1,)", R"("accountId":1.5,)"), "wrong-type",
            "accountId");
        row("runStatusCode a string", replaced(started, R"("runStatusCode":3,)", R"("runStatusCode":"3",)"),
            "wrong-type", "data.runStatusCode");
        row("jobId a number", replaced(started, R"("jobId":"123",)", R"("jobId":123,)"), "wrong-type", "data.jobId");
        row("eventId a number", replaced(started, R"("eventId":"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z",)", R"("eventId":7,)"),
            "wrong-type", "eventId");
        row("runStatus null", replaced(started, R"("runStatus":"Running",)", R"("runStatus":null,)"), "wrong-type",
            "data.runStatus");
        row("data an array", started.left(started.indexOf(R"("data":)")) + R"("data":[]})", "wrong-type", "data");
        row("eventType not a string", replaced(started, R"("eventType":"job.run.started",)", R"("eventType":3,)"),
            "wrong-type", "eventType");

        // Event type and status.
        row("unknown event type", replaced(started, "job.run.started", "job.run.cancelled"), "unknown-event-type",
            "eventType");
        row("status disagrees with code", replaced(started, R"("runStatusCode":3,)", R"("runStatusCode":10,)"),
            "status-mismatch", "data.runStatus");
        row("errored says Errored, code Success", replaced(errored, R"("runStatusCode":20,)", R"("runStatusCode":10,)"),
            "status-mismatch", "data.runStatus");
        row("Admin API spelling Error", replaced(errored, R"("runStatus":"Errored")", R"("runStatus":"Error")"),
            "unknown-run-status", "data.runStatus");
        row("unknown status code", replaced(started, R"("runStatusCode":3,)", R"("runStatusCode":7,)"),
            "unknown-run-status-code", "data.runStatusCode");
        row("completed still running",
            replaced(replaced(completed, R"("runStatus":"Success")", R"("runStatus":"Running")"),
                R"("runStatusCode":10,)", R"("runStatusCode":3,)"),
            "event-status-mismatch", "data.runStatus");
        row("errored with Success",
            replaced(replaced(errored, R"("runStatus":"Errored")", R"("runStatus":"Success")"),
                R"("runStatusCode":20,)", R"("runStatusCode":10,)"),
            "event-status-mismatch", "data.runStatus");

        // Times.
        row("timestamp with a space",
            replaced(started, "2023-01-31T19:28:15.742843678Z", "2023-01-31 19:28:15.742843678Z"), "bad-timestamp",
            "timestamp");
        row("timestamp with 10 fraction digits",
            replaced(started, "2023-01-31T19:28:15.742843678Z", "2023-01-31T19:28:15.7428436781Z"), "bad-timestamp",
            "timestamp");
        row("timestamp without zone",
            replaced(started, "2023-01-31T19:28:15.742843678Z", "2023-01-31T19:28:15.742843678"), "bad-timestamp",
            "timestamp");
        row("runStartedAt not a time", replaced(started, "2023-01-31T19:28:07Z", "yesterday"), "bad-timestamp",
            "data.runStartedAt");
        row("runStartedAt 31 February", replaced(started, "2023-01-31T19:28:07Z", "2023-02-31T19:28:07Z"),
            "bad-timestamp", "data.runStartedAt");
        row("finished before start", replaced(completed, "2023-01-31T19:29:32Z", "2023-01-31T19:28:06Z"),
            "finished-before-start", "data.runFinishedAt");
        row("errored before start",
            replaced(errored, R"("runErroredAt":"2023-01-31T21:15:20Z")", R"("runErroredAt":"2023-01-31T21:14:40Z")"),
            "errored-before-start", "data.runErroredAt");

        // Ids.
        row("eventId 26 characters",
            replaced(started, "wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z", "wev_2L6Z3l8uPedXKPq9D2nWbPIip7"), "bad-event-id",
            "eventId");
        row("eventId other prefix",
            replaced(started, "wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z", "evt_2L6Z3l8uPedXKPq9D2nWbPIip7Z"), "bad-event-id",
            "eventId");
        row("eventId with a dash",
            replaced(started, "wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z", "wev_2L6Z3l8uPedXKPq9D2nWbPI-p7Z"), "bad-event-id",
            "eventId");
        row("jobId not numeric", replaced(started, R"("jobId":"123",)", R"("jobId":"job-123",)"), "non-numeric-id",
            "data.jobId");

        // Spelling, old payloads, extras.
        row("webhooksID spelling", replaced(started, R"("webhookId":)", R"("webhooksID":)"), "old-webhook-id-spelling",
            "webhooksID");
        row("no webhookId", replaced(started, R"("webhookId":"wsu_12345abcde",)", ""), "missing-optional-field",
            "webhookId");
        row("no projectId", replaced(started, R"("projectId":"167194",)", ""), "missing-optional-field",
            "data.projectId");
        row("no runStatusCode", replaced(started, R"("runStatusCode":3,)", ""), "missing-optional-field",
            "data.runStatusCode");
        row("extra envelope field",
            replaced(started, R"("webhookName":"test",)", R"("webhookName":"test","region":"emea",)"), "unknown-field",
            "region");
        row("extra data field", replaced(started, R"("jobId":"123",)", R"("jobId":"123","jobType":"scheduled",)"),
            "unknown-field", "data.jobType");
        row("runFinishedAt on started",
            replaced(started, R"("runStartedAt":"2023-01-31T19:28:07Z")",
                R"("runStartedAt":"2023-01-31T19:28:07Z","runFinishedAt":"2023-01-31T19:29:32Z")"),
            "unexpected-field", "data.runFinishedAt");
        row("runErroredAt on completed",
            replaced(completed, R"("runFinishedAt":"2023-01-31T19:29:32Z")",
                R"("runFinishedAt":"2023-01-31T19:29:32Z","runErroredAt":"2023-01-31T19:29:30Z")"),
            "unexpected-field", "data.runErroredAt");

        row("eventId twice",
            replaced(started, R"("eventType":)", R"("eventId":"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z","eventType":)"),
            "duplicate-key", "eventId");
        row("data.runId twice", replaced(started, R"("jobName":)", R"("runId":"99","jobName":)"), "duplicate-key",
            "data.runId");

        // Variations dbt really sends: no finding at all.
        row("empty dbtVersion", replaced(started, R"("dbtVersion":"1.0.0")", R"("dbtVersion":"")"), "", "");
        row("versionless dbtVersion",
            replaced(started, R"("dbtVersion":"1.0.0")", R"("dbtVersion":"2025.9.30+21d3fd7")"), "", "");
        row("empty runReason",
            replaced(started, R"("runReason":"Kicked off from the UI by test@test.com")", R"("runReason":"")"), "", "");
        row("timestamp with offset",
            replaced(started, "2023-01-31T19:28:15.742843678Z", "2023-01-31T20:28:15.742843678+01:00"), "", "");
        row("timestamp in milliseconds",
            replaced(started, "2023-01-31T19:28:15.742843678Z", "2023-01-31T19:28:15.742Z"), "", "");
        row("cancelled run",
            replaced(replaced(completed, R"("runStatus":"Success")", R"("runStatus":"Cancelled")"),
                R"("runStatusCode":10,)", R"("runStatusCode":30,)"),
            "", "");
        row("errored run completed", realCompletedErrored2025(), "", "");
        row("whitespace around", " \r\n" + started + "\n", "", "");
        row("UTF-8 BOM", "\xef\xbb\xbf" + started, "", "");
    }

    void malformedVariant_yieldsItsFindingOnly()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, field);
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.outcome, DbtPayloadCheck::Outcome::Event);
        if (code.isEmpty()) {
            QVERIFY2(check.findings.isEmpty(), qPrintable(describe(check)));
            QCOMPARE(summarizeDbtEvent(body).check, QStringLiteral("ok"));
            return;
        }
        QVERIFY2(check.findings.size() == 1, qPrintable(describe(check)));
        const DbtFinding &finding = check.findings.first();
        QCOMPARE(finding.codeName(), code);
        QCOMPARE(finding.field, field);
        QVERIFY(!finding.message.isEmpty());
        QVERIFY2(!finding.message.contains(QLatin1Char('\n')), qPrintable(finding.message));
        QVERIFY2(finding.message.contains(field.isEmpty() ? QStringLiteral("JSON") : field.section(u'.', -1)),
            qPrintable(finding.message));
        const QString expectedSummary = finding.severity() == DbtSeverity::Error ? QStringLiteral("errors")
            : finding.severity() == DbtSeverity::Warning                         ? QStringLiteral("warnings")
                                                                                 : QStringLiteral("notes");
        QCOMPARE(check.summary(), expectedSummary);
        QCOMPARE(summarizeDbtEvent(body).check, expectedSummary);
    }

    void findingCodes_areStableAndDistinct()
    {
        QSet<QString> names;
        for (DbtFindingCode code : allDbtFindingCodes()) {
            const QString name = dbtFindingCodeName(code);
            QVERIFY(!name.isEmpty());
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
        }
        QCOMPARE(names.size(), 18);
        QCOMPARE(dbtFindingSeverity(DbtFindingCode::UnknownField), DbtSeverity::Note);
        QCOMPARE(dbtFindingSeverity(DbtFindingCode::MissingOptionalField), DbtSeverity::Warning);
        QCOMPARE(dbtFindingSeverity(DbtFindingCode::StatusMismatch), DbtSeverity::Error);
    }

    void messages_quoteValuesOnOneLineAndShort()
    {
        const QByteArray longType = "job.run." + QByteArray(300, 'x') + "\\nsecond line";
        const DbtPayloadCheck check = checkDbtPayload(replaced(documentedStarted(), "job.run.started", longType));
        QCOMPARE(check.findings.size(), 1);
        const QString message = check.findings.first().message;
        QVERIFY2(message.size() < 200, qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
        QVERIFY(message.contains(QStringLiteral("\"job.run.xxx")));
    }

    void severalProblems_areAllReportedInFieldOrder()
    {
        QByteArray body = replaced(documentedCompleted(), "wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD", "wev_short");
        body = replaced(body, R"("runStatusCode":10,)", R"("runStatusCode":20,)");
        body = replaced(body, R"("jobId":"123",)", R"("jobId":"123","extra":true,)");
        const DbtPayloadCheck check = checkDbtPayload(body);
        QStringList codes;
        for (const DbtFinding &finding : check.findings)
            codes << finding.codeName();
        QCOMPARE(codes,
            (QStringList {
                QStringLiteral("bad-event-id"), QStringLiteral("status-mismatch"), QStringLiteral("unknown-field")}));
        QCOMPARE(check.worstSeverity(), std::optional(DbtSeverity::Error));
        QCOMPARE(check.summary(), QStringLiteral("errors"));
    }

    void duplicateKeys_lastCountsAndEarlierAreReported()
    {
        const QByteArray body
            = replaced(documentedStarted(), R"("jobName":)", R"("runId":"99","x":1,"x":2,"jobName":)");
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.event.runId, QStringLiteral("12345")); // the last one, as Python and Qt read it
        QStringList found;
        for (const DbtFinding &finding : check.findings)
            found << finding.codeName() + QLatin1Char(' ') + finding.field;
        QCOMPARE(found,
            (QStringList {QStringLiteral("duplicate-key data.x"), QStringLiteral("duplicate-key data.runId"),
                QStringLiteral("unknown-field data.x")}));
    }

    void manyUnknownKeys_areEachReported()
    {
        QByteArray extra;
        for (int i = 0; i < 3000; ++i)
            extra += "\"k" + QByteArray::number(i % 2000) + "\":" + QByteArray::number(i) + ',';
        const QByteArray body = replaced(documentedStarted(), R"("jobId":)", extra + R"("jobId":)");
        QVERIFY(body.size() < maxDbtSummaryBodySize);
        const DbtPayloadCheck check = checkDbtPayload(body);
        int unknown = 0;
        int duplicates = 0;
        for (const DbtFinding &finding : check.findings) {
            unknown += finding.code == DbtFindingCode::UnknownField;
            duplicates += finding.code == DbtFindingCode::DuplicateKey;
        }
        QCOMPARE(unknown, 2000);
        QCOMPARE(duplicates, 1000);
        QCOMPARE(check.findings.size(), 3000);
        QCOMPARE(summarizeDbtEvent(body).check, QStringLiteral("warnings"));
    }

    // Qt's QJsonDocument accepts these; Python's json module (and so most dbt receivers) doesn't.
    void strictJson_refusesWhatStrictReceiversRefuse_data()
    {
        QTest::addColumn<QByteArray>("body");
        const QByteArray started = documentedStarted();
        QTest::newRow("raw tab in a string") << replaced(started, "Daily Job", "Daily\tJob");
        QTest::newRow("raw newline in a string") << replaced(started, "Daily Job", "Daily\nJob");
        QTest::newRow("backslash-x escape") << replaced(started, "Daily Job", "Daily\\xJob");
        QTest::newRow("number 1.") << replaced(started, R"("accountId":1,)", R"("accountId":1.,)");
        QTest::newRow("number .5") << replaced(started, R"("accountId":1,)", R"("accountId":.5,)");
    }

    void strictJson_refusesWhatStrictReceiversRefuse()
    {
        QFETCH(QByteArray, body);
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.outcome, DbtPayloadCheck::Outcome::InvalidJson);
        QCOMPARE(summarizeDbtEvent(body).check, QStringLiteral("errors"));
    }

    void invalidJson_givesTheByteOffset_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("near");
        const QByteArray started = documentedStarted();
        const qsizetype runId = started.indexOf(R"("runId":)") + 8;
        QTest::newRow("bare word value") << replaced(started, R"("runId":"12345")", R"("runId":x12345)")
                                         << qint64(runId);
        QTest::newRow("truncated") << started.left(200) << qint64(200);
        QTest::newRow("trailing comma") << replaced(started, R"(:"test",)", R"(:"test",,)")
                                        << qint64(started.indexOf(",\"data\""));
    }

    void invalidJson_givesTheByteOffset()
    {
        QFETCH(QByteArray, body);
        QFETCH(qint64, near);
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.outcome, DbtPayloadCheck::Outcome::InvalidJson);
        QVERIFY(!check.isDbtEvent());
        QVERIFY2(check.jsonErrorOffset >= near && check.jsonErrorOffset <= near + 2,
            qPrintable(QString::number(check.jsonErrorOffset)));
        QCOMPARE(check.findings.size(), 1);
        QCOMPARE(check.findings.first().code, DbtFindingCode::InvalidJson);
        QVERIFY(check.findings.first().message.contains(QString::number(check.jsonErrorOffset)));
        QCOMPARE(check.summary(), QString());
        // It looked like a dbt event on the way in, so the capture list flags it.
        const DbtSummary summary = summarizeDbtEvent(body);
        QCOMPARE(summary.check, QStringLiteral("errors"));
        QVERIFY(summary.eventType.isEmpty());
    }

    void invalidJson_thatCannotBeDbt_isNotFlaggedInTheSummary()
    {
        const DbtPayloadCheck check = checkDbtPayload("hello");
        QCOMPARE(check.outcome, DbtPayloadCheck::Outcome::InvalidJson);
        QVERIFY(check.jsonErrorOffset >= 0 && check.jsonErrorOffset <= 1); // Qt points at or just after the h
        QVERIFY(!summarizeDbtEvent("hello").isDbtEvent());
        // A truncated object that never says eventType isn't flagged either.
        QVERIFY(!summarizeDbtEvent("{\"accountId\":1,\"webhookId\":\"ws").isDbtEvent());
    }

    void notDbtEvents_areNotFaultyDbtEvents_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("array") << QByteArray(R"([{"eventType":"job.run.started"}])");
        QTest::newRow("string") << QByteArray(R"("eventType")");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("github") << QByteArray(R"({"action":"opened","number":1,"pull_request":{}})");
        QTest::newRow("stripe") << QByteArray(R"({"id":"evt_1","object":"event","type":"charge.succeeded","data":{}})");
        QTest::newRow("event grid") << QByteArray(
            R"({"id":"1","eventType":"Microsoft.Storage.BlobCreated","subject":"/x","data":{},"eventTime":"2023-01-31T19:28:15Z"})");
    }

    void notDbtEvents_areNotFaultyDbtEvents()
    {
        QFETCH(QByteArray, body);
        const DbtPayloadCheck check = checkDbtPayload(body);
        QCOMPARE(check.outcome, DbtPayloadCheck::Outcome::NotDbtEvent);
        QVERIFY(check.findings.isEmpty());
        QCOMPARE(check.summary(), QString());
        const DbtSummary summary = summarizeDbtEvent(body);
        QVERIFY(!summary.isDbtEvent());
        QVERIFY(summary.eventType.isEmpty() && summary.eventId.isEmpty() && summary.runId.isEmpty());
    }

    void summarize_documentedSamples()
    {
        const DbtSummary summary = summarizeDbtEvent(documentedErrored());
        QCOMPARE(summary.eventType, QStringLiteral("job.run.errored"));
        QCOMPARE(summary.eventId, QStringLiteral("wev_2L6m5BggBw9uPNuSmtg4MUiW4Re"));
        QCOMPARE(summary.runId, QStringLiteral("12345"));
        QCOMPARE(summary.check, QStringLiteral("ok"));
        QVERIFY(summary.isDbtEvent());

        const DbtSummary unknown
            = summarizeDbtEvent(replaced(documentedStarted(), "job.run.started", "job.run.paused"));
        QCOMPARE(unknown.eventType, QStringLiteral("job.run.paused"));
        QCOMPARE(unknown.check, QStringLiteral("errors"));
    }

    void summarize_nonDbtBodies_giveEmptyFields_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("whitespace") << QByteArray(" \n\t");
        QTest::newRow("form") << QByteArray("eventType=job.run.started&runId=1");
        QTest::newRow("xml") << QByteArray("<eventType>job.run.started</eventType>");
        QTest::newRow("array of events") << ('[' + documentedStarted() + ']');
        QTest::newRow("other json") << QByteArray(R"({"type":"job.run.started","id":"wev_x"})");
        QTest::newRow("NUL and 0xFF") << QByteArrayLiteral("\0\xff{\"eventType\":\"job.run.started\"}");
        QByteArray random(4096, Qt::Uninitialized);
        QRandomGenerator generator(20230131);
        for (char &byte : random)
            byte = char(generator.bounded(256));
        random[0] = 'x';
        QTest::newRow("random bytes") << random;
        // Too big to be a dbt event, whatever it says.
        QTest::newRow("2 MiB") << replaced(documentedStarted(), "\"jobName\":\"Daily Job (dbt build)\"",
            "\"jobName\":\"" + QByteArray(2 * 1024 * 1024, 'j') + '"');
    }

    void summarize_nonDbtBodies_giveEmptyFields()
    {
        QFETCH(QByteArray, body);
        Capture capture;
        capture.body = body;
        capture.dbtEventType = QStringLiteral("stale");
        capture.dbtCheck = QStringLiteral("ok");
        applyDbtSummary(capture);
        QVERIFY(capture.dbtEventType.isEmpty());
        QVERIFY(capture.dbtEventId.isEmpty());
        QVERIFY(capture.dbtRunId.isEmpty());
        QVERIFY(capture.dbtCheck.isEmpty());
        QCOMPARE(capture.body, body); // untouched
    }

    void applyDbtSummary_fillsTheCaptureFields()
    {
        Capture capture;
        capture.body = documentedCompleted();
        applyDbtSummary(capture);
        QCOMPARE(capture.dbtEventType, QStringLiteral("job.run.completed"));
        QCOMPARE(capture.dbtEventId, QStringLiteral("wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD"));
        QCOMPARE(capture.dbtRunId, QStringLiteral("12345"));
        QCOMPARE(capture.dbtCheck, QStringLiteral("ok"));
        QCOMPARE(capture.body, documentedCompleted());
    }

    void summarize_cutsOverlongValues()
    {
        const QByteArray runId(5000, '7');
        const DbtSummary summary
            = summarizeDbtEvent(replaced(documentedStarted(), R"("runId":"12345")", "\"runId\":\"" + runId + '"'));
        QCOMPARE(summary.runId.size(), maxDbtSummaryFieldLength);
        QCOMPARE(summary.check, QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestDbtPayloadCheck)
#include "tst_dbtpayloadcheck.moc"
