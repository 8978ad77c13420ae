#include "ksuid.h"

#include <QRandomGenerator>

namespace hookbench {

namespace {

constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int base62Value(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'A' && c <= u'Z')
        return c - u'A' + 10;
    if (c >= u'a' && c <= u'z')
        return c - u'a' + 36;
    return -1;
}

} // namespace

Ksuid Ksuid::generate(qint64 unixSeconds)
{
    std::array<quint8, 16> payload;
    std::array<quint32, 4> words;
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = quint8(words[i / 4] >> (8 * (i % 4)));
    const qint64 seconds = qBound<qint64>(0, unixSeconds - epoch, 0xffffffffLL);
    return fromParts(quint32(seconds), payload);
}

Ksuid Ksuid::fromParts(quint32 ksuidSeconds, const std::array<quint8, 16> &payload)
{
    Ksuid ksuid;
    for (int i = 0; i < 4; ++i)
        ksuid.m_bytes[std::size_t(i)] = quint8(ksuidSeconds >> (24 - 8 * i));
    std::copy(payload.cbegin(), payload.cend(), ksuid.m_bytes.begin() + 4);
    return ksuid;
}

std::optional<Ksuid> Ksuid::parse(QStringView text)
{
    if (text.size() != textLength)
        return std::nullopt;
    // Big-endian multiply-accumulate: bytes = bytes * 62 + digit.
    std::array<quint32, 20> bytes {};
    for (QChar c : text) {
        const int digit = base62Value(c.unicode());
        if (digit < 0)
            return std::nullopt;
        quint32 carry = quint32(digit);
        for (int i = 19; i >= 0; --i) {
            const quint32 value = bytes[std::size_t(i)] * 62 + carry;
            bytes[std::size_t(i)] = value & 0xff;
            carry = value >> 8;
        }
        if (carry != 0)
            return std::nullopt; // above the largest KSUID ("aWgEPTl1tmebfsQzFP4bxwgy80V")
    }
    Ksuid ksuid;
    for (std::size_t i = 0; i < 20; ++i)
        ksuid.m_bytes[i] = quint8(bytes[i]);
    return ksuid;
}

qint64 Ksuid::unixSeconds() const
{
    const quint32 seconds
        = quint32(m_bytes[0]) << 24 | quint32(m_bytes[1]) << 16 | quint32(m_bytes[2]) << 8 | quint32(m_bytes[3]);
    return epoch + seconds;
}

QString Ksuid::toString() const
{
    // Repeated division of the 160-bit number by 62, least significant digit first.
    std::array<quint8, 20> number = m_bytes;
    QString text(textLength, QLatin1Char('0'));
    for (int position = textLength - 1; position >= 0; --position) {
        quint32 remainder = 0;
        for (quint8 &byte : number) {
            const quint32 value = remainder << 8 | byte;
            byte = quint8(value / 62);
            remainder = value % 62;
        }
        text[position] = QLatin1Char(alphabet[remainder]);
    }
    return text;
}

} // namespace hookbench
