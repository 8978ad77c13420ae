#pragma once

#include "diagnosisfinding.h"
#include "signing/signaturescheme.h"

#include <QList>

#include <memory>
#include <vector>

namespace hookbench {

// A secret with a name people know it by ("$WEBHOOK_KEY", "staging endpoint"); the name is
// what findings show, the secret never.
struct NamedSecret
{
    QString name;
    QByteArray secret;
};

struct DiagnosisLimits
{
    // Body variants (line endings, re-encoded JSON) cost a pass over the body each; larger
    // bodies are diagnosed without them.
    qsizetype maxVariantBodySize = 8 * 1024 * 1024;
    int maxJsonDepth = 512;
    // Threads that re-encode and MAC JSON variants of bodies over 64 KiB (each variant is
    // independent); 0: one per core, up to 4. The findings don't depend on it.
    int threads = 0;
};

// Explains why a request's signature does not verify under one scheme: tries the variations
// a misconfigured sender, receiver or proxy produces (prefix and encoding, header moved or
// replaced, another scheme, secret whitespace and encoding, other known secrets, body line
// endings, trailing newline, BOM, re-encoded JSON, stale timestamps) and returns the causes it
// finds, best first. A MAC match makes a cause certain; a valid signature costs nothing.
class SignatureDiagnosis
{
public:
    // `scheme` must outlive this object.
    explicit SignatureDiagnosis(const SignatureScheme &scheme);
    ~SignatureDiagnosis();

    // Secrets the user knows besides the configured ones (test vs live, other endpoints,
    // before a rotation): a match names the secret.
    void setOtherSecrets(const QList<NamedSecret> &secrets) { m_otherSecrets = secrets; }
    // The schemes compared with for other-scheme; every built-in scheme by default.
    void setOtherSchemes(std::vector<std::unique_ptr<SignatureScheme>> schemes);
    void setLimits(const DiagnosisLimits &limits) { m_limits = limits; }

    // Verifies, then diagnoses a failure; nothing for a valid request or without a secret.
    QList<DiagnosisFinding> diagnose(const HeaderList &headers, const QByteArray &body,
        const QList<NamedSecret> &secrets, const VerifyOptions &options) const;
    // The same for a request already verified with these secrets and options (the body is not
    // MACed again just to learn the verdict).
    QList<DiagnosisFinding> diagnose(const VerificationResult &verification, const HeaderList &headers,
        const QByteArray &body, const QList<NamedSecret> &secrets, const VerifyOptions &options) const;

private:
    const SignatureScheme &m_scheme;
    std::vector<std::unique_ptr<SignatureScheme>> m_otherSchemes;
    QList<NamedSecret> m_otherSecrets;
    DiagnosisLimits m_limits;
};

// One-call form: the secrets are named "the secret" (or "secret 1", "secret 2", …).
QList<DiagnosisFinding> diagnoseSignature(const SignatureScheme &scheme, const HeaderList &headers,
    const QByteArray &body, const QList<QByteArray> &secrets, const VerifyOptions &options,
    const QList<NamedSecret> &otherSecrets = {});

} // namespace hookbench
