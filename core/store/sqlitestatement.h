#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QVariant>

struct sqlite3;
struct sqlite3_stmt;

namespace hookbench {

// A prepared statement on the SQLite handle under a Qt SQL connection, for the few hot paths
// (inserting captures, listing ids) where QSqlQuery's per-value bookkeeping costs more than
// SQLite itself. The connection, its thread and its transactions stay Qt SQL's.
class SqliteStatement
{
public:
    // The sqlite3 handle of a QSQLITE connection, or null for another driver.
    static sqlite3 *handleOf(const QSqlDatabase &database);

    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool prepare(sqlite3 *handle, const char *sql);
    bool isPrepared() const { return m_statement != nullptr; }

    // Binds by position, 1-based as in SQLite. Text and blobs are copied only if SQLite needs to
    // keep them past step(); the caller keeps them alive until then.
    void bind(int position, qint64 value);
    void bindText(int position, const QByteArray &utf8);
    void bindBlob(int position, const QByteArray &bytes);
    // Integers, QString (as text) and QByteArray (as a BLOB), the types filterSql() produces.
    void bindVariant(int position, const QVariant &value);

    // Runs the statement once: true for a row (SQLITE_ROW) or completion (SQLITE_DONE).
    bool step(bool *row = nullptr);
    qint64 columnInt64(int column) const;
    // A BLOB or TEXT column's bytes (empty for NULL), copied out before the next step().
    QByteArray columnBytes(int column) const;
    // Clears bindings and resets for the next run.
    void reset();

    // SQLite's extended result code and message of the last failure.
    int errorCode() const { return m_errorCode; }
    QString errorMessage() const { return m_errorMessage; }
    // The last failure in Qt SQL's terms, so that it is described like every other store error.
    QSqlError lastError() const;
    qint64 lastInsertRowId() const;

private:
    sqlite3 *m_handle = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    int m_errorCode = 0;
    QString m_errorMessage;
};

} // namespace hookbench
