// `hookbench verify` explains failures: after the "invalid:" line one "code: message" line per
// finding, best first; --json adds a "diagnosis" array; --other-secret-env names other known
// secrets; the exit code stays 1; no secret is ever printed. Run through the built binary.
#include "hookbenchprocess.h"
#include "signing/schemeregistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

const QByteArray secret = QByteArrayLiteral("dbt-cli-secret-5c1e");
const QByteArray body = QByteArrayLiteral(
    "{\"eventType\":\"job.run.completed\",\"data\":{\"jobName\":\"caf\xc3\xa9 \xf0\x9f\x9a\x80\",\"runId\":\"7\"}}");

QProcessEnvironment environmentWith(const QList<QPair<QString, QByteArray>> &variables)
{
    QProcessEnvironment environment = cleanEnvironment();
    for (const auto &[name, value] : variables)
        environment.insert(name, QString::fromUtf8(value));
    return environment;
}

QByteArray dbtSignature(const QByteArray &key, const QByteArray &signedBody)
{
    return hmac(MacAlgorithm::Sha256, key, {signedBody}).toHex();
}

QList<QByteArray> lines(const QByteArray &out)
{
    QList<QByteArray> all = out.split('\n');
    if (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    return all;
}

QJsonObject jsonOf(const ProcessResult &result)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", result.out.constData());
    return document.object();
}

} // namespace

