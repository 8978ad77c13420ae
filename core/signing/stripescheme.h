#pragma once

#include "signaturescheme.h"

namespace hookbench {

// Stripe: "Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]", HMAC-SHA256 of "<t>.<body>" keyed
// with the whole secret string ("whsec_" included). Any v1 entry may match; v0 and other
// entries are ignored, as Stripe's own libraries do.
class StripeScheme : public SignatureScheme
{
public:
    QString name() const override { return QStringLiteral("stripe"); }
    QString title() const override { return QStringLiteral("Stripe"); }
    QString summary() const override;
    SignatureEncoding encoding() const override { return SignatureEncoding::Hex; }
    QByteArray signaturePrefix() const override { return QByteArrayLiteral("v1="); }
    QByteArray signatureHeaderName() const override { return QByteArrayLiteral("Stripe-Signature"); }
    bool usesTimestamp() const override { return true; }

    SignatureEvidence readEvidence(const HeaderList &headers) const override;
    SignedString signedString(const QByteArray &timestamp, const QByteArray &id) const override;
    QByteArray formatSignatureValue(const QByteArray &mac, const QByteArray &timestamp) const override;
};

} // namespace hookbench
