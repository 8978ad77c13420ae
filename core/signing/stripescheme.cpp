#include "stripescheme.h"

#include "genericscheme.h"

namespace hookbench {

QString StripeScheme::summary() const
{
    return QStringLiteral("Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">; the secret is used "
                          "as-is, whsec_ included; 300 s tolerance.");
}

SignatureEvidence StripeScheme::readEvidence(const HeaderList &headers) const
{
    SignatureEvidence evidence;
    evidence.headerName = signatureHeaderName();
    const qsizetype index = findHeader(headers, evidence.headerName);
    if (index < 0)
        return evidence;
    evidence.headerPresent = true;
    evidence.headerName = headers.at(index).name;
    evidence.headerValue = headers.at(index).value;
    const auto headerText = [&evidence] { return QString::fromLatin1(evidence.headerName); };
    if (evidence.headerValue.trimmed().isEmpty()) {
        evidence.problem = QStringLiteral("The %1 header is empty.").arg(headerText());
        return evidence;
    }

    int v1Entries = 0;
    QString entryProblem;
    for (const QByteArray &item : evidence.headerValue.split(',')) {
        const QByteArray entry = item.trimmed();
        const qsizetype equals = entry.indexOf('=');
        if (equals <= 0)
            continue;
        const QByteArray key = entry.left(equals);
        const QByteArray value = entry.mid(equals + 1);
        if (key == "t" && !evidence.hasTimestamp) {
            evidence.hasTimestamp = true;
            evidence.timestamp = value;
        } else if (key == "v1") {
            ++v1Entries;
            const auto what = [&] { return QStringLiteral("The v1 entry of %1").arg(headerText()); };
            if (auto mac = decodeMacValue(value, algorithm(), encoding(), what, &entryProblem))
                evidence.signatures.append(*mac);
        }
    }
    if (!evidence.hasTimestamp)
        evidence.problem = QStringLiteral("The %1 header has no t= timestamp.").arg(headerText());
    else if (v1Entries == 0)
        evidence.problem = QStringLiteral("The %1 header has no v1= signature.").arg(headerText());
    else if (evidence.signatures.isEmpty())
        evidence.problem = entryProblem;
    return evidence;
}

SignedString StripeScheme::signedString(const QByteArray &timestamp, const QByteArray &) const
{
    return {timestamp + '.', {}};
}

QByteArray StripeScheme::formatSignatureValue(const QByteArray &mac, const QByteArray &timestamp) const
{
    return "t=" + timestamp + ",v1=" + mac.toHex();
}

} // namespace hookbench
