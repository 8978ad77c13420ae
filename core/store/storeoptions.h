#pragma once

#include <QString>

#include <optional>

namespace hookbench {

// How hard SQLite works to keep a commit on disk (PRAGMA synchronous), in WAL mode:
// Normal survives a crash or kill of the process (the commit is in the operating system's
// file cache) but the last commits may be lost on power loss or a kernel crash; Full also
// flushes the write-ahead log to the device on every commit and survives both.
enum class Synchronous { Normal, Full };

QString synchronousName(Synchronous level);
std::optional<Synchronous> synchronousFromName(QStringView name);

// Everything needed to open a capture store. The defaults suit the listener; tests and
// benchmarks tune them.
struct StoreOptions
{
    QString path; // the SQLite file; see defaultStorePath()

    // Normal by default: an answered capture survives the listener being killed (kill -9, crash),
    // which is the promise a 2xx makes, and a commit costs no device flush. Full adds power-loss
    // safety at one flush per batch (see docs/store.md for what that costs here).
    Synchronous synchronous = Synchronous::Normal;
    // How long to wait for another process's lock before giving up with "locked".
    int busyTimeoutMs = 5000;

    // Group commit: writes queue up while the writer thread commits the previous batch; the
    // next batch takes everything queued (up to `maxBatch`) in one transaction. With
    // `commitIntervalUs` > 0 the writer also waits until that long after the oldest queued write
    // for more to arrive (fewer, larger transactions, at the price of that much latency).
    // 0 by default: a listener hands over the requests of one event-loop pass together
    // (CaptureSink::submitBatch), so batches follow its waves without a timer; a wait on top of
    // that only delayed the answers (docs/benchmarks.md, Listener, "Waves instead of a timer").
    int commitIntervalUs = 0;
    int maxBatch = 512;

    // Memory that queued, not yet committed writes may hold (bodies and headers). Past it, new
    // writes fail at once with "behind" instead of piling up while the disk stalls.
    qsizetype maxPendingBytes = qsizetype(256) * 1024 * 1024;

    // The writer's log is checkpointed in the background once it holds this many pages (4 KiB
    // each), again after each as many new pages, and restarted once it holds twice as many; past
    // eight times as many, the writer checkpoints inline to keep the file bounded
    // (WalCheckpointer).
    int checkpointPages = 1000;

    // The writer's session for captures submitted without one: created when missing. Empty means
    // the default session.
    QString session;

    // Upper bound on the file size (0: none). Writes beyond it fail with "store full" and
    // nothing already stored is lost.
    qint64 maxSizeBytes = 0;
};

// QStandardPaths::AppDataLocation/captures.sqlite (the directory is not created here).
QString defaultStorePath();

} // namespace hookbench
