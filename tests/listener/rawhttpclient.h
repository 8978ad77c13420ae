#pragma once

// A client that writes exactly the bytes a test gives it and reads answers byte for byte, so
// tests can send what real clients never would (split anywhere, pipelined, malformed). It
// waits by running the event loop, so an in-process listener keeps working meanwhile.

#include "capture/httpheaders.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <optional>

namespace hookbench::testing {

struct HttpReply
{
    int status = 0;
    QByteArray reason;
    HeaderList headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

class RawHttpClient
{
public:
    explicit RawHttpClient(quint16 port, bool tls = false)
    {
        if (tls) {
            auto *ssl = new QSslSocket;
            ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
            m_socket.reset(ssl);
            ssl->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        } else {
            m_socket = std::make_unique<QTcpSocket>();
            m_socket->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        }
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        QObject::connect(m_socket.get(), &QIODevice::readyRead, [this] {
            if (!m_paused)
                m_buffer += m_socket->readAll();
        });
        QObject::connect(m_socket.get(), &QAbstractSocket::disconnected, [this] { m_closed = true; });
        m_tls = tls;
    }

    bool waitConnected(int timeoutMs = 10000)
    {
        return QTest::qWaitFor(
            [this] {
                if (m_tls)
                    return static_cast<QSslSocket *>(m_socket.get())->isEncrypted();
                return m_socket->state() == QAbstractSocket::ConnectedState;
            },
            timeoutMs);
    }

    QTcpSocket *socket() const { return m_socket.get(); }
    QSslSocket *sslSocket() const { return qobject_cast<QSslSocket *>(m_socket.get()); }
    quint16 localPort() const { return m_socket->localPort(); }

    void send(const QByteArray &bytes)
    {
        m_socket->write(bytes);
        m_socket->flush();
    }

    // A client that stops reading: Qt holds at most a few KiB for it, so the kernel's buffers
    // fill and the other side's writes stop going through.
    void pauseReading()
    {
        m_paused = true;
        m_socket->setReadBufferSize(4096);
    }
    void resumeReading()
    {
        m_paused = false;
        m_socket->setReadBufferSize(0);
        m_buffer += m_socket->readAll();
    }

    // Sends `bytes` in pieces of `piece` bytes, letting each leave as its own segment.
    void sendSlowly(const QByteArray &bytes, qsizetype piece, int pauseMs = 2)
    {
        for (qsizetype i = 0; i < bytes.size(); i += piece) {
            send(bytes.mid(i, piece));
            QTest::qWait(pauseMs);
        }
    }

    // The next complete answer (interim 1xx answers included), or nullopt when none arrives.
    std::optional<HttpReply> nextReply(bool headRequest = false, int timeoutMs = 15000)
    {
        std::optional<HttpReply> reply;
        (void)QTest::qWaitFor([&] { return (reply = parse(headRequest)).has_value() || m_closed; }, timeoutMs);
        if (!reply)
            reply = parse(headRequest);
        return reply;
    }

    bool waitClosed(int timeoutMs = 15000)
    {
        return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
    }
    bool isClosed() const { return m_closed; }
    const QByteArray &unread() const { return m_buffer; }

private:
    std::optional<HttpReply> parse(bool headRequest)
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        HttpReply reply;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QByteArray statusLine = lines.first().trimmed();
        const QList<QByteArray> parts = statusLine.split(' ');
        if (parts.size() < 2)
            return std::nullopt;
        reply.status = parts.at(1).toInt();
        reply.reason = statusLine.mid(parts.at(0).size() + parts.at(1).size() + 2);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            HttpHeader header;
            if (parseHeaderLine(lines.at(i).trimmed(), &header))
                reply.headers.append(header);
        }
        qsizetype length = 0;
        const bool bodyless = reply.status < 200 || reply.status == 204 || reply.status == 304 || headRequest;
        if (!bodyless)
            length = headerValue(reply.headers, "Content-Length").toLongLong();
        if (m_buffer.size() < end + 4 + length)
            return std::nullopt;
        reply.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        return reply;
    }

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
    bool m_closed = false;
    bool m_tls = false;
    bool m_paused = false;
};

// A minimal POST with a Content-Length, as raw bytes for RawHttpClient::send().
inline QByteArray post(const QByteArray &target, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
        + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace hookbench::testing
