#pragma once

#include "signaturescheme.h"

namespace hookbench {

// Standard Webhooks (and Svix, its origin): webhook-id, webhook-timestamp and
// "webhook-signature: v1,<base64>[ v1,<base64>…]" over "<id>.<timestamp>.<body>". The secret is
// "whsec_" + base64 of the key. Svix's svix-* header names are read too.
class StandardWebhooksScheme : public SignatureScheme
{
public:
    QString name() const override { return QStringLiteral("standard-webhooks"); }
    QString title() const override { return QStringLiteral("Standard Webhooks"); }
    QString summary() const override;
    SignatureEncoding encoding() const override { return SignatureEncoding::Base64; }
    QByteArray signaturePrefix() const override { return QByteArrayLiteral("v1,"); }
    QByteArray signatureHeaderName() const override { return QByteArrayLiteral("webhook-signature"); }
    QList<QByteArray> headerNames() const override;
    bool usesTimestamp() const override { return true; }
    bool usesId() const override { return true; }

    std::optional<QByteArray> keyFromSecret(const QByteArray &secret, QString *error = nullptr) const override;
    SignatureEvidence readEvidence(const HeaderList &headers) const override;
    SignedString signedString(const QByteArray &timestamp, const QByteArray &id) const override;
    QByteArray formatSignatureValue(const QByteArray &mac, const QByteArray &timestamp) const override;
    HeaderList signatureHeaders(const QByteArray &mac, const SignOptions &options) const override;
};

} // namespace hookbench
