#pragma once

// A deliberately plain HTTP/1.1 receiver for tests: a QTcpServer (or QSslServer) on 127.0.0.1
// that records every request's raw bytes exactly as they arrived and answers through a
// replaceable handler (canned bytes, chunked, close-delimited, slow, never, garbage...). It parses
// just enough to find where a request ends (Content-Length or chunked), so what a client really
// put on the wire can be compared byte for byte.

#include "capture/httpheaders.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <memory>

namespace hookbench::testing {

struct ReceivedRequest
{
    QByteArray raw; // head and body exactly as received
    QByteArray requestLine;
    QByteArray method;
    QByteArray target;
    QList<QByteArray> headerLines; // "Name: value" as received, in order
    QByteArray body; // de-chunked when chunked
    int connection = 0; // 1-based index of the connection it came on
};

class RawHttpReceiver
{
public:
    using Handler = std::function<void(QTcpSocket *socket, const ReceivedRequest &request)>;

    static QByteArray okResponse(const QByteArray &body = QByteArrayLiteral("ok"), int status = 200,
        const QByteArray &reason = QByteArrayLiteral("OK"))
    {
        return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
            + "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    // Plain TCP, or TLS with `tls` (certificate and key set).
    explicit RawHttpReceiver(const QSslConfiguration &tls = {})
    {
        if (!tls.isNull()) {
            auto *server = new QSslServer;
            server->setSslConfiguration(tls);
            m_server.reset(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        // Emitted after the TLS handshake for QSslServer, right away for QTcpServer.
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(), [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                accept(socket);
        });
        m_server->listen(QHostAddress::LocalHost, 0);
        m_handler = [](QTcpSocket *socket, const ReceivedRequest &) { socket->write(okResponse()); };
    }

    ~RawHttpReceiver()
    {
        m_server->close();
        m_server.reset();
    }

    quint16 port() const { return m_server->serverPort(); }
    QByteArray origin() const
    {
        return (isTls() ? QByteArrayLiteral("https") : QByteArrayLiteral("http"))
            + "://127.0.0.1:" + QByteArray::number(port());
    }
    QString url(const QString &path = QStringLiteral("/")) const { return QString::fromLatin1(origin()) + path; }

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Answer every request with these bytes; optionally close the connection after writing them.
    void answerWith(const QByteArray &response, bool close = false)
    {
        m_handler = [response, close](QTcpSocket *socket, const ReceivedRequest &) {
            socket->write(response);
            if (close)
                socket->disconnectFromHost();
        };
    }
    // Keep every request unanswered until releaseHeld().
    void holdRequests()
    {
        m_handler = [this](QTcpSocket *socket, const ReceivedRequest &) {
            m_held.append(socket);
            m_peakHeld = std::max(m_peakHeld, heldCount());
        };
    }
    int heldCount() const { return int(m_held.size()); }
    int peakHeld() const { return m_peakHeld; }
    void releaseHeld(const QByteArray &response = okResponse())
    {
        const QList<QPointer<QTcpSocket>> held = std::exchange(m_held, {});
        for (const QPointer<QTcpSocket> &socket : held) {
            if (socket)
                socket->write(response);
        }
    }

    const QList<ReceivedRequest> &requests() const { return m_requests; }
    int connectionsAccepted() const { return m_accepted; }
    int openConnections() const { return m_open; }
    int peakOpenConnections() const { return m_peakOpen; }

private:
    struct Connection
    {
        QByteArray buffer;
        int index = 0;
    };

    bool isTls() const { return qobject_cast<QSslServer *>(m_server.get()) != nullptr; }

    void accept(QTcpSocket *socket)
    {
        ++m_accepted;
        ++m_open;
        m_peakOpen = std::max(m_peakOpen, m_open);
        auto connection = std::make_shared<Connection>();
        connection->index = m_accepted;
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, connection] {
            connection->buffer += socket->readAll();
            ReceivedRequest request;
            while (takeRequest(&connection->buffer, &request)) {
                request.connection = connection->index;
                m_requests.append(request);
                m_handler(socket, request);
            }
        });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
            --m_open;
            socket->deleteLater();
        });
    }

    // Takes one complete request off the front of `buffer`.
    static bool takeRequest(QByteArray *buffer, ReceivedRequest *out)
    {
        const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
        if (headEnd < 0)
            return false;
        const QByteArray head = buffer->left(headEnd);
        QList<QByteArray> lines = head.split('\n');
        for (QByteArray &line : lines) {
            if (line.endsWith('\r'))
                line.chop(1);
        }
        ReceivedRequest request;
        request.requestLine = lines.takeFirst();
        const QList<QByteArray> parts = request.requestLine.split(' ');
        request.method = parts.value(0);
        request.target = parts.value(1);
        request.headerLines = lines;
        qint64 length = 0;
        bool chunked = false;
        for (const QByteArray &line : std::as_const(lines)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            if (name == "transfer-encoding" && value.toLower().endsWith("chunked"))
                chunked = true;
        }
        qsizetype at = headEnd + 4;
        if (chunked) {
            while (true) {
                const qsizetype lineEnd = buffer->indexOf("\r\n", at);
                if (lineEnd < 0)
                    return false;
                bool ok = false;
                const qint64 size = buffer->mid(at, lineEnd - at).split(';').first().trimmed().toLongLong(&ok, 16);
                if (!ok)
                    return false;
                at = lineEnd + 2;
                if (size == 0) {
                    if (buffer->size() < at + 2)
                        return false;
                    at += 2; // no trailers in these tests
                    break;
                }
                if (buffer->size() < at + size + 2)
                    return false;
                request.body += buffer->mid(at, size);
                at += size + 2;
            }
        } else {
            if (buffer->size() < at + length)
                return false;
            request.body = buffer->mid(at, length);
            at += length;
        }
        request.raw = buffer->left(at);
        buffer->remove(0, at);
        *out = request;
        return true;
    }

    std::unique_ptr<QTcpServer> m_server;
    Handler m_handler;
    QList<ReceivedRequest> m_requests;
    QList<QPointer<QTcpSocket>> m_held;
    int m_peakHeld = 0;
    int m_accepted = 0;
    int m_open = 0;
    int m_peakOpen = 0;
};

// The request's headers parsed into the project's header list (order and case kept).
inline HeaderList parsedHeaders(const ReceivedRequest &request)
{
    HeaderList headers;
    for (const QByteArray &line : request.headerLines) {
        HttpHeader header;
        if (parseHeaderLine(line, &header))
            headers.append(header);
    }
    return headers;
}

// A loopback port nothing listens on (just released), for "connection refused" cases.
inline quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace hookbench::testing
