#pragma once

#include "capture/httpheaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <utility>

namespace hookbench {

// Size limits for one response; exceeding one is an error, not a truncation.
struct ResponseLimits
{
    qint64 maxHeaderBytes = 64 * 1024; // status line plus header block (per message, 1xx included)
    int maxHeaderCount = 500;
    qint64 maxBodyBytes = 64 * 1024 * 1024;
};

// Reads one HTTP/1.x response from bytes as they arrive, whatever the pieces: status line,
// headers (order, case and duplicates kept), and the body framed by Content-Length, chunked
// encoding or the connection closing. The body is kept raw (de-chunked, never decompressed).
// Interim 1xx responses are skipped. Lenient where real servers are sloppy (bare LF line ends,
// a missing reason phrase, folded header lines), strict where framing is at stake (invalid or
// conflicting Content-Length, malformed chunk sizes).
class HttpResponseParser
{
public:
    enum class Result { NeedMore, Complete, Error };

    explicit HttpResponseParser(ResponseLimits limits = {}, bool headRequest = false);

    // Feeds the next bytes. Bytes after a complete response are kept as leftover().
    Result feed(QByteArrayView data);
    // The connection closed: completes a close-delimited body, else reports what was missing.
    Result finish();

    Result result() const { return m_result; }
    bool isComplete() const { return m_result == Result::Complete; }
    QString error() const { return m_error; } // one line, when result() is Error

    QByteArray httpVersion() const { return m_version; } // "HTTP/1.1"
    int status() const { return m_status; } // 0 until the status line of the final response
    QByteArray reasonPhrase() const { return m_reason; }
    const HeaderList &headers() const { return m_headers; } // chunked trailers are appended
    const QByteArray &body() const { return m_body; }
    QByteArray takeBody() { return std::exchange(m_body, {}); }
    bool headersComplete() const { return m_headersComplete; }
    qint64 bytesReceived() const { return m_received; }

    // After Complete: whether the connection may carry another request (HTTP/1.1, no
    // "Connection: close", length-delimited body, nothing unexpected after the response).
    bool canReuseConnection() const;
    QByteArray leftover() const { return m_buffer.mid(m_pos); }

private:
    enum class State { StatusLine, Headers, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Done };

    bool takeLine(QByteArrayView *line);
    bool parseStatusLine(QByteArrayView line);
    bool parseHeaderField(QByteArrayView line, HeaderList *into);
    bool beginBody();
    bool appendBody(QByteArrayView data);
    Result fail(const QString &error);
    void compact();

    ResponseLimits m_limits;
    bool m_headRequest = false;
    State m_state = State::StatusLine;
    Result m_result = Result::NeedMore;
    QString m_error;

    QByteArray m_buffer; // bytes received and not yet consumed start at m_pos
    qsizetype m_pos = 0;
    qint64 m_received = 0;
    qint64 m_headerBytes = 0; // of the current message

    QByteArray m_version;
    int m_status = 0;
    QByteArray m_reason;
    HeaderList m_headers;
    bool m_headersComplete = false;
    bool m_closeDelimited = false;
    qint64 m_remaining = 0; // of the fixed body or current chunk
    qint64 m_expectedLength = -1;
    QByteArray m_body;
};

} // namespace hookbench
