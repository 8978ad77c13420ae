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

// What the checkpointer did, for the writer's statistics.
struct CheckpointCounters
{
    std::atomic<qint64> checkpoints {0}; // checkpoints that moved pages into the database file
    std::atomic<qint64> logPages {0}; // pages the writer appended to the log
};

// Keeps the writer's write-ahead log short without stalling its commits. SQLite's automatic
// checkpoint runs inside the commit that crosses the threshold, flushing the log and the database
// to disk while every capture of that batch waits for its answer. This checkpoints from its own
// connection and thread instead, which WAL allows alongside the writer's appends.
//
// A background pass can't finish while the writer keeps appending, and only a finished
// checkpoint lets the log start over from its beginning; left alone, the log grows to the hard
// limit and every commit past the threshold asks for another pass (one per few commits, each with
// two flushes to disk: most of the store's CPU under a flood). So passes are spaced
// `checkpointPages` new pages apart, and once the log is twice that long the writer copies the
// few pages the last pass missed itself, right after a commit: that copy completes, and the next
// commit restarts the log. Only past eight times the threshold (the checkpointer can't keep up)
// does the writer checkpoint everything inline.
class WalCheckpointer
{
public:
    WalCheckpointer(StoreOptions options, CheckpointCounters &counters);
    // Detaches from the writer and stops the thread. Call on the writer's thread.
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Takes over checkpointing for `writer` (an open writer connection) and starts the thread.
    bool attach(StoreConnection &writer, QString *error);

private:
    static int walHook(void *self, sqlite3 *handle, const char *database, int frames);
    void afterCommit(sqlite3 *handle, const char *database, int frames);
    void run();

    StoreOptions m_options;
    sqlite3 *m_writer = nullptr;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::mutex m_passMutex; // held while a checkpoint runs
    bool m_requested = false;
    bool m_stopping = false;
    bool m_ready = false;
    QString m_openError;
    CheckpointCounters &m_counters;
    // Set by the checkpointer thread: the writer copies what the last pass left.
    std::atomic<bool> m_finishInline {false};
    // The writer thread's own: the log's length after the last commit, and when the last pass
    // was asked for.
    int m_logFrames = 0;
    int m_requestedAtFrames = 0;
};

} // namespace hookbench
