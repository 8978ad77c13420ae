#include "storeerror.h"

namespace hookbench {

namespace {

QString oneLine(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.simplified();
}

} // namespace

StoreErrorKind storeErrorKind(const QSqlError &error)
{
    if (error.type() == QSqlError::NoError)
        return StoreErrorKind::None;
    bool ok = false;
    // The driver reports SQLite's extended result code; its low byte is the primary code.
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok)
        return StoreErrorKind::Other;
    switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return StoreErrorKind::Locked;
    case 13: // SQLITE_FULL
        return StoreErrorKind::Full;
    case 8: // SQLITE_READONLY
        return StoreErrorKind::ReadOnly;
    case 14: // SQLITE_CANTOPEN
        return StoreErrorKind::CantOpen;
    case 26: // SQLITE_NOTADB
        return StoreErrorKind::NotADatabase;
    case 11: // SQLITE_CORRUPT
        return StoreErrorKind::Corrupt;
    case 10: // SQLITE_IOERR
        return StoreErrorKind::Io;
    case 19: // SQLITE_CONSTRAINT
        return StoreErrorKind::Constraint;
    default:
        return StoreErrorKind::Other;
    }
}

QString describeStoreError(const QSqlError &error, const QString &path)
{
    const QString detail = oneLine(error.databaseText().isEmpty() ? error.text() : error.databaseText());
    switch (storeErrorKind(error)) {
    case StoreErrorKind::None:
        return {};
    case StoreErrorKind::Locked:
        return QStringLiteral("the capture store %1 is locked by another process; try again when it is done").arg(path);
    case StoreErrorKind::Full:
        return QStringLiteral("the capture store %1 is full (the disk is full or the store reached its size limit)")
            .arg(path);
    case StoreErrorKind::ReadOnly:
        return QStringLiteral("the capture store %1 is read-only").arg(path);
    case StoreErrorKind::CantOpen:
        return QStringLiteral("can't open the capture store %1 (missing directory or no permission)").arg(path);
    case StoreErrorKind::NotADatabase:
        return QStringLiteral("%1 is not a Hookbench capture store (not a SQLite file)").arg(path);
    case StoreErrorKind::Corrupt:
        return QStringLiteral("the capture store %1 is damaged: %2").arg(path, detail);
    case StoreErrorKind::Io:
        return QStringLiteral("I/O error on the capture store %1: %2").arg(path, detail);
    case StoreErrorKind::Constraint:
    case StoreErrorKind::Other:
        break;
    }
    return QStringLiteral("capture store %1: %2").arg(path, detail);
}

} // namespace hookbench
