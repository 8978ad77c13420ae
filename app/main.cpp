// hookbench: the command-line and desktop front-ends over core. Parses the command name and hands
// over; everything else lives in app/commands and the libraries.
#include "commands/commandline.h"
#include "commands/commands.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstring>
#include <memory>

using namespace hookbench::cli;

namespace {

const QList<Command> &commands()
{
    static const QList<Command> all {
        {QStringLiteral("gui"), QStringLiteral("Open the workbench window (what 'hookbench' alone does)."), runGui},
        {QStringLiteral("sign"), QStringLiteral("Print the signature headers for a body."), runSign},
        {QStringLiteral("verify"), QStringLiteral("Check a request's signature and explain a failure."), runVerify},
        {QStringLiteral("listen"), QStringLiteral("Capture incoming webhooks and check their signatures live."),
            runListen},
        {QStringLiteral("send"), QStringLiteral("Send one request exactly as given, optionally signed."), runSend},
        {QStringLiteral("replay"), QStringLiteral("Send stored captures again, byte for byte, optionally re-signed."),
            runReplay},
        {QStringLiteral("sample"), QStringLiteral("Print dbt Cloud sample events, as dbt sends them."), runSample},
        {QStringLiteral("captures"), QStringLiteral("List and show captured requests in the store."), runCaptures},
    };
    return all;
}

QByteArray usage()
{
    QByteArray text = "Usage: hookbench <command> [options]\n\n"
                      "Hookbench, a workbench for webhooks: capture, verify, sign and replay.\n\n"
                      "Commands:\n";
    for (const Command &command : commands())
        text += "  " + command.name.leftJustified(10).toUtf8() + command.summary.toUtf8() + '\n';
    text += "\nOptions:\n"
            "  -h, --help     Show this help.\n"
            "  --version      Show the version.\n\n"
            "Run 'hookbench <command> --help' for a command's options.\n";
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("hookbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("Hookbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKBENCH_VERSION));

    const char *first = argc > 1 ? argv[1] : nullptr;
    if (first && (!std::strcmp(first, "--help") || !std::strcmp(first, "-h") || !std::strcmp(first, "help"))) {
        writeOut(usage());
        return ExitOk;
    }
    if (first && !std::strcmp(first, "--version")) {
        writeOut("hookbench " HOOKBENCH_VERSION "\n");
        return ExitOk;
    }

    // Only the window needs QApplication (and a display); every other command runs headless.
    const bool gui = !first || !std::strcmp(first, "gui");
    bool helpOnly = false;
    for (int i = 2; i < argc; ++i)
        helpOnly = helpOnly || !std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h");
    std::unique_ptr<QCoreApplication> app;
    if (gui && !helpOnly && hasDisplay())
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QStringList arguments = QCoreApplication::arguments().mid(2);
    const QString name = first ? QString::fromLocal8Bit(first) : QStringLiteral("gui");
    for (const Command &command : commands()) {
        if (command.name == name)
            return command.run(arguments);
    }
    writeErr("hookbench: unknown command \"" + name.toUtf8() + "\"; run 'hookbench --help' for the list\n");
    return ExitUsage;
}
