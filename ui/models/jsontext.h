#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace hookbench {

// Where a JSON document stops being JSON: a byte offset into the body and the same place as a
// 1-based line and column (columns count characters, not bytes), with one sentence saying what
// was expected there.
struct JsonError
{
    qsizetype offset = 0;
    int line = 1;
    int column = 1;
    QString message;

    QString describe() const; // "line 3, column 14 (byte 52): expected ':' after the key"
};

// The result of reading a body as JSON for display.
struct JsonPretty
{
    std::optional<JsonError> error; // set when the body is not JSON (RFC 8259)
    QString text; // the re-indented document (empty when there is an error)
    bool truncated = false; // text stops at the size limit; validation still covered everything
};

// Strict RFC 8259 reading of a body, for display only: a single pass that validates (any value
// at the top level, no BOM, no trailing data, strings valid UTF-8 without raw control
// characters) and re-indents. Unlike QJsonDocument it never rewrites a token: key order,
// duplicate keys, number spelling (1.10, 1e3) and escapes stay exactly as sent, so what a user
// reads is what was signed, only laid out. Nesting depth costs heap, not stack.
class JsonText
{
public:
    // `maxOutputBytes`: stop writing the pretty text after this much (validation goes on).
    static JsonPretty pretty(QByteArrayView body, int indent = 2, qsizetype maxOutputBytes = 8 * 1024 * 1024);
    static std::optional<JsonError> validate(QByteArrayView body);
    // True when the first non-whitespace byte opens an object or an array: worth showing as JSON
    // (or its error) rather than as text.
    static bool looksLikeJson(QByteArrayView body);
    // Line and column (1-based, columns in characters) of a byte offset.
    static void position(QByteArrayView body, qsizetype offset, int *line, int *column);
};

} // namespace hookbench
