#include "diagnosisfinding.h"

#include "signing/hmac.h"

namespace hookbench {

namespace {

struct CodeName
{
    FindingCode code;
    const char16_t *name;
};

constexpr CodeName codeNames[] = {
    {FindingCode::MissingHeader, u"missing-header"},
    {FindingCode::HeaderReplaced, u"header-replaced"},
    {FindingCode::PrefixMismatch, u"prefix-mismatch"},
    {FindingCode::EncodingMismatch, u"encoding-mismatch"},
    {FindingCode::OtherScheme, u"other-scheme"},
    {FindingCode::SecretWhitespace, u"secret-whitespace"},
    {FindingCode::SecretEncoding, u"secret-encoding"},
    {FindingCode::OtherSecret, u"other-secret"},
    {FindingCode::BodyReserialized, u"body-reserialized"},
    {FindingCode::BodyLineEndings, u"body-line-endings"},
    {FindingCode::BodyTrailingNewline, u"body-trailing-newline"},
    {FindingCode::BodyBom, u"body-bom"},
    {FindingCode::TimestampOutsideTolerance, u"timestamp-outside-tolerance"},
    {FindingCode::WrongSecret, u"wrong-secret"},
};

} // namespace

QString findingCodeName(FindingCode code)
{
    for (const CodeName &entry : codeNames) {
        if (entry.code == code)
            return QString::fromUtf16(entry.name);
    }
    return {};
}

std::optional<FindingCode> findingCodeFromName(QStringView name)
{
    for (const CodeName &entry : codeNames) {
        if (name == QStringView(entry.name))
            return entry.code;
    }
    return std::nullopt;
}

QList<FindingCode> allFindingCodes()
{
    QList<FindingCode> codes;
    for (const CodeName &entry : codeNames)
        codes.append(entry.code);
    return codes;
}

QString secretFingerprint(QByteArrayView secret)
{
    return QString::fromLatin1(sha256(secret).toHex().left(8));
}

} // namespace hookbench
