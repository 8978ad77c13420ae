#include "storeschema.h"

#include "storeerror.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace hookbench::storeschema {

namespace {

// Each step takes the store from version N to N+1. Never edit a released step: add a new one.
QStringList stepToVersion1()
{
    return {
        QStringLiteral("CREATE TABLE sessions ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " name TEXT NOT NULL UNIQUE,"
                       " created_at_us INTEGER NOT NULL)"),
        QStringLiteral("INSERT INTO sessions (id, name, created_at_us)"
                       " VALUES (1, 'default', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))"),
        // Summary columns only: list views scan these rows, so headers and bodies live apart.
        QStringLiteral("CREATE TABLE captures ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
                       " received_at_us INTEGER NOT NULL,"
                       " method BLOB NOT NULL,"
                       " target BLOB NOT NULL,"
                       " body_size INTEGER NOT NULL,"
                       " remote_address TEXT NOT NULL DEFAULT '',"
                       " remote_port INTEGER NOT NULL DEFAULT 0,"
                       " tls INTEGER NOT NULL DEFAULT 0,"
                       " listener TEXT NOT NULL DEFAULT '',"
                       " scheme TEXT NOT NULL DEFAULT '',"
                       " verdict TEXT NOT NULL,"
                       " verdict_reason TEXT NOT NULL DEFAULT '',"
                       " response_status INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE TABLE capture_payloads ("
                       " capture_id INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,"
                       " headers BLOB NOT NULL,"
                       " body BLOB NOT NULL)"),
        QStringLiteral("CREATE INDEX captures_session ON captures(session_id, id)"),
        QStringLiteral("CREATE INDEX captures_time ON captures(received_at_us)"),
        QStringLiteral("CREATE INDEX captures_listener ON captures(listener, id)"),
        QStringLiteral("CREATE INDEX captures_verdict ON captures(verdict, id)"),
        QStringLiteral("CREATE INDEX captures_method ON captures(method, id)"),
        QStringLiteral("CREATE INDEX captures_target ON captures(target)"),
    };
}

QStringList stepToVersion2()
{
    return {
        QStringLiteral("ALTER TABLE captures ADD COLUMN dbt_event_type TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE captures ADD COLUMN dbt_event_id TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE captures ADD COLUMN dbt_run_id TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE captures ADD COLUMN dbt_check TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("CREATE INDEX captures_dbt_event_type ON captures(dbt_event_type, id)"),
        QStringLiteral("CREATE INDEX captures_dbt_run_id ON captures(dbt_run_id, id)"),
        QStringLiteral("CREATE TABLE attempts ("
                       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                       " capture_id INTEGER REFERENCES captures(id) ON DELETE CASCADE,"
                       " kind TEXT NOT NULL,"
                       " started_at_us INTEGER NOT NULL,"
                       " method BLOB NOT NULL,"
                       " url BLOB NOT NULL,"
                       " request_headers BLOB NOT NULL,"
                       " request_body BLOB NOT NULL,"
                       " status INTEGER NOT NULL DEFAULT 0,"
                       " reason_phrase BLOB NOT NULL DEFAULT x'',"
                       " response_headers BLOB NOT NULL DEFAULT x'',"
                       " response_body BLOB NOT NULL DEFAULT x'',"
                       " time_to_first_byte_us INTEGER NOT NULL DEFAULT -1,"
                       " total_us INTEGER NOT NULL DEFAULT -1,"
                       " failure TEXT NOT NULL DEFAULT 'none',"
                       " error TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE INDEX attempts_capture ON attempts(capture_id, id)"),
    };
}

// Every index costs each capture a B-tree insert and each commit its changed pages in the log
// (about two 4 KiB pages per index and batch of 16, measured), then again at the checkpoint.
// v3 keeps the indexes a filter needs to find the few captures it matches, and no more.
QStringList stepToVersion3()
{
    return {
        // No query reads captures by time: lists go newest first by id, which grows with arrival.
        QStringLiteral("DROP INDEX IF EXISTS captures_time"),
        // Verdict and method filters look for the exceptions (invalid signatures, the odd GET
        // among POSTs); the common value matches most rows and is found by walking captures
        // newest first (filterSql() adds the same condition so the planner picks these).
        QStringLiteral("DROP INDEX IF EXISTS captures_verdict"),
        QStringLiteral("CREATE INDEX captures_verdict_unusual ON captures(verdict, id) WHERE verdict <> 'valid'"),
        QStringLiteral("DROP INDEX IF EXISTS captures_method"),
        // x'504F5354' is "POST" as a BLOB, which is how methods are stored (a TEXT 'POST' would
        // never equal it).
        QStringLiteral("CREATE INDEX captures_method_unusual ON captures(method, id) WHERE method <> x'504F5354'"),
    };
}

// An attempt keeps the request-target exactly as it went on the wire: its URL alone can't say
// (QUrl decodes %7e to ~), and a replay or a comparison must show what was sent.
QStringList stepToVersion4()
{
    return {
        QStringLiteral("ALTER TABLE attempts ADD COLUMN request_target BLOB NOT NULL DEFAULT x''"),
    };
}

QList<QStringList> steps()
{
    return {stepToVersion1(), stepToVersion2(), stepToVersion3(), stepToVersion4()};
}

bool run(QSqlDatabase &database, const QString &sql, const QString &path, QString *error)
{
    QSqlQuery query(database);
    if (query.exec(sql))
        return true;
    *error = describeStoreError(query.lastError(), path);
    return false;
}

qint64 pragma(QSqlDatabase &database, const QString &name, bool *ok)
{
    QSqlQuery query(database);
    *ok = query.exec(QStringLiteral("PRAGMA ") + name) && query.next();
    return *ok ? query.value(0).toLongLong() : -1;
}

// What the file looks like before any change: its version, and whether it is ours.
struct FileState
{
    int version = -1;
    qint64 applicationId = 0;
    qint64 objects = 0;
    QSqlError error;
};

FileState readState(QSqlDatabase &database)
{
    FileState state;
    QSqlQuery query(database);
    if (!query.exec(QStringLiteral("SELECT (SELECT user_version FROM pragma_user_version),"
                                   " (SELECT application_id FROM pragma_application_id),"
                                   " (SELECT count(*) FROM sqlite_schema)"))
        || !query.next()) {
        state.error = query.lastError();
        return state;
    }
    state.version = query.value(0).toInt();
    state.applicationId = query.value(1).toLongLong();
    state.objects = query.value(2).toLongLong();
    return state;
}

bool checkState(const FileState &state, const QString &path, QString *error)
{
    if (state.version < 0) {
        *error = describeStoreError(state.error, path);
        return false;
    }
    const bool empty = state.version == 0 && state.objects == 0 && state.applicationId == 0;
    if (!empty && state.applicationId != applicationId) {
        *error = QStringLiteral("%1 is a SQLite file but not a Hookbench capture store").arg(path);
        return false;
    }
    if (state.version > currentVersion) {
        *error = QStringLiteral("the capture store %1 has schema version %2, newer than this Hookbench understands "
                                "(%3): upgrade Hookbench")
                     .arg(path)
                     .arg(state.version)
                     .arg(currentVersion);
        return false;
    }
    return true;
}

} // namespace

int version(QSqlDatabase &database)
{
    bool ok = false;
    return int(pragma(database, QStringLiteral("user_version"), &ok));
}

bool migrate(QSqlDatabase &database, const QString &path, QString *error)
{
    // The common case, an up-to-date store, takes no write lock: a reader must not wait for
    // (or block) a listener that is writing.
    const FileState before = readState(database);
    if (!checkState(before, path, error))
        return false;
    if (before.version == currentVersion)
        return true;

    // WAL has to be chosen outside a transaction; it persists in the file.
    QSqlQuery wal(database);
    if (!wal.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !wal.next()) {
        *error = describeStoreError(wal.lastError(), path);
        return false;
    }
    wal.finish();

    if (!run(database, QStringLiteral("BEGIN IMMEDIATE"), path, error))
        return false;
    // Another process may have migrated while we waited for the lock.
    const FileState locked = readState(database);
    bool ok = checkState(locked, path, error);
    const QList<QStringList> chain = steps();
    for (int version = locked.version; ok && version < currentVersion; ++version) {
        for (const QString &statement : chain.at(version)) {
            ok = run(database, statement, path, error);
            if (!ok)
                break;
        }
    }
    if (ok && locked.version < currentVersion) {
        ok = run(database, QStringLiteral("PRAGMA application_id=%1").arg(applicationId), path, error)
            && run(database, QStringLiteral("PRAGMA user_version=%1").arg(currentVersion), path, error);
    }
    if (ok)
        ok = run(database, QStringLiteral("COMMIT"), path, error);
    if (!ok) {
        QSqlQuery rollback(database);
        rollback.exec(QStringLiteral("ROLLBACK"));
    }
    return ok;
}

} // namespace hookbench::storeschema
