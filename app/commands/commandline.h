#pragma once

#include "signing/signaturescheme.h"

#include <QByteArray>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace hookbench::cli {

// Exit codes shared by every command.
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1, // the command ran and the answer is "no" (invalid signature, non-2xx status)
    ExitUsage = 2, // bad options or unreadable input
    ExitNetwork = 3, // refused, timed out, TLS
};

// Thrown by the helpers below for a usage or input error; the command's runner turns it into
// one line on stderr ("hookbench <command>: <message>") and exit code 2.
struct UsageError
{
    QString message;
};

// A command's option parser with the project's conventions: --help for the command, errors
// reported as one line, no Qt-generated application text.
class CommandLine
{
public:
    CommandLine(const QString &command, const QString &synopsis, const QString &description);

    QCommandLineParser &parser() { return m_parser; }
    const QCommandLineParser &parser() const { return m_parser; }
    // Parses `arguments` (without the program and command names). Returns false when --help
    // was printed; throws UsageError on a bad option.
    bool parse(const QStringList &arguments);
    QString command() const { return m_command; }

private:
    QString m_command;
    QString m_synopsis;
    QString m_description;
    QCommandLineParser m_parser;
};

// Prints "hookbench <command>: <message>" to stderr.
void printError(const QString &command, const QString &message);
void printWarning(const QString &command, const QString &message);
// Writes bytes to stdout / stderr unchanged (no text-mode translation, no encoding).
void writeOut(const QByteArray &bytes);
void writeErr(const QByteArray &bytes);

// Runs `body`, turning a UsageError into its one-line message and exit code 2.
int runGuarded(const QString &command, const std::function<int()> &body);

// --secret VALUE | --secret-env VAR | --secret-file PATH, each repeatable (key rotation).
// Without any of them, the secret comes from $WEBHOOK_KEY when it is set.
void addSecretOptions(QCommandLineParser &parser);
struct SecretSource
{
    QString description; // "--secret-env WEBHOOK_KEY", "secret 2" — never the secret itself
    QByteArray secret;
};
// Reads the secrets; warns (without printing them) about surrounding whitespace.
QList<SecretSource> readSecrets(const CommandLine &commandLine, bool required);

// --scheme NAME plus the generic scheme's options.
void addSchemeOptions(QCommandLineParser &parser);
std::unique_ptr<SignatureScheme> schemeFromOptions(const QCommandLineParser &parser);

// --body-file PATH or standard input, as raw bytes.
void addBodyOptions(QCommandLineParser &parser);
QByteArray readBody(const QCommandLineParser &parser);

// A file's bytes, or UsageError naming the file and the reason.
QByteArray readFileBytes(const QString &path, const QString &what);
// An integer option's value, or UsageError.
qint64 integerOption(const QCommandLineParser &parser, const QString &name, qint64 minimum, qint64 maximum);
// "Name: value" arguments of -H, or UsageError naming the malformed one.
HeaderList headerOptions(const QCommandLineParser &parser, const QString &name);

} // namespace hookbench::cli
