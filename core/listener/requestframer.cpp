#include "requestframer.h"

#include "capture/httpheaders.h"

#include <limits>

namespace hookbench {

namespace {

// A chunk-size line is a few hex digits and perhaps an extension; anything longer is abuse.
constexpr qsizetype maxChunkLineBytes = 4096;

bool isTokenChar(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

QByteArrayView trimmedOws(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return headerNameEquals(a, b);
}

bool containsIgnoringCase(QByteArrayView haystack, QByteArrayView needle)
{
    if (needle.size() > haystack.size())
        return false;
    for (qsizetype i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (equalsIgnoringCase(haystack.sliced(i, needle.size()), needle))
            return true;
    }
    return false;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString printable(QByteArrayView text, qsizetype limit = 40)
{
    QString out;
    for (const char c : text.first(qMin(text.size(), limit))) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'?');
    }
    if (text.size() > limit)
        out += QStringLiteral("…");
    return out;
}

} // namespace

RequestFramer::RequestFramer(Limits limits) : m_limits(limits)
{ }

void RequestFramer::feed(QByteArrayView data, QList<FramerEvent> &events)
{
    qsizetype pos = 0;
    const qsizetype size = data.size();
    while (pos < size && m_state != State::Failed) {
        switch (m_state) {
        case State::Idle: {
            // Qt skips the same whitespace before a request line (leftovers of a previous request).
            const char c = data[pos];
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v') {
                ++pos;
                continue;
            }
            m_head = RequestHead();
            lineDone();
            m_headBytes = 0;
            m_contentLengths.clear();
            m_transferEncodings = 0;
            m_connectionUpgrade = false;
            m_upgradeWebSocket = false;
            m_connectionClose = false;
            m_connectionKeepAlive = false;
            m_remaining = 0;
            m_bodySize = 0;
            m_crlfSeen = 0;
            FramerEvent begin;
            begin.type = FramerEvent::Type::Begin;
            events.append(begin);
            m_state = State::RequestLine;
            break;
        }
        case State::RequestLine:
            if (takeLine(data, pos, m_limits.maxHeaderBytes, events))
                parseRequestLine(events);
            break;
        case State::Headers:
            if (takeLine(data, pos, m_limits.maxHeaderBytes, events)) {
                if (m_current.isEmpty())
                    finishHead(events);
                else
                    parseHeaderLine(events);
            }
            break;
        case State::FixedBody: {
            const qint64 n = qMin<qint64>(m_remaining, size - pos);
            pos += n;
            m_remaining -= n;
            m_bodySize += n;
            FramerEvent body;
            body.type = FramerEvent::Type::Body;
            body.bytes = n;
            events.append(body);
            if (m_remaining == 0)
                complete(events);
            break;
        }
        case State::ChunkSize:
            if (takeLine(data, pos, maxChunkLineBytes, events))
                parseChunkSize(events);
            break;
        case State::ChunkData: {
            const qint64 n = qMin<qint64>(m_remaining, size - pos);
            pos += n;
            m_remaining -= n;
            m_bodySize += n;
            FramerEvent body;
            body.type = FramerEvent::Type::Body;
            body.bytes = n;
            events.append(body);
            if (m_remaining == 0) {
                m_state = State::ChunkDataEnd;
                m_crlfSeen = 0;
            }
            break;
        }
        case State::ChunkDataEnd:
        case State::LastChunkEnd: {
            // Exactly CRLF: Qt reads these two bytes blindly, so anything else would put the two
            // parsers out of step.
            const char c = data[pos++];
            const char expected = m_crlfSeen == 0 ? '\r' : '\n';
            if (c != expected) {
                if (m_state == State::LastChunkEnd && m_crlfSeen == 0)
                    fail(400, QStringLiteral("chunked trailer fields are not supported"), events);
                else
                    fail(400, QStringLiteral("chunk data not followed by CRLF"), events);
                break;
            }
            if (++m_crlfSeen == 2) {
                m_crlfSeen = 0;
                if (m_state == State::LastChunkEnd)
                    complete(events);
                else
                    m_state = State::ChunkSize;
            }
            break;
        }
        case State::Failed:
            break;
        }
    }
}

