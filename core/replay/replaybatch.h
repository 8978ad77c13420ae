#pragma once

#include "capture/attempt.h"
#include "resigner.h"
#include "sendoptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace hookbench {

class HttpSender;

// One request of a batch, as the loader produces it. `error` set: the item could not be
// loaded (a capture deleted meanwhile); it is reported as a failed attempt and not sent.
struct ReplayItem
{
    qint64 captureId = 0;
    HttpRequest request;
    QString error;
};

struct ReplayProgress
{
    qsizetype done = 0;
    qsizetype total = 0;
    qint64 elapsedMs = 0;
    qint64 etaMs = -1; // -1 until something is done
};

struct ReplayFailure
{
    qsizetype index = 0;
    qint64 captureId = 0;
    Attempt::Failure failure = Attempt::Failure::Other;
    QString reason;
};

// What a batch did, for the summary line and dialog.
struct ReplaySummary
{
    qsizetype total = 0;
    qsizetype completed = 0; // attempts reported (sent, failed, or not loadable)
    qsizetype succeeded = 0; // 2xx
    qsizetype notStarted = 0; // left when cancelled
    bool cancelled = false;
    QMap<int, qsizetype> statusCounts; // HTTP status -> count, for attempts that got a response
    QMap<Attempt::Failure, qsizetype> failureCounts; // network-level failures by kind
    QList<ReplayFailure> failures; // the first maxListedFailures network-level failures, in order
    qint64 elapsedMs = 0;

    static constexpr qsizetype maxListedFailures = 1000;
    double requestsPerSecond() const { return elapsedMs > 0 ? completed * 1000.0 / double(elapsedMs) : 0.0; }
};

// Sends a list of requests with bounded concurrency and an optional rate limit, re-signing each
// when asked, and reports every attempt as it completes (kind Replay, captureId set) so the
// caller can store it. Requests are pulled from the loader only when a slot is free, so a batch
// of captures streams from the store instead of being loaded whole.
class ReplayBatch : public QObject
{
    Q_OBJECT

public:
    using Loader = std::function<ReplayItem(qsizetype index)>;

    struct Options
    {
        int concurrency = 4;
        double rateLimit = 0; // requests started per second; 0: no limit
        SendOptions send;
        std::shared_ptr<const Resigner> resigner; // null: sent as loaded
    };

    ReplayBatch(qsizetype total, Loader loader, Options options, QObject *parent = nullptr);
    ~ReplayBatch() override;

    static Loader requestListLoader(QList<HttpRequest> requests);

    void start();
    // Starts nothing more and stops the requests in flight (each is reported as a failed attempt:
    // it may have reached the server). finished() follows.
    void cancel();

    bool isRunning() const { return m_running; }
    const ReplaySummary &summary() const { return m_summary; }
    ReplayProgress currentProgress() const;
    // The most requests that were in flight at once (never more than the concurrency).
    int peakInFlight() const { return m_peakInFlight; }

signals:
    void attemptFinished(qsizetype index, const hookbench::Attempt &attempt);
    void progress(const hookbench::ReplayProgress &progress);
    void finished(const hookbench::ReplaySummary &summary);

private:
    void fillSlots();
    void startOne();
    void record(qsizetype index, const Attempt &attempt);
    void finishIfDone();

    qsizetype m_total = 0;
    Loader m_loader;
    Options m_options;
    HttpSender *m_sender = nullptr;
    QHash<quint64, std::pair<qsizetype, qint64>> m_inFlight; // ticket -> (index, captureId)
    qsizetype m_next = 0;
    int m_pendingReports = 0; // items that failed to load or re-sign, reported on the next turn
    int m_peakInFlight = 0;
    bool m_running = false;
    bool m_cancelled = false;
    bool m_finished = false;
    QElapsedTimer m_clock;
    qint64 m_nextStartNs = 0; // rate limit: the earliest start of the next request
    QTimer m_rateTimer;
    ReplaySummary m_summary;
};

} // namespace hookbench
