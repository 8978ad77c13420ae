#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace hookbench {

// What the framer learned from a request's head: enough to know where the request ends and
// how to answer it. The headers themselves are read by Qt HttpServer.
struct RequestHead
{
    QByteArray method; // as received, custom verbs too
    QByteArray target; // the request-target exactly as received
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    int headerCount = 0;
    qint64 contentLength = -1; // -1 when absent
    bool chunked = false;
    bool expectContinue = false; // "Expect: 100-continue" with a body to come
    bool keepAlive = true; // false: close the connection after answering

    bool isHead() const { return method == "HEAD"; }
    bool hasBody() const { return chunked || contentLength > 0; }
};

struct FramerEvent
{
    enum class Type {
        Begin, // the first byte of a request arrived
        Head, // request line and headers complete (`head`)
        Body, // `bytes` more body bytes (de-chunked)
        Complete, // the request ended; `bytes` is its body size
        Error, // the stream can't be framed: answer `status` with `reason`, then close
    };

    Type type = Type::Begin;
    RequestHead head;
    qint64 bytes = 0;
    int status = 0;
    QString reason;
};

struct FramerLimits
{
    qint64 maxBodyBytes = 16 * 1024 * 1024;
    int maxHeaderCount = 100;
    int maxHeaderBytes = 64 * 1024; // request line + header section
};

// Follows HTTP/1.1 request framing on one connection as bytes arrive, in any split, without
// keeping bodies: request line, header section, Content-Length or chunked bodies, pipelining.
// It is stricter than Qt HttpServer 6.4's parser on purpose: whatever it accepts, Qt frames the
// same way (CRLF in chunked framing, one Content-Length, "chunked" as the only transfer coding,
// no trailers, at most 100 header fields), so the two never disagree about where a request
// ends. Whatever it rejects never reaches Qt.
class RequestFramer
{
public:
    using Limits = FramerLimits;

    RequestFramer() = default;
    explicit RequestFramer(Limits limits);

    // Consumes `data` and appends what it completes to `events`. After an Error event the
    // framer is failed and ignores further input.
    void feed(QByteArrayView data, QList<FramerEvent> &events);

    bool failed() const { return m_state == State::Failed; }
    // The request being received: method, target and version once its request line is in.
    const RequestHead &head() const { return m_head; }
    // True between the first byte of a request and its end.
    bool inRequest() const { return m_state != State::Idle && m_state != State::Failed; }

private:
    enum class State {
        Idle, // between requests: leading whitespace is skipped, as Qt does
        RequestLine,
        Headers,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd, // the CRLF after a chunk's data
        LastChunkEnd, // the CRLF after the zero-size chunk (trailers are refused)
        Failed,
    };

    // Takes bytes of the current line up to and including LF; returns true when the line is
    // complete (m_current, without its line ending, valid until lineDone() or the next feed()).
    bool takeLine(QByteArrayView data, qsizetype &pos, qsizetype limit, QList<FramerEvent> &events);
    void lineDone();
    bool parseRequestLine(QList<FramerEvent> &events);
    bool parseHeaderLine(QList<FramerEvent> &events);
    bool finishHead(QList<FramerEvent> &events);
    bool parseChunkSize(QList<FramerEvent> &events);
    void complete(QList<FramerEvent> &events);
    bool fail(int status, const QString &reason, QList<FramerEvent> &events);

    Limits m_limits;
    State m_state = State::Idle;
    QByteArray m_line; // a line split across reads, gathered
    QByteArrayView m_current; // the complete line being parsed
    qsizetype m_headBytes = 0;
    RequestHead m_head;
    QList<QByteArray> m_contentLengths;
    int m_transferEncodings = 0;
    bool m_connectionUpgrade = false;
    bool m_upgradeWebSocket = false;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    qint64 m_remaining = 0; // body bytes still to come (fixed body or current chunk)
    qint64 m_bodySize = 0;
    int m_crlfSeen = 0; // bytes of a framing CRLF already matched
};

} // namespace hookbench
