#include "storeconnection.h"

#include "searchfunction.h"
#include "sqlitestatement.h"
#include "storeerror.h"
#include "storeschema.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace hookbench {

namespace {

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("hookbench-store-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

constexpr qint64 pageSize = 4096;

} // namespace

StoreConnection::~StoreConnection()
{
    close();
}

void StoreConnection::close()
{
    if (m_connectionName.isEmpty())
        return;
    m_database.close();
    m_database = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool StoreConnection::open(const StoreOptions &options, Role role, Missing missing, QString *error)
{
    close();
    m_path = options.path;
    if (m_path.isEmpty()) {
        *error = QStringLiteral("no capture store path given");
        return false;
    }
    const QFileInfo file(m_path);
    if (file.isDir()) {
        *error = QStringLiteral("the capture store %1 is a directory").arg(m_path);
        return false;
    }
    if (!file.exists()) {
        if (missing == Missing::Fail) {
            *error = QStringLiteral("no capture store at %1").arg(m_path);
            return false;
        }
        if (!QDir().mkpath(file.absolutePath())) {
            *error = QStringLiteral("can't create the directory %1 for the capture store").arg(file.absolutePath());
            return false;
        }
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = QStringLiteral("Qt's SQLite driver (QSQLITE) is not installed");
        return false;
    }

    m_connectionName = uniqueConnectionName();
    m_database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_database.setDatabaseName(m_path);
    m_database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(qMax(0, options.busyTimeoutMs)));
    if (!m_database.open()) {
        *error = describeStoreError(m_database.lastError(), m_path);
        close();
        return false;
    }

    if (!registerSearchFunction(SqliteStatement::handleOf(m_database))) {
        *error = QStringLiteral("can't set up the capture store %1: Qt's SQLite driver gives no SQLite handle")
                     .arg(m_path);
        close();
        return false;
    }
    // 32 MiB of page cache: the indexes a writer appends to, and a list view's pages, stay in
    // memory on a store of a million captures.
    bool ok = exec(QStringLiteral("PRAGMA cache_size=-32768"), error)
        && exec(QStringLiteral("PRAGMA foreign_keys=ON"), error) && storeschema::migrate(m_database, m_path, error);
    // SQLite opens a file it may not write read-only without a word; a writer says so up front
    // rather than failing every capture later.
    if (ok && role == Role::Writer && sqlite3_db_readonly(SqliteStatement::handleOf(m_database), "main") == 1) {
        *error = QStringLiteral("the capture store %1 is read-only").arg(m_path);
        ok = false;
    }
    if (ok && role == Role::Writer) {
        QSqlQuery wal(m_database);
        ok = wal.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && wal.next();
        if (!ok)
            *error = describeStoreError(wal.lastError(), m_path);
        else if (wal.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0) {
            *error = QStringLiteral("the capture store %1 can't use write-ahead logging").arg(m_path);
            ok = false;
        }
        wal.finish();
        if (ok)
            ok = exec(
                QStringLiteral("PRAGMA synchronous=%1").arg(synchronousName(options.synchronous).toUpper()), error);
        if (ok && options.maxSizeBytes > 0)
            ok = exec(QStringLiteral("PRAGMA max_page_count=%1").arg(qMax<qint64>(1, options.maxSizeBytes / pageSize)),
                error);
    }
    if (ok && role == Role::Reader)
        ok = exec(QStringLiteral("PRAGMA query_only=ON"), error);
    if (!ok)
        close();
    return ok;
}

bool StoreConnection::exec(const QString &sql, QString *error)
{
    QSqlQuery query(m_database);
    if (query.exec(sql))
        return true;
    *error = describeStoreError(query.lastError(), m_path);
    return false;
}

} // namespace hookbench
