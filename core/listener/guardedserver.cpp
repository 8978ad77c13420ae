#include "guardedserver.h"

#include "httpresponse.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <unistd.h>

namespace hookbench {

GuardedTcpServer::GuardedTcpServer(ConnectionHooks hooks, QObject *parent)
    : QTcpServer(parent), m_hooks(std::move(hooks))
{ }

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        ::close(int(descriptor));
        return;
    }
    if (!m_hooks.admit()) {
        // Never handed to Qt HttpServer: answered here and closed.
        HttpResponse busy;
        busy.status = 503;
        busy.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
            {QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")}};
        busy.body = jsonErrorBody(QStringLiteral("too many open connections"));
        socket->write(busy.serialize(false, HttpResponse::Connection::Close));
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    m_hooks.attach(socket, false);
    addPendingConnection(socket);
}

GuardedSslServer::GuardedSslServer(ConnectionHooks hooks, QObject *parent)
    : QSslServer(parent), m_hooks(std::move(hooks))
{
    connect(this, &QSslServer::startedEncryptionHandshake, this,
        [this](QSslSocket *socket) { m_hooks.attach(socket, true); });
}

void GuardedSslServer::incomingConnection(qintptr descriptor)
{
    if (!m_hooks.admit()) {
        // Nothing can be said before a handshake: close.
        ::close(int(descriptor));
        return;
    }
    QSslServer::incomingConnection(descriptor);
}

} // namespace hookbench
