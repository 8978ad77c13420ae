#include "headerblock.h"

#include <QtEndian>

namespace hookbench {

namespace {

const char binaryMarker = '\0';
const QByteArray binaryMagic("\0HB1", 4);

bool fitsHttpLine(const HttpHeader &header)
{
    if (header.name.isEmpty() || header.name.front() == binaryMarker)
        return false;
    for (const char c : header.name) {
        if (c == ':' || c == '\r' || c == '\n')
            return false;
    }
    return !header.value.contains('\r') && !header.value.contains('\n');
}

void appendLength(QByteArray &out, qsizetype length)
{
    char bytes[4];
    qToBigEndian(quint32(length), bytes);
    out.append(bytes, 4);
}

bool readChunk(const QByteArray &block, qsizetype *position, QByteArray *out)
{
    if (block.size() - *position < 4)
        return false;
    const quint32 length = qFromBigEndian<quint32>(block.constData() + *position);
    *position += 4;
    if (quint64(block.size() - *position) < length)
        return false;
    *out = block.mid(*position, qsizetype(length));
    *position += qsizetype(length);
    return true;
}

bool decodeBinary(const QByteArray &block, HeaderList *out)
{
    qsizetype position = binaryMagic.size();
    while (position < block.size()) {
        HttpHeader header;
        if (!readChunk(block, &position, &header.name) || !readChunk(block, &position, &header.value))
            return false;
        out->append(std::move(header));
    }
    return true;
}

bool decodeLines(const QByteArray &block, HeaderList *out)
{
    qsizetype position = 0;
    while (position < block.size()) {
        const qsizetype end = block.indexOf("\r\n", position);
        if (end < 0)
            return false;
        const qsizetype colon = block.indexOf(':', position);
        if (colon < 0 || colon >= end || colon == position)
            return false;
        HttpHeader header;
        header.name = block.mid(position, colon - position);
        // The encoder writes exactly one space after the colon; anything after it is the value.
        qsizetype valueStart = colon + 1;
        if (valueStart < end && block.at(valueStart) == ' ')
            ++valueStart;
        header.value = block.mid(valueStart, end - valueStart);
        if (header.value.isNull())
            header.value = QByteArray("");
        out->append(std::move(header));
        position = end + 2;
    }
    return true;
}

} // namespace

QByteArray encodeHeaderBlock(const HeaderList &headers)
{
    bool lines = true;
    qsizetype size = 0;
    for (const HttpHeader &header : headers) {
        lines = lines && fitsHttpLine(header);
        size += header.name.size() + header.value.size() + 8;
    }
    QByteArray out;
    out.reserve(size + binaryMagic.size());
    if (lines) {
        for (const HttpHeader &header : headers)
            out += header.name + ": " + header.value + "\r\n";
        return out;
    }
    out += binaryMagic;
    for (const HttpHeader &header : headers) {
        appendLength(out, header.name.size());
        out += header.name;
        appendLength(out, header.value.size());
        out += header.value;
    }
    return out;
}

bool decodeHeaderBlock(const QByteArray &block, HeaderList *out)
{
    out->clear();
    HeaderList headers;
    const bool ok = block.startsWith(binaryMagic) ? decodeBinary(block, &headers) : decodeLines(block, &headers);
    if (ok)
        *out = std::move(headers);
    return ok;
}

} // namespace hookbench
