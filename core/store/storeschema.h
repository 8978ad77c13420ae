#pragma once

#include <QSqlDatabase>
#include <QString>

namespace hookbench {

// The capture store's schema and its migration chain. The version lives in PRAGMA
// user_version; a file is recognised as a capture store by PRAGMA application_id.
//   v1: sessions, captures (summary columns) and capture_payloads (headers, body).
//   v2: dbt columns on captures, attempts.
//   v3: fewer indexes for a cheaper insert: none on time; verdict and method indexed only for
//       their unusual values (not 'valid', not POST).
namespace storeschema {

constexpr int currentVersion = 4;
constexpr int applicationId = 0x484B4243; // "HKBC"

// Brings an open database to currentVersion: creates a fresh store, upgrades an older one step
// by step in one write transaction, or refuses a file that is not a capture store or was written
// by a newer Hookbench. Returns false with a one-line error.
bool migrate(QSqlDatabase &database, const QString &path, QString *error);

// The version a database reports (-1 when it can't be read).
int version(QSqlDatabase &database);

} // namespace storeschema

} // namespace hookbench
