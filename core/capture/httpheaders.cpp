#include "httpheaders.h"

namespace hookbench {

bool headerNameEquals(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

qsizetype findHeader(const HeaderList &headers, QByteArrayView name)
{
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (headerNameEquals(headers.at(i).name, name))
            return i;
    }
    return -1;
}

bool hasHeader(const HeaderList &headers, QByteArrayView name)
{
    return findHeader(headers, name) >= 0;
}

QByteArray headerValue(const HeaderList &headers, QByteArrayView name)
{
    const qsizetype index = findHeader(headers, name);
    return index < 0 ? QByteArray() : headers.at(index).value;
}

QList<QByteArray> headerValues(const HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> values;
    for (const HttpHeader &header : headers) {
        if (headerNameEquals(header.name, name))
            values.append(header.value);
    }
    return values;
}

void setHeader(HeaderList &headers, const QByteArray &name, const QByteArray &value)
{
    const qsizetype first = findHeader(headers, name);
    if (first < 0) {
        headers.append({name, value});
        return;
    }
    headers[first].value = value;
    for (qsizetype i = headers.size() - 1; i > first; --i) {
        if (headerNameEquals(headers.at(i).name, name))
            headers.removeAt(i);
    }
}

qsizetype removeHeader(HeaderList &headers, QByteArrayView name)
{
    return headers.removeIf([name](const HttpHeader &header) { return headerNameEquals(header.name, name); });
}

bool isValidHeaderName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    static constexpr QByteArrayView tokenSymbols("!#$%&'*+-.^_`|~");
    for (const char c : name) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && !tokenSymbols.contains(c))
            return false;
    }
    return true;
}

bool parseHeaderLine(QByteArrayView line, HttpHeader *out)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    const QByteArrayView name = line.first(colon);
    if (!isValidHeaderName(name))
        return false;
    QByteArrayView value = line.sliced(colon + 1);
    while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
        value = value.sliced(1);
    if (value.contains('\r') || value.contains('\n'))
        return false;
    out->name = name.toByteArray();
    out->value = value.toByteArray();
    return true;
}

} // namespace hookbench
