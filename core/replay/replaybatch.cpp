#include "replaybatch.h"

#include "httpsender.h"

#include <chrono>
#include <cmath>

namespace hookbench {

ReplayBatch::ReplayBatch(qsizetype total, Loader loader, Options options, QObject *parent)
    : QObject(parent)
    , m_total(std::max<qsizetype>(0, total))
    , m_loader(std::move(loader))
    , m_options(std::move(options))
    , m_sender(new HttpSender(this))
{
    m_options.concurrency = std::max(1, m_options.concurrency);
    m_options.rateLimit = std::max(0.0, m_options.rateLimit);
    m_sender->setMaxIdleConnectionsPerOrigin(m_options.concurrency);
    m_summary.total = m_total;
    m_rateTimer.setSingleShot(true);
    // A precise timer: a coarse one may fire early, and the limit is a promise.
    m_rateTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_rateTimer, &QTimer::timeout, this, &ReplayBatch::fillSlots);
    connect(m_sender, &HttpSender::attemptFinished, this, [this](quint64 ticket, const Attempt &attempt) {
        const auto it = m_inFlight.find(ticket);
        if (it == m_inFlight.end())
            return;
        const auto [index, captureId] = it.value();
        m_inFlight.erase(it);
        Attempt labelled = attempt;
        labelled.captureId = captureId;
        record(index, labelled);
        fillSlots();
        finishIfDone();
    });
}

ReplayBatch::~ReplayBatch() = default;

ReplayBatch::Loader ReplayBatch::requestListLoader(QList<HttpRequest> requests)
{
    auto shared = std::make_shared<const QList<HttpRequest>>(std::move(requests));
    return [shared](qsizetype index) { return ReplayItem {0, shared->at(index), {}}; };
}

void ReplayBatch::start()
{
    if (m_running || m_finished)
        return;
    m_running = true;
    m_clock.start();
    // Nothing is sent or reported inside start(): the first requests go out on the next turn.
    QMetaObject::invokeMethod(
        this,
        [this] {
            fillSlots();
            finishIfDone();
        },
        Qt::QueuedConnection);
}

void ReplayBatch::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_rateTimer.stop();
    m_sender->abortAll(QStringLiteral("cancelled before a response arrived"));
    QMetaObject::invokeMethod(this, &ReplayBatch::finishIfDone, Qt::QueuedConnection);
}

ReplayProgress ReplayBatch::currentProgress() const
{
    ReplayProgress progress;
    progress.done = m_summary.completed;
    progress.total = m_total;
    progress.elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (progress.done > 0)
        progress.etaMs = qint64(double(progress.elapsedMs) * double(m_total - progress.done) / double(progress.done));
    return progress;
}

void ReplayBatch::fillSlots()
{
    while (m_running && !m_cancelled && m_next < m_total && m_inFlight.size() < m_options.concurrency) {
        if (m_options.rateLimit > 0) {
            const qint64 now = m_clock.nsecsElapsed();
            if (now < m_nextStartNs) {
                if (!m_rateTimer.isActive())
                    m_rateTimer.start(int(std::ceil(double(m_nextStartNs - now) / 1e6)));
                return;
            }
            // From the later of now and the planned start, so a stall never turns into a burst.
            m_nextStartNs = std::max(now, m_nextStartNs) + qint64(1e9 / m_options.rateLimit);
        }
        startOne();
    }
}

void ReplayBatch::startOne()
{
    const qsizetype index = m_next++;
    ReplayItem item = m_loader(index);
    QString problem = item.error;
    if (problem.isEmpty() && m_options.resigner)
        m_options.resigner->resign(item.request, &problem);
    if (!problem.isEmpty()) {
        Attempt attempt;
        attempt.captureId = item.captureId;
        attempt.request = item.request;
        attempt.startedAtUs
            = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
        attempt.failure = Attempt::Failure::Other;
        attempt.error = problem;
        // Reported on the next turn, like a sent one, so that handlers never run inside fillSlots().
        QMetaObject::invokeMethod(
            this,
            [this, index, attempt] {
                --m_pendingReports;
                record(index, attempt);
                fillSlots();
                finishIfDone();
            },
            Qt::QueuedConnection);
        ++m_pendingReports;
        return;
    }
    const quint64 ticket = m_sender->send(item.request, m_options.send);
    m_inFlight.insert(ticket, {index, item.captureId});
    m_peakInFlight = std::max(m_peakInFlight, int(m_inFlight.size()));
}

void ReplayBatch::record(qsizetype index, const Attempt &attempt)
{
    Attempt labelled = attempt;
    labelled.kind = Attempt::Kind::Replay;
    ++m_summary.completed;
    if (labelled.failure == Attempt::Failure::None) {
        ++m_summary.statusCounts[labelled.status];
        if (labelled.succeeded())
            ++m_summary.succeeded;
    } else {
        ++m_summary.failureCounts[labelled.failure];
        if (m_summary.failures.size() < ReplaySummary::maxListedFailures)
            m_summary.failures.append({index, labelled.captureId, labelled.failure, labelled.error});
    }
    emit attemptFinished(index, labelled);
    emit progress(currentProgress());
}

void ReplayBatch::finishIfDone()
{
    if (m_finished || !m_running || !m_inFlight.isEmpty() || m_pendingReports > 0)
        return;
    if (!m_cancelled && m_next < m_total)
        return;
    m_finished = true;
    m_running = false;
    m_rateTimer.stop();
    m_summary.cancelled = m_cancelled;
    m_summary.notStarted = m_total - m_next;
    m_summary.elapsedMs = m_clock.elapsed();
    emit finished(m_summary);
}

} // namespace hookbench
