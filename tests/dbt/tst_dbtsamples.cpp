#include "dbt/dbteventwriter.h"
#include "dbt/dbtpayloadcheck.h"
#include "dbt/dbtrequest.h"
#include "dbt/dbtsamplegenerator.h"
#include "dbt/ksuid.h"
#include "signing/hmac.h"
#include "signing/schemeregistry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace hookbench;

namespace {

// True when no whitespace appears outside JSON strings.
bool isCompact(const QByteArray &json)
{
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            return false;
    }
    return !inString;
}

QString describe(const DbtPayloadCheck &check)
{
    QStringList lines;
    for (const DbtFinding &finding : check.findings)
        lines << finding.codeName() + QStringLiteral(": ") + finding.message;
    return lines.join(QLatin1Char('\n'));
}

DbtSampleSettings fixedSettings()
{
    DbtSampleSettings settings;
    settings.runId = QStringLiteral("9988776655");
    settings.startedAt = QDateTime(QDate(2025, 3, 1), QTime(6, 0), Qt::UTC);
    return settings;
}

QList<DbtSampleDelivery> allSingleEvents(const DbtSampleGenerator &generator)
{
    return {generator.event(DbtEventType::RunStarted), generator.event(DbtEventType::RunCompleted),
        generator.event(DbtEventType::RunCompleted, DbtRunStatus::Errored),
        generator.event(DbtEventType::RunCompleted, DbtRunStatus::Cancelled),
        generator.event(DbtEventType::RunErrored)};
}

} // namespace

class TestDbtSamples : public QObject
{
    Q_OBJECT

private slots:
    void generatedEvents_passTheCheck_data()
    {
        QTest::addColumn<DbtSampleSettings>("settings");
        QTest::newRow("defaults") << DbtSampleSettings();
        QTest::newRow("fixed") << fixedSettings();
        DbtSampleSettings awkward = fixedSettings();
        awkward.jobName = QStringLiteral("Nightly \"full\" refresh \\ backfill\n\ttab");
        awkward.projectName = QStringLiteral("Zürich ☃ 🚀 analytics");
        awkward.environmentName = QString(QChar(1)) + QStringLiteral("ctl");
        awkward.runReason = QString();
        awkward.dbtVersion = QString();
        awkward.statusMessage = QStringLiteral("Database Error in model orders (models/orders.sql)\n  syntax error");
        awkward.durationSeconds = 10;
        QTest::newRow("awkward text") << awkward;
        DbtSampleSettings versionless = fixedSettings();
        versionless.dbtVersion = QStringLiteral("2025.9.30+21d3fd7");
        versionless.durationSeconds = 6 * 3600;
        QTest::newRow("versionless, long run") << versionless;
    }

    void generatedEvents_passTheCheck()
    {
        QFETCH(DbtSampleSettings, settings);
        const DbtSampleGenerator generator(settings);
        for (const DbtSampleDelivery &delivery : allSingleEvents(generator)) {
            const DbtPayloadCheck check = checkDbtPayload(delivery.body);
            QVERIFY2(check.isDbtEvent(), delivery.body.constData());
            QVERIFY2(check.findings.isEmpty(), qPrintable(describe(check)));
            QCOMPARE(check.summary(), QStringLiteral("ok"));
            QCOMPARE(check.event.eventType, delivery.event.eventType);
            QVERIFY(!delivery.redelivery);
        }
    }

