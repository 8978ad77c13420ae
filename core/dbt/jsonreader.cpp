#include "jsonreader.h"

#include <QtEndian>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

namespace hookbench {

namespace {

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// How many of the `plainScanWidth` bytes at `bytes` a string scan can pass without a look: those
// before the first '"', '\\', control byte (< 0x20) or non-ASCII byte (>= 0x80). Tested all at
// once: with SSE2 (every x86-64) sixteen bytes, else eight in a 64-bit word.
#if defined(__SSE2__)
constexpr qsizetype plainScanWidth = 16;

qsizetype plainPrefix(const char *bytes)
{
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes));
    // A signed compare: bytes >= 0x80 are negative, so "below 0x20" catches them too.
    const __m128i stops = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')), _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\'))),
        _mm_cmplt_epi8(chunk, _mm_set1_epi8(0x20)));
    const uint mask = uint(_mm_movemask_epi8(stops));
    return mask == 0 ? plainScanWidth : qsizetype(qCountTrailingZeroBits(mask));
}
#else
constexpr qsizetype plainScanWidth = 8;

qsizetype plainPrefix(const char *bytes)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highBits = 0x8080808080808080ULL;
    const quint64 word = qFromLittleEndian<quint64>(bytes); // first byte lowest
    // "Has a byte below n": exact about whether there is one, and the lowest marked byte is the
    // first such byte (later ones may be marked wrongly, never earlier ones).
    const auto below = [](quint64 v, quint64 n) { return (v - ones * n) & ~v & highBits; };
    const quint64 stops
        = below(word, 0x20) | below(word ^ (ones * '"'), 1) | below(word ^ (ones * '\\'), 1) | (word & highBits);
    return stops == 0 ? plainScanWidth : qsizetype(qCountTrailingZeroBits(stops) / 8);
}
#endif

// Length of the well-formed UTF-8 sequence starting at `at` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0.
qsizetype utf8SequenceLength(QByteArrayView text, qsizetype at)
{
    const auto byte = [&](qsizetype i) { return i < text.size() ? uchar(text[i]) : uchar(0); };
    const auto continuation = [&](qsizetype i) { return (byte(i) & 0xc0) == 0x80; };
    const uchar lead = byte(at);
    if (lead >= 0xc2 && lead <= 0xdf)
        return continuation(at + 1) ? 2 : 0;
    if (lead >= 0xe0 && lead <= 0xef) {
        const uchar second = byte(at + 1);
        if (lead == 0xe0 && second < 0xa0)
            return 0; // overlong
        if (lead == 0xed && second > 0x9f)
            return 0; // UTF-16 surrogate
        return continuation(at + 1) && continuation(at + 2) ? 3 : 0;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
        const uchar second = byte(at + 1);
        if (lead == 0xf0 && second < 0x90)
            return 0; // overlong
        if (lead == 0xf4 && second > 0x8f)
            return 0; // above U+10FFFF
        return continuation(at + 1) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
    }
    return 0;
}

// Decodes the inside of a valid JSON string (between the quotes).
QString decode(QByteArrayView inside, bool escaped)
{
    if (!escaped)
        return QString::fromUtf8(inside);
    QString out;
    out.reserve(inside.size());
    qsizetype plain = 0;
    for (qsizetype i = 0; i < inside.size(); ++i) {
        if (inside[i] != '\\')
            continue;
        out += QString::fromUtf8(inside.sliced(plain, i - plain));
        const char kind = inside[++i];
        switch (kind) {
        case 'b':
            out += QLatin1Char('\b');
            break;
        case 'f':
            out += QLatin1Char('\f');
            break;
        case 'n':
            out += QLatin1Char('\n');
            break;
        case 'r':
            out += QLatin1Char('\r');
            break;
        case 't':
            out += QLatin1Char('\t');
            break;
        case 'u': {
            // UTF-16 code units in sequence form surrogate pairs by themselves.
            char16_t unit = 0;
            for (int digit = 1; digit <= 4; ++digit)
                unit = char16_t(unit * 16 + hexValue(inside[i + digit]));
            out += QChar(unit);
            i += 4;
            break;
        }
        default: // '"', '\\', '/'
            out += QLatin1Char(kind);
            break;
        }
        plain = i + 1;
    }
    out += QString::fromUtf8(inside.sliced(plain));
    return out;
}

} // namespace

