#include "storeoptions.h"

#include <QDir>
#include <QStandardPaths>

namespace hookbench {

QString synchronousName(Synchronous level)
{
    switch (level) {
    case Synchronous::Normal:
        return QStringLiteral("normal");
    case Synchronous::Full:
        return QStringLiteral("full");
    }
    return {};
}

std::optional<Synchronous> synchronousFromName(QStringView name)
{
    for (const Synchronous level : {Synchronous::Normal, Synchronous::Full}) {
        if (name.compare(synchronousName(level), Qt::CaseInsensitive) == 0)
            return level;
    }
    return std::nullopt;
}

QString defaultStorePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("captures.sqlite"));
}

} // namespace hookbench
