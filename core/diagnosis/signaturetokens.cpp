#include "signaturetokens.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace hookbench {

namespace {

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isBase64Character(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
        || c == '-' || c == '_';
}

// The entry prefix before a run that starts at `start`: the text back to the previous entry
// separator (space or comma), e.g. "v1=" in "t=1,v1=…", "v1," in "v1,… v1,…", "Bearer " in
// "Bearer …". A "key=value," item before the run is another entry, not a prefix ("t=1,<hex>").
QByteArray entryPrefix(const QByteArray &value, qsizetype start)
{
    QByteArray before = value.left(start);
    qsizetype cut = -1;
    for (qsizetype i = before.size() - 2; i >= 0; --i) {
        if (before.at(i) == ' ' || before.at(i) == ',') {
            cut = i;
            break;
        }
    }
    before = before.mid(cut + 1);
    while (!before.isEmpty() && (before.front() == ' ' || before.front() == '\t'))
        before.remove(0, 1);
    if ((before.endsWith(',') || before.endsWith(' ')) && before.contains('='))
        return {};
    return before;
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView text)
{
    auto result = QByteArray::fromBase64Encoding(
        text.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result || result.decoded.isEmpty())
        return std::nullopt;
    return result.decoded;
}

// The decoded header of a JWT ("header.payload.signature", base64url parts), when `text` is one.
std::optional<QJsonObject> jwtHeader(const QByteArray &text)
{
    const QList<QByteArray> parts = text.split('.');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return std::nullopt;
    const auto header = decodeBase64Url(parts.at(0));
    if (!header)
        return std::nullopt;
    // Parsed only to read "alg"; these bytes are never re-encoded or signed.
    const QJsonDocument document = QJsonDocument::fromJson(*header);
    if (!document.isObject() || !document.object().contains(QStringLiteral("alg")))
        return std::nullopt;
    return document.object();
}

} // namespace

QList<SignatureToken> findSignatureTokens(const QByteArray &header, const QByteArray &value, int macSize)
{
    QList<SignatureToken> tokens;
    const qsizetype size = value.size();
    qsizetype i = 0;
    while (i < size) {
        if (!isBase64Character(value.at(i))) {
            ++i;
            continue;
        }
        const qsizetype start = i;
        bool hex = true;
        bool upper = false;
        bool standard = false; // has '+' or '/'
        bool urlSafe = false; // has '-' or '_'
        while (i < size && isBase64Character(value.at(i))) {
            const char c = value.at(i);
            hex = hex && isHexDigit(c);
            upper = upper || (c >= 'A' && c <= 'F');
            standard = standard || c == '+' || c == '/';
            urlSafe = urlSafe || c == '-' || c == '_';
            ++i;
        }
        const qsizetype textEnd = i;
        for (int padding = 0; padding < 2 && i < size && value.at(i) == '='; ++padding)
            ++i;
        const QByteArray text = value.mid(start, i - start);
        const QByteArrayView bare = QByteArrayView(value).sliced(start, textEnd - start);

        SignatureToken token;
        token.header = header;
        token.text = text;
        if (hex && textEnd == i) {
            if (const auto mac = decodeHexStrict(bare); mac && mac->size() == macSize) {
                token.mac = *mac;
                token.encoding = SignatureEncoding::Hex;
                token.upperCaseHex = upper;
            }
        }
        if (token.mac.isEmpty() && !(standard && urlSafe)) {
            const auto mac = urlSafe ? decodeBase64Url(text) : decodeBase64Strict(text);
            if (mac && mac->size() == macSize) {
                token.mac = *mac;
                token.encoding = SignatureEncoding::Base64;
                token.base64Url = urlSafe;
            }
        }
        if (!token.mac.isEmpty()) {
            token.prefix = entryPrefix(value, start);
            tokens.append(token);
        }
    }
    return tokens;
}

QString describeCredential(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    const QByteArray word = space > 0 ? trimmed.left(space) : QByteArray();
    const QByteArray rest = space > 0 ? trimmed.mid(space + 1).trimmed() : trimmed;

    QString kind;
    if (const auto header = jwtHeader(rest)) {
        kind = QStringLiteral("JWT (alg %1)").arg(header->value(QStringLiteral("alg")).toString().left(16));
    }
    static const QList<QByteArray> schemes {"Bearer", "Basic", "Token", "Digest", "Negotiate", "ApiKey", "Hawk",
        "AWS4-HMAC-SHA256", "HMAC-SHA256", "SharedAccessSignature"};
    QByteArray scheme;
    for (const QByteArray &known : schemes) {
        if (word.compare(known, Qt::CaseInsensitive) == 0)
            scheme = known;
    }
    if (scheme.isEmpty())
        return kind.isEmpty() ? QString() : QStringLiteral("a %1").arg(kind);
    if (!kind.isEmpty())
        return QStringLiteral("a %1 %2").arg(QString::fromLatin1(scheme), kind);
    if (scheme == "Basic")
        return QStringLiteral("Basic credentials");
    if (scheme == "Bearer")
        return QStringLiteral("a Bearer token");
    return QStringLiteral("a %1 credential").arg(QString::fromLatin1(scheme));
}

} // namespace hookbench