QString JsonNode::keyText() const
{
    return decode(key, keyEscaped);
}

bool JsonNode::sameKey(const JsonNode &other) const
{
    // Valid UTF-8 decodes one way: without escapes, equal bytes are equal keys and only they are.
    if (!keyEscaped && !other.keyEscaped)
        return key.size() == other.key.size() && std::memcmp(key.data(), other.key.data(), size_t(key.size())) == 0;
    return keyText() == other.keyText();
}

QString JsonNode::text() const
{
    if (kind != JsonKind::String || bytes.size() < 2)
        return {};
    return decode(bytes.sliced(1, bytes.size() - 2), escaped);
}

QStringView JsonNode::textView(JsonTextBuffer &buffer) const
{
    if (kind != JsonKind::String || bytes.size() < 2)
        return {};
    const QByteArrayView inside = bytes.sliced(1, bytes.size() - 2);
    if (!escaped) {
        // ASCII is its own UTF-16: widened in place.
        buffer.resize(inside.size());
        char16_t *out = buffer.data();
        uchar all = 0;
        for (qsizetype i = 0; i < inside.size(); ++i) {
            all |= uchar(inside[i]);
            out[i] = char16_t(uchar(inside[i]));
        }
        if (all < 0x80)
            return QStringView(buffer.constData(), buffer.size());
    }
    const QString decoded = text();
    buffer.clear();
    buffer.append(reinterpret_cast<const char16_t *>(decoded.utf16()), decoded.size());
    return QStringView(buffer.constData(), buffer.size());
}

std::optional<double> JsonNode::number() const
{
    if (kind != JsonKind::Number)
        return std::nullopt;
    // Ids and codes: up to 15 digits are exact in a double, no need for from_chars.
    if (const qsizetype digits = bytes.size() - (bytes.startsWith('-') ? 1 : 0); digits > 0 && digits <= 15) {
        qint64 integer = 0;
        bool plain = true;
        for (const char c : bytes.sliced(bytes.size() - digits)) {
            plain = plain && isDigit(c);
            integer = integer * 10 + (c - '0');
        }
        if (plain)
            return bytes.startsWith('-') ? -double(integer) : double(integer);
    }
    double value = 0;
    const char *first = bytes.data();
    const char *last = first + bytes.size();
    const auto [end, error] = std::from_chars(first, last, value);
    if (error == std::errc::result_out_of_range) {
        // Out of range: an exponent too large gives ±inf, too small gives 0.
        const bool negative = bytes.startsWith('-');
        const qsizetype exponent = std::max(bytes.indexOf('e'), bytes.indexOf('E'));
        const bool tiny = exponent > 0 && bytes.sliced(exponent + 1).startsWith('-');
        if (tiny)
            return negative ? -0.0 : 0.0;
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    }
    if (error != std::errc() || end != last)
        return std::nullopt;
    return value;
}

JsonReader::JsonReader(QByteArrayView text, int recordDepth) : m_text(text), m_recordDepth(recordDepth)
{ }

JsonParseResult JsonReader::parse(QByteArrayView text, int recordDepth)
{
    JsonReader reader(text, recordDepth);
    JsonParseResult result;
    if (text.startsWith("\xef\xbb\xbf"))
        reader.m_pos = 3;
    reader.skipWhitespace();
    if (reader.m_pos >= text.size()) {
        reader.fail(reader.m_pos, "no JSON value (the body is empty or blank)");
    } else if (reader.value(&result.root, 0)) {
        reader.skipWhitespace();
        if (reader.m_pos < text.size())
            reader.fail(reader.m_pos, "text after the JSON value");
    }
    result.ok = reader.m_error == nullptr;
    if (!result.ok) {
        result.root = JsonNode();
        result.errorOffset = reader.m_errorOffset;
        result.error = QString::fromLatin1(reader.m_error);
    }
    return result;
}

