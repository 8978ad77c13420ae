#pragma once

#include <QSslServer>
#include <QTcpServer>

#include <functional>

namespace hookbench {

// What a guarded server asks its owner about each new connection.
struct ConnectionHooks
{
    // False when no more connections are accepted right now (too many open).
    std::function<bool()> admit;
    // Puts the connection's guard in place. Called before Qt HttpServer sees the socket, so
    // the guard's readyRead slot runs before Qt's on every chunk of incoming bytes.
    std::function<void(QTcpSocket *socket, bool tls)> attach;
};

// A QTcpServer that attaches the listener's guard to each socket before handing it to Qt
// HttpServer (through addPendingConnection, which in Qt 6.4 makes QHttpServer connect its own
// slots synchronously, after ours).
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit GuardedTcpServer(ConnectionHooks hooks, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionHooks m_hooks;
};

// The TLS sibling: QSslServer does the handshake; the guard is attached when the handshake
// starts, which is before the socket is queued for Qt HttpServer and before any decrypted
// byte can arrive.
class GuardedSslServer : public QSslServer
{
    Q_OBJECT

public:
    explicit GuardedSslServer(ConnectionHooks hooks, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionHooks m_hooks;
};

} // namespace hookbench
