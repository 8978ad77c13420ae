#pragma once

#include "capture/attempt.h"
#include "capture/capture.h"
#include "capturefilter.h"
#include "capturesummary.h"
#include "storeconnection.h"
#include "storeoptions.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace hookbench {

// Reads a capture store, for the command line and the UI. It has its own connection, which
// belongs to the thread that opened it: use one CaptureStore per thread. It never writes once
// the schema is current (writes go through CaptureWriter), and it sees every committed write,
// from this process or another, at the start of each query.
//
// Queries return what they found and, on failure, an empty result with `*error` set to one line.
class CaptureStore
{
public:
    enum class Missing {
        Create, // create an empty store when the file is absent (the UI)
        Fail, // a missing file is an error and nothing is created (the command line)
    };

    CaptureStore() = default;
    CaptureStore(const CaptureStore &) = delete;
    CaptureStore &operator=(const CaptureStore &) = delete;

    bool open(const StoreOptions &options, Missing missing, QString *error);
    bool isOpen() const { return m_connection.isOpen(); }
    const QString &path() const { return m_connection.path(); }
    void close() { m_connection.close(); }

    // Every session with its number of captures (counting costs ~20 ms per million captures).
    QList<Session> sessions(QString *error = nullptr);
    // Session names by id, without counting.
    QHash<qint64, QString> sessionNames(QString *error = nullptr);
    std::optional<Session> sessionNamed(const QString &name, QString *error = nullptr);

    qint64 count(const CaptureFilter &filter = {}, QString *error = nullptr);
    // Newest first, `limit` rows with an id below `beforeId` (0: from the newest). Page on by
    // passing the last id of a page as the next `beforeId`.
    QList<CaptureSummary> summaries(const CaptureFilter &filter, qint64 beforeId, int limit, QString *error = nullptr);
    // The ids of the matching captures newest first, only those above `afterId`: how a lazy
    // model addresses row N of a large store (8 bytes per row) and picks up new captures.
    QList<qint64> ids(const CaptureFilter &filter = {}, qint64 afterId = 0, QString *error = nullptr);
    // Summaries of these captures, in the order given; ids that no longer exist are skipped.
    QList<CaptureSummary> summariesFor(const QList<qint64> &ids, QString *error = nullptr);
    // The highest capture id in the store (0 when empty).
    qint64 newestId(QString *error = nullptr);

    // Everything about one capture, headers and body included; nothing when it doesn't exist.
    std::optional<Capture> capture(qint64 id, QString *error = nullptr);
    // Everything about these captures, in the order given; ids that no longer exist are skipped.
    // Much faster per capture than capture() for a batch (one statement for up to 500).
    QList<Capture> captures(const QList<qint64> &ids, QString *error = nullptr);

    // The attempts made for a capture, oldest first.
    QList<Attempt> attempts(qint64 captureId, QString *error = nullptr);
    // Attempts of any capture (or none), newest first, with an id below `beforeId` (0: newest).
    QList<Attempt> recentAttempts(qint64 beforeId, int limit, QString *error = nullptr);

    // Changes whenever any connection (any process) commits to the store: cheap polling for
    // views that want to notice another process's writes.
    qint64 dataVersion(QString *error = nullptr);

    // Gives the connection's page cache back (up to 32 MiB after a big read), for a reader that
    // stays open but idle between reads; later queries read their pages again.
    void releaseMemory();

private:
    StoreConnection m_connection;
};

} // namespace hookbench
