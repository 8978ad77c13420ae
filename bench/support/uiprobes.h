#pragma once

// Measuring tools shared by the GUI benchmarks: how late the UI thread's event loop runs while
// an operation is under way (what a user feels as stutter), and the process's resident memory.

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QString>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace hookbench {

// Resident memory of this process in KiB (0 where /proc is not available).
inline qint64 rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

// How late a precise timer (10 ms by default) fires on the thread it lives on.
class LatenessProbe : public QObject
{
public:
    explicit LatenessProbe(int intervalMs = 10) : m_interval(intervalMs)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_lateness.push_back(double(now - m_last) / 1e6 - m_interval);
            m_last = now;
        });
    }
    void start()
    {
        m_lateness.clear();
        m_last = 0;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    // Milliseconds late at the p-th percentile (100: the worst tick).
    double percentile(double p) const
    {
        if (m_lateness.empty())
            return 0;
        std::vector<double> sorted = m_lateness;
        std::sort(sorted.begin(), sorted.end());
        return sorted[size_t(std::min<double>(double(sorted.size() - 1), p / 100.0 * double(sorted.size())))];
    }
    QString summary() const
    {
        return QStringLiteral("timer lateness p50 %1 ms, p99 %2 ms, max %3 ms (%4 ticks)")
            .arg(percentile(50), 0, 'f', 1)
            .arg(percentile(99), 0, 'f', 1)
            .arg(percentile(100), 0, 'f', 1)
            .arg(m_lateness.size());
    }

private:
    int m_interval;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_lateness;
};

} // namespace hookbench
