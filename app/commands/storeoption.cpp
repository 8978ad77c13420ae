#include "storeoption.h"

#include "commandline.h"

namespace hookbench::cli {

void addStoreOptions(QCommandLineParser &parser, StoreAccess access)
{
    parser.addOption({QStringLiteral("store"),
        QStringLiteral("The capture store file. Default: %1.").arg(defaultStorePath()), QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("lock-timeout"),
        QStringLiteral("How long to wait for a store locked by another process, in ms. Default: 5000."),
        QStringLiteral("MS"), QStringLiteral("5000")});
    if (access == StoreAccess::Write)
        parser.addOption({QStringLiteral("synchronous"),
            QStringLiteral("normal (default): a stored capture survives the process being killed or crashing; "
                           "full: it also survives power loss, at one disk flush per commit."),
            QStringLiteral("LEVEL"), QStringLiteral("normal")});
}

StoreOptions storeOptionsFromParser(const QCommandLineParser &parser, StoreAccess access)
{
    StoreOptions options;
    options.path = parser.isSet(QStringLiteral("store")) ? parser.value(QStringLiteral("store")) : defaultStorePath();
    if (options.path.isEmpty())
        throw UsageError {QStringLiteral("--store needs a file path")};
    options.busyTimeoutMs = int(integerOption(parser, QStringLiteral("lock-timeout"), 0, 3600 * 1000));
    if (access == StoreAccess::Write) {
        const QString level = parser.value(QStringLiteral("synchronous"));
        const auto synchronous = synchronousFromName(level);
        if (!synchronous)
            throw UsageError {QStringLiteral("unknown --synchronous \"%1\" (choose from full, normal)").arg(level)};
        options.synchronous = *synchronous;
    }
    return options;
}

} // namespace hookbench::cli
