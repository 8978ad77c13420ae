#include "hookbenchprocess.h"

#include "dbt/dbtpayloadcheck.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

// The bodies printed, one per line (the newline is not part of a body).
QList<QByteArray> bodies(const ProcessResult &result)
{
    QList<QByteArray> lines = result.out.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

DbtEvent eventOf(const QByteArray &body)
{
    const DbtPayloadCheck check = checkDbtPayload(body);
    Q_ASSERT(check.isDbtEvent());
    return check.event;
}

} // namespace

class TestSampleCommand : public QObject
{
    Q_OBJECT

private slots:
    void noOptions_printsOneCompletedSuccessfulRun()
    {
        const ProcessResult result = runHookbench({QStringLiteral("sample")});
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.err.isEmpty());
        QVERIFY(result.out.endsWith('\n'));
        const QList<QByteArray> printed = bodies(result);
        QCOMPARE(printed.size(), 1);
        const DbtPayloadCheck check = checkDbtPayload(printed.first());
        QVERIFY(check.isDbtEvent());
        QVERIFY(check.findings.isEmpty());
        QCOMPARE(check.event.eventType, DbtEventType::RunCompleted);
        QCOMPARE(check.event.runStatus(), DbtRunStatus::Success);
        QVERIFY(!printed.first().contains("\": ") && !printed.first().contains(", \""));
    }

    void event_andStatus_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("status");
        QTest::newRow("started") << QStringList {QStringLiteral("--event"), QStringLiteral("job.run.started")}
                                 << "job.run.started"
                                 << "Running";
        QTest::newRow("errored") << QStringList {QStringLiteral("--event"), QStringLiteral("job.run.errored")}
                                 << "job.run.errored"
                                 << "Errored";
        QTest::newRow("errored, --status error") << QStringList {QStringLiteral("--event"),
            QStringLiteral("job.run.errored"), QStringLiteral("--status"), QStringLiteral("error")}
                                                 << "job.run.errored"
                                                 << "Errored";
        QTest::newRow("completed error") << QStringList {QStringLiteral("--status"), QStringLiteral("error")}
                                         << "job.run.completed"
                                         << "Errored";
        QTest::newRow("completed cancelled")
            << QStringList {QStringLiteral("--status"), QStringLiteral("cancelled")} << "job.run.completed"
            << "Cancelled";
        QTest::newRow("completed success") << QStringList {QStringLiteral("--event"),
            QStringLiteral("job.run.completed"), QStringLiteral("--status"), QStringLiteral("success")}
                                           << "job.run.completed"
                                           << "Success";
    }

    void event_andStatus()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, type);
        QFETCH(QString, status);
        const ProcessResult result = runHookbench(QStringList {QStringLiteral("sample")} + arguments);
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> printed = bodies(result);
        QCOMPARE(printed.size(), 1);
        const DbtPayloadCheck check = checkDbtPayload(printed.first());
        QVERIFY(check.findings.isEmpty());
        QCOMPARE(check.event.eventTypeName, type);
        QCOMPARE(check.event.runStatusName, status);
    }

    void scenarios_printOneDeliveryPerLine_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("types");
        QTest::newRow("success") << "success"
                                 << QStringList {
                                        QStringLiteral("job.run.started"), QStringLiteral("job.run.completed")};
        QTest::newRow("failure") << "failure"
                                 << QStringList {QStringLiteral("job.run.started"), QStringLiteral("job.run.errored"),
                                        QStringLiteral("job.run.completed")};
        QTest::newRow("retry") << "retry"
                               << QStringList {QStringLiteral("job.run.started"), QStringLiteral("job.run.completed"),
                                      QStringLiteral("job.run.completed")};
    }

    void scenarios_printOneDeliveryPerLine()
    {
        QFETCH(QString, scenario);
        QFETCH(QStringList, types);
        const ProcessResult result = runHookbench({QStringLiteral("sample"), QStringLiteral("--scenario"), scenario});
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> printed = bodies(result);
        QCOMPARE(printed.size(), types.size());
        QString runId;
        DbtTime previous;
        for (qsizetype i = 0; i < printed.size(); ++i) {
            const DbtPayloadCheck check = checkDbtPayload(printed.at(i));
            QVERIFY(check.findings.isEmpty());
            QCOMPARE(check.event.eventTypeName, types.at(i));
            if (i == 0)
                runId = check.event.runId;
            QCOMPARE(check.event.runId, runId);
            QVERIFY(previous <= check.event.timestamp);
            previous = check.event.timestamp;
        }
        if (scenario == u"retry")
            QCOMPARE(printed.at(2), printed.at(1));
        else
            QVERIFY(printed.last() != printed.at(printed.size() - 2));
        if (scenario == u"failure")
            QCOMPARE(eventOf(printed.last()).runStatus(), DbtRunStatus::Errored);
    }

    void runOptions_appearInTheBody()
    {
        const ProcessResult result = runHookbench({QStringLiteral("sample"), QStringLiteral("--scenario"),
            QStringLiteral("failure"), QStringLiteral("--job-id"), QStringLiteral("4242"), QStringLiteral("--run-id"),
            QStringLiteral("777000111"), QStringLiteral("--project"), QStringLiteral("Marketing \"mart\""),
            QStringLiteral("--project-id"), QStringLiteral("55"), QStringLiteral("--environment"),
            QStringLiteral("Prod EU"), QStringLiteral("--environment-id"), QStringLiteral("66"),
            QStringLiteral("--job-name"), QStringLiteral("Nightly"), QStringLiteral("--account-id"),
            QStringLiteral("12"), QStringLiteral("--webhook-id"), QStringLiteral("wsu_abc"),
            QStringLiteral("--webhook-name"), QStringLiteral("ci"), QStringLiteral("--dbt-version"),
            QStringLiteral("1.8.0"), QStringLiteral("--reason"), QStringLiteral("scheduled"),
            QStringLiteral("--message"), QStringLiteral("Database Error"), QStringLiteral("--started-at"),
            QStringLiteral("2025-03-01T06:00:00.9Z"), QStringLiteral("--duration"), QStringLiteral("600")});
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> printed = bodies(result);
        QCOMPARE(printed.size(), 3);
        for (const QByteArray &body : printed) {
            const DbtPayloadCheck check = checkDbtPayload(body);
            QVERIFY(check.findings.isEmpty());
            const DbtEvent &event = check.event;
            QCOMPARE(event.jobId, QStringLiteral("4242"));
            QCOMPARE(event.runId, QStringLiteral("777000111"));
            QCOMPARE(event.projectName, QStringLiteral("Marketing \"mart\""));
            QCOMPARE(event.projectId, QStringLiteral("55"));
            QCOMPARE(event.environmentName, QStringLiteral("Prod EU"));
            QCOMPARE(event.environmentId, QStringLiteral("66"));
            QCOMPARE(event.jobName, QStringLiteral("Nightly"));
            QCOMPARE(event.accountId, std::optional<qint64>(12));
            QCOMPARE(event.webhookId, QStringLiteral("wsu_abc"));
            QCOMPARE(event.webhookName, QStringLiteral("ci"));
            QCOMPARE(event.dbtVersion, QStringLiteral("1.8.0"));
            QCOMPARE(event.runReason, QStringLiteral("scheduled"));
            QCOMPARE(event.runStartedAt.text(), QStringLiteral("2025-03-01T06:00:00Z")); // whole seconds
        }
        QVERIFY(printed.at(0).contains(R"("runStatusMessage":"None")"));
        QVERIFY(printed.at(1).contains(R"("runStatusMessage":"Database Error")"));
        QCOMPARE(eventOf(printed.at(1)).runErroredAt.text(), QStringLiteral("2025-03-01T06:10:00Z"));
        QVERIFY(printed.at(0).contains("\"projectName\":\"Marketing \\\"mart\\\"\""));
    }

    // The printed body is what gets signed: sign it and verify it with the binary itself.
    void printedBody_signsAndVerifiesWithTheBinary()
    {
        const ProcessResult sample
            = runHookbench({QStringLiteral("sample"), QStringLiteral("--event"), QStringLiteral("job.run.errored")});
        QCOMPARE(sample.exitCode, 0);
        const QByteArray body = bodies(sample).first();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bodyFile = dir.filePath(QStringLiteral("body.json"));
        QFile file(bodyFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(body);
        file.close();

        const QStringList secret {QStringLiteral("--secret"), QStringLiteral("s3cr3t")};
        const ProcessResult signature
            = runHookbench(QStringList {QStringLiteral("sign"), QStringLiteral("--body-file"), bodyFile} + secret);
        QCOMPARE(signature.exitCode, 0);
        QVERIFY(signature.out.startsWith("Authorization: "));
        const ProcessResult verified
            = runHookbench(QStringList {QStringLiteral("verify"), QStringLiteral("--body-file"), bodyFile,
                               QStringLiteral("-H"), QString::fromLatin1(signature.out.trimmed())}
                + secret);
        QCOMPARE(verified.exitCode, 0);
        QCOMPARE(verified.out, QByteArrayLiteral("valid\n"));
    }

    void usageErrors_oneLineExit2_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        auto row = [](const char *name, QStringList arguments, const char *mentions) {
            QTest::newRow(name) << arguments << QString::fromLatin1(mentions);
        };
        const QString event = QStringLiteral("--event");
        const QString status = QStringLiteral("--status");
        const QString scenario = QStringLiteral("--scenario");
        row("unknown event", {event, QStringLiteral("job.run.cancelled")}, "job.run.cancelled");
        row("unknown status", {status, QStringLiteral("failed")}, "failed");
        row("unknown scenario", {scenario, QStringLiteral("chaos")}, "chaos");
        row("scenario with event", {scenario, QStringLiteral("success"), event, QStringLiteral("job.run.started")},
            "--event");
        row("scenario with status", {scenario, QStringLiteral("retry"), status, QStringLiteral("error")}, "--status");
        row("started with status", {event, QStringLiteral("job.run.started"), status, QStringLiteral("success")},
            "--status");
        row("errored with success", {event, QStringLiteral("job.run.errored"), status, QStringLiteral("success")},
            "--status");
        row("job id not digits", {QStringLiteral("--job-id"), QStringLiteral("12a")}, "--job-id");
        row("run id empty", {QStringLiteral("--run-id"), QString()}, "--run-id");
        row("run id too long", {QStringLiteral("--run-id"), QString(19, QLatin1Char('9'))}, "--run-id");
        row("account id zero", {QStringLiteral("--account-id"), QStringLiteral("0")}, "--account-id");
        row("bad start", {QStringLiteral("--started-at"), QStringLiteral("yesterday")}, "--started-at");
        row("duration too short", {QStringLiteral("--duration"), QStringLiteral("9")}, "--duration");
        row("empty webhook id", {QStringLiteral("--webhook-id"), QString()}, "--webhook-id");
        row("positional", {QStringLiteral("extra")}, "extra");
        row("unknown option", {QStringLiteral("--colour"), QStringLiteral("red")}, "colour");
        row("missing value", {event}, "event");
    }

    void usageErrors_oneLineExit2()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const ProcessResult result = runHookbench(QStringList {QStringLiteral("sample")} + arguments);
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.startsWith("hookbench sample: "), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY2(result.err.contains(mentions.toUtf8()), result.err.constData());
    }

    void help_listsTheOptions()
    {
        const ProcessResult result = runHookbench({QStringLiteral("sample"), QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("Usage: hookbench sample"));
        for (const char *option : {"--event", "--status", "--scenario", "--job-id", "--run-id", "--project",
                 "--environment", "--account-id", "--started-at"})
            QVERIFY2(result.out.contains(option), option);

        const ProcessResult top = runHookbench({QStringLiteral("--help")});
        QVERIFY(top.out.contains("  sample "));
    }
};

QTEST_GUILESS_MAIN(TestSampleCommand)
#include "tst_samplecommand.moc"
