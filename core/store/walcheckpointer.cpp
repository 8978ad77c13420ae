#include "walcheckpointer.h"

#include "sqlitestatement.h"
#include "storeconnection.h"

#include <QThread>

#include <sqlite3.h>

namespace hookbench {

WalCheckpointer::WalCheckpointer(StoreOptions options, CheckpointCounters &counters)
    : m_options(std::move(options)), m_counters(counters)
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
    static_cast<WalCheckpointer *>(self)->afterCommit(handle, database, frames);
    return SQLITE_OK;
}

void WalCheckpointer::afterCommit(sqlite3 *handle, const char *database, int frames)
{
    constexpr int hardLimitFactor = 8;
    const int threshold = m_options.checkpointPages;
    const bool restarted = frames < m_logFrames;
    m_counters.logPages += restarted ? frames : frames - m_logFrames;
    m_logFrames = frames;
    if (restarted)
        m_requestedAtFrames = 0;

    // Two checkpoints at once fail (SQLITE_BUSY), so the writer waits for a running pass at the
    // hard limit (the log must stop growing) and skips the copy of the remainder when one runs.
    const bool overLimit = frames >= threshold * hardLimitFactor;
    if (overLimit || m_finishInline.exchange(false)) {
        std::unique_lock pass(m_passMutex, std::defer_lock);
        if (overLimit)
            pass.lock();
        else if (!pass.try_lock())
            return;
        int checkpointed = 0;
        if (sqlite3_wal_checkpoint_v2(handle, database, SQLITE_CHECKPOINT_PASSIVE, nullptr, &checkpointed) == SQLITE_OK
            && checkpointed > 0)
            ++m_counters.checkpoints;
        return;
    }
    if (frames >= threshold && frames >= m_requestedAtFrames + threshold) {
        m_requestedAtFrames = frames;
        {
            std::lock_guard lock(m_mutex);
            m_requested = true;
        }
        m_wake.notify_one();
    }
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
        bool ok = false;
        {
            std::lock_guard pass(m_passMutex);
            // PASSIVE: never waits for, nor blocks, the writer or readers. Errors (another
            // process checkpointing) just mean trying again later.
            ok = sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointed)
                == SQLITE_OK;
        }
        if (ok && checkpointed > 0 && checkpointed != lastCheckpointed) {
            ++m_counters.checkpoints;
            lastCheckpointed = checkpointed;
            if (logFrames >= 2 * m_options.checkpointPages)
                m_finishInline = true;
        }
        lock.lock();
    }
}

} // namespace hookbench
