#include "jsonreencoder.h"

#include <QStringList>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace hookbench {

namespace {

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

// Reads the 4 hex digits at `p` (validated by the parser).
char32_t readHex4(const char *p)
{
    return char32_t(hexValue(p[0]) << 12 | hexValue(p[1]) << 8 | hexValue(p[2]) << 4 | hexValue(p[3]));
}

bool isHighSurrogate(char32_t c)
{
    return c >= 0xD800 && c <= 0xDBFF;
}

bool isLowSurrogate(char32_t c)
{
    return c >= 0xDC00 && c <= 0xDFFF;
}

// One character of a validated JSON string's raw text at `p`: the code point and how many
// bytes it took. Escaped surrogate pairs are joined; a lone escaped surrogate is returned as is.
char32_t nextCharacter(const char *p, const char *end, int *length)
{
    const auto byte = static_cast<unsigned char>(*p);
    if (byte == '\\') {
        switch (p[1]) {
        case 'b':
            *length = 2;
            return 0x08;
        case 'f':
            *length = 2;
            return 0x0C;
        case 'n':
            *length = 2;
            return 0x0A;
        case 'r':
            *length = 2;
            return 0x0D;
        case 't':
            *length = 2;
            return 0x09;
        case 'u': {
            const char32_t unit = readHex4(p + 2);
            if (isHighSurrogate(unit) && end - p >= 12 && p[6] == '\\' && p[7] == 'u') {
                const char32_t low = readHex4(p + 8);
                if (isLowSurrogate(low)) {
                    *length = 12;
                    return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                }
            }
            *length = 6;
            return unit;
        }
        default: // \" \\ \/
            *length = 2;
            return char32_t(static_cast<unsigned char>(p[1]));
        }
    }
    if (byte < 0x80) {
        *length = 1;
        return byte;
    }
    if (byte < 0xE0) {
        *length = 2;
        return char32_t((byte & 0x1F) << 6 | (p[1] & 0x3F));
    }
    if (byte < 0xF0) {
        *length = 3;
        return char32_t((byte & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F));
    }
    *length = 4;
    return char32_t((byte & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 | (p[3] & 0x3F));
}

// UTF-8, and for lone surrogates the same 3-byte form (WTF-8): byte order then equals code
// point order, which is how Python sorts keys.
void appendUtf8(QByteArray &out, char32_t c)
{
    if (c < 0x80) {
        out.append(char(c));
    } else if (c < 0x800) {
        out.append(char(0xC0 | c >> 6));
        out.append(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.append(char(0xE0 | c >> 12));
        out.append(char(0x80 | (c >> 6 & 0x3F)));
        out.append(char(0x80 | (c & 0x3F)));
    } else {
        out.append(char(0xF0 | c >> 18));
        out.append(char(0x80 | (c >> 12 & 0x3F)));
        out.append(char(0x80 | (c >> 6 & 0x3F)));
        out.append(char(0x80 | (c & 0x3F)));
    }
}

// Bytes a string can hold that need no decoding: printable ASCII but '"' and '\\'.
constexpr auto plainStringByte = [] {
    std::array<bool, 256> table {};
    for (int c = 0x20; c < 0x7F; ++c)
        table[size_t(c)] = c != '"' && c != '\\';
    return table;
}();

// A key's text, decoded only when it has escapes.
struct KeyText
{
    QByteArrayView view;
    QByteArray storage;
};

// Byte order, which for UTF-8 (and WTF-8) is code point order; inline, as it runs for every key.
int compareKeys(QByteArrayView a, QByteArrayView b)
{
    const qsizetype common = std::min(a.size(), b.size());
    const int order = common > 0 ? std::memcmp(a.data(), b.data(), size_t(common)) : 0;
    if (order != 0)
        return order;
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

KeyText decodeKey(const char *begin, quint32 length, bool escaped)
{
    if (!escaped)
        return {QByteArrayView(begin, length), {}};
    KeyText text;
    const char *end = begin + length;
    for (const char *p = begin; p < end;) {
        int size = 0;
        appendUtf8(text.storage, nextCharacter(p, end, &size));
        p += size;
    }
    text.view = text.storage;
    return text;
}

} // namespace

QString JsonStyle::id() const
{
    QString text;
    switch (layout) {
    case Layout::Compact:
        text = QStringLiteral("compact");
        break;
    case Layout::Spaced:
        text = QStringLiteral("spaced");
        break;
    case Layout::Indented:
        text = QStringLiteral("indent-%1").arg(indent);
        break;
    }
    if (sortKeys)
        text += u"+sorted";
    if (escapeNonAscii)
        text += u"+ascii";
    if (keepDuplicateKeys)
        text += u"+duplicates";
    return text;
}

QString JsonStyle::description() const
{
    QString text;
    switch (layout) {
    case Layout::Compact:
        text = QStringLiteral("compact");
        break;
    case Layout::Spaced:
        text = QStringLiteral("with \", \" and \": \" separators");
        break;
    case Layout::Indented:
        text = QStringLiteral("indented by %1 spaces").arg(indent);
        break;
    }
    if (sortKeys)
        text += u", keys sorted";
    if (escapeNonAscii)
        text += u", non-ASCII escaped as \\uXXXX";
    if (keepDuplicateKeys)
        text += u", duplicate keys kept";

    // Who writes it this way, for the user to recognise their stack.
    const QString indentArgument = QStringLiteral("indent=%1").arg(indent);
    QStringList python;
    if (layout == Layout::Compact)
        python << QStringLiteral("separators=(\",\", \":\")");
    if (layout == Layout::Indented)
        python << indentArgument;
    if (!escapeNonAscii)
        python << QStringLiteral("ensure_ascii=False");
    if (sortKeys)
        python << QStringLiteral("sort_keys=True");
    QStringList producers;
    if (!keepDuplicateKeys)
        producers << QStringLiteral("Python json.dumps(%1)").arg(python.join(QStringLiteral(", ")));
    if (!escapeNonAscii && !keepDuplicateKeys) {
        if (!sortKeys && layout == Layout::Compact)
            producers.prepend(QStringLiteral("JSON.stringify(body)"));
        if (!sortKeys && layout == Layout::Indented)
            producers.prepend(QStringLiteral("JSON.stringify(body, null, %1)").arg(indent));
        if (sortKeys && layout == Layout::Compact)
            producers << QStringLiteral("jq -cS");
        if (layout == Layout::Indented && indent == 2)
            producers << (sortKeys ? QStringLiteral("jq -S") : QStringLiteral("jq"));
    }
    if (!producers.isEmpty())
        text += QStringLiteral(" (as %1)").arg(producers.join(QStringLiteral(", ")));
    return text;
}

QList<JsonStyle> commonJsonStyles()
{
    using L = JsonStyle::Layout;
    // layout, indent, sorted, ASCII. Each costs a pass over the body (and a MAC), so not every
    // combination: what JavaScript, Python, jq and canonicalising libraries write when they
    // re-encode, most common first. Pretty-printing with sorted keys (json.dumps(indent=4,
    // sort_keys=True)) is for reading, rarely for signing, and is left out.
    return {
        {L::Compact, 0, false, false}, // JSON.stringify(body), Ruby, PHP with flags
        {L::Spaced, 0, false, true}, // Python json.dumps(body)
        {L::Indented, 2, false, false}, // JSON.stringify(body, null, 2), jq
        {L::Indented, 4, false, false}, // JSON.stringify(body, null, 4)
        {L::Spaced, 0, false, false}, // json.dumps(ensure_ascii=False)
        {L::Compact, 0, false, true}, // json.dumps(separators=(",", ":"))
        {L::Indented, 2, false, true}, // json.dumps(indent=2)
        {L::Indented, 4, false, true}, // json.dumps(indent=4)
        {L::Spaced, 0, true, true}, // json.dumps(sort_keys=True)
        {L::Compact, 0, true, false}, // json-stable-stringify, jq -cS, canonical JSON
        {L::Compact, 0, true, true}, // json.dumps(sort_keys=True, separators=(",", ":"))
        {L::Indented, 2, true, false}, // jq -S
    };
}

// Recursive descent over the bytes, recording one node per value in document order.
struct JsonReencoder::Parser
{
    const char *data;
    qsizetype size;
    qsizetype pos;
    int maxDepth;
    std::vector<Node> &nodes;
    std::vector<quint32> &orders;
    std::vector<quint32> keyStack; // key node indexes of the objects being parsed
    std::vector<QByteArrayView> keys; // scratch, reused from object to object
    std::vector<QByteArray> decodedKeys; // the text of keys with escapes, which `keys` views
    std::vector<quint32> byKey;
    std::vector<std::pair<quint32, quint32>> runs;
    QString error;
    bool textToEscape = false;
    bool unsortedKeys = false;
    bool duplicateKeys = false;

    bool fail(const QString &what)
    {
        error = QStringLiteral("byte %1: %2").arg(pos).arg(what);
        return false;
    }

    void skipWhitespace()
    {
        while (pos < size) {
            const char c = data[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++pos;
        }
    }

    bool literal(const char *word, Type type)
    {
        const auto length = qsizetype(std::strlen(word));
        if (size - pos < length || std::memcmp(data + pos, word, size_t(length)) != 0)
            return fail(QStringLiteral("unexpected character"));
        nodes.push_back({type, 0, quint32(pos), quint32(length), quint32(nodes.size() + 1)});
        pos += length;
        return true;
    }

    bool digits()
    {
        const qsizetype from = pos;
        while (pos < size && data[pos] >= '0' && data[pos] <= '9')
            ++pos;
        return pos > from;
    }

    bool number()
    {
        const qsizetype from = pos;
        if (data[pos] == '-')
            ++pos;
        if (pos < size && data[pos] == '0')
            ++pos;
        else if (!digits())
            return fail(QStringLiteral("malformed number"));
        if (pos < size && data[pos] == '.') {
            ++pos;
            if (!digits())
                return fail(QStringLiteral("malformed number"));
        }
        if (pos < size && (data[pos] == 'e' || data[pos] == 'E')) {
            ++pos;
            if (pos < size && (data[pos] == '+' || data[pos] == '-'))
                ++pos;
            if (!digits())
                return fail(QStringLiteral("malformed number"));
        }
        nodes.push_back({Type::Number, 0, quint32(from), quint32(pos - from), quint32(nodes.size() + 1)});
        return true;
    }

    // Length of the valid UTF-8 sequence at `pos` (a byte ≥ 0x80), or 0.
    int utf8Sequence() const
    {
        const auto *p = reinterpret_cast<const unsigned char *>(data + pos);
        const qsizetype left = size - pos;
        auto continuation = [&](int i, unsigned char low = 0x80, unsigned char high = 0xBF) {
            return i < left && p[i] >= low && p[i] <= high;
        };
        const unsigned char b = p[0];
        if (b >= 0xC2 && b <= 0xDF)
            return continuation(1) ? 2 : 0;
        if (b == 0xE0)
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0;
        if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF)
            return continuation(1) && continuation(2) ? 3 : 0;
        if (b == 0xED) // U+D800..U+DFFF are not characters
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0;
        if (b == 0xF0)
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0;
        if (b >= 0xF1 && b <= 0xF3)
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
        if (b == 0xF4)
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0;
        return 0;
    }

    bool string()
    {
        ++pos; // the opening quote
        const qsizetype from = pos;
        quint8 flags = 0;
        for (;;) {
            // Plain printable ASCII, the bulk of most strings, in a tight loop.
            while (pos < size && plainStringByte[static_cast<unsigned char>(data[pos])])
                ++pos;
            if (pos >= size)
                return fail(QStringLiteral("unterminated string"));
            const auto c = static_cast<unsigned char>(data[pos]);
            if (c == '"')
                break;
            if (c < 0x20)
                return fail(QStringLiteral("control character in a string"));
            if (c == '\\') {
                flags |= StringHasEscapes;
                if (pos + 1 >= size)
                    return fail(QStringLiteral("unterminated string"));
                const char e = data[pos + 1];
                if (e == 'u') {
                    if (size - pos < 6 || hexValue(data[pos + 2]) < 0 || hexValue(data[pos + 3]) < 0
                        || hexValue(data[pos + 4]) < 0 || hexValue(data[pos + 5]) < 0)
                        return fail(QStringLiteral("malformed \\u escape"));
                    if (readHex4(data + pos + 2) >= 0x7F)
                        flags |= StringNeedsAscii;
                    pos += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                    || e == 't') {
                    pos += 2;
                } else {
                    return fail(QStringLiteral("unknown escape"));
                }
                continue;
            }
            if (c < 0x7F) {
                ++pos;
                continue;
            }
            flags |= StringNeedsAscii;
            if (c == 0x7F) {
                ++pos;
                continue;
            }
            const int length = utf8Sequence();
            if (length == 0)
                return fail(QStringLiteral("invalid UTF-8"));
            pos += length;
        }
        if (flags & StringNeedsAscii)
            textToEscape = true;
        nodes.push_back({Type::String, flags, quint32(from), quint32(pos - from), quint32(nodes.size() + 1)});
        ++pos; // the closing quote
        return true;
    }

    QByteArrayView keyText(quint32 index)
    {
        const Node &node = nodes[index];
        if (!(node.flags & StringHasEscapes))
            return QByteArrayView(data + node.start, node.length);
        decodedKeys.push_back(decodeKey(data + node.start, node.length, true).storage);
        return decodedKeys.back();
    }

    // Notes whether an object's keys are out of order or repeated, and if so records once the
    // member orders that sorting and merging give (see m_orders), so that encoding in any
    // style never sorts.
    void classifyKeys(Node &object, size_t firstKey)
    {
        const auto count = quint32(keyStack.size() - firstKey);
        if (count < 2)
            return;
        keys.clear();
        decodedKeys.clear();
        decodedKeys.reserve(count); // `keys` views their bytes: no reallocation may move them
        for (size_t i = firstKey; i < keyStack.size(); ++i)
            keys.push_back(keyText(keyStack[i]));
        bool increasing = true;
        for (quint32 i = 1; i < count; ++i) {
            const int order = compareKeys(keys[i - 1], keys[i]);
            if (order > 0)
                object.flags |= ObjectUnsorted;
            if (order >= 0)
                increasing = false;
        }
        if (increasing)
            return;
        byKey.resize(count);
        for (quint32 i = 0; i < count; ++i)
            byKey[i] = i;
        const auto before = [&](quint32 a, quint32 b) { return compareKeys(keys[a], keys[b]) < 0; };
        if (count <= 16) {
            // Stable insertion sort: std::stable_sort allocates a buffer, once per object.
            for (quint32 i = 1; i < count; ++i) {
                const quint32 moving = byKey[i];
                quint32 j = i;
                for (; j > 0 && before(moving, byKey[j - 1]); --j)
                    byKey[j] = byKey[j - 1];
                byKey[j] = moving;
            }
        } else {
            std::stable_sort(byKey.begin(), byKey.end(), before);
        }
        // Runs of one key (in document order, the sort being stable): a parser keeps the
        // first position and the last value.
        runs.clear();
        for (quint32 i = 0; i < count; ++i) {
            if (i > 0 && compareKeys(keys[byKey[i]], keys[byKey[i - 1]]) == 0)
                runs.back().second = byKey[i];
            else
                runs.emplace_back(byKey[i], byKey[i]);
        }
        if (runs.size() < count)
            object.flags |= ObjectDuplicates;
        object.start = quint32(orders.size());
        orders.push_back(quint32(runs.size()));
        auto append = [&] {
            for (const auto &[first, last] : runs) {
                orders.push_back(keyStack[firstKey + first]);
                orders.push_back(keyStack[firstKey + last] + 1);
            }
        };
        append();
        if (object.flags & ObjectDuplicates) {
            std::sort(runs.begin(), runs.end());
            append();
        }
    }

    bool value(int depth)
    {
        skipWhitespace();
        if (pos >= size)
            return fail(QStringLiteral("unexpected end"));
        const char c = data[pos];
        switch (c) {
        case '"':
            return string();
        case 't':
            return literal("true", Type::True);
        case 'f':
            return literal("false", Type::False);
        case 'n':
            return literal("null", Type::Null);
        case '[':
        case '{':
            return container(depth + 1, c == '{');
        default:
            if (c == '-' || (c >= '0' && c <= '9'))
                return number();
            return fail(QStringLiteral("unexpected character"));
        }
    }

    bool container(int depth, bool object)
    {
        if (depth > maxDepth)
            return fail(QStringLiteral("nested deeper than %1 levels").arg(maxDepth));
        const size_t self = nodes.size();
        nodes.push_back({object ? Type::Object : Type::Array, 0, 0, 0, 0});
        const size_t firstKey = keyStack.size();
        const char close = object ? '}' : ']';
        ++pos;
        skipWhitespace();
        if (pos < size && data[pos] == close) {
            ++pos;
        } else {
            for (;;) {
                if (object) {
                    skipWhitespace();
                    if (pos >= size || data[pos] != '"')
                        return fail(QStringLiteral("expected a key"));
                    keyStack.push_back(quint32(nodes.size()));
                    if (!string())
                        return false;
                    skipWhitespace();
                    if (pos >= size || data[pos] != ':')
                        return fail(QStringLiteral("expected ':'"));
                    ++pos;
                }
                if (!value(depth))
                    return false;
                skipWhitespace();
                if (pos < size && data[pos] == ',') {
                    ++pos;
                    continue;
                }
                if (pos < size && data[pos] == close) {
                    ++pos;
                    break;
                }
                return fail(object ? QStringLiteral("expected ',' or '}'") : QStringLiteral("expected ',' or ']'"));
            }
        }
        Node &node = nodes[self];
        node.end = quint32(nodes.size());
        if (object) {
            classifyKeys(node, firstKey);
            unsortedKeys = unsortedKeys || (node.flags & ObjectUnsorted);
            duplicateKeys = duplicateKeys || (node.flags & ObjectDuplicates);
            keyStack.resize(firstKey);
        }
        return true;
    }
};

bool JsonReencoder::parse(const QByteArray &json, QString *error, int maxDepth)
{
    m_nodes.clear();
    m_orders.clear();
    m_source = json;
    m_offset = json.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    m_textToEscape = m_unsortedKeys = m_duplicateKeys = false;
    if (json.size() > qsizetype(std::numeric_limits<quint32>::max())) {
        if (error)
            *error = QStringLiteral("too large to re-encode");
        return false;
    }
    std::vector<Node> nodes;
    nodes.reserve(size_t(json.size() / 8 + 1));
    std::vector<quint32> orders;
    Parser parser {json.constData(), json.size(), m_offset, maxDepth, nodes, orders};
    bool ok = parser.value(0);
    if (ok) {
        parser.skipWhitespace();
        if (parser.pos != parser.size)
            ok = parser.fail(QStringLiteral("text after the JSON value"));
    }
    if (!ok) {
        if (error)
            *error = parser.error;
        m_source.clear();
        return false;
    }
    m_nodes = std::move(nodes);
    m_orders = std::move(orders);
    m_textToEscape = parser.textToEscape;
    m_unsortedKeys = parser.unsortedKeys;
    m_duplicateKeys = parser.duplicateKeys;
    return true;
}

JsonStyle JsonReencoder::simplest(const JsonStyle &style) const
{
    JsonStyle result = style;
    if (!m_textToEscape)
        result.escapeNonAscii = false;
    if (!m_unsortedKeys)
        result.sortKeys = false;
    if (!m_duplicateKeys)
        result.keepDuplicateKeys = false;
    if (result.layout != JsonStyle::Layout::Indented)
        result.indent = 0;
    return result;
}

// Writes into a buffer it grows itself: appending token by token through QByteArray's checks
// was the slowest part of re-encoding a 1 MiB document.
struct JsonReencoder::Writer
{
    const JsonReencoder &document;
    const JsonStyle &style;
    const char *source;
    QByteArray out;
    char *base = nullptr; // out.data(), cached: QByteArray::data() checks for sharing on every call
    char *cursor = nullptr;
    char *limit = nullptr;
    const std::function<void(QByteArrayView)> *sink = nullptr;
    qsizetype chunk = 0;

    void allocate(qsizetype size)
    {
        const qsizetype used = cursor - base;
        out.resize(size);
        base = out.data();
        cursor = base + used;
        limit = base + out.size();
    }

    void flush()
    {
        if (cursor > base)
            (*sink)(QByteArrayView(base, cursor - base));
        cursor = base;
    }

    // Makes room for `more` bytes; the raw writes after it are unchecked.
    void reserve(qsizetype more)
    {
        if (limit - cursor >= more) [[likely]]
            return;
        if (sink) {
            flush();
            if (limit - cursor >= more)
                return;
        }
        allocate(std::max(out.size() * 2, (cursor - base) + more + 64));
    }

    void raw(char c) { *cursor++ = c; }

    // Most tokens are a few bytes: copied with two overlapping fixed-size moves (never reading
    // outside [bytes, bytes + length)) instead of a call to memcpy.
    void raw(const char *bytes, qsizetype length)
    {
        if (length >= 8 && length <= 16) {
            std::memcpy(cursor, bytes, 8);
            std::memcpy(cursor + length - 8, bytes + length - 8, 8);
        } else if (length >= 4 && length < 8) {
            std::memcpy(cursor, bytes, 4);
            std::memcpy(cursor + length - 4, bytes + length - 4, 4);
        } else if (length < 4) {
            for (qsizetype i = 0; i < length; ++i)
                cursor[i] = bytes[i];
        } else {
            std::memcpy(cursor, bytes, size_t(length));
        }
        cursor += length;
    }

    void put(char c)
    {
        reserve(1);
        raw(c);
    }

    void put(const char *bytes, qsizetype length)
    {
        reserve(length);
        raw(bytes, length);
    }

    // "\n" and the indentation of `depth` levels; room must have been reserved.
    void rawNewline(int depth)
    {
        static const char spaces[] = "                                ";
        qsizetype count = qsizetype(depth) * style.indent;
        *cursor++ = '\n';
        for (; count > 32; count -= 32)
            raw(spaces, 32);
        raw(spaces, count);
    }

    void newline(int depth)
    {
        reserve(1 + qsizetype(depth) * style.indent);
        rawNewline(depth);
    }

    void unicodeEscape(char32_t unit)
    {
        static const char digits[] = "0123456789abcdef";
        const char escape[6] = {
            '\\', 'u', digits[unit >> 12 & 0xF], digits[unit >> 8 & 0xF], digits[unit >> 4 & 0xF], digits[unit & 0xF]};
        put(escape, 6);
    }

    // One character as JSON.stringify / json.dumps write it.
    void character(char32_t c, const char *raw, int rawLength, bool rawIsUtf8)
    {
        switch (c) {
        case '"':
            put("\\\"", 2);
            return;
        case '\\':
            put("\\\\", 2);
            return;
        case 0x08:
            put("\\b", 2);
            return;
        case 0x0C:
            put("\\f", 2);
            return;
        case 0x0A:
            put("\\n", 2);
            return;
        case 0x0D:
            put("\\r", 2);
            return;
        case 0x09:
            put("\\t", 2);
            return;
        default:
            break;
        }
        if (c < 0x20 || isHighSurrogate(c) || isLowSurrogate(c) || (c >= 0x7F && style.escapeNonAscii)) {
            if (c >= 0x10000) {
                unicodeEscape(0xD800 + ((c - 0x10000) >> 10));
                unicodeEscape(0xDC00 + ((c - 0x10000) & 0x3FF));
            } else {
                unicodeEscape(c);
            }
            return;
        }
        if (rawIsUtf8) {
            put(raw, rawLength);
            return;
        }
        QByteArray encoded;
        appendUtf8(encoded, c);
        put(encoded.constData(), encoded.size());
    }

    [[gnu::always_inline]] void string(const Node &node)
    {
        const bool verbatim
            = !(node.flags & StringHasEscapes) && !(style.escapeNonAscii && (node.flags & StringNeedsAscii));
        if (verbatim) {
            reserve(qsizetype(node.length) + 2);
            raw('"');
            raw(source + node.start, node.length);
            raw('"');
            return;
        }
        escapedString(node);
    }

    [[gnu::noinline]] void escapedString(const Node &node)
    {
        const char *begin = source + node.start;
        const char *end = begin + node.length;
        put('"');
        for (const char *p = begin; p < end;) {
            // Runs of plain ASCII are copied whole.
            const char *run = p;
            while (p < end && *p != '\\' && static_cast<unsigned char>(*p) < 0x7F)
                ++p;
            if (p > run)
                put(run, p - run);
            if (p >= end)
                break;
            int length = 0;
            const char32_t c = nextCharacter(p, end, &length);
            character(c, p, length, *p != '\\');
            p += length;
        }
        put('"');
    }

    void keyValueSeparator()
    {
        reserve(2);
        raw(':');
        if (style.layout != JsonStyle::Layout::Compact)
            raw(' ');
    }

    void itemSeparator(bool first, int depth)
    {
        reserve(3 + qsizetype(depth) * style.indent);
        if (!first) {
            raw(',');
            if (style.layout == JsonStyle::Layout::Spaced)
                raw(' ');
        }
        if (style.layout == JsonStyle::Layout::Indented)
            rawNewline(depth);
    }

    KeyText keyText(quint32 index) const
    {
        const Node &node = document.m_nodes[index];
        return decodeKey(source + node.start, node.length, node.flags & StringHasEscapes);
    }

    void member(quint32 key, quint32 valueIndex, bool first, int depth)
    {
        itemSeparator(first, depth + 1);
        string(document.m_nodes[key]);
        keyValueSeparator();
        value(valueIndex, depth + 1);
    }

    void object(quint32 index, int depth)
    {
        const Node &node = document.m_nodes[index];
        if (node.end == index + 1) {
            put("{}", 2);
            return;
        }
        put('{');
        const bool reorder = style.sortKeys && (node.flags & ObjectUnsorted);
        const bool merge = !style.keepDuplicateKeys && (node.flags & ObjectDuplicates);
        if (!reorder && !merge) {
            bool first = true;
            for (quint32 i = index + 1; i < node.end; i = document.m_nodes[i + 1].end) {
                member(i, i + 1, first, depth);
                first = false;
            }
        } else if (!style.keepDuplicateKeys) {
            // Merged, in sorted or document order: computed when parsing.
            const quint32 *order = document.m_orders.data() + node.start;
            const quint32 count = order[0];
            const quint32 *pairs = order + 1 + (style.sortKeys ? 0 : 2 * count);
            for (quint32 i = 0; i < count; ++i)
                member(pairs[2 * i], pairs[2 * i + 1], i == 0, depth);
        } else {
            // Every member kept, sorted (stable): rare enough to sort here.
            std::vector<quint32> keys;
            for (quint32 i = index + 1; i < node.end; i = document.m_nodes[i + 1].end)
                keys.push_back(i);
            std::vector<KeyText> texts;
            for (const quint32 key : keys)
                texts.push_back(keyText(key));
            std::vector<size_t> order(keys.size());
            for (size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            std::stable_sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return compareKeys(texts[a].view, texts[b].view) < 0; });
            for (size_t i = 0; i < order.size(); ++i)
                member(keys[order[i]], keys[order[i]] + 1, i == 0, depth);
        }
        if (style.layout == JsonStyle::Layout::Indented)
            newline(depth);
        put('}');
    }

    void array(quint32 index, int depth)
    {
        const Node &node = document.m_nodes[index];
        if (node.end == index + 1) {
            put("[]", 2);
            return;
        }
        put('[');
        bool first = true;
        for (quint32 i = index + 1; i < node.end; i = document.m_nodes[i].end) {
            itemSeparator(first, depth + 1);
            first = false;
            value(i, depth + 1);
        }
        if (style.layout == JsonStyle::Layout::Indented)
            newline(depth);
        put(']');
    }

    // Leaves, most of a document, are written in place; only containers recurse.
    [[gnu::always_inline]] void value(quint32 index, int depth)
    {
        const Node &node = document.m_nodes[index];
        switch (node.type) {
        case Type::Object:
            object(index, depth);
            return;
        case Type::Array:
            array(index, depth);
            return;
        case Type::String:
            string(node);
            return;
        default:
            put(source + node.start, node.length); // numbers exactly as written
            return;
        }
    }
};

void JsonReencoder::encode(
    const JsonStyle &style, const std::function<void(QByteArrayView)> &sink, qsizetype chunk) const
{
    if (m_nodes.empty())
        return;
    Writer writer {*this, style, m_source.constData(), {}};
    writer.sink = &sink;
    writer.allocate(std::max<qsizetype>(chunk, 64));
    writer.value(0, 0);
    writer.flush();
}

QByteArray JsonReencoder::encode(const JsonStyle &style) const
{
    if (m_nodes.empty())
        return {};
    Writer writer {*this, style, m_source.constData(), {}};
    writer.allocate(m_source.size() + m_source.size() / 4 + 64);
    writer.value(0, 0);
    writer.out.truncate(writer.cursor - writer.base);
    return writer.out;
}

} // namespace hookbench
