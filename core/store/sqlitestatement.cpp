#include "sqlitestatement.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

#include <cstring>

namespace hookbench {

sqlite3 *SqliteStatement::handleOf(const QSqlDatabase &database)
{
    const QVariant handle = database.driver() ? database.driver()->handle() : QVariant();
    if (!handle.isValid() || std::strcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

bool SqliteStatement::prepare(sqlite3 *handle, const char *sql)
{
    sqlite3_finalize(m_statement);
    m_statement = nullptr;
    m_handle = handle;
    if (!handle) {
        m_errorCode = SQLITE_MISUSE;
        m_errorMessage = QStringLiteral("not a SQLite connection");
        return false;
    }
    m_errorCode = sqlite3_prepare_v3(handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr);
    if (m_errorCode != SQLITE_OK) {
        m_errorMessage = QString::fromUtf8(sqlite3_errmsg(handle));
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
        return false;
    }
    return true;
}

void SqliteStatement::bind(int position, qint64 value)
{
    sqlite3_bind_int64(m_statement, position, value);
}

void SqliteStatement::bindText(int position, const QByteArray &utf8)
{
    // Never NULL: an empty value is an empty string.
    sqlite3_bind_text64(m_statement, position, utf8.isNull() ? "" : utf8.constData(), sqlite3_uint64(utf8.size()),
        SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStatement::bindBlob(int position, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        sqlite3_bind_zeroblob(m_statement, position, 0);
    else
        sqlite3_bind_blob64(m_statement, position, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_STATIC);
}

void SqliteStatement::bindVariant(int position, const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QByteArray: {
        // Copied (SQLITE_TRANSIENT): the caller's QVariant may not outlive step().
        const QByteArray bytes = value.toByteArray();
        if (bytes.isEmpty())
            sqlite3_bind_zeroblob(m_statement, position, 0);
        else
            sqlite3_bind_blob64(
                m_statement, position, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
        break;
    }
    case QMetaType::QString: {
        const QByteArray utf8 = value.toString().toUtf8();
        sqlite3_bind_text64(
            m_statement, position, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
    }
    default:
        bind(position, value.toLongLong());
        break;
    }
}

bool SqliteStatement::step(bool *row)
{
    const int code = sqlite3_step(m_statement);
    if (row)
        *row = code == SQLITE_ROW;
    if (code == SQLITE_ROW || code == SQLITE_DONE) {
        m_errorCode = SQLITE_OK;
        return true;
    }
    m_errorCode = sqlite3_extended_errcode(m_handle);
    m_errorMessage = QString::fromUtf8(sqlite3_errmsg(m_handle));
    return false;
}

qint64 SqliteStatement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QByteArray SqliteStatement::columnBytes(int column) const
{
    // sqlite3_column_blob before sqlite3_column_bytes, as SQLite documents, for both types.
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
    const int size = sqlite3_column_bytes(m_statement, column);
    return data && size > 0 ? QByteArray(data, size) : QByteArray();
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

QSqlError SqliteStatement::lastError() const
{
    if (m_errorCode == SQLITE_OK)
        return {};
    return QSqlError(QString(), m_errorMessage, QSqlError::StatementError, QString::number(m_errorCode));
}

qint64 SqliteStatement::lastInsertRowId() const
{
    return m_handle ? sqlite3_last_insert_rowid(m_handle) : 0;
}

} // namespace hookbench
