#pragma once

#include "storeoptions.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

class QThread;
struct sqlite3;

namespace hookbench {

class StoreConnection;

// Keeps the writer's write-ahead log short without stalling its commits. SQLite's automatic
// checkpoint runs inside the commit that crosses the threshold, flushing the log and the database
// to disk while every capture of that batch waits for its answer. This checkpoints from its own
// connection and thread instead, which WAL allows alongside the writer's appends. Only when the
// log outgrows a hard limit (the checkpointer can't keep up with a flood) does the writer
// checkpoint inline, so the log stays bounded.
class WalCheckpointer
{
public:
    // Counts each checkpoint that moved pages into `checkpoints` (the writer's statistics).
    WalCheckpointer(StoreOptions options, std::atomic<qint64> &checkpoints);
    // Detaches from the writer and stops the thread. Call on the writer's thread.
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Takes over checkpointing for `writer` (an open writer connection) and starts the thread.
    bool attach(StoreConnection &writer, QString *error);

private:
    static int walHook(void *self, sqlite3 *handle, const char *database, int frames);
    void run();

    StoreOptions m_options;
    sqlite3 *m_writer = nullptr;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    bool m_ready = false;
    QString m_openError;
    std::atomic<qint64> &m_checkpoints;
};

} // namespace hookbench
