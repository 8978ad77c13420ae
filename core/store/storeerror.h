#pragma once

#include <QSqlError>
#include <QString>

namespace hookbench {

// What went wrong with the store, in SQLite's primary result-code terms.
enum class StoreErrorKind { None, Locked, Full, ReadOnly, CantOpen, NotADatabase, Corrupt, Io, Constraint, Other };

StoreErrorKind storeErrorKind(const QSqlError &error);

// One line for a user: what happened to which store, without SQL or driver noise.
QString describeStoreError(const QSqlError &error, const QString &path);

} // namespace hookbench
