#include "verificationprofile.h"

#include "diagnosis/signaturediagnosis.h"

namespace hookbench {

VerificationProfile::VerificationProfile(std::shared_ptr<const SignatureScheme> scheme, QList<QByteArray> secrets)
    : m_scheme(std::move(scheme)), m_secrets(std::move(secrets))
{ }

QString VerificationProfile::schemeName() const
{
    return m_scheme ? m_scheme->name() : QString();
}

QString VerificationProfile::schemeTitle() const
{
    return m_scheme ? m_scheme->title() : QString();
}

QByteArray VerificationProfile::signatureHeaderName() const
{
    return m_scheme ? m_scheme->signatureHeaderName() : QByteArray();
}

VerificationResult VerificationProfile::check(
    const HeaderList &headers, const QByteArray &body, qint64 nowSeconds) const
{
    if (!m_scheme) {
        VerificationResult result;
        result.verdict = Verdict::NoSecret;
        result.reason = QStringLiteral("No verification scheme is configured, so the signature was not checked.");
        return result;
    }
    VerifyOptions options;
    options.now = nowSeconds;
    return m_scheme->verify(headers, body, m_secrets, options);
}

QList<DiagnosisFinding> VerificationProfile::diagnose(
    const VerificationResult &result, const HeaderList &headers, const QByteArray &body, qint64 nowSeconds) const
{
    if (!m_scheme || m_secrets.isEmpty() || result.isValid())
        return {};
    QList<NamedSecret> named;
    named.reserve(m_secrets.size());
    for (qsizetype i = 0; i < m_secrets.size(); ++i)
        named.append({m_secrets.size() == 1 ? QStringLiteral("the secret") : QStringLiteral("secret %1").arg(i + 1),
            m_secrets.at(i)});
    SignatureDiagnosis diagnosis(*m_scheme);
    DiagnosisLimits limits;
    limits.threads = 1; // the caller decides how many diagnoses run at once
    diagnosis.setLimits(limits);
    VerifyOptions options;
    options.now = nowSeconds;
    return diagnosis.diagnose(result, headers, body, named, options);
}

} // namespace hookbench