bool RequestFramer::takeLine(QByteArrayView data, qsizetype &pos, qsizetype limit, QList<FramerEvent> &events)
{
    const qsizetype lf = data.indexOf('\n', pos);
    const qsizetype end = lf < 0 ? data.size() : lf + 1;
    const qsizetype taken = end - pos;
    const bool inHead = m_state == State::RequestLine || m_state == State::Headers;
    const qsizetype used = inHead ? m_headBytes : m_line.size();
    if (used + taken > limit) {
        pos = data.size();
        if (m_state == State::RequestLine)
            return fail(414, QStringLiteral("request line longer than %1 bytes").arg(limit), events);
        if (m_state == State::Headers)
            return fail(431, QStringLiteral("header section larger than %1 bytes").arg(limit), events);
        return fail(400, QStringLiteral("chunk size line longer than %1 bytes").arg(limit), events);
    }
    if (inHead)
        m_headBytes += taken;
    const QByteArrayView piece = data.sliced(pos, taken);
    pos = end;
    if (lf < 0) {
        m_line.append(piece);
        return false;
    }
    // Usually the whole line is in this read: look at it where it is, without copying.
    if (m_line.isEmpty()) {
        m_current = piece;
    } else {
        m_line.append(piece);
        m_current = m_line;
    }
    m_current.chop(1); // LF
    const bool hadCr = m_current.endsWith('\r');
    if (hadCr)
        m_current.chop(1);
    // Chunked framing must use CRLF: Qt's chunk parser only recognises a size line by its CRLF.
    if (!hadCr && m_state == State::ChunkSize)
        return fail(400, QStringLiteral("chunk size line not terminated by CRLF"), events);
    if (m_current.contains('\r'))
        return fail(400, QStringLiteral("bare CR in the request head"), events);
    return true;
}

void RequestFramer::lineDone()
{
    m_current = {};
    m_line.resize(0); // keeps the allocation for the next partial line
}

bool RequestFramer::parseRequestLine(QList<FramerEvent> &events)
{
    const QByteArrayView line = m_current;
    m_state = State::Headers;
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (firstSpace <= 0 || secondSpace < 0 || line.indexOf(' ', secondSpace + 1) >= 0)
        return fail(400, QStringLiteral("malformed request line \"%1\"").arg(printable(line)), events);
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);
    if (!isToken(method))
        return fail(400, QStringLiteral("invalid method \"%1\"").arg(printable(method)), events);
    if (target.isEmpty())
        return fail(400, QStringLiteral("empty request target"), events);
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return fail(400, QStringLiteral("invalid character in the request target"), events);
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        const bool looksLikeHttp = version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.';
        if (looksLikeHttp)
            return fail(505, QStringLiteral("HTTP version %1 is not supported").arg(printable(version)), events);
        return fail(400, QStringLiteral("malformed request line \"%1\"").arg(printable(line)), events);
    }
    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    m_head.version = version.toByteArray();
    lineDone();
    return true;
}

bool RequestFramer::parseHeaderLine(QList<FramerEvent> &events)
{
    const QByteArrayView line = m_current;
    if (line.front() == ' ' || line.front() == '\t')
        return fail(400, QStringLiteral("obsolete line folding in the header section"), events);
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return fail(400, QStringLiteral("header line without a colon: \"%1\"").arg(printable(line)), events);
    const QByteArrayView name = line.first(colon);
    if (!isToken(name))
        return fail(400, QStringLiteral("invalid header name \"%1\"").arg(printable(name)), events);
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return fail(400, QStringLiteral("invalid character in header %1").arg(printable(name)), events);
    }
    if (++m_head.headerCount > m_limits.maxHeaderCount)
        return fail(431, QStringLiteral("more than %1 header fields").arg(m_limits.maxHeaderCount), events);

    if (equalsIgnoringCase(name, "Content-Length")) {
        m_contentLengths.append(value.toByteArray());
    } else if (equalsIgnoringCase(name, "Transfer-Encoding")) {
        ++m_transferEncodings;
        if (equalsIgnoringCase(value, "chunked"))
            m_head.chunked = true;
        else
            return fail(501,
                QStringLiteral("Transfer-Encoding \"%1\" is not supported (only chunked)").arg(printable(value)),
                events);
    } else if (equalsIgnoringCase(name, "Expect")) {
        if (equalsIgnoringCase(value, "100-continue"))
            m_head.expectContinue = true;
    } else if (equalsIgnoringCase(name, "Connection")) {
        // Qt looks for "upgrade" anywhere in the value; so do we, to refuse what it would divert.
        if (containsIgnoringCase(value, "upgrade"))
            m_connectionUpgrade = true;
        for (qsizetype from = 0; from <= value.size();) {
            qsizetype comma = value.indexOf(',', from);
            if (comma < 0)
                comma = value.size();
            const QByteArrayView option = trimmedOws(value.sliced(from, comma - from));
            if (equalsIgnoringCase(option, "close"))
                m_connectionClose = true;
            else if (equalsIgnoringCase(option, "keep-alive"))
                m_connectionKeepAlive = true;
            from = comma + 1;
        }
    } else if (equalsIgnoringCase(name, "Upgrade")) {
        if (containsIgnoringCase(value, "websocket"))
            m_upgradeWebSocket = true;
    }
    lineDone();
    return true;
}

