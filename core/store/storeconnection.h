#pragma once

#include "storeoptions.h"

#include <QSqlDatabase>
#include <QString>

namespace hookbench {

// One Qt SQL connection to a capture store, opened, configured and migrated. Qt SQL
// connections belong to the thread that opened them, so each thread (the writer's, the UI's,
// a command's) owns its own StoreConnection; the destructor closes and unregisters it.
class StoreConnection
{
public:
    enum class Role {
        Reader, // never writes (PRAGMA query_only) once the schema is current
        Writer, // the one connection that writes; sets WAL, synchronous, size limit
    };
    enum class Missing {
        Create, // create the file (and its directory) when absent
        Fail, // report a missing file as an error and create nothing
    };

    StoreConnection() = default;
    ~StoreConnection();
    StoreConnection(const StoreConnection &) = delete;
    StoreConnection &operator=(const StoreConnection &) = delete;

    bool open(const StoreOptions &options, Role role, Missing missing, QString *error);
    void close();

    bool isOpen() const { return m_database.isOpen(); }
    QSqlDatabase &database() { return m_database; }
    const QString &path() const { return m_path; }

    // Runs one statement that returns nothing; false with a one-line error.
    bool exec(const QString &sql, QString *error);

private:
    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_database;
};

} // namespace hookbench