class TestVerifyDiagnosis : public QObject
{
    Q_OBJECT

private slots:
    void textOutput_listsFindingsAfterTheInvalidLine()
    {
        const ProcessResult result = runHookbench(
            {QStringLiteral("verify"), QStringLiteral("--secret-env"), QStringLiteral("DBT_SECRET"),
                QStringLiteral("-H"),
                QStringLiteral("Authorization: sha256=%1").arg(QLatin1StringView(dbtSignature(secret, body)))},
            body, environmentWith({{QStringLiteral("DBT_SECRET"), secret}}));
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 1);
        const QList<QByteArray> out = lines(result.out);
        QCOMPARE(out.size(), 2);
        QVERIFY2(out.at(0).startsWith("invalid: "), result.out.constData());
        QCOMPARE(out.at(1),
            QByteArray("prefix-mismatch: Authorization starts with \"sha256=\", which dbt Cloud does not use; without "
                       "it the signature matches."));
        QVERIFY(result.err.isEmpty());
    }

    void validRequests_printNoDiagnosis()
    {
        const QStringList arguments {QStringLiteral("verify"), QStringLiteral("-H"),
            QStringLiteral("Authorization: %1").arg(QLatin1StringView(dbtSignature(secret, body)))};
        const auto environment = environmentWith({{QStringLiteral("WEBHOOK_KEY"), secret}});
        const ProcessResult text = runHookbench(arguments, body, environment);
        QCOMPARE(text.exitCode, 0);
        QCOMPARE(text.out, QByteArray("valid\n"));
        const ProcessResult json = runHookbench(arguments + QStringList {QStringLiteral("--json")}, body, environment);
        QCOMPARE(json.exitCode, 0);
        QVERIFY(jsonOf(json).value(QStringLiteral("valid")).toBool());
        QVERIFY(!jsonOf(json).contains(QStringLiteral("diagnosis")));
    }

    void json_carriesFindingsWithEvidence()
    {
        // The sender signed json.dumps(body): Python's default separators and \u escapes.
        const QByteArray python
            = "{\"eventType\": \"job.run.completed\", \"data\": {\"jobName\": \"caf\\u00e9 \\ud83d\\ude80\", "
              "\"runId\": \"7\"}}";
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bodyFile = dir.filePath(QStringLiteral("body.json"));
        QFile file(bodyFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(body);
        file.close();
        const ProcessResult result = runHookbench(
            {QStringLiteral("verify"), QStringLiteral("--body-file"), bodyFile, QStringLiteral("--json"),
                QStringLiteral("-H"),
                QStringLiteral("Authorization: %1").arg(QLatin1StringView(dbtSignature(secret, python)))},
            {}, environmentWith({{QStringLiteral("WEBHOOK_KEY"), secret}}));
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = jsonOf(result);
        QCOMPARE(json.value(QStringLiteral("verdict")).toString(), QStringLiteral("invalid"));
        const QJsonArray diagnosis = json.value(QStringLiteral("diagnosis")).toArray();
        QCOMPARE(diagnosis.size(), 1);
        const QJsonObject finding = diagnosis.first().toObject();
        QCOMPARE(finding.value(QStringLiteral("code")).toString(), QStringLiteral("body-reserialized"));
        QVERIFY(finding.value(QStringLiteral("message")).toString().contains(u"Python json.dumps()"));
        QCOMPARE(finding.value(QStringLiteral("confirmed")).toBool(), true);
        QCOMPARE(finding.value(QStringLiteral("variant")).toString(), QStringLiteral("spaced+ascii"));
        QCOMPARE(finding.value(QStringLiteral("secret")).toString(), QStringLiteral("$WEBHOOK_KEY"));
        QCOMPARE(finding.value(QStringLiteral("variantBodySize")).toInteger(), python.size());
        QCOMPARE(finding.value(QStringLiteral("firstDifference")).toInteger(), 13); // after {"eventType":
        QVERIFY(!result.out.contains(secret));
    }

    void otherSecretEnv_namesTheVariable_neverTheSecret()
    {
        const QByteArray staging("staging-secret-value-e4d2");
        const auto environment
            = environmentWith({{QStringLiteral("WEBHOOK_KEY"), secret}, {QStringLiteral("STAGING_KEY"), staging},
                {QStringLiteral("TEST_KEY"), QByteArray("test-secret-value-0000")}});
        const QStringList arguments {QStringLiteral("verify"), QStringLiteral("--other-secret-env"),
            QStringLiteral("TEST_KEY"), QStringLiteral("--other-secret-env"), QStringLiteral("STAGING_KEY"),
            QStringLiteral("-H"),
            QStringLiteral("Authorization: %1").arg(QLatin1StringView(dbtSignature(staging, body)))};
        const ProcessResult text = runHookbench(arguments, body, environment);
        QCOMPARE(text.exitCode, 1);
        const QList<QByteArray> out = lines(text.out);
        QCOMPARE(out.size(), 2);
        QVERIFY2(out.at(1).startsWith("other-secret: The signature matches the other secret $STAGING_KEY"),
            text.out.constData());
        const ProcessResult json = runHookbench(arguments + QStringList {QStringLiteral("--json")}, body, environment);
        const QJsonObject finding = jsonOf(json).value(QStringLiteral("diagnosis")).toArray().first().toObject();
        QCOMPARE(finding.value(QStringLiteral("secret")).toString(), QStringLiteral("$STAGING_KEY"));
        QCOMPARE(finding.value(QStringLiteral("fingerprint")).toString(),
            QString::fromLatin1(sha256(staging).toHex().left(8)));
        for (const ProcessResult *result : {&text, &json}) {
            for (const QByteArray &value : {secret, staging, QByteArray("test-secret-value-0000")}) {
                QVERIFY(!result->out.contains(value));
                QVERIFY(!result->err.contains(value));
            }
        }
    }

    void otherSecretEnv_unset_isAUsageError()
    {
        const ProcessResult result = runHookbench(
            {QStringLiteral("verify"), QStringLiteral("--other-secret-env"), QStringLiteral("NOT_SET_ANYWHERE"),
                QStringLiteral("-H"), QStringLiteral("Authorization: 00")},
            body, environmentWith({{QStringLiteral("WEBHOOK_KEY"), secret}}));
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.err, QByteArray("hookbench verify: environment variable NOT_SET_ANYWHERE is not set\n"));
        QVERIFY(result.out.isEmpty());
    }

    void wrongSecret_showsOnlyAFingerprint()
    {
        const ProcessResult result = runHookbench(
            {QStringLiteral("verify"), QStringLiteral("--secret"), QString::fromLatin1(secret), QStringLiteral("-H"),
                QStringLiteral("Authorization: %1").arg(QLatin1StringView(dbtSignature("not-ours", body)))},
            body);
        QCOMPARE(result.exitCode, 1);
        const QList<QByteArray> out = lines(result.out);
        QCOMPARE(out.size(), 2);
        QVERIFY(out.at(1).startsWith("wrong-secret: "));
        QVERIFY(out.at(1).contains(sha256(secret).toHex().left(8)));
        QVERIFY(!result.out.contains(secret));
    }

    void timestamp_statesTheSkew()
    {
        auto stripe = createBuiltinScheme(u"stripe");
        const HeaderList headers = stripe->sign(body, "whsec_cli_stripe", {1700000000});
        const ProcessResult result
            = runHookbench({QStringLiteral("verify"), QStringLiteral("--scheme"), QStringLiteral("stripe"),
                               QStringLiteral("--secret"), QStringLiteral("whsec_cli_stripe"), QStringLiteral("--now"),
                               QStringLiteral("1700003600"), QStringLiteral("--json"), QStringLiteral("-H"),
                               QStringLiteral("Stripe-Signature: %1").arg(QLatin1StringView(headers.first().value))},
                body);
        QCOMPARE(result.exitCode, 1);
        const QJsonObject finding = jsonOf(result).value(QStringLiteral("diagnosis")).toArray().first().toObject();
        QCOMPARE(finding.value(QStringLiteral("code")).toString(), QStringLiteral("timestamp-outside-tolerance"));
        QCOMPARE(finding.value(QStringLiteral("skew")).toInteger(), 3600);
        QCOMPARE(finding.value(QStringLiteral("tolerance")).toInteger(), 300);
        QCOMPARE(finding.value(QStringLiteral("timestamp")).toInteger(), 1700000000);
        QVERIFY(finding.value(QStringLiteral("message")).toString().contains(u"3600 seconds old"));
    }

    void missingAndReplacedHeaders()
    {
        const auto environment = environmentWith({{QStringLiteral("WEBHOOK_KEY"), secret}});
        const ProcessResult missing = runHookbench(
            {QStringLiteral("verify"), QStringLiteral("-H"), QStringLiteral("Content-Type: application/json")}, body,
            environment);
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(lines(missing.out).value(1), QByteArray("missing-header: The request has no Authorization header."));
        const ProcessResult replaced = runHookbench(
            {QStringLiteral("verify"), QStringLiteral("-H"),
                QStringLiteral("Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2ln")},
            body, environment);
        QCOMPARE(replaced.exitCode, 1);
        QCOMPARE(lines(replaced.out).value(1),
            QByteArray("header-replaced: Authorization holds a Bearer JWT (alg HS256), not a dbt Cloud signature: a "
                       "proxy or gateway replaced it."));
    }
};

QTEST_GUILESS_MAIN(TestVerifyDiagnosis)
#include "tst_verifydiagnosis.moc"
