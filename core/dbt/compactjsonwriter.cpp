#include "compactjsonwriter.h"

namespace hookbench {

void CompactJsonWriter::beginObject()
{
    beforeValue();
    m_out.append('{');
    m_firstInObject.append(true);
}

void CompactJsonWriter::endObject()
{
    Q_ASSERT(!m_firstInObject.isEmpty() && !m_afterKey);
    m_firstInObject.removeLast();
    m_out.append('}');
}

void CompactJsonWriter::key(QStringView name)
{
    Q_ASSERT(!m_firstInObject.isEmpty() && !m_afterKey);
    if (!m_firstInObject.last())
        m_out.append(',');
    m_firstInObject.last() = false;
    appendQuoted(m_out, name);
    m_out.append(':');
    m_afterKey = true;
}

void CompactJsonWriter::string(QStringView value)
{
    beforeValue();
    appendQuoted(m_out, value);
}

void CompactJsonWriter::integer(qint64 value)
{
    beforeValue();
    m_out.append(QByteArray::number(value));
}

QByteArray CompactJsonWriter::quote(QStringView value)
{
    QByteArray out;
    appendQuoted(out, value);
    return out;
}

void CompactJsonWriter::beforeValue()
{
    // Inside an object every value follows a key; at the top level only one value is written.
    Q_ASSERT(m_firstInObject.isEmpty() ? m_out.isEmpty() : m_afterKey);
    m_afterKey = false;
}

void CompactJsonWriter::appendQuoted(QByteArray &out, QStringView value)
{
    static constexpr char hexDigits[] = "0123456789abcdef";
    auto appendEscape = [&out](char16_t unit) {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4)
            out.append(hexDigits[(unit >> shift) & 0xf]);
    };

    out.reserve(out.size() + value.size() + 2);
    out.append('"');
    qsizetype plainStart = 0; // runs of characters that need no escape are converted in one go
    auto flushPlain = [&](qsizetype end) {
        if (end > plainStart)
            out.append(value.mid(plainStart, end - plainStart).toUtf8());
    };
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t unit = value[i].unicode();
        const char *shortEscape = nullptr;
        switch (unit) {
        case u'"':
            shortEscape = "\\\"";
            break;
        case u'\\':
            shortEscape = "\\\\";
            break;
        case u'\b':
            shortEscape = "\\b";
            break;
        case u'\f':
            shortEscape = "\\f";
            break;
        case u'\n':
            shortEscape = "\\n";
            break;
        case u'\r':
            shortEscape = "\\r";
            break;
        case u'\t':
            shortEscape = "\\t";
            break;
        default:
            break;
        }
        const bool control = unit < 0x20;
        const bool highSurrogate = QChar::isHighSurrogate(unit);
        const bool pairedHigh = highSurrogate && i + 1 < value.size() && QChar::isLowSurrogate(value[i + 1].unicode());
        const bool loneSurrogate = (highSurrogate && !pairedHigh)
            || (QChar::isLowSurrogate(unit) && !(i > 0 && QChar::isHighSurrogate(value[i - 1].unicode())));
        if (!shortEscape && !control && !loneSurrogate) {
            if (pairedHigh)
                ++i; // keep the pair in the plain run
            continue;
        }
        flushPlain(i);
        if (shortEscape)
            out.append(shortEscape);
        else
            appendEscape(unit);
        plainStart = i + 1;
    }
    flushPlain(value.size());
    out.append('"');
}

} // namespace hookbench
