#include "attemptoutput.h"
#include "commandline.h"
#include "commands.h"
#include "sendflags.h"

#include "dbt/dbtrequest.h"
#include "dbt/dbtsamplegenerator.h"
#include "replay/httpsender.h"

#include <QEventLoop>
#include <QJsonDocument>

#include <algorithm>

namespace hookbench::cli {

namespace {

// Options that shape the run; shared by every way of delivering the samples.
void addSampleOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("event"),
        QStringLiteral("One event: job.run.started, job.run.completed or job.run.errored. Default: "
                       "job.run.completed."),
        QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("status"),
        QStringLiteral("How the completed run ended: success, error or cancelled. Default: success."),
        QStringLiteral("STATUS")});
    parser.addOption({QStringLiteral("scenario"),
        QStringLiteral("A whole run, one event per line: success (started, completed), failure (started, errored, "
                       "completed) or retry (started, completed, the completed delivery again)."),
        QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("job-id"), QStringLiteral("The job's id (digits)."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("job-name"), QStringLiteral("The job's name."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("run-id"), QStringLiteral("The run's id (digits). Default: a fresh one."),
        QStringLiteral("ID")});
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project's name."), QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("project-id"), QStringLiteral("The project's id (digits)."), QStringLiteral("ID")});
    parser.addOption(
        {QStringLiteral("environment"), QStringLiteral("The environment's name."), QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("environment-id"), QStringLiteral("The environment's id (digits)."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("account-id"), QStringLiteral("The account's id."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("webhook-id"), QStringLiteral("The webhook's id (wsu_…)."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("webhook-name"), QStringLiteral("The webhook's name."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("dbt-version"), QStringLiteral("The dbt version."), QStringLiteral("VERSION")});
    parser.addOption(
        {QStringLiteral("reason"), QStringLiteral("Why the run started (runReason)."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("message"),
        QStringLiteral("runStatusMessage of the outcome. Default: None, or 'dbt command failed' for errors."),
        QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("started-at"),
        QStringLiteral("When the run started, RFC 3339 (e.g. 2025-03-01T06:00:00Z). Default: so that the run's "
                       "last event is now."),
        QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("duration"),
        QStringLiteral("Seconds from the start to the finish or error (%1 to %2). Default: 85.")
            .arg(minDbtSampleDurationSeconds)
            .arg(maxDbtSampleDurationSeconds),
        QStringLiteral("SECONDS")});
}

QString idOption(const QCommandLineParser &parser, const QString &name, const QString &fallback)
{
    if (!parser.isSet(name))
        return fallback;
    const QString value = parser.value(name);
    const bool digits = !value.isEmpty() && value.size() <= 18
        && std::all_of(value.cbegin(), value.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    if (!digits)
        throw UsageError {QStringLiteral("--%1 must be 1 to 18 digits, not \"%2\"").arg(name, value.left(40))};
    return value;
}

QString textOption(const QCommandLineParser &parser, const QString &name, const QString &fallback)
{
    return parser.isSet(name) ? parser.value(name) : fallback;
}

DbtSampleSettings settingsFromOptions(const QCommandLineParser &parser)
{
    DbtSampleSettings settings;
    settings.jobId = idOption(parser, QStringLiteral("job-id"), settings.jobId);
    settings.runId = idOption(parser, QStringLiteral("run-id"), settings.runId);
    settings.projectId = idOption(parser, QStringLiteral("project-id"), settings.projectId);
    settings.environmentId = idOption(parser, QStringLiteral("environment-id"), settings.environmentId);
    if (parser.isSet(QStringLiteral("account-id")))
        settings.accountId = integerOption(parser, QStringLiteral("account-id"), 1, (1LL << 53) - 1);
    settings.jobName = textOption(parser, QStringLiteral("job-name"), settings.jobName);
    settings.projectName = textOption(parser, QStringLiteral("project"), settings.projectName);
    settings.environmentName = textOption(parser, QStringLiteral("environment"), settings.environmentName);
    settings.webhookId = textOption(parser, QStringLiteral("webhook-id"), settings.webhookId);
    if (settings.webhookId.isEmpty())
        throw UsageError {QStringLiteral("--webhook-id must not be empty")};
    settings.webhookName = textOption(parser, QStringLiteral("webhook-name"), settings.webhookName);
    settings.dbtVersion = textOption(parser, QStringLiteral("dbt-version"), settings.dbtVersion);
    settings.runReason = textOption(parser, QStringLiteral("reason"), settings.runReason);
    if (parser.isSet(QStringLiteral("message")))
        settings.statusMessage = parser.value(QStringLiteral("message"));
    if (parser.isSet(QStringLiteral("started-at"))) {
        const DbtTime startedAt = DbtTime::parse(parser.value(QStringLiteral("started-at")));
        if (!startedAt.isValid())
            throw UsageError {QStringLiteral("--started-at must be an RFC 3339 time such as 2025-03-01T06:00:00Z, "
                                             "not \"%1\"")
                                  .arg(parser.value(QStringLiteral("started-at")).left(40))};
        // dbt reports run times in whole seconds.
        settings.startedAt = QDateTime::fromSecsSinceEpoch(startedAt.secondsSinceEpoch(), Qt::UTC);
    }
    if (parser.isSet(QStringLiteral("duration")))
        settings.durationSeconds = int(integerOption(
            parser, QStringLiteral("duration"), minDbtSampleDurationSeconds, maxDbtSampleDurationSeconds));
    return settings;
}

DbtRunStatus statusFromOptions(const QCommandLineParser &parser)
{
    const QString status = parser.value(QStringLiteral("status"));
    if (status == u"success")
        return DbtRunStatus::Success;
    if (status == u"error")
        return DbtRunStatus::Errored;
    if (status == u"cancelled")
        return DbtRunStatus::Cancelled;
    throw UsageError {
        QStringLiteral("unknown --status \"%1\" (choose from success, error, cancelled)").arg(status.left(40))};
}

// The deliveries the options ask for, in sending order.
QList<DbtSampleDelivery> samplesFromOptions(const QCommandLineParser &parser)
{
    const bool hasEvent = parser.isSet(QStringLiteral("event"));
    const bool hasStatus = parser.isSet(QStringLiteral("status"));
    if (parser.isSet(QStringLiteral("scenario"))) {
        if (hasEvent || hasStatus)
            throw UsageError {QStringLiteral("--scenario decides the events and the status; drop --%1")
                                  .arg(hasEvent ? QStringLiteral("event") : QStringLiteral("status"))};
        const QString name = parser.value(QStringLiteral("scenario"));
        const auto scenario = dbtScenarioFromName(name);
        if (!scenario)
            throw UsageError {
                QStringLiteral("unknown --scenario \"%1\" (choose from success, failure, retry)").arg(name.left(40))};
        return DbtSampleGenerator(settingsFromOptions(parser)).scenario(*scenario);
    }

    DbtEventType type = DbtEventType::RunCompleted;
    if (hasEvent) {
        type = dbtEventTypeFromName(parser.value(QStringLiteral("event")));
        if (type == DbtEventType::Unknown)
            throw UsageError {QStringLiteral("unknown --event \"%1\" (choose from job.run.started, job.run.completed, "
                                             "job.run.errored)")
                                  .arg(parser.value(QStringLiteral("event")).left(40))};
    }
    const DbtRunStatus status = hasStatus ? statusFromOptions(parser) : DbtRunStatus::Success;
    if (hasStatus && type == DbtEventType::RunStarted)
        throw UsageError {QStringLiteral("--status applies to job.run.completed; a started run is Running")};
    if (hasStatus && type == DbtEventType::RunErrored && status != DbtRunStatus::Errored)
        throw UsageError {QStringLiteral("job.run.errored is always an errored run; drop --status")};
    return {DbtSampleGenerator(settingsFromOptions(parser)).event(type, status)};
}

// Delivers each sample in order, as dbt Cloud would: POST, signed with the dbt-cloud scheme.
// Prints each response (or one JSON object per delivery); the exit code is the worst outcome,
// with the same meaning as `hookbench send`'s.
int sendDeliveries(const CommandLine &commandLine, const QList<DbtSampleDelivery> &deliveries)
{
    const QCommandLineParser &parser = commandLine.parser();
    const QUrl url = destinationFrom(parser);
    const SendOptions options = sendOptionsFrom(parser);
    const QList<SecretSource> secrets = readSecrets(commandLine, true);
    if (secrets.size() > 1)
        printWarning(commandLine.command(),
            QStringLiteral("%1 secrets given; signing with %2").arg(secrets.size()).arg(secrets.first().description));
    const bool json = parser.isSet(QStringLiteral("json"));

    HttpSender sender;
    int exitCode = ExitOk;
    for (const DbtSampleDelivery &delivery : deliveries) {
        Attempt attempt;
        QEventLoop loop;
        sender.send(dbtDeliveryRequest(delivery.body, url, secrets.first().secret), options, &loop,
            [&](const Attempt &finished) {
                attempt = finished;
                loop.quit();
            });
        loop.exec();

        const QString eventType = delivery.event.eventTypeName;
        if (json) {
            QJsonObject object = attemptJson(attempt);
            object.insert(QStringLiteral("eventType"), eventType);
            object.insert(QStringLiteral("eventId"), delivery.event.eventId);
            object.insert(QStringLiteral("redelivery"), delivery.redelivery);
            writeOut(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
        } else {
            writeOut(
                QStringLiteral("> %1 %2%3 (%4 bytes)\n")
                    .arg(eventType, delivery.event.eventId, delivery.redelivery ? QStringLiteral(" again") : QString())
                    .arg(delivery.body.size())
                    .toUtf8());
            if (attempt.failure == Attempt::Failure::None) {
                QByteArray text = responseText(attempt);
                if (!text.endsWith('\n'))
                    text += '\n';
                writeOut(text);
            }
        }
        const QString why = attemptProblem(attempt);
        if (!why.isEmpty())
            printError(commandLine.command(), QStringLiteral("%1: %2").arg(eventType, why));
        exitCode = std::max(exitCode, attemptExitCode(attempt));
    }
    return exitCode;
}

} // namespace

int runSample(const QStringList &arguments)
{
    const QString command = QStringLiteral("sample");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench sample [--event job.run.started|job.run.completed|job.run.errored] "
                           "[--status success|error|cancelled] [--scenario success|failure|retry] [--job-id ID] "
                           "[--run-id ID] [--project NAME] [more run options] [--to URL [SECRET] [--json]]"),
            QStringLiteral(
                "Prints dbt Cloud webhook bodies exactly as dbt sends them (compact JSON, dbt's key order, "
                "fresh wev_ event ids, nanosecond timestamps), one per line; the newline is not part of "
                "the body. A scenario prints each delivery of one run in order. With --to URL, each delivery is sent "
                "there instead, in order, signed with the dbt-cloud scheme (SECRET), and the responses "
                "are printed; exit codes as hookbench send (0 all 2xx, 1 another status, 3 no answer)."));
        QCommandLineParser &parser = commandLine.parser();
        addSampleOptions(parser);
        addSendOptions(parser);
        addSecretOptions(parser);
        parser.addOption({QStringLiteral("json"), QStringLiteral("With --to: one JSON object per delivery.")});
        if (!commandLine.parse(arguments))
            return int(ExitOk);
        if (!parser.positionalArguments().isEmpty())
            throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first())};

        const QList<DbtSampleDelivery> deliveries = samplesFromOptions(parser);
        if (parser.isSet(QStringLiteral("to")))
            return sendDeliveries(commandLine, deliveries);
        for (const QString &option : {QStringLiteral("json"), QStringLiteral("insecure"), QStringLiteral("secret"),
                 QStringLiteral("secret-env"), QStringLiteral("secret-file")}) {
            if (parser.isSet(option))
                throw UsageError {QStringLiteral("--%1 only applies with --to URL").arg(option)};
        }
        QByteArray out;
        for (const DbtSampleDelivery &delivery : deliveries)
            out += delivery.body + '\n';
        writeOut(out);
        return int(ExitOk);
    });
}

} // namespace hookbench::cli
