#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace hookbench::cli {

// Turns SIGINT and SIGTERM into a Qt signal on the event loop (self-pipe: the handler only
// writes one byte, everything else happens in the slot). One watcher per process.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

    bool isActive() const { return m_notifier != nullptr; }

signals:
    void received(int signalNumber);

private:
    void readSignal();

    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace hookbench::cli
