#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace hookbench {

// One header line exactly as it travelled: name in its original case, value untouched.
struct HttpHeader
{
    QByteArray name;
    QByteArray value;

    friend bool operator==(const HttpHeader &, const HttpHeader &) = default;
};

// Headers in the order they were received, duplicates kept. A list, not a map, because order,
// case and repetition are part of what a user debugging a webhook needs to see.
using HeaderList = QList<HttpHeader>;

// HTTP header names compare case-insensitively (RFC 9110).
bool headerNameEquals(QByteArrayView a, QByteArrayView b);

// Index of the first header named `name` (any case), or -1.
qsizetype findHeader(const HeaderList &headers, QByteArrayView name);
bool hasHeader(const HeaderList &headers, QByteArrayView name);
// Value of the first header named `name`, or a null QByteArray when absent.
QByteArray headerValue(const HeaderList &headers, QByteArrayView name);
QList<QByteArray> headerValues(const HeaderList &headers, QByteArrayView name);

// Sets `name` to `value`: replaces the first existing header in place (keeping its position and
// the received spelling of the name), drops any later duplicates, or appends when absent.
void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value);
// Removes every header named `name`; returns how many were removed.
qsizetype removeHeader(HeaderList &headers, QByteArrayView name);

// Parses "Name: value" as typed on a command line or pasted from a log. Optional whitespace
// after the colon is dropped, the value is otherwise kept. Returns false for a missing colon
// or an empty/invalid name.
bool parseHeaderLine(QByteArrayView line, HttpHeader *out);
// True for a valid RFC 9110 field name (token characters only).
bool isValidHeaderName(QByteArrayView name);

} // namespace hookbench