bool JsonReader::fail(qsizetype offset, const char *message)
{
    if (!m_error) {
        m_errorOffset = offset;
        m_error = message;
    }
    return false;
}

void JsonReader::skipWhitespaceRun()
{
    const char *const data = m_text.data();
    qsizetype pos = m_pos;
    while (pos < m_text.size() && isWhitespace(data[pos]))
        ++pos;
    m_pos = pos;
}

bool JsonReader::value(JsonNode *node, int depth)
{
    if (m_pos >= m_text.size())
        return fail(m_pos, "unexpected end of the text, a value was expected");
    const qsizetype start = m_pos;
    JsonKind kind = JsonKind::Null;
    bool escaped = false;
    bool ok = false;
    switch (m_text[m_pos]) {
    case '{':
        kind = JsonKind::Object;
        ok = object(node, depth);
        break;
    case '[':
        kind = JsonKind::Array;
        ok = array(node, depth);
        break;
    case '"':
        kind = JsonKind::String;
        ok = string(&escaped);
        break;
    case 't':
        kind = JsonKind::Bool;
        ok = literal("true");
        break;
    case 'f':
        kind = JsonKind::Bool;
        ok = literal("false");
        break;
    case 'n':
        kind = JsonKind::Null;
        ok = literal("null");
        break;
    default:
        kind = JsonKind::Number;
        ok = number();
        break;
    }
    if (ok && node) {
        node->kind = kind;
        node->bytes = m_text.sliced(start, m_pos - start);
        node->escaped = escaped;
    }
    return ok;
}

bool JsonReader::object(JsonNode *node, int depth)
{
    if (depth >= maxDepth)
        return fail(m_pos, "nested more than 256 levels deep");
    const bool record = node && depth < m_recordDepth;
    if (record)
        node->children.reserve(16); // a dbt envelope has 7 members, its data 13 to 15
    ++m_pos; // '{'
    skipWhitespace();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        return true;
    }
    while (true) {
        skipWhitespace();
        if (m_pos >= m_text.size())
            return fail(m_pos, "unterminated object");
        if (m_text[m_pos] != '"')
            return fail(m_pos, "expected a key in double quotes");
        const qsizetype keyStart = m_pos;
        bool keyEscaped = false;
        if (!string(&keyEscaped))
            return false;
        const QByteArrayView key = m_text.sliced(keyStart + 1, m_pos - keyStart - 2);
        skipWhitespace();
        if (m_pos >= m_text.size() || m_text[m_pos] != ':')
            return fail(m_pos, "expected ':' after the key");
        ++m_pos;
        skipWhitespace();
        JsonNode *member = nullptr;
        if (record) {
            // resize() constructs in place; emplace_back() builds and moves a temporary (measured).
            node->children.resize(node->children.size() + 1);
            member = &node->children.last();
            member->key = key;
            member->keyOffset = keyStart;
            member->keyEscaped = keyEscaped;
        }
        if (!value(member, depth + 1))
            return false;
        skipWhitespace();
        if (m_pos >= m_text.size())
            return fail(m_pos, "unterminated object");
        if (m_text[m_pos] == '}') {
            ++m_pos;
            return true;
        }
        if (m_text[m_pos] != ',')
            return fail(m_pos, "expected ',' or '}' after a member");
        ++m_pos;
    }
}

bool JsonReader::array(JsonNode *node, int depth)
{
    if (depth >= maxDepth)
        return fail(m_pos, "nested more than 256 levels deep");
    const bool record = node && depth < m_recordDepth;
    ++m_pos; // '['
    skipWhitespace();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
        ++m_pos;
        return true;
    }
    while (true) {
        skipWhitespace();
        JsonNode *element = record ? &node->children.emplace_back() : nullptr;
        if (!value(element, depth + 1))
            return false;
        skipWhitespace();
        if (m_pos >= m_text.size())
            return fail(m_pos, "unterminated array");
        if (m_text[m_pos] == ']') {
            ++m_pos;
            return true;
        }
        if (m_text[m_pos] != ',')
            return fail(m_pos, "expected ',' or ']' after an element");
        ++m_pos;
    }
}

