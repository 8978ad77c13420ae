#include "connectionpool.h"

#include <QTcpSocket>

namespace hookbench {

ConnectionPool::ConnectionPool(QObject *parent) : QObject(parent)
{
    m_sweep.setInterval(5'000);
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionPool::sweep);
}

ConnectionPool::~ConnectionPool()
{
    clear();
}

QTcpSocket *ConnectionPool::take(const QString &key)
{
    auto it = m_idle.find(key);
    if (it == m_idle.end())
        return nullptr;
    QList<Idle> &list = it.value();
    while (!list.isEmpty()) {
        // Most recently used first: the one least likely to have been closed by the server.
        const Idle idle = list.takeLast();
        disconnect(idle.socket, nullptr, this, nullptr);
        if (!idle.expiry.hasExpired() && idle.socket->state() == QAbstractSocket::ConnectedState
            && idle.socket->bytesAvailable() == 0) {
            idle.socket->setParent(nullptr);
            if (list.isEmpty())
                m_idle.erase(it);
            return idle.socket;
        }
        idle.socket->abort();
        idle.socket->deleteLater();
    }
    m_idle.erase(it);
    return nullptr;
}

void ConnectionPool::put(const QString &key, QTcpSocket *socket)
{
    const auto existing = m_idle.constFind(key);
    if (m_maxIdlePerOrigin <= 0 || (existing != m_idle.cend() && existing->size() >= m_maxIdlePerOrigin)) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    QList<Idle> &list = m_idle[key];
    socket->setParent(this);
    // Idle sockets must stay silent: data or a close means the server is done with them.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { drop(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] { drop(socket); });
    list.append({socket, QDeadlineTimer(m_idleTimeoutMs)});
    if (!m_sweep.isActive())
        m_sweep.start();
}

void ConnectionPool::drop(QTcpSocket *socket)
{
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        const qsizetype removed = it.value().removeIf([socket](const Idle &idle) { return idle.socket == socket; });
        if (removed > 0) {
            if (it.value().isEmpty())
                m_idle.erase(it);
            disconnect(socket, nullptr, this, nullptr);
            socket->abort();
            socket->deleteLater();
            return;
        }
    }
}

void ConnectionPool::sweep()
{
    QList<QTcpSocket *> expired;
    for (const QList<Idle> &list : std::as_const(m_idle)) {
        for (const Idle &idle : list) {
            if (idle.expiry.hasExpired())
                expired.append(idle.socket);
        }
    }
    for (QTcpSocket *socket : std::as_const(expired))
        drop(socket);
    if (m_idle.isEmpty())
        m_sweep.stop();
}

void ConnectionPool::clear()
{
    for (const QList<Idle> &list : std::as_const(m_idle)) {
        for (const Idle &idle : list) {
            disconnect(idle.socket, nullptr, this, nullptr);
            idle.socket->abort();
            delete idle.socket;
        }
    }
    m_idle.clear();
    m_sweep.stop();
}

int ConnectionPool::idleCount() const
{
    int count = 0;
    for (const QList<Idle> &list : m_idle)
        count += int(list.size());
    return count;
}

} // namespace hookbench