bool RequestFramer::finishHead(QList<FramerEvent> &events)
{
    lineDone();
    if (m_transferEncodings > 1)
        return fail(400, QStringLiteral("more than one Transfer-Encoding header"), events);
    if (m_head.chunked && !m_contentLengths.isEmpty())
        return fail(400, QStringLiteral("both Content-Length and Transfer-Encoding"), events);
    if (!m_contentLengths.isEmpty()) {
        const QByteArray &first = m_contentLengths.first();
        for (const QByteArray &other : std::as_const(m_contentLengths)) {
            if (other != first)
                return fail(400, QStringLiteral("conflicting Content-Length headers"), events);
        }
        bool digits = !first.isEmpty();
        for (const char c : first)
            digits = digits && c >= '0' && c <= '9';
        if (!digits)
            return fail(400, QStringLiteral("invalid Content-Length \"%1\"").arg(printable(first)), events);
        qint64 length = 0;
        for (const char c : first) {
            if (length > (std::numeric_limits<qint64>::max() - 9) / 10) {
                length = std::numeric_limits<qint64>::max();
                break;
            }
            length = length * 10 + (c - '0');
        }
        if (length > m_limits.maxBodyBytes)
            return fail(413,
                QStringLiteral("body of %1 bytes exceeds the limit of %2 bytes")
                    .arg(QString::fromLatin1(first.left(20)))
                    .arg(m_limits.maxBodyBytes),
                events);
        m_head.contentLength = length;
    }
    if (m_connectionUpgrade && m_upgradeWebSocket)
        return fail(501, QStringLiteral("WebSocket upgrades are not supported"), events);

    m_head.keepAlive
        = m_head.version == "HTTP/1.1" ? !m_connectionClose : (m_connectionKeepAlive && !m_connectionClose);
    m_head.expectContinue = m_head.expectContinue && m_head.hasBody();

    FramerEvent head;
    head.type = FramerEvent::Type::Head;
    head.head = m_head;
    events.append(head);

    if (m_head.chunked) {
        m_state = State::ChunkSize;
    } else if (m_head.contentLength > 0) {
        m_remaining = m_head.contentLength;
        m_state = State::FixedBody;
    } else {
        complete(events);
    }
    return true;
}

bool RequestFramer::parseChunkSize(QList<FramerEvent> &events)
{
    const QByteArrayView line = m_current;
    qsizetype i = 0;
    qint64 size = 0;
    while (i < line.size() && hexValue(line[i]) >= 0) {
        if (i >= 15)
            return fail(413, QStringLiteral("chunk size too large"), events);
        size = size * 16 + hexValue(line[i]);
        ++i;
    }
    if (i == 0)
        return fail(400, QStringLiteral("invalid chunk size line \"%1\"").arg(printable(line)), events);
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    if (i < line.size() && line[i] != ';')
        return fail(400, QStringLiteral("invalid chunk size line \"%1\"").arg(printable(line)), events);
    lineDone();
    if (size == 0) {
        m_state = State::LastChunkEnd;
        m_crlfSeen = 0;
        return true;
    }
    if (m_bodySize + size > m_limits.maxBodyBytes)
        return fail(
            413, QStringLiteral("chunked body exceeds the limit of %1 bytes").arg(m_limits.maxBodyBytes), events);
    m_remaining = size;
    m_state = State::ChunkData;
    return true;
}

void RequestFramer::complete(QList<FramerEvent> &events)
{
    FramerEvent done;
    done.type = FramerEvent::Type::Complete;
    done.bytes = m_bodySize;
    events.append(done);
    m_state = State::Idle;
}

bool RequestFramer::fail(int status, const QString &reason, QList<FramerEvent> &events)
{
    FramerEvent error;
    error.type = FramerEvent::Type::Error;
    error.status = status;
    error.reason = reason;
    events.append(error);
    m_state = State::Failed;
    m_current = {};
    m_line.clear();
    return false;
}

} // namespace hookbench