bool JsonReader::string(bool *escaped)
{
    // The common case inline (~40 strings per dbt event): plain ASCII up to the closing quote.
    const char *const data = m_text.data();
    const qsizetype size = m_text.size();
    qsizetype pos = m_pos + 1; // after the opening quote
    while (pos + plainScanWidth <= size) {
        const qsizetype plain = plainPrefix(data + pos);
        pos += plain;
        if (plain < plainScanWidth) {
            if (data[pos] != '"')
                break;
            m_pos = pos + 1;
            return true;
        }
    }
    return stringFrom(pos, escaped);
}

bool JsonReader::stringFrom(qsizetype pos, bool *escaped)
{
    // A local cursor: the member would be stored back on every byte.
    const char *const data = m_text.data();
    const qsizetype size = m_text.size();
    while (pos < size) {
        // Eight bytes at a time to the next byte that needs a look (most of a dbt event is
        // printable ASCII inside strings).
        if (pos + plainScanWidth <= size) {
            const qsizetype plain = plainPrefix(data + pos);
            pos += plain;
            if (plain == plainScanWidth)
                continue;
        }
        const uchar c = uchar(data[pos]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++pos;
            continue;
        }
        if (c == '"') {
            m_pos = pos + 1;
            return true;
        }
        if (c == '\\') {
            *escaped = true;
            if (pos + 1 >= size)
                return fail(pos, "unterminated string");
            const char kind = data[pos + 1];
            if (kind == 'u') {
                for (int i = 2; i < 6; ++i) {
                    if (pos + i >= size || !isHexDigit(data[pos + i]))
                        return fail(pos, "invalid \\u escape (four hex digits expected)");
                }
                pos += 6;
                continue;
            }
            if (kind != '"' && kind != '\\' && kind != '/' && kind != 'b' && kind != 'f' && kind != 'n' && kind != 'r'
                && kind != 't')
                return fail(pos, "invalid escape in a string");
            pos += 2;
            continue;
        }
        if (c < 0x20)
            return fail(pos, "control character in a string (it must be escaped)");
        const qsizetype length = utf8SequenceLength(m_text, pos);
        if (length == 0)
            return fail(pos, "invalid UTF-8 in a string");
        pos += length;
    }
    return fail(size, "unterminated string");
}

bool JsonReader::number()
{
    const qsizetype start = m_pos;
    if (m_pos < m_text.size() && m_text[m_pos] == '-')
        ++m_pos;
    if (m_pos >= m_text.size() || !isDigit(m_text[m_pos]))
        return fail(m_pos, m_pos == start ? "unexpected character, a value was expected" : "invalid number");
    if (m_text[m_pos] == '0') {
        ++m_pos;
        if (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            return fail(m_pos, "invalid number (leading zero)");
    } else {
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
    }
    if (m_pos < m_text.size() && m_text[m_pos] == '.') {
        ++m_pos;
        if (m_pos >= m_text.size() || !isDigit(m_text[m_pos]))
            return fail(m_pos, "invalid number (digits expected after '.')");
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
    }
    if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
        ++m_pos;
        if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
            ++m_pos;
        if (m_pos >= m_text.size() || !isDigit(m_text[m_pos]))
            return fail(m_pos, "invalid number (digits expected in the exponent)");
        while (m_pos < m_text.size() && isDigit(m_text[m_pos]))
            ++m_pos;
    }
    return true;
}

bool JsonReader::literal(QByteArrayView word)
{
    if (m_text.sliced(m_pos).startsWith(word)) {
        m_pos += word.size();
        return true;
    }
    return fail(m_pos, "unexpected character, a value was expected");
}

} // namespace hookbench
