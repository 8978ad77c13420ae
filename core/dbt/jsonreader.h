#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QVarLengthArray>

#include <cstring>
#include <optional>

namespace hookbench {

enum class JsonKind { Null, Bool, Number, String, Array, Object };

// Room for decoding a string value without a heap allocation (see JsonNode::textView).
using JsonTextBuffer = QVarLengthArray<char16_t, 64>;

// One value of a JSON text, located in the text (nothing is copied or decoded until asked).
// Objects and arrays list their members down to the depth the reader was asked to record;
// deeper ones are validated and skipped.
struct JsonNode
{
    JsonKind kind = JsonKind::Null;
    QByteArrayView bytes; // the value as written; strings with their quotes
    QByteArrayView key; // for object members: the key as written, without its quotes
    qsizetype keyOffset = -1; // byte offset of the key's opening quote
    bool keyEscaped = false; // the key contains backslash escapes
    bool escaped = false; // a string value containing backslash escapes
    QList<JsonNode> children; // members (objects) or elements (arrays), when recorded

    bool isString() const { return kind == JsonKind::String; }
    // The key, decoded. Compares without decoding when it has no escapes.
    QString keyText() const;
    // Inline: called for every member against known keys, and most differ in length.
    bool keyEquals(QLatin1String name) const
    {
        if (!keyEscaped)
            return key.size() == name.size() && std::memcmp(key.data(), name.data(), size_t(key.size())) == 0;
        return keyText() == name;
    }
    bool sameKey(const JsonNode &other) const; // the same key once decoded
    // A string value, decoded (UTF-8, escapes; a lone \uD800-style surrogate is kept as is).
    QString text() const;
    // The same text decoded into `buffer`, which it overwrites: reading values through one buffer
    // allocates nothing for the usual short ones. The view is valid until the buffer changes.
    QStringView textView(JsonTextBuffer &buffer) const;
    // A number's value (±inf when out of range, as Python reads 1e999); nullopt for other kinds.
    std::optional<double> number() const;
    bool boolean() const { return kind == JsonKind::Bool && bytes.size() == 4; }
};

struct JsonParseResult
{
    bool ok = false;
    JsonNode root; // views into the text: valid while the text is
    qsizetype errorOffset = -1; // byte offset of the first byte that makes the text invalid
    QString error; // e.g. "unterminated string"
};

// A strict RFC 8259 reader. Qt's QJsonDocument accepts texts that strict receivers (Python's
// json module, which dbt's own examples use) refuse — a raw control character in a string,
// "\x" escapes, "1." or ".5" — and silently keeps the last of duplicate keys; a payload check
// must see the text as a strict receiver does, and must not cost much, since it runs for every
// captured request. This reader validates the whole text (UTF-8 included) in one pass and
// records only the first `recordDepth` levels of members, without copying anything.
// Accepted beyond the RFC, as Python's json.loads(bytes) and Qt do: a leading UTF-8 BOM.
class JsonReader
{
public:
    static constexpr int maxDepth = 256; // deeper nesting is refused

    static JsonParseResult parse(QByteArrayView text, int recordDepth = 2);

private:
    JsonReader(QByteArrayView text, int recordDepth);

    bool value(JsonNode *node, int depth); // node null: validate only
    bool object(JsonNode *node, int depth);
    bool array(JsonNode *node, int depth);
    bool string(bool *escaped);
    bool stringFrom(qsizetype pos, bool *escaped); // the rest of a string, from `pos` inside it
    bool number();
    bool literal(QByteArrayView word);
    // Called around every token, inline: compact JSON (what dbt sends) has no whitespace at all.
    void skipWhitespace()
    {
        if (m_pos < m_text.size()) {
            const char c = m_text.data()[m_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
                skipWhitespaceRun();
        }
    }
    void skipWhitespaceRun();
    bool fail(qsizetype offset, const char *message);

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    int m_recordDepth = 0;
    qsizetype m_errorOffset = -1;
    const char *m_error = nullptr;
};

} // namespace hookbench
