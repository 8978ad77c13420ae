#include "jsontext.h"

#include <vector>

namespace hookbench {

namespace {

bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

QString describeByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

// One pass over the bytes; writes the re-indented text while it validates.
class Scanner
{
public:
    Scanner(QByteArrayView body, int indent, qsizetype maxOutput, bool write)
        : m_data(body.data()), m_size(body.size()), m_indent(indent), m_maxOutput(maxOutput), m_write(write)
    { }

    bool run();
    qsizetype errorOffset() const { return m_errorOffset; }
    const QString &errorMessage() const { return m_errorMessage; }
    QByteArray output() const { return m_out; }
    bool truncated() const { return m_truncated; }

private:
    enum class Expect { Value, ValueOrClose, KeyOrClose, Key, Colon, CommaOrClose };

    bool fail(qsizetype offset, const QString &message)
    {
        m_errorOffset = offset;
        m_errorMessage = message;
        return false;
    }
    bool failHere(const QString &what)
    {
        if (m_pos >= m_size)
            return fail(m_size, what + QStringLiteral(", but the body ends"));
        return fail(m_pos, what + QStringLiteral(", found ") + describeByte(m_data[m_pos]));
    }
    void skipWhitespace()
    {
        while (m_pos < m_size && isJsonWhitespace(m_data[m_pos]))
            ++m_pos;
    }
    void put(QByteArrayView bytes)
    {
        if (!m_write || m_truncated)
            return;
        if (m_out.size() + bytes.size() > m_maxOutput) {
            m_truncated = true;
            return;
        }
        m_out.append(bytes);
    }
    void newline()
    {
        if (!m_write || m_truncated)
            return;
        put("\n");
        const qsizetype spaces = qsizetype(m_stack.size()) * m_indent;
        if (m_out.size() + spaces > m_maxOutput) {
            m_truncated = true;
            return;
        }
        m_out.append(spaces, ' ');
    }
    // An opened container prints its first line break only once it turns out not to be empty.
    void flushOpen()
    {
        if (m_openPending) {
            m_openPending = false;
            newline();
        }
    }
    bool scanString();
    bool scanNumber();
    bool scanLiteral();
    bool scanValue(Expect *next);

