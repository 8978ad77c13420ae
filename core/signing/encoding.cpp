#include "encoding.h"

namespace hookbench {

namespace {

int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

QString signatureEncodingName(SignatureEncoding encoding)
{
    return encoding == SignatureEncoding::Hex ? QStringLiteral("hex") : QStringLiteral("base64");
}

std::optional<SignatureEncoding> signatureEncodingFromName(QStringView name)
{
    if (name.compare(u"hex", Qt::CaseInsensitive) == 0)
        return SignatureEncoding::Hex;
    if (name.compare(u"base64", Qt::CaseInsensitive) == 0)
        return SignatureEncoding::Base64;
    return std::nullopt;
}

QByteArray encodeSignature(const QByteArray &mac, SignatureEncoding encoding)
{
    return encoding == SignatureEncoding::Hex ? mac.toHex() : mac.toBase64();
}

std::optional<QByteArray> decodeHexStrict(QByteArrayView text)
{
    if (text.isEmpty() || text.size() % 2 != 0)
        return std::nullopt;
    QByteArray out(text.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < out.size(); ++i) {
        const int high = hexDigitValue(text[2 * i]);
        const int low = hexDigitValue(text[2 * i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out[i] = char(high << 4 | low);
    }
    return out;
}

std::optional<QByteArray> decodeBase64Strict(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    auto result = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!result || result.decoded.isEmpty())
        return std::nullopt;
    return result.decoded;
}

std::optional<QByteArray> decodeSignature(QByteArrayView text, SignatureEncoding encoding)
{
    return encoding == SignatureEncoding::Hex ? decodeHexStrict(text) : decodeBase64Strict(text);
}

bool isPrintableAscii(QByteArrayView text)
{
    for (const char c : text) {
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

} // namespace hookbench
