#include "attemptoutput.h"
#include "commandline.h"
#include "commands.h"
#include "sendflags.h"

#include "replay/httpsender.h"
#include "replay/requestwire.h"
#include "replay/resigner.h"

#include <QEventLoop>
#include <QJsonDocument>

#include <unistd.h>

namespace hookbench::cli {

namespace {

const QStringList genericSchemeOptions {QStringLiteral("header"), QStringLiteral("prefix"),
    QStringLiteral("timestamp-header"), QStringLiteral("id-header"), QStringLiteral("algorithm"),
    QStringLiteral("encoding"), QStringLiteral("template")};
const QStringList secretOptions {QStringLiteral("secret"), QStringLiteral("secret-env"), QStringLiteral("secret-file")};

// The body: --body-file, or standard input unless it is a terminal (then there is none, so that
// `hookbench send -X GET --to …` typed at a prompt does not wait for input).
QByteArray bodyFrom(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("body-file")) && isatty(STDIN_FILENO))
        return {};
    return readBody(parser);
}

} // namespace

int runSend(const QStringList &arguments)
{
    const QString command = QStringLiteral("send");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench send --to URL [-X METHOD] [-H 'Name: value']… [--body-file PATH] "
                           "[--scheme NAME [SECRET]] [--timeout S] [--insecure] [--max-redirects N] [--json]"),
            QStringLiteral(
                "Sends one request exactly as given: the method, the -H headers in order (case and duplicates kept) "
                "and the body bytes from --body-file or standard input. Only Host (from the URL) and Content-Length "
                "are added, and only when not given. With --scheme the body is signed and the scheme's headers are "
                "set (replaced in place when given with -H); without, the request goes unsigned. Prints the "
                "response (status line, headers, body) or one JSON object. Exits 0 on a 2xx answer, 1 on another "
                "status, 2 on usage errors, 3 when no answer came (refused, timeout, TLS, broken response)."));
        QCommandLineParser &parser = commandLine.parser();
        addSendOptions(parser);
        parser.addOption({{QStringLiteral("X"), QStringLiteral("method")},
            QStringLiteral("The request method, custom verbs included. Default: POST."), QStringLiteral("METHOD"),
            QStringLiteral("POST")});
        parser.addOption({{QStringLiteral("H"), QStringLiteral("request-header")},
            QStringLiteral("A request header, 'Name: value' (repeatable, sent in this order)."),
            QStringLiteral("HEADER")});
        addBodyOptions(parser);
        addSchemeOptions(parser);
        addSecretOptions(parser);
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object.")});
        if (!commandLine.parse(arguments))
            return int(ExitOk);
        if (!parser.positionalArguments().isEmpty())
            throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first())};

        HttpRequest request;
        request.url = destinationFrom(parser);
        request.method = parser.value(QStringLiteral("method")).toLatin1();
        if (!isValidHeaderName(request.method)) // a method is a token, like a header name
            throw UsageError {
                QStringLiteral("-X \"%1\" is not a valid HTTP method").arg(parser.value(QStringLiteral("method")))};
        request.headers = headerOptions(parser, QStringLiteral("H"));
        const SendOptions options = sendOptionsFrom(parser);

        std::unique_ptr<Resigner> signer;
        if (parser.isSet(QStringLiteral("scheme"))) {
            std::shared_ptr<const SignatureScheme> scheme = schemeFromOptions(parser);
            const QList<SecretSource> secrets = readSecrets(commandLine, true);
            if (secrets.size() > 1)
                printWarning(command,
                    QStringLiteral("%1 secrets given; signing with %2")
                        .arg(secrets.size())
                        .arg(secrets.first().description));
            signer = std::make_unique<Resigner>(scheme, secrets.first().secret);
            if (!signer->problem().isEmpty())
                throw UsageError {
                    QStringLiteral("%1 (secret from %2)").arg(signer->problem(), secrets.first().description)};
        } else {
            for (const QString &option : genericSchemeOptions + secretOptions) {
                if (parser.isSet(option))
                    throw UsageError {
                        QStringLiteral("--%1 needs --scheme (without one the request is sent unsigned)").arg(option)};
            }
        }

        request.body = bodyFrom(parser);
        if (signer)
            signer->resign(request);
        const QString problem = requestProblem(request);
        if (!problem.isEmpty())
            throw UsageError {problem};

        HttpSender sender;
        Attempt attempt;
        QEventLoop loop;
        sender.send(request, options, &loop, [&](const Attempt &finished) {
            attempt = finished;
            loop.quit();
        });
        loop.exec();

        if (parser.isSet(QStringLiteral("json")))
            writeOut(QJsonDocument(attemptJson(attempt)).toJson(QJsonDocument::Compact) + '\n');
        else if (attempt.failure == Attempt::Failure::None)
            writeOut(responseText(attempt));
        const QString why = attemptProblem(attempt);
        if (!why.isEmpty())
            printError(command, why);
        return attemptExitCode(attempt);
    });
}

} // namespace hookbench::cli
