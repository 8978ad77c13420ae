#include "commandline.h"
#include "commands.h"

#include "diagnosis/signaturediagnosis.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hookbench::cli {

namespace {

QJsonObject resultJson(const VerificationResult &result)
{
    QJsonObject json;
    json.insert(QStringLiteral("valid"), result.isValid());
    json.insert(QStringLiteral("verdict"), verdictName(result.verdict));
    json.insert(QStringLiteral("scheme"), result.scheme);
    json.insert(QStringLiteral("reason"), result.reason);
    json.insert(QStringLiteral("header"), QString::fromLatin1(result.header));
    json.insert(QStringLiteral("received"),
        result.received.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromUtf8(result.received)));
    json.insert(QStringLiteral("expected"), QString::fromUtf8(result.expected));
    json.insert(QStringLiteral("matchedSecret"),
        result.matchedSecret < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(result.matchedSecret + 1));
    if (result.timestamp)
        json.insert(QStringLiteral("timestamp"), *result.timestamp);
    if (result.skew)
        json.insert(QStringLiteral("skew"), *result.skew);
    if (result.tolerance > 0)
        json.insert(QStringLiteral("tolerance"), result.tolerance);
    return json;
}

QJsonObject findingJson(const DiagnosisFinding &finding, const QByteArray &body)
{
    QJsonObject json;
    json.insert(QStringLiteral("code"), findingCodeName(finding.code));
    json.insert(QStringLiteral("message"), finding.message);
    json.insert(QStringLiteral("confirmed"), finding.confirmed);
    auto text = [&](const char *name, const QString &value) {
        if (!value.isEmpty())
            json.insert(QLatin1StringView(name), value);
    };
    text("header", QString::fromLatin1(finding.header));
    text("otherHeader", QString::fromLatin1(finding.otherHeader));
    text("expected", QString::fromLatin1(finding.expected));
    text("variant", finding.variant);
    text("variantDescription", finding.variantDescription);
    text("scheme", finding.scheme);
    text("secret", finding.secretName);
    text("fingerprint", finding.secretFingerprint);
    text("variantFingerprint", finding.variantFingerprint);
    if (!finding.fingerprints.isEmpty())
        json.insert(QStringLiteral("fingerprints"), QJsonArray::fromStringList(finding.fingerprints));
    if (!finding.variantBody.isNull()) {
        // Where the matching body starts to differ from the received one (the bodies themselves
        // can be megabytes; the GUI shows them side by side).
        qsizetype at = 0;
        const qsizetype common = std::min(body.size(), finding.variantBody.size());
        while (at < common && body.at(at) == finding.variantBody.at(at))
            ++at;
        json.insert(QStringLiteral("firstDifference"), at);
        json.insert(QStringLiteral("variantBodySize"), finding.variantBody.size());
    }
    if (finding.timestamp)
        json.insert(QStringLiteral("timestamp"), *finding.timestamp);
    if (finding.skew)
        json.insert(QStringLiteral("skew"), *finding.skew);
    if (finding.code == FindingCode::TimestampOutsideTolerance)
        json.insert(QStringLiteral("tolerance"), finding.tolerance);
    return json;
}

QList<NamedSecret> otherSecretsFromOptions(const QCommandLineParser &parser)
{
    QList<NamedSecret> secrets;
    for (const QString &variable : parser.values(QStringLiteral("other-secret-env"))) {
        const QByteArray name = variable.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData()))
            throw UsageError {QStringLiteral("environment variable %1 is not set").arg(variable)};
        const QByteArray secret = qgetenv(name.constData());
        if (secret.isEmpty())
            throw UsageError {QStringLiteral("the other secret from $%1 is empty").arg(variable)};
        secrets.append({QStringLiteral("$%1").arg(variable), secret});
    }
    return secrets;
}

} // namespace

