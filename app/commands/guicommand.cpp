// hookbench gui: the workbench window (also what `hookbench` alone opens).
#include "commandline.h"
#include "commands.h"
#include "storeoption.h"
#include "windows/mainwindow.h"

#include <QApplication>

namespace hookbench::cli {

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runGui(const QStringList &arguments)
{
    const QString name = QStringLiteral("gui");
    return runGuarded(name, [&] {
        CommandLine commandLine(name, QStringLiteral("hookbench gui [--port N] [--store PATH] [--no-keychain]"),
            QStringLiteral("Open the workbench window: listeners, the capture list and each capture's details.\n"
                           "With --port, the first listener listens there and starts."));
        QCommandLineParser &parser = commandLine.parser();
        parser.addOption(
            {QStringLiteral("port"), QStringLiteral("Listen on this port (0: any free port)."), QStringLiteral("N")});
        parser.addOption({QStringLiteral("no-keychain"),
            QStringLiteral("Keep secrets for this session only (never in the OS keychain).")});
        addStoreOptions(parser, StoreAccess::Write);
        if (!commandLine.parse(arguments))
            return int(ExitOk);
        MainWindowOptions options;
        options.store = storeOptionsFromParser(parser, StoreAccess::Write);
        if (parser.isSet(QStringLiteral("port")))
            options.port = quint16(integerOption(parser, QStringLiteral("port"), 0, 65535));
        options.useKeychain = !parser.isSet(QStringLiteral("no-keychain"));
        if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
            throw UsageError {QStringLiteral("no display for the window (DISPLAY and WAYLAND_DISPLAY are unset); "
                                             "run 'hookbench --help' for the commands that work without one")};

        MainWindow window(std::move(options));
        QString error;
        if (!window.open(&error))
            throw UsageError {QStringLiteral("can't open the capture store: %1").arg(error)};
        window.show();
        return int(QApplication::exec());
    });
}

} // namespace hookbench::cli
