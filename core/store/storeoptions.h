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

    Synchronous synchronous = Synchronous::Full;
    // How long to wait for another process's lock before giving up with "locked".
    int busyTimeoutMs = 5000;

    // Group commit: the writer commits at most `commitIntervalUs` after the oldest pending write
    // arrived, or as soon as `maxBatch` writes are pending, whichever comes first. Writes that
    // arrive while a commit is in progress join the next batch.
    int commitIntervalUs = 1000;
    int maxBatch = 512;

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
