#include "commandline.h"
#include "commands.h"

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

} // namespace

int runVerify(const QStringList &arguments)
{
    const QString command = QStringLiteral("verify");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench verify --scheme NAME [SECRET] [--body-file PATH] -H 'Name: value' [-H …] "
                           "[--now UNIX] [--tolerance SECONDS] [--json]"),
            QStringLiteral("Checks a request's signature. The body is read from --body-file or standard input (raw "
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

        const VerificationResult result = scheme->verify(headers, body, secrets, options);
        if (parser.isSet(QStringLiteral("json"))) {
            writeOut(QJsonDocument(resultJson(result)).toJson(QJsonDocument::Compact) + '\n');
        } else {
            writeOut(result.isValid() ? QByteArrayLiteral("valid\n") : ("invalid: " + result.reason.toUtf8() + '\n'));
        }
        return int(result.isValid() ? ExitOk : ExitFailure);
    });
}

} // namespace hookbench::cli
