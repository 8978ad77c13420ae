#include "jsonreader.h"

#include <charconv>
#include <cmath>
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

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

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

bool JsonNode::keyEquals(QLatin1String name) const
{
    if (!keyEscaped)
        return key == QByteArrayView(name.data(), name.size());
    return keyText() == name;
}

QString JsonNode::text() const
{
    if (kind != JsonKind::String || bytes.size() < 2)
        return {};
    return decode(bytes.sliced(1, bytes.size() - 2), escaped);
}

std::optional<double> JsonNode::number() const
{
    if (kind != JsonKind::Number)
        return std::nullopt;
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

void JsonReader::skipWhitespace()
{
    const char *const data = m_text.data();
    qsizetype pos = m_pos;
    while (pos < m_text.size() && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r'))
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
            member = &node->children.emplace_back();
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
    // A local cursor: the member would be stored back on every byte.
    const char *const data = m_text.data();
    const qsizetype size = m_text.size();
    qsizetype pos = m_pos + 1; // after the opening quote
    while (pos < size) {
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
