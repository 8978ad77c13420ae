#include "httpresponseparser.h"

#include <optional>

namespace hookbench {

namespace {

constexpr qint64 maxChunkLineBytes = 4096; // chunk size plus extensions

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    return QStringLiteral("%1 bytes").arg(bytes);
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

bool hasToken(const HeaderList &headers, QByteArrayView name, QByteArrayView token)
{
    for (const QByteArray &value : headerValues(headers, name)) {
        for (const QByteArray &part : value.split(',')) {
            if (trimmed(part).compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

// A decimal length with nothing else; nullopt for signs, spaces inside, overflow.
std::optional<qint64> parseLength(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

QString printable(QByteArrayView text)
{
    QString out;
    for (const char c : text.first(std::min<qsizetype>(text.size(), 40))) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'?');
    }
    return out;
}

} // namespace

HttpResponseParser::HttpResponseParser(ResponseLimits limits, bool headRequest)
    : m_limits(limits), m_headRequest(headRequest)
{ }

HttpResponseParser::Result HttpResponseParser::fail(const QString &error)
{
    m_error = error;
    m_result = Result::Error;
    return m_result;
}

void HttpResponseParser::compact()
{
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    } else if (m_pos > 64 * 1024 && m_pos > m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

bool HttpResponseParser::takeLine(QByteArrayView *line)
{
    const qsizetype newline = m_buffer.indexOf('\n', m_pos);
    if (newline < 0)
        return false;
    QByteArrayView found(m_buffer.constData() + m_pos, newline - m_pos);
    if (found.endsWith('\r'))
        found.chop(1);
    if (m_state == State::StatusLine || m_state == State::Headers || m_state == State::Trailers)
        m_headerBytes += newline + 1 - m_pos;
    m_pos = newline + 1;
    *line = found;
    return true;
}

bool HttpResponseParser::parseStatusLine(QByteArrayView line)
{
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (line.size() < 12 || !line.startsWith("HTTP/1.") || line.at(8) != ' ') {
        fail(QStringLiteral("the response does not start with an HTTP/1.x status line (got \"%1\")")
                 .arg(printable(line)));
        return false;
    }
    const QByteArrayView code = line.sliced(9, 3);
    const auto status = parseLength(code);
    if (!status || *status < 100 || *status > 999 || (line.size() > 12 && line.at(12) != ' ')) {
        fail(QStringLiteral("invalid status code in \"%1\"").arg(printable(line)));
        return false;
    }
    m_version = line.first(8).toByteArray();
    m_status = int(*status);
    m_reason = line.size() > 13 ? line.sliced(13).toByteArray() : QByteArray();
    return true;
}

bool HttpResponseParser::parseHeaderField(QByteArrayView line, HeaderList *into)
{
    if (line.front() == ' ' || line.front() == '\t') {
        // Obsolete line folding: the continuation belongs to the previous field's value.
        if (into->isEmpty()) {
            fail(QStringLiteral("the response's first header line is a continuation line"));
            return false;
        }
        HttpHeader &previous = into->last();
        previous.value += ' ' + trimmed(line).toByteArray();
        return true;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isValidHeaderName(line.first(colon))) {
        fail(QStringLiteral("malformed response header line \"%1\"").arg(printable(line)));
        return false;
    }
    if (into->size() >= m_limits.maxHeaderCount) {
        fail(QStringLiteral("the response has more than %1 header fields").arg(m_limits.maxHeaderCount));
        return false;
    }
    into->append({line.first(colon).toByteArray(), trimmed(line.sliced(colon + 1)).toByteArray()});
    return true;
}

bool HttpResponseParser::beginBody()
{
    m_headersComplete = true;
    if (m_headRequest || m_status == 204 || m_status == 304 || m_status < 200) {
        m_state = State::Done;
        return true;
    }
    if (hasHeader(m_headers, "Transfer-Encoding")) {
        // Transfer-Encoding wins over Content-Length (RFC 9112 6.3); a final coding other than
        // chunked means the body runs until the connection closes.
        const QList<QByteArray> values = headerValues(m_headers, "Transfer-Encoding");
        const QList<QByteArray> codings = values.last().split(',');
        if (trimmed(codings.last()).compare("chunked", Qt::CaseInsensitive) == 0) {
            m_state = State::ChunkSize;
        } else {
            m_state = State::UntilClose;
            m_closeDelimited = true;
        }
        return true;
    }
    const QList<QByteArray> lengths = headerValues(m_headers, "Content-Length");
    if (lengths.isEmpty()) {
        m_state = State::UntilClose;
        m_closeDelimited = true;
        return true;
    }
    std::optional<qint64> length;
    for (const QByteArray &value : lengths) {
        for (const QByteArray &part : value.split(',')) {
            const auto parsed = parseLength(trimmed(part));
            if (!parsed || (length && *length != *parsed)) {
                fail(QStringLiteral("invalid or conflicting Content-Length \"%1\"").arg(printable(value)));
                return false;
            }
            length = parsed;
        }
    }
    if (*length > m_limits.maxBodyBytes) {
        fail(QStringLiteral("the response body (Content-Length %1) exceeds the %2 limit")
                 .arg(*length)
                 .arg(sizeText(m_limits.maxBodyBytes)));
        return false;
    }
    m_expectedLength = *length;
    m_remaining = *length;
    m_body.reserve(m_remaining);
    m_state = m_remaining == 0 ? State::Done : State::FixedBody;
    return true;
}

bool HttpResponseParser::appendBody(QByteArrayView data)
{
    if (m_body.size() + data.size() > m_limits.maxBodyBytes) {
        fail(QStringLiteral("the response body exceeds the %1 limit").arg(sizeText(m_limits.maxBodyBytes)));
        return false;
    }
    m_body.append(data);
    return true;
}

HttpResponseParser::Result HttpResponseParser::feed(QByteArrayView data)
{
    if (m_result == Result::Error)
        return m_result;
    m_received += data.size();
    compact();
    m_buffer.append(data);
    if (m_result == Result::Complete)
        return m_result; // leftover bytes after the response; see canReuseConnection()

    while (m_state != State::Done) {
        QByteArrayView line;
        switch (m_state) {
        case State::StatusLine:
        case State::Headers:
        case State::Trailers:
            if (!takeLine(&line)) {
                if (m_headerBytes + (m_buffer.size() - m_pos) > m_limits.maxHeaderBytes)
                    return fail(QStringLiteral("the response headers exceed the %1 limit")
                                    .arg(sizeText(m_limits.maxHeaderBytes)));
                return m_result;
            }
            if (m_headerBytes > m_limits.maxHeaderBytes)
                return fail(
                    QStringLiteral("the response headers exceed the %1 limit").arg(sizeText(m_limits.maxHeaderBytes)));
            if (m_state == State::StatusLine) {
                if (line.isEmpty() && m_status == 0 && m_headerBytes <= 2) {
                    m_headerBytes = 0; // tolerate a stray CRLF before the status line
                    continue;
                }
                if (!parseStatusLine(line))
                    return m_result;
                m_state = State::Headers;
            } else if (m_state == State::Headers) {
                if (!line.isEmpty()) {
                    if (!parseHeaderField(line, &m_headers))
                        return m_result;
                    continue;
                }
                if (m_status >= 100 && m_status < 200 && m_status != 101) {
                    // Interim response (100 Continue, 103 Early Hints): the final one follows.
                    m_headers.clear();
                    m_reason.clear();
                    m_status = 0;
                    m_headerBytes = 0;
                    m_state = State::StatusLine;
                    continue;
                }
                if (!beginBody())
                    return m_result;
            } else { // Trailers
                if (line.isEmpty()) {
                    m_state = State::Done;
                    continue;
                }
                if (!parseHeaderField(line, &m_headers))
                    return m_result;
            }
            break;
        case State::ChunkSize: {
            if (!takeLine(&line)) {
                if (m_buffer.size() - m_pos > maxChunkLineBytes)
                    return fail(QStringLiteral("a chunk-size line of the response is too long"));
                return m_result;
            }
            const qsizetype semicolon = line.indexOf(';');
            const QByteArrayView hex = trimmed(semicolon < 0 ? line : line.first(semicolon));
            bool ok = !hex.isEmpty() && hex.size() <= 15;
            qint64 size = 0;
            for (const char c : hex) {
                const int digit = (c >= '0' && c <= '9') ? c - '0'
                    : (c >= 'a' && c <= 'f')             ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')             ? c - 'A' + 10
                                                         : -1;
                if (digit < 0) {
                    ok = false;
                    break;
                }
                size = size * 16 + digit;
            }
            if (!ok)
                return fail(QStringLiteral("invalid chunk size \"%1\" in the response").arg(printable(line)));
            if (m_body.size() + size > m_limits.maxBodyBytes)
                return fail(
                    QStringLiteral("the response body exceeds the %1 limit").arg(sizeText(m_limits.maxBodyBytes)));
            m_remaining = size;
            if (size == 0) {
                m_headerBytes = 0;
                m_state = State::Trailers;
            } else {
                m_state = State::ChunkData;
            }
            break;
        }
        case State::FixedBody:
        case State::ChunkData: {
            const qint64 available = m_buffer.size() - m_pos;
            if (available == 0)
                return m_result;
            const qint64 take = std::min(available, m_remaining);
            if (!appendBody(QByteArrayView(m_buffer.constData() + m_pos, take)))
                return m_result;
            m_pos += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = m_state == State::FixedBody ? State::Done : State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd:
            if (!takeLine(&line))
                return m_buffer.size() - m_pos > 2
                    ? fail(QStringLiteral("a chunk of the response is longer than its size"))
                    : m_result;
            if (!line.isEmpty())
                return fail(QStringLiteral("a chunk of the response is longer than its size"));
            m_state = State::ChunkSize;
            break;
        case State::UntilClose: {
            const QByteArrayView rest(m_buffer.constData() + m_pos, m_buffer.size() - m_pos);
            if (!appendBody(rest))
                return m_result;
            m_pos = m_buffer.size();
            return m_result;
        }
        case State::Done:
            break;
        }
    }
    m_result = Result::Complete;
    return m_result;
}

HttpResponseParser::Result HttpResponseParser::finish()
{
    if (m_result != Result::NeedMore)
        return m_result;
    switch (m_state) {
    case State::UntilClose:
        m_state = State::Done;
        m_result = Result::Complete;
        return m_result;
    case State::StatusLine:
        if (m_received == 0)
            return fail(QStringLiteral("the server closed the connection without answering"));
        return fail(QStringLiteral("the server closed the connection in the middle of the status line"));
    case State::Headers:
        return fail(QStringLiteral("the server closed the connection in the middle of the response headers"));
    case State::FixedBody:
        return fail(QStringLiteral("the server closed the connection after %1 of %2 body bytes")
                        .arg(m_body.size())
                        .arg(m_expectedLength));
    case State::ChunkSize:
    case State::ChunkData:
    case State::ChunkDataEnd:
    case State::Trailers:
        return fail(QStringLiteral("the server closed the connection in the middle of the chunked body (%1 bytes "
                                   "received)")
                        .arg(m_body.size()));
    case State::Done:
        break;
    }
    return m_result;
}

bool HttpResponseParser::canReuseConnection() const
{
    return m_result == Result::Complete && m_version == "HTTP/1.1" && !m_closeDelimited && m_status != 101
        && !hasToken(m_headers, "Connection", "close") && m_pos == m_buffer.size();
}

} // namespace hookbench