    const char *m_data;
    qsizetype m_size;
    int m_indent;
    qsizetype m_maxOutput;
    bool m_write;
    qsizetype m_pos = 0;
    std::vector<char> m_stack;
    bool m_openPending = false;
    QByteArray m_out;
    bool m_truncated = false;
    qsizetype m_errorOffset = -1;
    QString m_errorMessage;
};

bool Scanner::scanString()
{
    const qsizetype start = m_pos;
    ++m_pos; // the opening quote
    while (m_pos < m_size) {
        const auto c = static_cast<unsigned char>(m_data[m_pos]);
        if (c == '"') {
            ++m_pos;
            put(QByteArrayView(m_data + start, m_pos - start));
            return true;
        }
        if (c == '\\') {
            if (m_pos + 1 >= m_size)
                return fail(m_size, QStringLiteral("the body ends inside an escape sequence"));
            const char e = m_data[m_pos + 1];
            if (e == 'u') {
                for (int i = 2; i < 6; ++i) {
                    if (m_pos + i >= m_size)
                        return fail(m_size, QStringLiteral("the body ends inside a \\u escape"));
                    if (!isHexDigit(m_data[m_pos + i]))
                        return fail(m_pos + i, QStringLiteral("a \\u escape needs four hex digits"));
                }
                m_pos += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                m_pos += 2;
            } else {
                return fail(m_pos + 1, QStringLiteral("unknown escape \\%1 in a string").arg(QChar::fromLatin1(e)));
            }
            continue;
        }
        if (c < 0x20)
            return fail(m_pos,
                QStringLiteral("raw control character 0x%1 in a string (it must be escaped)")
                    .arg(c, 2, 16, QLatin1Char('0')));
        if (c < 0x80) {
            ++m_pos;
            continue;
        }
        // UTF-8: the lead byte says how many continuation bytes follow; reject overlongs,
        // surrogates and values above U+10FFFF as RFC 3629 does.
        int length = 0;
        unsigned char low = 0x80, high = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            length = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            length = 3;
            if (c == 0xe0)
                low = 0xa0;
            else if (c == 0xed)
                high = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            length = 4;
            if (c == 0xf0)
                low = 0x90;
            else if (c == 0xf4)
                high = 0x8f;
        } else {
            return fail(m_pos, QStringLiteral("invalid UTF-8 byte 0x%1 in a string").arg(c, 2, 16, QLatin1Char('0')));
        }
        for (int i = 1; i < length; ++i) {
            if (m_pos + i >= m_size)
                return fail(m_size, QStringLiteral("the body ends inside a UTF-8 sequence"));
            const auto next = static_cast<unsigned char>(m_data[m_pos + i]);
            const unsigned char min = i == 1 ? low : 0x80;
            const unsigned char max = i == 1 ? high : 0xbf;
            if (next < min || next > max)
                return fail(m_pos, QStringLiteral("invalid UTF-8 sequence in a string"));
        }
        m_pos += length;
    }
    return fail(start, QStringLiteral("a string starts here and is never closed"));
}

bool Scanner::scanNumber()
{
    const qsizetype start = m_pos;
    if (m_data[m_pos] == '-')
        ++m_pos;
    if (m_pos >= m_size || !isDigit(m_data[m_pos]))
        return failHere(QStringLiteral("expected a digit"));
    if (m_data[m_pos] == '0') {
        ++m_pos;
        if (m_pos < m_size && isDigit(m_data[m_pos]))
            return fail(m_pos, QStringLiteral("a number can't have a leading zero"));
    } else {
        while (m_pos < m_size && isDigit(m_data[m_pos]))
            ++m_pos;
    }
    if (m_pos < m_size && m_data[m_pos] == '.') {
        ++m_pos;
        if (m_pos >= m_size || !isDigit(m_data[m_pos]))
            return failHere(QStringLiteral("expected a digit after the decimal point"));
        while (m_pos < m_size && isDigit(m_data[m_pos]))
            ++m_pos;
    }
    if (m_pos < m_size && (m_data[m_pos] == 'e' || m_data[m_pos] == 'E')) {
        ++m_pos;
        if (m_pos < m_size && (m_data[m_pos] == '+' || m_data[m_pos] == '-'))
            ++m_pos;
        if (m_pos >= m_size || !isDigit(m_data[m_pos]))
            return failHere(QStringLiteral("expected a digit in the exponent"));
        while (m_pos < m_size && isDigit(m_data[m_pos]))
            ++m_pos;
    }
    put(QByteArrayView(m_data + start, m_pos - start));
    return true;
}

bool Scanner::scanLiteral()
{
    for (const QByteArrayView literal : {QByteArrayView("true"), QByteArrayView("false"), QByteArrayView("null")}) {
        if (m_data[m_pos] != literal.front())
            continue;
        for (qsizetype i = 0; i < literal.size(); ++i) {
            if (m_pos + i >= m_size || m_data[m_pos + i] != literal[i])
                return fail(
                    m_pos + i, QStringLiteral("expected \"%1\"").arg(QLatin1String(literal.data(), literal.size())));
        }
        m_pos += literal.size();
        put(literal);
        return true;
    }
    return failHere(QStringLiteral("expected a value (object, array, string, number, true, false or null)"));
}

bool Scanner::scanValue(Expect *next)
{
    const char c = m_data[m_pos];
    if (c == '{' || c == '[') {
        put(QByteArrayView(&c, 1));
        m_stack.push_back(c);
        m_openPending = true;
        ++m_pos;
        *next = c == '{' ? Expect::KeyOrClose : Expect::ValueOrClose;
        return true;
    }
    *next = Expect::CommaOrClose;
    if (c == '"')
        return scanString();
    if (c == '-' || isDigit(c))
        return scanNumber();
    return scanLiteral();
}

bool Scanner::run()
{
    if (m_size >= 3 && QByteArrayView(m_data, 3) == QByteArrayView("\xef\xbb\xbf"))
        return fail(0, QStringLiteral("the body starts with a UTF-8 byte order mark, which JSON does not allow"));
    Expect expect = Expect::Value;
    for (;;) {
        skipWhitespace();
        if (expect == Expect::CommaOrClose && m_stack.empty()) {
            if (m_pos < m_size)
                return fail(m_pos, QStringLiteral("unexpected data after the end of the JSON value"));
            return true;
        }
        if (m_pos >= m_size) {
            if (m_stack.empty() && expect == Expect::Value)
                return fail(m_pos, QStringLiteral("the body is empty"));
            return failHere(m_stack.empty() ? QStringLiteral("expected a value")
                    : m_stack.back() == '{' ? QStringLiteral("expected '}' to close the object")
                                            : QStringLiteral("expected ']' to close the array"));
        }
        const char c = m_data[m_pos];
        switch (expect) {
        case Expect::Value:
            flushOpen();
            if (!scanValue(&expect))
                return false;
            break;
        case Expect::ValueOrClose:
            if (c == ']') {
                m_openPending = false;
                m_stack.pop_back();
                put("]");
                ++m_pos;
                expect = Expect::CommaOrClose;
                break;
            }
            flushOpen();
            if (!scanValue(&expect))
                return false;
            break;
        case Expect::KeyOrClose:
            if (c == '}') {
                m_openPending = false;
                m_stack.pop_back();
                put("}");
                ++m_pos;
                expect = Expect::CommaOrClose;
                break;
            }
            [[fallthrough]];
        case Expect::Key:
            if (c != '"')
                return failHere(QStringLiteral("expected a key in double quotes"));
            flushOpen();
            if (!scanString())
                return false;
            expect = Expect::Colon;
            break;
        case Expect::Colon:
            if (c != ':')
                return failHere(QStringLiteral("expected ':' after the key"));
            put(": ");
            ++m_pos;
            expect = Expect::Value;
            break;
        case Expect::CommaOrClose: {
            const char close = m_stack.back() == '{' ? '}' : ']';
            if (c == ',') {
                put(",");
                newline();
                ++m_pos;
                expect = m_stack.back() == '{' ? Expect::Key : Expect::Value;
            } else if (c == close) {
                m_stack.pop_back();
                newline();
                put(QByteArrayView(&close, 1));
                ++m_pos;
            } else {
                return failHere(close == '}' ? QStringLiteral("expected ',' or '}' after the member")
                                             : QStringLiteral("expected ',' or ']' after the element"));
            }
            break;
        }
        }
    }
}

JsonError makeError(QByteArrayView body, qsizetype offset, const QString &message)
{
    JsonError error;
    error.offset = offset;
    error.message = message;
    JsonText::position(body, offset, &error.line, &error.column);
    return error;
}

} // namespace

