#pragma once

#include "signing/signaturescheme.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace hookbench {

// A listener's signature check: a scheme and the secrets to try (rotation). The secrets stay
// inside: there is no accessor, and results carry only verdicts, reasons and MACs.
class VerificationProfile
{
public:
    VerificationProfile() = default; // no scheme: every capture gets "no-secret"
    VerificationProfile(std::shared_ptr<const SignatureScheme> scheme, QList<QByteArray> secrets);

    bool hasScheme() const { return m_scheme != nullptr; }
    QString schemeName() const;
    QString schemeTitle() const;
    qsizetype secretCount() const { return m_secrets.size(); }
    // The header the scheme reads the signature from ("Authorization" for dbt Cloud).
    QByteArray signatureHeaderName() const;

    // `nowSeconds`: Unix time for timestamp tolerances.
    VerificationResult check(const HeaderList &headers, const QByteArray &body, qint64 nowSeconds) const;

private:
    std::shared_ptr<const SignatureScheme> m_scheme;
    QList<QByteArray> m_secrets;
};

} // namespace hookbench
