#include "commandline.h"

#include "signing/schemeregistry.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

namespace hookbench::cli {

namespace {

const QString defaultSecretVariable = QStringLiteral("WEBHOOK_KEY");

QByteArray stripOneTrailingNewline(QByteArray bytes)
{
    if (bytes.endsWith("\r\n"))
        bytes.chop(2);
    else if (bytes.endsWith('\n'))
        bytes.chop(1);
    return bytes;
}

bool hasSurroundingWhitespace(const QByteArray &secret)
{
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
    return !secret.isEmpty() && (isSpace(secret.front()) || isSpace(secret.back()));
}

} // namespace

CommandLine::CommandLine(const QString &command, const QString &synopsis, const QString &description)
    : m_command(command), m_synopsis(synopsis), m_description(description)
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    m_parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")});
}

bool CommandLine::parse(const QStringList &arguments)
{
    // QCommandLineParser expects the program name first.
    if (!m_parser.parse(QStringList {QStringLiteral("hookbench")} + arguments))
        throw UsageError {m_parser.errorText()};
    if (m_parser.isSet(QStringLiteral("help"))) {
        QString help = m_parser.helpText();
        // Replace Qt's generic "Usage: hookbench [options]" line with the command's synopsis.
        const qsizetype options = help.indexOf(QStringLiteral("Options:"));
        help = QStringLiteral("Usage: %1\n\n%2\n\n").arg(m_synopsis, m_description) + help.mid(options);
        if (!help.endsWith(QLatin1Char('\n')))
            help += QLatin1Char('\n');
        writeOut(help.toUtf8());
        return false;
    }
    return true;
}

void printError(const QString &command, const QString &message)
{
    writeErr(QStringLiteral("hookbench %1: %2\n").arg(command, message).toUtf8());
}

void printWarning(const QString &command, const QString &message)
{
    writeErr(QStringLiteral("hookbench %1: warning: %2\n").arg(command, message).toUtf8());
}

void writeOut(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void writeErr(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

int runGuarded(const QString &command, const std::function<int()> &body)
{
    try {
        return body();
    } catch (const UsageError &error) {
        printError(command, error.message);
        return ExitUsage;
    }
}

void addSecretOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("secret"), QStringLiteral("The secret (repeatable, for rotation)."), QStringLiteral("VALUE")});
    parser.addOption({QStringLiteral("secret-env"),
        QStringLiteral("Read the secret from an environment variable (repeatable). Default: WEBHOOK_KEY."),
        QStringLiteral("VAR")});
    parser.addOption({QStringLiteral("secret-file"),
        QStringLiteral("Read the secret from a file, less one trailing newline (repeatable)."),
        QStringLiteral("PATH")});
}

QList<SecretSource> readSecrets(const CommandLine &commandLine, bool required)
{
    // QCommandLineParser keeps each option's values in order but not their interleaving; the
    // order --secret, --secret-env, --secret-file is good enough for "which one matched".
    const QCommandLineParser &parser = commandLine.parser();
    QList<SecretSource> secrets;
    const QStringList values = parser.values(QStringLiteral("secret"));
    for (qsizetype i = 0; i < values.size(); ++i)
        secrets.append({QStringLiteral("--secret #%1").arg(i + 1), values.at(i).toUtf8()});
    for (const QString &variable : parser.values(QStringLiteral("secret-env"))) {
        if (!qEnvironmentVariableIsSet(variable.toLocal8Bit().constData()))
            throw UsageError {QStringLiteral("environment variable %1 is not set").arg(variable)};
        secrets.append({QStringLiteral("$%1").arg(variable), qgetenv(variable.toLocal8Bit().constData())});
    }
    for (const QString &path : parser.values(QStringLiteral("secret-file")))
        secrets.append({QStringLiteral("secret file %1").arg(path),
            stripOneTrailingNewline(readFileBytes(path, QStringLiteral("secret file")))});
    if (secrets.isEmpty() && qEnvironmentVariableIsSet("WEBHOOK_KEY"))
        secrets.append({QStringLiteral("$%1").arg(defaultSecretVariable), qgetenv("WEBHOOK_KEY")});

    if (secrets.isEmpty() && required)
        throw UsageError {
            QStringLiteral("no secret: give --secret, --secret-env or --secret-file, or set WEBHOOK_KEY")};
    for (const SecretSource &source : secrets) {
        if (source.secret.isEmpty())
            throw UsageError {QStringLiteral("the secret from %1 is empty").arg(source.description)};
        if (hasSurroundingWhitespace(source.secret))
            printWarning(commandLine.command(),
                QStringLiteral("the secret from %1 has leading or trailing whitespace").arg(source.description));
    }
    return secrets;
}

void addSchemeOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("scheme"),
        QStringLiteral("Signature scheme: %1. Default: dbt-cloud.")
            .arg(schemeNamesForUsers().join(QStringLiteral(", "))),
        QStringLiteral("NAME"), QStringLiteral("dbt-cloud")});
    parser.addOption(
        {QStringLiteral("header"), QStringLiteral("generic: the signature header."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("algorithm"), QStringLiteral("generic: sha1, sha256 or sha512. Default: sha256."),
        QStringLiteral("ALG"), QStringLiteral("sha256")});
    parser.addOption({QStringLiteral("encoding"), QStringLiteral("generic: hex or base64. Default: hex."),
        QStringLiteral("ENC"), QStringLiteral("hex")});
    parser.addOption({QStringLiteral("prefix"), QStringLiteral("generic: text before the encoded MAC, e.g. sha256=."),
        QStringLiteral("STR")});
    parser.addOption({QStringLiteral("template"),
        QStringLiteral("generic: the signed string, with {body} and optionally {timestamp} and {id}. Default: {body}."),
        QStringLiteral("TEMPLATE"), QStringLiteral("{body}")});
    parser.addOption({QStringLiteral("timestamp-header"), QStringLiteral("generic: the header carrying {timestamp}."),
        QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("id-header"), QStringLiteral("generic: the header carrying {id}."), QStringLiteral("NAME")});
}

std::unique_ptr<SignatureScheme> schemeFromOptions(const QCommandLineParser &parser)
{
    const QString name = parser.value(QStringLiteral("scheme"));
    const QStringList genericOnly {QStringLiteral("header"), QStringLiteral("prefix"),
        QStringLiteral("timestamp-header"), QStringLiteral("id-header"), QStringLiteral("algorithm"),
        QStringLiteral("encoding"), QStringLiteral("template")};
    if (name.compare(u"generic", Qt::CaseInsensitive) != 0) {
        for (const QString &option : genericOnly) {
            if (parser.isSet(option))
                throw UsageError {QStringLiteral("--%1 only applies to --scheme generic").arg(option)};
        }
        if (auto scheme = createBuiltinScheme(name))
            return scheme;
        throw UsageError {QStringLiteral("unknown scheme \"%1\" (choose from %2)")
                              .arg(name, schemeNamesForUsers().join(QStringLiteral(", ")))};
    }

    GenericSchemeConfig config;
    if (!parser.isSet(QStringLiteral("header")))
        throw UsageError {QStringLiteral("--scheme generic needs --header NAME")};
    config.header = parser.value(QStringLiteral("header")).toLatin1();
    config.prefix = parser.value(QStringLiteral("prefix")).toUtf8();
    const auto algorithm = macAlgorithmFromName(parser.value(QStringLiteral("algorithm")));
    if (!algorithm)
        throw UsageError {QStringLiteral("unknown --algorithm \"%1\" (choose from sha1, sha256, sha512)")
                              .arg(parser.value(QStringLiteral("algorithm")))};
    config.algorithm = *algorithm;
    const auto encoding = signatureEncodingFromName(parser.value(QStringLiteral("encoding")));
    if (!encoding)
        throw UsageError {QStringLiteral("unknown --encoding \"%1\" (choose from hex, base64)")
                              .arg(parser.value(QStringLiteral("encoding")))};
    config.encoding = *encoding;
    config.signedTemplate = parser.value(QStringLiteral("template")).toUtf8();
    config.timestampHeader = parser.value(QStringLiteral("timestamp-header")).toLatin1();
    config.idHeader = parser.value(QStringLiteral("id-header")).toLatin1();
    QString error;
    auto scheme = createGenericScheme(config, &error);
    if (!scheme)
        throw UsageError {error};
    return scheme;
}

void addBodyOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("body-file"),
        QStringLiteral("Read the body from a file (default: standard input), as raw bytes."), QStringLiteral("PATH")});
}

QByteArray readBody(const QCommandLineParser &parser)
{
    if (parser.isSet(QStringLiteral("body-file")))
        return readFileBytes(parser.value(QStringLiteral("body-file")), QStringLiteral("body file"));
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        throw UsageError {QStringLiteral("can't read the body from standard input")};
    return in.readAll();
}

QByteArray readFileBytes(const QString &path, const QString &what)
{
    QFile file(path);
    if (QFileInfo(path).isDir())
        throw UsageError {QStringLiteral("%1 %2 is a directory").arg(what, path)};
    if (!file.open(QIODevice::ReadOnly))
        throw UsageError {QStringLiteral("can't read %1 %2: %3").arg(what, path, file.errorString())};
    return file.readAll();
}

qint64 integerOption(const QCommandLineParser &parser, const QString &name, qint64 minimum, qint64 maximum)
{
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        throw UsageError {QStringLiteral("--%1 must be an integer from %2 to %3, not \"%4\"")
                              .arg(name)
                              .arg(minimum)
                              .arg(maximum)
                              .arg(parser.value(name))};
    return value;
}

HeaderList headerOptions(const QCommandLineParser &parser, const QString &name)
{
    HeaderList headers;
    for (const QString &text : parser.values(name)) {
        HttpHeader header;
        if (!parseHeaderLine(text.toUtf8(), &header))
            throw UsageError {QStringLiteral("malformed header \"%1\": expected 'Name: value'").arg(text.left(80))};
        headers.append(header);
    }
    return headers;
}

} // namespace hookbench::cli
