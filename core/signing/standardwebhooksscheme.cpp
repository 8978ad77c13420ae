#include "standardwebhooksscheme.h"

#include "genericscheme.h"

namespace hookbench {

namespace {

const QByteArray secretPrefix = QByteArrayLiteral("whsec_");

} // namespace

QString StandardWebhooksScheme::summary() const
{
    return QStringLiteral("webhook-id, webhook-timestamp and webhook-signature: v1,<base64 HMAC-SHA256 of "
                          "\"<id>.<timestamp>.<body>\">; the key is the secret after whsec_, base64-decoded; "
                          "±300 s tolerance (svix-* headers accepted).");
}

QList<QByteArray> StandardWebhooksScheme::headerNames() const
{
    return {QByteArrayLiteral("webhook-signature"), QByteArrayLiteral("webhook-timestamp"),
        QByteArrayLiteral("webhook-id")};
}

std::optional<QByteArray> StandardWebhooksScheme::keyFromSecret(const QByteArray &secret, QString *error) const
{
    const QByteArray encoded = secret.startsWith(secretPrefix) ? secret.mid(secretPrefix.size()) : secret;
    auto key = decodeBase64Strict(encoded);
    if (!key && error)
        *error = QStringLiteral("the secret is not base64 after its whsec_ prefix");
    return key;
}

SignatureEvidence StandardWebhooksScheme::readEvidence(const HeaderList &headers) const
{
    // Svix sends the same three headers under svix-* names; whichever family carries the
    // signature supplies the id and timestamp too.
    QByteArray family = QByteArrayLiteral("webhook-");
    if (!hasHeader(headers, "webhook-signature") && hasHeader(headers, "svix-signature"))
        family = QByteArrayLiteral("svix-");

    SignatureEvidence evidence;
    evidence.headerName = family + "signature";
    const qsizetype index = findHeader(headers, evidence.headerName);
    if (index < 0)
        return evidence;
    evidence.headerPresent = true;
    evidence.headerName = headers.at(index).name;
    evidence.headerValue = headers.at(index).value;
    const auto headerText = [&evidence] { return QString::fromLatin1(evidence.headerName); };

    const QByteArray timestampHeader = family + "timestamp";
    const QByteArray idHeader = family + "id";
    const qsizetype timestampAt = findHeader(headers, timestampHeader);
    const qsizetype idAt = findHeader(headers, idHeader);
    if (timestampAt >= 0) {
        evidence.hasTimestamp = true;
        evidence.timestamp = headers.at(timestampAt).value;
    }
    if (idAt >= 0)
        evidence.id = headers.at(idAt).value;
    if (idAt < 0) {
        evidence.problem = QStringLiteral("The %1 header is missing.").arg(QString::fromLatin1(idHeader));
        return evidence;
    }
    if (timestampAt < 0) {
        evidence.problem = QStringLiteral("The %1 header is missing.").arg(QString::fromLatin1(timestampHeader));
        return evidence;
    }
    if (evidence.headerValue.trimmed().isEmpty()) {
        evidence.problem = QStringLiteral("The %1 header is empty.").arg(headerText());
        return evidence;
    }

    int v1Entries = 0;
    QString entryProblem;
    for (const QByteArray &entry : evidence.headerValue.split(' ')) {
        if (!entry.startsWith(signaturePrefix()))
            continue; // v1a (ed25519) and future versions are not ours to check
        ++v1Entries;
        const auto what = [&] { return QStringLiteral("The v1 entry of %1").arg(headerText()); };
        if (auto mac = decodeMacValue(QByteArrayView(entry).sliced(3), algorithm(), encoding(), what, &entryProblem))
            evidence.signatures.append(*mac);
    }
    if (v1Entries == 0)
        evidence.problem = QStringLiteral("The %1 header has no v1, signature.").arg(headerText());
    else if (evidence.signatures.isEmpty())
        evidence.problem = entryProblem;
    return evidence;
}

SignedString StandardWebhooksScheme::signedString(const QByteArray &timestamp, const QByteArray &id) const
{
    return {id + '.' + timestamp + '.', {}};
}

QByteArray StandardWebhooksScheme::formatSignatureValue(const QByteArray &mac, const QByteArray &) const
{
    return signaturePrefix() + mac.toBase64();
}

HeaderList StandardWebhooksScheme::signatureHeaders(const QByteArray &mac, const SignOptions &options) const
{
    const QByteArray timestamp = QByteArray::number(options.timestamp);
    return {{QByteArrayLiteral("webhook-signature"), formatSignatureValue(mac, timestamp)},
        {QByteArrayLiteral("webhook-id"), options.id}, {QByteArrayLiteral("webhook-timestamp"), timestamp}};
}

} // namespace hookbench