QString JsonError::describe() const
{
    return QStringLiteral("line %1, column %2 (byte %3): %4").arg(line).arg(column).arg(offset).arg(message);
}

JsonPretty JsonText::pretty(QByteArrayView body, int indent, qsizetype maxOutputBytes)
{
    Scanner scanner(body, indent, maxOutputBytes, true);
    JsonPretty result;
    if (!scanner.run()) {
        result.error = makeError(body, scanner.errorOffset(), scanner.errorMessage());
        return result;
    }
    result.text = QString::fromUtf8(scanner.output());
    result.truncated = scanner.truncated();
    return result;
}

std::optional<JsonError> JsonText::validate(QByteArrayView body)
{
    Scanner scanner(body, 0, 0, false);
    if (scanner.run())
        return std::nullopt;
    return makeError(body, scanner.errorOffset(), scanner.errorMessage());
}

bool JsonText::looksLikeJson(QByteArrayView body)
{
    qsizetype i = 0;
    if (body.startsWith("\xef\xbb\xbf"))
        i = 3;
    while (i < body.size() && isJsonWhitespace(body[i]))
        ++i;
    return i < body.size() && (body[i] == '{' || body[i] == '[');
}

void JsonText::position(QByteArrayView body, qsizetype offset, int *line, int *column)
{
    offset = qBound<qsizetype>(0, offset, body.size());
    int lines = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (body[i] == '\n') {
            ++lines;
            lineStart = i + 1;
        }
    }
    int characters = 0;
    for (qsizetype i = lineStart; i < offset; ++i) {
        if ((static_cast<unsigned char>(body[i]) & 0xc0) != 0x80) // not a UTF-8 continuation byte
            ++characters;
    }
    *line = lines;
    *column = characters + 1;
}

} // namespace hookbench
