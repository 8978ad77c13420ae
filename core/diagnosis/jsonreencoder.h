#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <vector>

namespace hookbench {

// How a JSON encoder lays a document out. The combinations cover what parse-then-encode code
// produces in practice: JSON.stringify (compact or indented), Python's json.dumps (", "/": "
// separators, ASCII escapes, sorted keys, indents), jq, json-stable-stringify.
struct JsonStyle
{
    enum class Layout {
        Compact, // {"a":1,"b":[1,2]}
        Spaced, // {"a": 1, "b": [1, 2]}  (Python's default separators)
        Indented, // one member per line, `indent` spaces per level, ": " after keys, "," at line ends
    };

    Layout layout = Layout::Compact;
    int indent = 2; // spaces per level, for Layout::Indented
    bool sortKeys = false; // by code point, as Python's sort_keys
    bool escapeNonAscii = false; // \uXXXX (lowercase, surrogate pairs) for U+007F and above, as ensure_ascii
    // Parsers keep one member per key (the first position, the last value); a streaming
    // re-formatter keeps every member.
    bool keepDuplicateKeys = false;

    // Stable id: "compact", "spaced", "indent-2", "indent-4", plus "+sorted", "+ascii", "+duplicates".
    QString id() const;
    // For people: "compact, non-ASCII escaped (Python json.dumps(separators=(\",\", \":\")))".
    QString description() const;

    friend bool operator==(const JsonStyle &, const JsonStyle &) = default;
};

// The styles the diagnosis tries, most common first.
QList<JsonStyle> commonJsonStyles();

// Re-encodes a JSON text the way a program that parsed it would write it again, without the
// losses of a generic JSON library: number tokens are kept exactly as written, strings are
// decoded and re-escaped per style, duplicate keys can be kept. The document is parsed once
// into a flat token list and can then be encoded in any number of styles.
class JsonReencoder
{
public:
    // Parses a JSON text (RFC 8259; a leading UTF-8 BOM is skipped, as decoders do). Returns
    // false with `error` ("byte N: …") when it is not JSON, not UTF-8, or nests deeper than
    // `maxDepth`.
    bool parse(const QByteArray &json, QString *error = nullptr, int maxDepth = 512);
    bool isParsed() const { return !m_nodes.empty(); }

    QByteArray encode(const JsonStyle &style) const;
    // The same bytes handed to `sink` in pieces of about `chunk` bytes, without holding the
    // whole output (the diagnosis MACs each re-encoding while it is written).
    void encode(
        const JsonStyle &style, const std::function<void(QByteArrayView)> &sink, qsizetype chunk = 64 * 1024) const;

    // What makes styles differ for this document: without text at or above U+007F escaping
    // changes nothing, with every object's keys already unique and in order sorting changes
    // nothing.
    bool hasTextToEscape() const { return m_textToEscape; }
    bool hasUnsortedKeys() const { return m_unsortedKeys; }
    bool hasDuplicateKeys() const { return m_duplicateKeys; }
    // The style that gives the same bytes as `style` for this document with the fewest options
    // set, so that equivalent styles can be skipped.
    JsonStyle simplest(const JsonStyle &style) const;

private:
    enum class Type : quint8 { Null, False, True, Number, String, Array, Object };
    enum Flag : quint8 {
        StringHasEscapes = 1, // a backslash: the text must be decoded to be re-escaped
        StringNeedsAscii = 2, // a character ≥ U+007F, raw or escaped
        ObjectUnsorted = 4,
        ObjectDuplicates = 8,
    };
    // 16 bytes: a 1 MiB document has some 100 000 of them, walked once per style.
    struct Node
    {
        Type type;
        quint8 flags;
        // Scalars: the token's bytes (strings: between the quotes). Objects that sorting or
        // merging changes: `start` is where their member orders are in m_orders.
        quint32 start;
        quint32 length;
        quint32 end; // index of the node after this subtree (a container is empty when end is its index + 1)
    };
    static_assert(sizeof(Node) == 16);

    struct Parser;
    struct Writer;

    QByteArray m_source;
    qsizetype m_offset = 0; // where the document starts (after a BOM)
    std::vector<Node> m_nodes;
    // For each object that sorting or merging changes, computed once when parsing: the number
    // n of members a parser keeps, n (key, value) node pairs in sorted order, and for objects
    // with repeated keys n more pairs in document order.
    std::vector<quint32> m_orders;
    bool m_textToEscape = false;
    bool m_unsortedKeys = false;
    bool m_duplicateKeys = false;
};

} // namespace hookbench
