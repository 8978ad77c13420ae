#include "commandline.h"
#include "commands.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace hookbench::cli {

namespace {

// "msg_" + 27 base62 characters, the shape Standard Webhooks senders use.
QByteArray freshMessageId()
{
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray id = QByteArrayLiteral("msg_");
    for (int i = 0; i < 27; ++i)
        id.append(alphabet[QRandomGenerator::system()->bounded(62)]);
    return id;
}

} // namespace

int runSign(const QStringList &arguments)
{
    const QString command = QStringLiteral("sign");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench sign --scheme NAME [SECRET] [--body-file PATH] [--timestamp UNIX] [--id ID]"),
            QStringLiteral("Prints the signature headers to add to a request whose body is read from --body-file or "
                           "standard input (raw bytes), one 'Name: value' per line."));
        QCommandLineParser &parser = commandLine.parser();
        addSchemeOptions(parser);
        addSecretOptions(parser);
        addBodyOptions(parser);
        parser.addOption({QStringLiteral("timestamp"),
            QStringLiteral("The signed timestamp (Unix seconds). Default: now."), QStringLiteral("UNIX")});
        parser.addOption(
            {QStringLiteral("id"), QStringLiteral("The message id. Default: a fresh msg_ id."), QStringLiteral("ID")});
        if (!commandLine.parse(arguments))
            return int(ExitOk);
        if (!parser.positionalArguments().isEmpty())
            throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first())};

        const auto scheme = schemeFromOptions(parser);
        const QList<SecretSource> secrets = readSecrets(commandLine, true);
        if (secrets.size() > 1)
            printWarning(command,
                QStringLiteral("%1 secrets given; signing with %2")
                    .arg(secrets.size())
                    .arg(secrets.first().description));
        QString keyProblem;
        if (!scheme->keyFromSecret(secrets.first().secret, &keyProblem))
            throw UsageError {QStringLiteral("the secret from %1 can't be used with %2: %3")
                                  .arg(secrets.first().description, scheme->title(), keyProblem)};

        SignOptions options;
        options.timestamp = parser.isSet(QStringLiteral("timestamp"))
            ? integerOption(parser, QStringLiteral("timestamp"), 0, std::numeric_limits<qint64>::max())
            : QDateTime::currentSecsSinceEpoch();
        options.id
            = parser.isSet(QStringLiteral("id")) ? parser.value(QStringLiteral("id")).toUtf8() : freshMessageId();
        if (options.id.contains('.') && scheme->usesId())
            printWarning(command, QStringLiteral("the id contains '.', which makes the signed string ambiguous"));

        const QByteArray body = readBody(parser);
        QByteArray out;
        for (const HttpHeader &header : scheme->sign(body, secrets.first().secret, options))
            out += header.name + ": " + header.value + '\n';
        writeOut(out);
        return int(ExitOk);
    });
}

} // namespace hookbench::cli
