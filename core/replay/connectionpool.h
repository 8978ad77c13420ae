#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

class QTcpSocket;

namespace hookbench {

// Idle keep-alive connections, by origin, for HttpSender. A connection that the server closes,
// that receives unexpected bytes while idle, or that stays idle too long is dropped. The pool
// owns the idle sockets; take() hands one over (parent cleared: the taker owns it).
class ConnectionPool : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionPool(QObject *parent = nullptr);
    ~ConnectionPool() override;

    // A connected idle socket for `key`, or nullptr.
    QTcpSocket *take(const QString &key);
    // Keeps `socket` for reuse (or closes it when the origin already has enough idle ones).
    void put(const QString &key, QTcpSocket *socket);
    void clear();

    int idleCount() const;
    void setMaxIdlePerOrigin(int count) { m_maxIdlePerOrigin = count; }
    int maxIdlePerOrigin() const { return m_maxIdlePerOrigin; }
    void setIdleTimeoutMs(int ms) { m_idleTimeoutMs = ms; }

private:
    struct Idle
    {
        QTcpSocket *socket = nullptr;
        QDeadlineTimer expiry;
    };

    void drop(QTcpSocket *socket);
    void sweep();

    QHash<QString, QList<Idle>> m_idle;
    int m_maxIdlePerOrigin = 32;
    int m_idleTimeoutMs = 30'000;
    QTimer m_sweep;
};

} // namespace hookbench
