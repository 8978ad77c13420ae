#include "verificationprofile.h"

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

} // namespace hookbench