int runVerify(const QStringList &arguments)
{
    const QString command = QStringLiteral("verify");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench verify --scheme NAME [SECRET] [--body-file PATH] -H 'Name: value' [-H …] "
                           "[--now UNIX] [--tolerance SECONDS] [--other-secret-env VAR …] [--json]"),
            QStringLiteral("Checks a request's signature and, when it fails, explains why: one line per cause found, "
                           "best first (\"code: message\"). The body is read from --body-file or standard input (raw "
                           "bytes); the request's headers are given with -H. Exits 0 when valid, 1 when invalid, 2 on "
                           "usage or input errors."));
        QCommandLineParser &parser = commandLine.parser();
        addSchemeOptions(parser);
        addSecretOptions(parser);
        addBodyOptions(parser);
        parser.addOption({{QStringLiteral("H"), QStringLiteral("request-header")},
            QStringLiteral("A request header, 'Name: value' (repeatable)."), QStringLiteral("HEADER")});
        parser.addOption({QStringLiteral("now"),
            QStringLiteral("Check timestamps against this Unix time. Default: now."), QStringLiteral("UNIX")});
        parser.addOption({QStringLiteral("tolerance"),
            QStringLiteral("Accepted timestamp skew in seconds. Default: the scheme's (300)."),
            QStringLiteral("SECONDS")});
        parser.addOption({QStringLiteral("other-secret-env"),
            QStringLiteral("Another secret you know (test vs live, another endpoint, before a rotation), read from an "
                           "environment variable (repeatable): a failure it explains is named by the variable."),
            QStringLiteral("VAR")});
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object.")});
        if (!commandLine.parse(arguments))
            return int(ExitOk);
        if (!parser.positionalArguments().isEmpty())
            throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first())};

        const auto scheme = schemeFromOptions(parser);
        const HeaderList headers = headerOptions(parser, QStringLiteral("H"));
        const QList<SecretSource> sources = readSecrets(commandLine, true);
        QList<QByteArray> secrets;
        for (const SecretSource &source : sources) {
            QString keyProblem;
            if (!scheme->keyFromSecret(source.secret, &keyProblem))
                throw UsageError {QStringLiteral("the secret from %1 can't be used with %2: %3")
                                      .arg(source.description, scheme->title(), keyProblem)};
            secrets.append(source.secret);
        }
        VerifyOptions options;
        options.now = parser.isSet(QStringLiteral("now"))
            ? integerOption(parser, QStringLiteral("now"), 0, std::numeric_limits<qint64>::max())
            : QDateTime::currentSecsSinceEpoch();
        if (parser.isSet(QStringLiteral("tolerance")))
            options.tolerance = int(integerOption(parser, QStringLiteral("tolerance"), 0, 100LL * 365 * 24 * 3600));
        const QByteArray body = readBody(parser);

        const QList<NamedSecret> otherSecrets = otherSecretsFromOptions(parser);

        const VerificationResult result = scheme->verify(headers, body, secrets, options);
        QList<DiagnosisFinding> findings;
        if (!result.isValid()) {
            QList<NamedSecret> named;
            for (const SecretSource &source : sources)
                named.append({source.description, source.secret});
            SignatureDiagnosis diagnosis(*scheme);
            diagnosis.setOtherSecrets(otherSecrets);
            findings = diagnosis.diagnose(result, headers, body, named, options);
        }
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonObject json = resultJson(result);
            if (!result.isValid()) {
                QJsonArray diagnosis;
                for (const DiagnosisFinding &finding : findings)
                    diagnosis.append(findingJson(finding, body));
                json.insert(QStringLiteral("diagnosis"), diagnosis);
            }
            writeOut(QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n');
        } else if (result.isValid()) {
            writeOut(QByteArrayLiteral("valid\n"));
        } else {
            QByteArray text = "invalid: " + result.reason.toUtf8() + '\n';
            for (const DiagnosisFinding &finding : findings)
                text += findingCodeName(finding.code).toUtf8() + ": " + finding.message.toUtf8() + '\n';
            writeOut(text);
        }
        return int(result.isValid() ? ExitOk : ExitFailure);
    });
}

} // namespace hookbench::cli
