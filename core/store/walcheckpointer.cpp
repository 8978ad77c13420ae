#include "walcheckpointer.h"

#include "sqlitestatement.h"
#include "storeconnection.h"

#include <QThread>

#include <sqlite3.h>

namespace hookbench {

WalCheckpointer::WalCheckpointer(StoreOptions options, std::atomic<qint64> &checkpoints)
    : m_options(std::move(options)), m_checkpoints(checkpoints)
{
    m_options.checkpointPages = qMax(16, m_options.checkpointPages);
}

WalCheckpointer::~WalCheckpointer()
{
    if (m_writer)
        sqlite3_wal_hook(m_writer, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread)
        m_thread->wait();
}

bool WalCheckpointer::attach(StoreConnection &writer, QString *error)
{
    m_writer = SqliteStatement::handleOf(writer.database());
    if (!m_writer) {
        *error = QStringLiteral("the capture store %1 has no SQLite handle").arg(writer.path());
        return false;
    }
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("hookbench-store-checkpoint"));
    m_thread->start();
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_ready; });
    if (!m_openError.isEmpty()) {
        *error = m_openError;
        return false;
    }
    // Replaces SQLite's automatic checkpoint on this connection.
    sqlite3_wal_hook(m_writer, &WalCheckpointer::walHook, this);
    return true;
}

// Runs on the writer's thread after each commit, with the log's length in frames (pages).
int WalCheckpointer::walHook(void *self, sqlite3 *handle, const char *database, int frames)
{
    auto *checkpointer = static_cast<WalCheckpointer *>(self);
    const int threshold = checkpointer->m_options.checkpointPages;
    if (frames >= threshold * 8) {
        if (sqlite3_wal_checkpoint_v2(handle, database, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK)
            ++checkpointer->m_checkpoints;
    } else if (frames >= threshold) {
        {
            std::lock_guard lock(checkpointer->m_mutex);
            checkpointer->m_requested = true;
        }
        checkpointer->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    StoreConnection connection;
    QString error;
    const bool ok = connection.open(m_options, StoreConnection::Role::Writer, StoreConnection::Missing::Fail, &error);
    sqlite3 *handle = ok ? SqliteStatement::handleOf(connection.database()) : nullptr;
    {
        std::lock_guard lock(m_mutex);
        m_ready = true;
        m_openError = ok ? QString() : error;
    }
    m_wake.notify_all();
    if (!ok)
        return;

    int lastCheckpointed = 0;
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        // Also checkpoint what a burst left behind once the writer has been quiet for a second.
        m_wake.wait_for(lock, std::chrono::seconds(1), [this] { return m_requested || m_stopping; });
        if (m_stopping)
            break;
        m_requested = false;
        lock.unlock();
        int logFrames = 0;
        int checkpointed = 0;
        // PASSIVE: never waits for, nor blocks, the writer or readers. Errors (another process
        // checkpointing) just mean trying again later.
        if (sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointed)
                == SQLITE_OK
            && checkpointed > 0 && checkpointed != lastCheckpointed) {
            ++m_checkpoints;
            lastCheckpointed = checkpointed;
        }
        lock.lock();
    }
}

} // namespace hookbench