    void generatedEvents_areCompactAndRoundTrip()
    {
        DbtSampleSettings settings = fixedSettings();
        settings.jobName = QStringLiteral("say \"hi\" \\ {to} [all]: yes, no\n");
        settings.projectName = QStringLiteral("Zürich ☃ 🚀");
        const DbtSampleGenerator generator(settings);
        for (const DbtSampleDelivery &delivery : allSingleEvents(generator)) {
            QVERIFY2(isCompact(delivery.body), delivery.body.constData());
            QVERIFY(!delivery.body.endsWith('\n'));
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(delivery.body, &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            const QJsonObject json = document.object();
            const QJsonObject data = json.value(QStringLiteral("data")).toObject();
            const DbtEvent &event = delivery.event;
            QCOMPARE(json.value(QStringLiteral("accountId")).toInteger(), settings.accountId);
            QCOMPARE(json.value(QStringLiteral("webhookId")).toString(), settings.webhookId);
            QCOMPARE(json.value(QStringLiteral("eventId")).toString(), event.eventId);
            QCOMPARE(json.value(QStringLiteral("timestamp")).toString(), event.timestamp.text());
            QCOMPARE(json.value(QStringLiteral("eventType")).toString(), dbtEventTypeName(event.eventType));
            QCOMPARE(json.value(QStringLiteral("webhookName")).toString(), settings.webhookName);
            QCOMPARE(data.value(QStringLiteral("jobId")).toString(), settings.jobId);
            QCOMPARE(data.value(QStringLiteral("jobName")).toString(), settings.jobName);
            QCOMPARE(data.value(QStringLiteral("runId")).toString(), settings.runId);
            QCOMPARE(data.value(QStringLiteral("environmentId")).toString(), settings.environmentId);
            QCOMPARE(data.value(QStringLiteral("environmentName")).toString(), settings.environmentName);
            QCOMPARE(data.value(QStringLiteral("dbtVersion")).toString(), settings.dbtVersion);
            QCOMPARE(data.value(QStringLiteral("projectName")).toString(), settings.projectName);
            QCOMPARE(data.value(QStringLiteral("projectId")).toString(), settings.projectId);
            QCOMPARE(data.value(QStringLiteral("runStatus")).toString(), event.runStatusName);
            QCOMPARE(data.value(QStringLiteral("runStatusCode")).toInteger(), qint64(event.runStatus()));
            QCOMPARE(data.value(QStringLiteral("runStatusMessage")).toString(), event.runStatusMessage);
            QCOMPARE(data.value(QStringLiteral("runReason")).toString(), settings.runReason);
            QCOMPARE(data.value(QStringLiteral("runStartedAt")).toString(), QStringLiteral("2025-03-01T06:00:00Z"));
            QCOMPARE(json.size(), 7);
            QCOMPARE(data.size(), event.eventType == DbtEventType::RunStarted ? 13 : 14);
            // Parsing our bytes and writing them again changes nothing: same keys, order, escapes.
            QCOMPARE(writeDbtEvent(checkDbtPayload(delivery.body).event), delivery.body);
        }
    }

    void generatedEvents_followDbtsKeyOrder()
    {
        const QByteArray body = DbtSampleGenerator(fixedSettings()).event(DbtEventType::RunErrored).body;
        const QList<QByteArray> keys {"accountId", "webhookId", "eventId", "timestamp", "eventType", "webhookName",
            "data", "jobId", "jobName", "runId", "environmentId", "environmentName", "dbtVersion", "projectName",
            "projectId", "runStatus", "runStatusCode", "runStatusMessage", "runReason", "runStartedAt", "runErroredAt"};
        qsizetype at = 0;
        for (const QByteArray &key : keys) {
            const qsizetype found = body.indexOf(QByteArray('"' + key + "\":"), at);
            QVERIFY2(found > 0, key.constData());
            at = found;
        }
        QVERIFY(body.startsWith(R"({"accountId":70403,"webhookId":)"));
        QVERIFY(body.endsWith("\"runErroredAt\":\"2025-03-01T06:01:25Z\"}}"));
    }

    void generatedEvents_verifyWithTheDbtCloudScheme()
    {
        const auto scheme = createBuiltinScheme(u"dbt-cloud");
        QVERIFY(scheme);
        const QByteArray secret = QByteArrayLiteral("dbt-secret-ünïcode");
        VerifyOptions options;
        options.now = QDateTime::currentSecsSinceEpoch();
        for (const DbtSampleDelivery &delivery : DbtSampleGenerator().scenario(DbtScenario::Failure)) {
            const HeaderList headers = scheme->sign(delivery.body, secret);
            QCOMPARE(headers.size(), 1);
            QCOMPARE(headers.first().name, QByteArrayLiteral("Authorization"));
            QCOMPARE(headers.first().value, hmac(MacAlgorithm::Sha256, secret, {delivery.body}).toHex());
            QVERIFY(scheme->verify(headers, delivery.body, {secret}, options).isValid());
            QByteArray tampered = delivery.body;
            tampered.replace("\"runId\":\"", "\"runId\":\"1");
            QVERIFY(!scheme->verify(headers, tampered, {secret}, options).isValid());
        }
    }

    void deliveryRequest_isSignedAndKeepsTheBytes()
    {
        const QByteArray body = DbtSampleGenerator().event(DbtEventType::RunStarted).body;
        const QUrl url(QStringLiteral("http://127.0.0.1:5000/dbt"));
        const QByteArray secret = QByteArrayLiteral("s3cr3t");
        const HttpRequest request = dbtDeliveryRequest(body, url, secret);
        QCOMPARE(request.method, QByteArrayLiteral("POST"));
        QCOMPARE(request.url, url);
        QCOMPARE(request.body, body);
        QCOMPARE(headerValue(request.headers, "content-type"), QByteArrayLiteral("application/json"));
        QCOMPARE(headerValue(request.headers, "Authorization"), hmac(MacAlgorithm::Sha256, secret, {body}).toHex());
        VerifyOptions options;
        options.now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(createBuiltinScheme(u"dbt-cloud")->verify(request.headers, request.body, {secret}, options).isValid());
        QVERIFY(!request.headers.contains(HttpHeader {"Authorization", secret}));

        const HttpRequest unsigned_ = dbtDeliveryRequest(body, url, {});
        QVERIFY(!hasHeader(unsigned_.headers, "Authorization"));
        QCOMPARE(unsigned_.headers.size(), 1);
    }

    void eventIds_areFreshKsuidsOfTheEventTime()
    {
        const DbtSampleGenerator generator(fixedSettings());
        QSet<QString> ids;
        for (int i = 0; i < 300; ++i) {
            const DbtSampleDelivery delivery = generator.event(DbtEventType(1 + i % 3));
            const QString id = delivery.event.eventId;
            QVERIFY2(isWellFormedDbtEventId(id), qPrintable(id));
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
            const auto ksuid = Ksuid::parse(QStringView(id).mid(4));
            QVERIFY(ksuid);
            QCOMPARE(ksuid->unixSeconds(), delivery.event.timestamp.secondsSinceEpoch());
        }
        // Two generators for the same run settings still give different ids.
        QVERIFY(DbtSampleGenerator(fixedSettings()).event(DbtEventType::RunStarted).event.eventId
            != DbtSampleGenerator(fixedSettings()).event(DbtEventType::RunStarted).event.eventId);
    }

    void timestamps_haveNanosecondsAndRunTimesSeconds()
    {
        const DbtSampleDelivery completed = DbtSampleGenerator(fixedSettings()).event(DbtEventType::RunCompleted);
        const QRegularExpression nanoseconds(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z$"));
        const QRegularExpression seconds(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
        QVERIFY(nanoseconds.match(completed.event.timestamp.text()).hasMatch());
        QVERIFY(seconds.match(completed.event.runStartedAt.text()).hasMatch());
        QVERIFY(seconds.match(completed.event.runFinishedAt.text()).hasMatch());
        QCOMPARE(completed.event.runFinishedAt.text(), QStringLiteral("2025-03-01T06:01:25Z")); // 85 s
    }

    void scenarioSuccess_startedThenCompleted()
    {
        const DbtSampleGenerator generator(fixedSettings());
        const QList<DbtSampleDelivery> run = generator.scenario(DbtScenario::Success);
        QCOMPARE(run.size(), 2);
        QCOMPARE(run.at(0).event.eventType, DbtEventType::RunStarted);
        QCOMPARE(run.at(0).event.runStatus(), DbtRunStatus::Running);
        QCOMPARE(run.at(1).event.eventType, DbtEventType::RunCompleted);
        QCOMPARE(run.at(1).event.runStatus(), DbtRunStatus::Success);
        QCOMPARE(run.at(1).event.runStatusMessage, QStringLiteral("None"));
        QVERIFY(run.at(0).event.timestamp < run.at(1).event.timestamp);
        QVERIFY(run.at(0).event.runStartedAt < run.at(0).event.timestamp);
        QVERIFY(run.at(1).event.runFinishedAt < run.at(1).event.timestamp);
    }

    void scenarioFailure_startedErroredThenCompletedErrored()
    {
        DbtSampleSettings settings = fixedSettings();
        settings.durationSeconds = 10; // the shortest run still keeps the events in order
        const QList<DbtSampleDelivery> run = DbtSampleGenerator(settings).scenario(DbtScenario::Failure);
        QCOMPARE(run.size(), 3);
        QCOMPARE(run.at(0).event.eventType, DbtEventType::RunStarted);
        QCOMPARE(run.at(1).event.eventType, DbtEventType::RunErrored);
        QCOMPARE(run.at(2).event.eventType, DbtEventType::RunCompleted);
        QCOMPARE(run.at(1).event.runStatus(), DbtRunStatus::Errored);
        QCOMPARE(run.at(2).event.runStatus(), DbtRunStatus::Errored);
        QCOMPARE(run.at(2).event.runStatusCode, std::optional<qint64>(20));
        QCOMPARE(run.at(2).event.runStatusMessage, QStringLiteral("dbt command failed"));
        QVERIFY(!run.at(2).event.runFinishedAt.isNull()); // completed carries runFinishedAt even when errored
        QVERIFY(run.at(2).event.runErroredAt.isNull());
        QVERIFY(run.at(1).event.runErroredAt < run.at(2).event.runFinishedAt);
        QVERIFY(run.at(0).event.timestamp < run.at(1).event.timestamp);
        QVERIFY(run.at(1).event.timestamp < run.at(2).event.timestamp);
        QVERIFY(run.at(1).event.runErroredAt <= run.at(1).event.timestamp);
    }

    void scenarioRetry_deliversTheSameBytesAgain()
    {
        const QList<DbtSampleDelivery> run = DbtSampleGenerator(fixedSettings()).scenario(DbtScenario::Retry);
        QCOMPARE(run.size(), 3);
        QCOMPARE(run.at(1).body, run.at(2).body);
        QVERIFY(!run.at(1).redelivery);
        QVERIFY(run.at(2).redelivery);
        QCOMPARE(run.at(2).event.eventId, run.at(1).event.eventId);
        QVERIFY(run.at(0).event.eventId != run.at(1).event.eventId);
    }

    void scenarios_keepTheRunsIdsConsistent_data()
    {
        QTest::addColumn<int>("scenario");
        QTest::newRow("success") << int(DbtScenario::Success);
        QTest::newRow("failure") << int(DbtScenario::Failure);
        QTest::newRow("retry") << int(DbtScenario::Retry);
    }

    void scenarios_keepTheRunsIdsConsistent()
    {
        QFETCH(int, scenario);
        DbtSampleSettings settings;
        settings.jobId = QStringLiteral("77");
        const DbtSampleGenerator generator(settings);
        QVERIFY(!generator.runId().isEmpty());
        const QList<DbtSampleDelivery> run = generator.scenario(DbtScenario(scenario));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        for (const DbtSampleDelivery &delivery : run) {
            const DbtPayloadCheck check = checkDbtPayload(delivery.body);
            QVERIFY2(check.findings.isEmpty(), qPrintable(describe(check)));
            QCOMPARE(check.event.runId, generator.runId());
            QCOMPARE(check.event.jobId, QStringLiteral("77"));
            QCOMPARE(check.event.runStartedAt, run.first().event.runStartedAt);
            // Without a start time, the run ends about now, never in the future.
            QVERIFY(check.event.timestamp.secondsSinceEpoch() <= now);
            QVERIFY(check.event.timestamp.secondsSinceEpoch() > now - 3600);
        }
        // A new generator means a new run.
        QVERIFY(DbtSampleGenerator(settings).runId() != generator.runId());
    }

    void scenarioNames()
    {
        QCOMPARE(dbtScenarioFromName(u"failure"), std::optional(DbtScenario::Failure));
        QCOMPARE(dbtScenarioName(DbtScenario::Retry), QStringLiteral("retry"));
        QVERIFY(!dbtScenarioFromName(u"Failure"));
    }
};

QTEST_GUILESS_MAIN(TestDbtSamples)
#include "tst_dbtsamples.moc"
