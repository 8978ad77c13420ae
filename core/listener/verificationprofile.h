#pragma once

#include "diagnosis/diagnosisfinding.h"
#include "signing/signaturescheme.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace hookbench {

// A listener's signature check: a scheme and the secrets to try (rotation). The secrets stay
// inside: there is no accessor, and results carry only verdicts, reasons, MACs and findings
// (which name secrets and show fingerprints, never the secrets).
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
    // Why `result` (check()'s answer for these headers and body) is not valid, best first, with
    // the profile's secrets (named "the secret", or "secret 1", "secret 2", ...). Empty for a
    // valid request and without a scheme or secrets. Runs on the calling thread only (a 1 MiB
    // body costs tens of milliseconds), and may run on several threads at once.
    QList<DiagnosisFinding> diagnose(
        const VerificationResult &result, const HeaderList &headers, const QByteArray &body, qint64 nowSeconds) const;

private:
    std::shared_ptr<const SignatureScheme> m_scheme;
    QList<QByteArray> m_secrets;
};

} // namespace hookbench
